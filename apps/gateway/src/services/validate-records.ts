import { isMeshgateError } from '@meshgate/core';
import type { EventType, EventTypeCatalog } from '@meshgate/catalog';
import type { ChangeFeed } from '@meshgate/db';
import {
  toValidationIssues,
  type SchemaRegistry,
  type SchemaReferenceInput,
  type ValidatorCache,
} from '@meshgate/registry';
import {
  EVENT_TYPE_HEADER,
  describeProblems,
  type CheckableRecord,
  type InvalidRecord,
  type InvalidRecordReason,
  type RecordCheck,
  type RecordVerdict,
  type ValidRecord,
} from '@meshgate/streaming';

/** A compiled validator, as the registry's ValidatorCache hands them out. */
type Validate = ReturnType<ValidatorCache['get']>;

/** A schema by id, ready to judge values. Ids never change content, so these are kept. */
export interface CompiledSchema {
  id: number;
  schemaType: string;
  /** Absent when the schema cannot judge JSON (not JSON Schema, or it does not compile): see `problem`. */
  validate: Validate | undefined;
  problem?: string | undefined;
  /** Load order (see {@link SubjectSnapshot.seq}). */
  seq: number;
  /** Shared "valid" verdicts per event type, so a valid record costs no allocation. */
  verdicts?: Map<string, ValidRecord>;
}

/** What the judge knows of one subject: a snapshot read from the registry. */
export interface SubjectSnapshot {
  subject: string;
  /** Live versions' schemas, newest first. */
  live: readonly CompiledSchema[];
  /** Ids of every version, soft-deleted ones included: a record naming one of them belongs to the subject. */
  ids: ReadonlySet<number>;
  /** When it was read (ms since the epoch). */
  loadedAt: number;
  /**
   * Load order, from one counter shared with compiled schemas: a schema loaded after the
   * snapshot (a higher `seq`) may be a version the snapshot has not seen yet.
   */
  seq: number;
}

/** The schema with an id: compiled, null when the registry has none, undefined when not loaded yet. */
export type SchemaLookup = (id: number) => CompiledSchema | null | undefined;

/**
 * The validation decision for one record checked as one event type — the rule streams, fetch
 * and the dead-letter worker share:
 * - a value that is missing or not JSON (in either framing) → NOT_JSON;
 * - a record naming a schema id (wire format, else the `meshgate-schema-id` header) is checked
 *   against that schema, which must exist (else UNKNOWN_SCHEMA_ID) and be a version of the event
 *   type's subject (else SCHEMA_OF_ANOTHER_SUBJECT) → SCHEMA_MISMATCH when the value does not match;
 * - a record naming none is valid if it matches any live version, newest first (SCHEMA_NOT_FOUND
 *   when the subject has none; SCHEMA_MISMATCH with the newest version's problems otherwise).
 * Returns undefined when the named schema is not loaded yet.
 */
export function judgeRecord(
  record: CheckableRecord,
  eventType: string,
  subject: SubjectSnapshot,
  schemaById: SchemaLookup,
): RecordVerdict | undefined {
  const { value } = record;
  if (!value.ok) return invalid(eventType, 'NOT_JSON', value.problem, value.schemaId);
  const id = value.schemaId;
  if (id !== undefined) {
    const schema = schemaById(id);
    if (schema === undefined) return undefined;
    if (schema === null) return invalid(eventType, 'UNKNOWN_SCHEMA_ID', `schema id ${id} is not registered`, id);
    if (!subject.ids.has(id)) {
      return invalid(
        eventType,
        'SCHEMA_OF_ANOTHER_SUBJECT',
        `schema ${id} is not a version of subject '${subject.subject}'`,
        id,
      );
    }
    if (!schema.validate) return invalid(eventType, 'SCHEMA_MISMATCH', schema.problem ?? 'unusable schema', id);
    if (schema.validate(value.data)) return validVerdict(schema, eventType);
    return invalid(eventType, 'SCHEMA_MISMATCH', describeProblems(toValidationIssues(schema.validate.errors)), id);
  }
  if (subject.live.length === 0) {
    return invalid(eventType, 'SCHEMA_NOT_FOUND', `subject '${subject.subject}' has no registered version`);
  }
  let newest: { id: number; detail: string } | undefined;
  for (const schema of subject.live) {
    if (!schema.validate) continue;
    if (schema.validate(value.data)) return validVerdict(schema, eventType);
    // Read the errors now: the next call overwrites them.
    newest ??= { id: schema.id, detail: describeProblems(toValidationIssues(schema.validate.errors)) };
  }
  if (!newest) {
    const first = subject.live[0]!;
    return invalid(eventType, 'SCHEMA_MISMATCH', first.problem ?? 'no version can validate JSON', first.id);
  }
  const what =
    subject.live.length === 1
      ? `does not match schema ${newest.id}`
      : `matches none of ${subject.live.length} versions; newest (schema ${newest.id})`;
  return invalid(eventType, 'SCHEMA_MISMATCH', `${what}: ${newest.detail}`, newest.id);
}

