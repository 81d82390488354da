import { InputError, NotFoundError, SYSTEM_ACTOR, type ChangeActor } from '@meshgate/core';
import type { Prisma, ChangeFeed, PrismaClient } from '@meshgate/db';
import { publishCatalogChange } from './catalog-feed';
import { recordChange, type Tx } from './change-history';
import { declaredPartiesOf, replaceDeclaredParties, type DeclaredParties } from './declared-lineage';
import { createDomainIfMissing } from './domains';
import {
  assertCatalogVersion,
  assertKeyPath,
  assertSchemaVersion,
  assertVisibility,
  normaliseExamples,
  normaliseTags,
  type EventTypeExample,
  type Visibility,
} from './event-type-fields';
import { resolveEventTypeSchema, validateExamples, type ExampleSchema, type SchemaDeps } from './examples';
import { assertLifecycle, assertLifecycleTransition, type Lifecycle } from './lifecycle';

/**
 * How produced record values are framed: `json` is the event's JSON text; `confluent` is
 * Confluent's wire format (magic byte 0, 4-byte big-endian schema id, JSON text), for topics
 * whose consumers use Confluent's JSON Schema deserializer. Readers accept both either way.
 */
export type ValueFormat = 'json' | 'confluent';

/** Every value format. */
export const valueFormats: readonly ValueFormat[] = ['json', 'confluent'];

