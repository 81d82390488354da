import { InputError, NotFoundError } from '@meshgate/core';
import type { ChangeFeed, Prisma, PrismaClient } from '@meshgate/db';

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

/** The body of `PUT /v1/catalog/event-types/{name}`. */
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
}

/** Lifecycle stages of an event type, in order. */
export const lifecycles = ['draft', 'active', 'deprecated', 'retired'] as const;
/** One of {@link lifecycles}. */
export type Lifecycle = (typeof lifecycles)[number];

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

/** Fills in the defaults a PUT body may leave out. */
export function resolveEventTypeDefaults(name: string, input: EventTypeInput): Required<EventTypeInput> {
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
export function assertEventTypeValues(name: string, values: Required<EventTypeInput>): void {
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

/** Who made a catalog change, as the change history (`catalog_changes`) records it. */
export interface CatalogActor {
  /** `user`, `application`, or `system` (the demo seed, migrations). */
  kind: string;
  id?: string | null;
  name?: string | null;
}

const SYSTEM_ACTOR: CatalogActor = { kind: 'system' };

/** An event type row as change-history JSON (dates as ISO strings). */
function snapshot(eventType: EventType): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(eventType)) as Prisma.InputJsonObject;
}

/** Options for {@link EventTypeCatalog}. */
export interface EventTypeCatalogOptions {
  /** Keeps the lookup cache of every instance in step; without it nothing is cached. */
  changeFeed?: ChangeFeed;
}

/**
 * The catalog's event types, stored in PostgreSQL. Lookups by name (on every produce and
 * subscribe) are cached; the cache is dropped on any catalog change, here or on another
 * instance, through the change feed.
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

  /** All event types, sorted by name. */
  async list(): Promise<EventType[]> {
    return this.prisma.eventType.findMany({ orderBy: { name: 'asc' } });
  }

  /** One event type; throws EVENT_TYPE_NOT_FOUND. */
  async get(name: string): Promise<EventType> {
    const cached = this.options.changeFeed ? this.byName.get(name) : undefined;
    const generation = this.generation;
    const row = cached !== undefined ? cached : await this.prisma.eventType.findUnique({ where: { name } });
    if (this.options.changeFeed && cached === undefined && generation === this.generation) this.byName.set(name, row);
    if (!row) throw new NotFoundError('EVENT_TYPE_NOT_FOUND', `Event type '${name}' not found.`);
    return row;
  }

  /**
   * Creates or replaces an event type; resolves with it and whether it was created. The change
   * is recorded in `catalog_changes` in the same transaction (which enqueues webhook deliveries).
   */
  async put(
    name: string,
    input: EventTypeInput,
    actor: CatalogActor = SYSTEM_ACTOR,
  ): Promise<{ eventType: EventType; created: boolean }> {
    assertEventTypeName(name);
    const values = resolveEventTypeDefaults(name, input);
    assertEventTypeValues(name, values);
    const result = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.eventType.findUnique({ where: { name } });
      const domain = domainOfName(name);
      await tx.domain.upsert({
        where: { name: domain },
        create: { name: domain, displayName: domain, ownerTeam: values.owner },
        update: {},
      });
      const eventType = await tx.eventType.upsert({
        where: { name },
        create: { name, domain, ...values },
        update: values,
      });
      await tx.catalogChange.create({
        data: {
          entityKind: 'event-type',
          entityName: name,
          action: existing ? 'updated' : 'created',
          ...actorColumns(actor),
          ...(existing ? { before: snapshot(existing) } : {}),
          after: snapshot(eventType),
        },
      });
      await this.publish(tx, name);
      return { eventType, created: !existing };
    });
    this.changedLocally(name);
    return result;
  }

  /** Deletes an event type (its topic and schemas stay), recording the change; throws EVENT_TYPE_NOT_FOUND. */
  async delete(name: string, actor: CatalogActor = SYSTEM_ACTOR): Promise<EventType> {
    const existing = await this.get(name);
    await this.prisma.$transaction(async (tx) => {
      const deleted = await tx.eventType.delete({ where: { name } });
      await tx.catalogChange.create({
        data: {
          entityKind: 'event-type',
          entityName: name,
          action: 'deleted',
          ...actorColumns(actor),
          before: snapshot(deleted),
        },
      });
      await this.publish(tx, name);
    });
    this.changedLocally(name);
    return existing;
  }

  /** Drops this instance's cache and tells its other listeners now, before the notification round trip. */
  private changedLocally(name: string): void {
    this.forget();
    this.options.changeFeed?.emitLocal({ topic: 'catalog', key: name });
  }

  private async publish(
    tx: { $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown> },
    name: string,
  ): Promise<void> {
    await this.options.changeFeed?.publish(
      { query: (text, values) => tx.$queryRawUnsafe(text, ...(values ?? [])) },
      { topic: 'catalog', key: name },
    );
  }
}

function actorColumns(actor: CatalogActor): { actorKind: string; actorId: string | null; actorName: string | null } {
  return { actorKind: actor.kind, actorId: actor.id ?? null, actorName: actor.name ?? null };
}