/** Options for {@link RecordValidator}. */
export interface RecordValidatorOptions {
  catalog: EventTypeCatalog;
  registry: SchemaRegistry;
  validators: ValidatorCache;
  /** Drops the cached catalog and subjects on changes (here or on another instance). */
  changes?: ChangeFeed;
  /**
   * A verdict that the registry could overturn (no version matches, no schema, an id not (yet)
   * seen under the subject) is confirmed against a fresh read of the subject when the cached
   * snapshot is older than this, closing the gap before a change notification arrives. Default 1000 ms.
   */
  recheckAfterMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Context {
  types: readonly EventType[];
  subjects: ReadonlyMap<string, SubjectSnapshot>;
  schema: SchemaLookup;
}

const NO_TYPES: readonly EventType[] = [];

/**
 * The gateway's {@link RecordCheck}: maps a topic to its event type(s) through the catalog and
 * judges each record with {@link judgeRecord} against the registry's schemas, compiled once
 * (the registry's ValidatorCache). Everything it needs is cached, so a warm check answers
 * synchronously; catalog and registry changes drop the caches through the change feed.
 * One instance serves the fan-out hub, fetch and the dead-letter worker.
 *
 * A topic used by several event types: a record whose `meshgate-event-type` header names one of
 * them is checked as that one; otherwise it is valid if it is valid as any of them. A topic no
 * event type uses is not validated (JSON records pass).
 */
export class RecordValidator implements RecordCheck {
  private topics: Map<string, EventType[]> | undefined;
  private topicsLoading: { startedAt: number; map: Promise<Map<string, EventType[]>> } | undefined;
  /** Topics the catalog did not have, with when the load that looked for them started. */
  private readonly unknownTopics = new Map<string, number>();
  private sequence = 0;
  private readonly subjects = new Map<string, SubjectSnapshot>();
  private readonly schemas = new Map<number, CompiledSchema | null>();
  private catalogGeneration = 0;
  private registryGeneration = 0;
  private readonly unsubscribes: Array<() => void> = [];
  private readonly recheckAfterMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RecordValidatorOptions) {
    this.recheckAfterMs = options.recheckAfterMs ?? 1000;
    this.now = options.now ?? Date.now;
    if (options.changes) {
      this.unsubscribes.push(
        options.changes.on('catalog', () => this.forgetCatalog()),
        options.changes.on('registry', () => this.forgetRegistry()),
      );
    }
  }

  /** Stops following the change feed. */
  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  check(
    topic: string,
    records: readonly CheckableRecord[],
  ): readonly RecordVerdict[] | Promise<readonly RecordVerdict[]> {
    const context = this.cachedContext(topic);
    if (context) {
      const verdicts: RecordVerdict[] = new Array<RecordVerdict>(records.length);
      let complete = true;
      for (let i = 0; i < records.length; i += 1) {
        const verdict = this.judge(context, records[i]!);
        if (!verdict || this.wantsRecheck(context, records[i]!, verdict)) {
          complete = false;
          break;
        }
        verdicts[i] = verdict;
      }
      if (complete) return verdicts;
    }
    return this.checkSlowly(topic, records);
  }

  /** Everything for a topic from the caches, or undefined when something must be loaded first. */
  private cachedContext(topic: string): Context | undefined {
    if (!this.topics) return undefined;
    const types = this.topics.get(topic);
    if (!types && !this.knownUnknown(topic)) return undefined;
    for (const type of types ?? NO_TYPES) if (!this.subjects.has(type.subject)) return undefined;
    return { types: types ?? NO_TYPES, subjects: this.subjects, schema: (id) => this.schemas.get(id) };
  }