/** An event type: a catalog name bound to a topic and a schema subject. */
export interface EventType {
  name: string;
  summary: string;
  description: string | null;
  owner: string;
  topic: string;
  subject: string;
  partitions: number;
  /** How the gateway frames the values it produces; stored as text, one of {@link valueFormats}. */
  valueFormat: string;
  /** Where invalid records of the topic go; null = the topic plus the gateway's dead-letter suffix. */
  deadLetterTopic: string | null;
  /** The domain: the name's first segment. */
  domain: string;
  /** The entry's own version (semver by convention). */
  version: string;
  /** One of {@link lifecycles}. */
  lifecycle: string;
  lifecycleNote: string | null;
  /** `public` or `private`. */
  visibility: string;
  tags: string[];
  /** The subject version produce validates against; null = latest. */
  schemaVersion: number | null;
  /** JSON pointer to the payload field used as record key when the producer gives none. */
  keyPath: string | null;
  /** Example payloads. */
  examples: unknown;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The body of `PUT /v1/catalog/event-types/{name}`. The original fields (summary … deadLetterTopic)
 * replace the stored ones, defaults filling what is left out. The catalog fields added later
 * (version … consumers) keep their stored value when left out (defaults on creation), so older
 * clients never reset them; `null` clears the nullable ones.
 */
export interface EventTypeInput {
  summary: string;
  owner: string;
  description?: string | null;
  /** Default: the event type's name. */
  topic?: string;
  /** Default: `{topic}-value` (Confluent's TopicNameStrategy). */
  subject?: string;
  /** Partitions of the topic when Meshgate creates it; default 3. */
  partitions?: number;
  /** Framing of produced values; default `json`. */
  valueFormat?: ValueFormat;
  /** Dead-letter topic for invalid records; default (null): `{topic}{suffix}`, the suffix being the gateway's. */
  deadLetterTopic?: string | null;
  /** The entry's own version label; default `1.0.0`. */
  version?: string;
  /** Default `active` on creation; a change must be a legal transition (see assertLifecycleTransition). */
  lifecycle?: Lifecycle;
  /** What to use instead, until when (shown with deprecated and retired entries). */
  lifecycleNote?: string | null;
  /** Default `public`. */
  visibility?: Visibility;
  tags?: string[];
  /** Pin produce to this version of the subject; null = the latest. */
  schemaVersion?: number | null;
  /** JSON pointer whose value becomes the record key of events produced without one. */
  keyPath?: string | null;
  /** Example payloads, checked against the pinned (or latest) schema when the subject has one. */
  examples?: EventTypeExample[];
  /** Services declared as producers (replaces the declared set; unknown → SERVICE_NOT_FOUND). */
  producers?: string[];
  /** Services declared as consumers. */
  consumers?: string[];
}

/** The original event type fields, with their defaults filled in. */
export type EventTypeBasics = Required<
  Pick<
    EventTypeInput,
    'summary' | 'owner' | 'description' | 'topic' | 'subject' | 'partitions' | 'valueFormat' | 'deadLetterTopic'
  >
>;

/** An event type with the services declared as its producers and consumers. */
export interface EventTypeWithLineage extends EventType, DeclaredParties {}

/** Filters of {@link EventTypeCatalog.list}. */
export interface EventTypeFilter {
  domain?: string | undefined;
  owner?: string | undefined;
  tag?: string | undefined;
  lifecycle?: string | undefined;
  /** Only these names. */
  names?: readonly string[] | undefined;
}

/** What a write did: the entry now, whether it was created, and whether anything changed at all. */
export interface EventTypeWrite {
  eventType: EventTypeWithLineage;
  created: boolean;
  /** False when the request asked for exactly what was stored: nothing was written, no history row. */
  changed: boolean;
  /** The entry before (null when created), as the change history stores it. */
  before: EventTypeSnapshot | null;
  after: EventTypeSnapshot;
}

/** The stored values of an event type (what the change history keeps as before/after). */
export type EventTypeSnapshot = Omit<EventTypeWithLineage, 'createdAt' | 'updatedAt'>;

/** Options of catalog writes. */
export interface WriteOptions {
  /** Who writes (for the change history); default: Meshgate itself. */
  actor?: ChangeActor;
}

/** The domain of an event type name: its first segment (`orders.order-created` → `orders`). */
export function domainOfName(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? name : name.slice(0, dot);
}

// Kafka's legal topic characters; event type names double as default topic names.
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;

/** Throws INVALID_REQUEST unless `name` is a legal event type (and topic) name. */
export function assertEventTypeName(name: string, what = 'event type name'): void {
  if (!NAME_PATTERN.test(name)) {
    throw new InputError(
      `Invalid ${what} '${name}': use 1–249 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
}

/** Fills in the defaults a PUT body may leave out (original fields). */
export function resolveEventTypeDefaults(name: string, input: EventTypeInput): EventTypeBasics {
  const topic = input.topic ?? name;
  return {
    summary: input.summary,
    owner: input.owner,
    description: input.description ?? null,
    topic,
    subject: input.subject ?? `${topic}-value`,
    partitions: input.partitions ?? 3,
    valueFormat: input.valueFormat ?? 'json',
    deadLetterTopic: input.deadLetterTopic ?? null,
  };
}

/**
 * Throws INVALID_REQUEST unless resolved values are storable: legal names (event type, topic,
 * dead-letter topic), a known value format, a dead-letter topic other than the topic. Callers
 * that create the topic first run it before, so a bad request creates nothing.
 */
export function assertEventTypeValues(name: string, values: EventTypeBasics): void {
  assertEventTypeName(name);
  assertEventTypeName(values.topic, 'topic name');
  if (!valueFormats.includes(values.valueFormat)) {
    throw new InputError(`Invalid value format '${values.valueFormat}': use ${valueFormats.join(' or ')}.`);
  }
  if (values.deadLetterTopic !== null) {
    assertEventTypeName(values.deadLetterTopic, 'dead-letter topic name');
    if (values.deadLetterTopic === values.topic) {
      throw new InputError(`The dead-letter topic must differ from the topic '${values.topic}'.`);
    }
  }
}

/** The event type's value format; an unknown stored value reads as `json`. */
export function valueFormatOf(eventType: Pick<EventType, 'valueFormat'>): ValueFormat {
  return eventType.valueFormat === 'confluent' ? 'confluent' : 'json';
}

/** Where the event type's invalid records go: its own dead-letter topic, else `{topic}{suffix}`. */
export function deadLetterTopicOf(eventType: Pick<EventType, 'topic' | 'deadLetterTopic'>, suffix: string): string {
  return eventType.deadLetterTopic ?? `${eventType.topic}${suffix}`;
}

/** The snapshot of a stored event type and its declared parties. */
export function eventTypeSnapshot(row: EventType, parties: DeclaredParties): EventTypeSnapshot {
  return {
    name: row.name,
    summary: row.summary,
    description: row.description,
    owner: row.owner,
    domain: row.domain,
    topic: row.topic,
    subject: row.subject,
    partitions: row.partitions,
    valueFormat: row.valueFormat,
    deadLetterTopic: row.deadLetterTopic,
    version: row.version,
    lifecycle: row.lifecycle,
    lifecycleNote: row.lifecycleNote,
    visibility: row.visibility,
    tags: [...row.tags],
    schemaVersion: row.schemaVersion,
    keyPath: row.keyPath,
    examples: row.examples,
    producers: [...parties.producers],
    consumers: [...parties.consumers],
  };
}

/**
 * The stored values a PUT (or an apply) asks for, given what is stored now: checks every field
 * (INVALID_REQUEST naming it) and the lifecycle transition (INVALID_LIFECYCLE_TRANSITION).
 */
export function planEventType(
  name: string,
  input: EventTypeInput,
  existing: EventTypeSnapshot | null,
): EventTypeSnapshot {
  assertEventTypeName(name);
  const basics = resolveEventTypeDefaults(name, input);
  assertEventTypeValues(name, basics);
  if (typeof basics.summary !== 'string' || basics.summary.trim() === '') {
    throw new InputError(`Event type '${name}' needs a summary.`);
  }
  if (typeof basics.owner !== 'string' || basics.owner.trim() === '') {
    throw new InputError(`Event type '${name}' needs an owner (a team id).`);
  }
  if (input.version !== undefined) assertCatalogVersion(input.version);
  if (input.lifecycle !== undefined) {
    assertLifecycle(input.lifecycle);
    if (existing) assertLifecycleTransition(name, existing.lifecycle, input.lifecycle);
  }
  if (input.visibility !== undefined) assertVisibility(input.visibility);
  if (input.keyPath !== undefined && input.keyPath !== null) assertKeyPath(input.keyPath);
  if (input.schemaVersion !== undefined) assertSchemaVersion(input.schemaVersion);
  if (input.lifecycleNote !== undefined && input.lifecycleNote !== null && typeof input.lifecycleNote !== 'string') {
    throw new InputError('lifecycleNote must be text or null.');
  }
  const keep = <K extends keyof EventTypeSnapshot>(key: K, fallback: EventTypeSnapshot[K]): EventTypeSnapshot[K] =>
    existing ? existing[key] : fallback;
  return {
    name,
    ...basics,
    domain: domainOfName(name),
    version: input.version ?? keep('version', '1.0.0'),
    lifecycle: input.lifecycle ?? keep('lifecycle', 'active'),
    lifecycleNote: input.lifecycleNote !== undefined ? input.lifecycleNote : keep('lifecycleNote', null),
    visibility: input.visibility ?? keep('visibility', 'public'),
    tags: input.tags !== undefined ? normaliseTags(input.tags) : keep('tags', []),
    schemaVersion: input.schemaVersion !== undefined ? input.schemaVersion : keep('schemaVersion', null),
    keyPath: input.keyPath !== undefined ? input.keyPath : keep('keyPath', null),
    examples: input.examples !== undefined ? normaliseExamples(input.examples) : keep('examples', []),
    producers: input.producers !== undefined ? [...new Set(input.producers)].sort() : keep('producers', []),
    consumers: input.consumers !== undefined ? [...new Set(input.consumers)].sort() : keep('consumers', []),
  };
}

/** Deep equality of JSON values (key order ignored), for "did anything change". */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameJson(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => sameJson(left[key], right[key]));
}

/** Reads an event type and its declared parties inside a transaction (null when absent). */
export async function readEventTypeSnapshot(tx: Tx, name: string): Promise<EventTypeSnapshot | null> {
  const row = await tx.eventType.findUnique({ where: { name } });
  if (!row) return null;
  const parties = (await declaredPartiesOf(tx, [name])).get(name)!;
  return eventTypeSnapshot(row, parties);
}

/** What {@link putEventTypeIn} needs besides the transaction. */
export interface PutEventTypeContext {
  actor: ChangeActor;
  /** Checks the pinned version and the examples against the registry; without it they are not checked. */
  schemas?: SchemaDeps | undefined;
  /** The schema to check examples against instead of the registry's (a catalog document's own schema). */
  schema?: ExampleSchema | undefined;
  changeFeed?: ChangeFeed | undefined;
}

/**
 * Creates or replaces an event type inside a transaction (the PUT route and catalog apply share
 * it): creates its domain when missing, replaces declared parties when given, writes a change
 * history row and tells the change feed — or does nothing when nothing would change.
 */
export async function putEventTypeIn(
  tx: Tx,
  name: string,
  input: EventTypeInput,
  context: PutEventTypeContext,
): Promise<Omit<EventTypeWrite, 'eventType'>> {
  const before = await readEventTypeSnapshot(tx, name);
  const after = planEventType(name, input, before);
  if (context.schema) {
    await validateExamples(after.examples as EventTypeExample[], context.schema, context.schemas!);
  } else if (context.schemas) {
    const schema = await resolveEventTypeSchema(context.schemas.registry, after.subject, after.schemaVersion);
    await validateExamples(after.examples as EventTypeExample[], schema, context.schemas);
  }
  if (before && sameJson(before, after)) return { created: false, changed: false, before, after };
  await createDomainIfMissing(tx, after.domain, after.owner, context.actor, context.changeFeed);
  const { producers, consumers, ...values } = after;
  const data = { ...values, examples: values.examples as Prisma.InputJsonValue };
  await tx.eventType.upsert({ where: { name }, create: data, update: data });
  if (input.producers !== undefined) await replaceDeclaredParties(tx, name, 'producer', producers);
  if (input.consumers !== undefined) await replaceDeclaredParties(tx, name, 'consumer', consumers);
  await recordChange(tx, {
    entityKind: 'event-type',
    entityName: name,
    action: !before ? 'created' : before.lifecycle !== after.lifecycle ? 'lifecycle' : 'updated',
    actor: context.actor,
    before,
    after,
  });
  await publishCatalogChange(context.changeFeed, tx, name);
  return { created: !before, changed: true, before, after };
}

/** Deletes an event type (and what it declares) inside a transaction; throws EVENT_TYPE_NOT_FOUND. */
export async function deleteEventTypeIn(
  tx: Tx,
  name: string,
  context: { actor: ChangeActor; changeFeed?: ChangeFeed | undefined },
): Promise<EventTypeSnapshot> {
  const before = await readEventTypeSnapshot(tx, name);
  if (!before) throw eventTypeNotFound(name);
  await tx.declaredLineage.deleteMany({ where: { eventType: name } });
  await tx.eventType.delete({ where: { name } });
  await recordChange(tx, {
    entityKind: 'event-type',
    entityName: name,
    action: 'deleted',
    actor: context.actor,
    before,
    after: null,
  });
  await publishCatalogChange(context.changeFeed, tx, name);
  return before;
}

function eventTypeNotFound(name: string): NotFoundError {
  return new NotFoundError('EVENT_TYPE_NOT_FOUND', `Event type '${name}' not found.`);
}

/** Options for {@link EventTypeCatalog}. */
export interface EventTypeCatalogOptions {
  /** Keeps the lookup cache of every instance in step; without it nothing is cached. */
  changeFeed?: ChangeFeed;
  /** Checks pinned schema versions and examples against the registry; without it they are not checked. */
  schemas?: SchemaDeps;
}

/**
 * The catalog's event types, stored in PostgreSQL. Lookups by name (on every produce and
 * subscribe) are cached; the cache is dropped on any catalog change, here or on another
 * instance, through the change feed. Every write records a change history row in its transaction.
 */
export class EventTypeCatalog {
  private readonly byName = new Map<string, EventType | null>();
  /** Bumped on every change, so a lookup that raced a change does not cache the old row. */
  private generation = 0;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: EventTypeCatalogOptions = {},
  ) {
    this.unsubscribe = options.changeFeed?.on('catalog', () => this.forget());
  }

  private forget(): void {
    this.generation++;
    this.byName.clear();
  }

  /** Stops following the change feed. */
  close(): void {
    this.unsubscribe?.();
  }

  /** Event types, sorted by name, optionally filtered (text search is CatalogSearch's). */
  async list(filter: EventTypeFilter = {}): Promise<EventType[]> {
    return this.prisma.eventType.findMany({
      where: {
        ...(filter.names ? { name: { in: [...filter.names] } } : {}),
        ...(filter.domain ? { domain: filter.domain } : {}),
        ...(filter.owner ? { owner: filter.owner } : {}),
        ...(filter.tag ? { tags: { has: filter.tag } } : {}),
        ...(filter.lifecycle ? { lifecycle: filter.lifecycle } : {}),
      },
      orderBy: { name: 'asc' },
    });
  }

  /** Declared producers and consumers of the given event types (every one gets an entry). */
  declaredParties(names: readonly string[]): Promise<Map<string, DeclaredParties>> {
    return declaredPartiesOf(this.prisma, names);
  }

  /** One event type with its declared parties; throws EVENT_TYPE_NOT_FOUND. */
  async getWithLineage(name: string): Promise<EventTypeWithLineage> {
    const eventType = await this.get(name);
    return { ...eventType, ...(await declaredPartiesOf(this.prisma, [name])).get(name)! };
  }

  /** One event type; throws EVENT_TYPE_NOT_FOUND. */
  async get(name: string): Promise<EventType> {
    const cached = this.options.changeFeed ? this.byName.get(name) : undefined;
    const generation = this.generation;
    const row = cached !== undefined ? cached : await this.prisma.eventType.findUnique({ where: { name } });
    if (this.options.changeFeed && cached === undefined && generation === this.generation) this.byName.set(name, row);
    if (!row) throw eventTypeNotFound(name);
    return row;
  }

  /** Creates or replaces an event type (see {@link EventTypeInput} for what is kept when left out). */
  async put(name: string, input: EventTypeInput, options: WriteOptions = {}): Promise<EventTypeWrite> {
    // Plain checks first, so bad input never opens a transaction.
    planEventType(name, input, null);
    const result = await this.prisma.$transaction(
      (tx) =>
        putEventTypeIn(tx, name, input, {
          actor: options.actor ?? SYSTEM_ACTOR,
          schemas: this.options.schemas,
          changeFeed: this.options.changeFeed,
        }),
      TRANSACTION_OPTIONS,
    );
    if (result.changed) this.changedLocally(name);
    return { ...result, eventType: await this.fresh(name) };
  }

  /**
   * Moves an event type through its lifecycle (draft → active → deprecated → retired, and
   * deprecated → active) and sets the note shown with it; throws INVALID_LIFECYCLE_TRANSITION.
   */
  async setLifecycle(
    name: string,
    lifecycle: Lifecycle,
    note: string | null,
    options: WriteOptions = {},
  ): Promise<EventTypeWrite> {
    assertLifecycle(lifecycle);
    const result = await this.prisma.$transaction(async (tx) => {
      const before = await readEventTypeSnapshot(tx, name);
      if (!before) throw eventTypeNotFound(name);
      assertLifecycleTransition(name, before.lifecycle, lifecycle);
      const after = { ...before, lifecycle, lifecycleNote: note };
      if (sameJson(before, after)) return { created: false, changed: false, before, after };
      await tx.eventType.update({ where: { name }, data: { lifecycle, lifecycleNote: note } });
      await recordChange(tx, {
        entityKind: 'event-type',
        entityName: name,
        action: 'lifecycle',
        actor: options.actor ?? SYSTEM_ACTOR,
        before,
        after,
      });
      await publishCatalogChange(this.options.changeFeed, tx, name);
      return { created: false, changed: true, before, after };
    }, TRANSACTION_OPTIONS);
    if (result.changed) this.changedLocally(name);
    return { ...result, eventType: await this.fresh(name) };
  }

  /** Deletes an event type (its topic and schemas stay); throws EVENT_TYPE_NOT_FOUND. */
  async delete(name: string, options: WriteOptions = {}): Promise<EventType> {
    const existing = await this.prisma.eventType.findUnique({ where: { name } });
    if (!existing) throw eventTypeNotFound(name);
    await this.prisma.$transaction(
      (tx) =>
        deleteEventTypeIn(tx, name, { actor: options.actor ?? SYSTEM_ACTOR, changeFeed: this.options.changeFeed }),
      TRANSACTION_OPTIONS,
    );
    this.changedLocally(name);
    return existing;
  }

  /**
   * Drops this instance's cache and tells its other listeners now, before the notification
   * round trip (also after a caller's transaction, such as catalog apply, wrote entries).
   */
  changedLocally(name?: string): void {
    this.forget();
    this.options.changeFeed?.emitLocal({ topic: 'catalog', ...(name !== undefined ? { key: name } : {}) });
  }

  private async fresh(name: string): Promise<EventTypeWithLineage> {
    const row = await this.prisma.eventType.findUnique({ where: { name } });
    if (!row) throw eventTypeNotFound(name);
    return { ...row, ...(await declaredPartiesOf(this.prisma, [name])).get(name)! };
  }
}

/** Catalog writes are short; they wait a little for a connection and never run long. */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;