  private async checkSlowly(topic: string, records: readonly CheckableRecord[]): Promise<RecordVerdict[]> {
    let topics = this.topics;
    if (!topics || (!topics.has(topic) && !this.knownUnknown(topic))) {
      // A topic asked about for the first time may be a new event type's: a load that started
      // before the question cannot settle it.
      const askedAt = this.now();
      let load = this.loadTopics();
      if (load.startedAt < askedAt && topics) {
        await load.map;
        load = this.loadTopics();
      }
      topics = await load.map;
      if (!topics.has(topic)) this.unknownTopics.set(topic, load.startedAt);
    }
    const types = topics.get(topic) ?? NO_TYPES;
    const subjects = new Map<string, SubjectSnapshot>();
    await Promise.all(
      types.map(async ({ subject }) => {
        subjects.set(subject, this.subjects.get(subject) ?? (await this.loadSubject(subject)));
      }),
    );
    // Schemas loaded for this call, whatever a concurrent cache drop does meanwhile.
    const loaded = new Map<number, CompiledSchema | null>();
    const context: Context = {
      types,
      subjects,
      schema: (id) => (loaded.has(id) ? loaded.get(id) : this.schemas.get(id)),
    };
    const verdicts = await this.judgeAll(context, records, loaded);
    // Confirm what a fresh read of the registry could overturn (once per call).
    const stale = new Set<string>();
    verdicts.forEach((verdict, index) => {
      if (this.wantsRecheck(context, records[index]!, verdict)) {
        for (const type of this.candidates(types, records[index]!)) stale.add(type.subject);
      }
    });
    if (stale.size === 0) return verdicts;
    await Promise.all([...stale].map(async (subject) => subjects.set(subject, await this.loadSubject(subject))));
    return this.judgeAll(context, records, loaded);
  }

  /** Judges every record, loading the schemas they name on the way. */
  private async judgeAll(
    context: Context,
    records: readonly CheckableRecord[],
    loaded: Map<number, CompiledSchema | null>,
  ): Promise<RecordVerdict[]> {
    for (let round = 0; ; round += 1) {
      const verdicts: RecordVerdict[] = [];
      const missing = new Set<number>();
      for (const record of records) {
        const verdict = this.judge(context, record);
        if (verdict) verdicts.push(verdict);
        else if (record.value.schemaId !== undefined) missing.add(record.value.schemaId);
      }
      if (missing.size === 0) return verdicts;
      if (round === 2) throw new Error(`Schemas ${[...missing].join(', ')} could not be loaded.`);
      await Promise.all([...missing].map(async (id) => loaded.set(id, await this.loadSchema(id))));
    }
  }

  private judge(context: Context, record: CheckableRecord): RecordVerdict | undefined {
    if (context.types.length === 0) return plainVerdict(record);
    let first: InvalidRecord | undefined;
    for (const type of this.candidates(context.types, record)) {
      const subject = context.subjects.get(type.subject);
      if (!subject) return undefined;
      const verdict = judgeRecord(record, type.name, subject, context.schema);
      if (!verdict || verdict.valid) return verdict;
      first ??= verdict;
    }
    return first;
  }

  private candidates(types: readonly EventType[], record: CheckableRecord): readonly EventType[] {
    if (types.length < 2) return types;
    const named = record.headers[EVENT_TYPE_HEADER];
    const match = named === undefined ? undefined : types.find((type) => type.name === named);
    return match ? [match] : types;
  }

  /** Whether the registry, read afresh, could overturn an invalid verdict the snapshot gave. */
  private wantsRecheck(context: Context, record: CheckableRecord, verdict: RecordVerdict): boolean {
    if (verdict.valid || verdict.eventType === undefined) return false;
    const type = context.types.find((candidate) => candidate.name === verdict.eventType);
    const subject = type && context.subjects.get(type.subject);
    if (!subject) return false;
    const age = this.now() - subject.loadedAt;
    switch (verdict.reason) {
      case 'SCHEMA_OF_ANOTHER_SUBJECT': {
        // An id first seen after the snapshot was read may be the subject's newest version.
        const schema = verdict.schemaId === undefined ? undefined : context.schema(verdict.schemaId);
        return age > this.recheckAfterMs || (!!schema && schema.seq > subject.seq);
      }
      case 'SCHEMA_NOT_FOUND':
        return age > this.recheckAfterMs;
      case 'SCHEMA_MISMATCH':
        return record.value.schemaId === undefined && age > this.recheckAfterMs;
      default:
        return false;
    }
  }

  /** Whether a topic is known not to be the catalog's, recently enough to trust it. */
  private knownUnknown(topic: string): boolean {
    const checkedAt = this.unknownTopics.get(topic);
    return checkedAt !== undefined && this.now() - checkedAt <= this.recheckAfterMs;
  }

  /** Loads topic → event types (one load at a time, shared by concurrent callers). */
  private loadTopics(): { startedAt: number; map: Promise<Map<string, EventType[]>> } {
    if (this.topicsLoading) return this.topicsLoading;
    const generation = this.catalogGeneration;
    const loading = {
      startedAt: this.now(),
      map: (async () => {
        try {
          const byTopic = new Map<string, EventType[]>();
          for (const type of await this.options.catalog.list()) {
            const list = byTopic.get(type.topic) ?? [];
            list.push(type);
            byTopic.set(type.topic, list);
          }
          if (generation === this.catalogGeneration) this.topics = byTopic;
          return byTopic;
        } finally {
          this.topicsLoading = undefined;
        }
      })(),
    };
    this.topicsLoading = loading;
    return loading;
  }

  private async loadSubject(subject: string): Promise<SubjectSnapshot> {
    const generation = this.registryGeneration;
    const loadedAt = this.now();
    const seq = ++this.sequence;
    const versions = await this.options.registry.history(subject);
    const live: CompiledSchema[] = [];
    for (const version of versions) {
      if (version.deleted) continue;
      live.push(await this.compile(version.id, version.schemaType, version.schema, version.references, seq));
    }
    const snapshot: SubjectSnapshot = { subject, live, ids: new Set(versions.map((v) => v.id)), loadedAt, seq };
    if (generation === this.registryGeneration) {
      this.subjects.set(subject, snapshot);
      for (const schema of live) this.schemas.set(schema.id, schema);
    }
    return snapshot;
  }

  private async loadSchema(id: number): Promise<CompiledSchema | null> {
    const generation = this.registryGeneration;
    let compiled: CompiledSchema | null;
    try {
      const view = await this.options.registry.schemaById(id);
      compiled = await this.compile(view.id, view.schemaType, view.schema, view.references, ++this.sequence);
    } catch (error) {
      if (!isMeshgateError(error) || error.code !== 'SCHEMA_ID_NOT_FOUND') throw error;
      compiled = null;
    }
    if (generation === this.registryGeneration) this.schemas.set(id, compiled);
    return compiled;
  }

  private async compile(
    id: number,
    schemaType: string,
    text: string,
    references: readonly SchemaReferenceInput[],
    seq: number,
  ): Promise<CompiledSchema> {
    const known = this.schemas.get(id);
    if (known) return known;
    if (schemaType !== 'JSON') {
      return {
        id,
        schemaType,
        validate: undefined,
        problem: `schema ${id} is ${schemaType}, not JSON Schema`,
        seq,
      };
    }
    const { registry, validators } = this.options;
    try {
      const resolved = references.length > 0 && !validators.has(id) ? await registry.resolveReferences(references) : [];
      return { id, schemaType, validate: validators.get(id, text, resolved), seq };
    } catch (error) {
      if (!isMeshgateError(error)) throw error;
      return {
        id,
        schemaType,
        validate: undefined,
        problem: `schema ${id} cannot be used: ${error.message}`,
        seq,
      };
    }
  }

  private forgetCatalog(): void {
    this.catalogGeneration += 1;
    this.topics = undefined;
    this.unknownTopics.clear();
  }

  private forgetRegistry(): void {
    this.registryGeneration += 1;
    this.subjects.clear();
    // Compiled schemas stay (an id's content never changes); "no such id" may have become wrong.
    for (const [id, schema] of this.schemas) if (schema === null) this.schemas.delete(id);
  }
}

function invalid(eventType: string, reason: InvalidRecordReason, detail: string, schemaId?: number): InvalidRecord {
  return { valid: false, eventType, reason, detail, schemaId };
}

function validVerdict(schema: CompiledSchema, eventType: string): ValidRecord {
  const verdicts = (schema.verdicts ??= new Map());
  let verdict = verdicts.get(eventType);
  if (!verdict) {
    verdict = { valid: true, eventType, schemaId: schema.id };
    verdicts.set(eventType, verdict);
  }
  return verdict;
}

const PLAIN_VALID: ValidRecord = { valid: true };

/** A record of a topic no event type uses: only its framing is checked. */
function plainVerdict(record: CheckableRecord): RecordVerdict {
  const { value } = record;
  if (value.ok) return value.schemaId === undefined ? PLAIN_VALID : { valid: true, schemaId: value.schemaId };
  return { valid: false, reason: 'NOT_JSON', detail: value.problem, schemaId: value.schemaId };
}
