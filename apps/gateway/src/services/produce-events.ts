import { createHash } from 'node:crypto';
import { InputError, MeshgateError, NotFoundError, encodePartitionCursor, isMeshgateError } from '@meshgate/core';
import {
  assertNotRetired,
  keyFromPayload,
  valueFormatOf,
  type EventType,
  type EventTypeCatalog,
} from '@meshgate/catalog';
import type { Database } from '@meshgate/db';
import type { AppendResult, EventLog, RecordInput } from '@meshgate/event-log';
import {
  toValidationIssues,
  type SchemaRegistry,
  type SubjectVersionView,
  type ValidatorCache,
} from '@meshgate/registry';
import { encodeRecordValue, frameJsonValue, producedRecordHeaders, type ValidatedOffsets } from '@meshgate/streaming';
import type { NdjsonCheckPool } from './ndjson-check-pool';
import type { ProduceIdempotency } from './produce-idempotency';
import { BatchIssues, validationFailure } from './produce-issues';
import { countNdjsonEvents, notJsonError } from './produce-ndjson';
import { mapCheckedValues, type NdjsonCheckResult, type NdjsonCheckTask } from './produce-ndjson-check';

/** One event to produce: its JSON payload plus the optional record key and headers. */
export interface EventInput {
  data: unknown;
  /** Record key: events with the same key land in the same partition, in order. */
  key?: string | null | undefined;
  /** Client headers carried on the record (names `content-type` and `meshgate-*` are reserved). */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * The event's JSON as received (text, or its UTF-8 bytes), when writing it means exactly
   * `data` (see `reusableJsonText`): the record value is then this rather than `data` serialised
   * again.
   */
  json?: string | Buffer | undefined;
}

/**
 * A batch still in its NDJSON bytes, to be parsed and validated off the request's thread (see
 * {@link NdjsonCheckPool}); its events take the request's key and headers.
 */
export class NdjsonBatch {
  /** Events in the body (its non-blank lines). */
  readonly count: number;

  constructor(
    /** The request body. */
    readonly bytes: Buffer,
    readonly key: string | undefined,
    readonly headers: Readonly<Record<string, string>> | undefined,
  ) {
    this.count = countNdjsonEvents(bytes);
  }
}

/** A produce request, already parsed from its transport. */
export interface ProduceInput {
  eventType: string;
  /**
   * The events. The call takes them over: once their records are built it lets go of each
   * event's `data` (sets it to undefined), so that parsed events do not live on while the
   * append waits for the event log. Do not read `data` afterwards. An {@link NdjsonBatch} is
   * parsed and validated by `ndjsonChecks` (not with an idempotency key: its fingerprint needs
   * the parsed events).
   */
  events: readonly EventInput[] | NdjsonBatch;
  /** A single event (answered in the single shape) rather than a batch. */
  single: boolean;
  /**
   * Validate against this version of the event type's subject (`latest`: the latest even when
   * the event type pins one); default: the event type's pinned version, else the latest.
   */
  schemaVersion?: number | 'latest' | undefined;
  /** Makes retries safe: the same key and request append once and get the first answer back. */
  idempotencyKey?: string | undefined;
}

/** Where one accepted event landed. */
export interface ProducedPosition {
  /** Resume position just after this event in its partition. */
  cursor: string;
  partition: number;
  offset: number;
  timestamp: string;
}

/** What a client gets back for an accepted single event. */
export interface ProducedEvent extends ProducedPosition {
  schemaId: number;
  schemaVersion: number;
}

/** What a client gets back for an accepted batch: positions in input order. */
export interface ProducedBatch {
  events: ProducedPosition[];
  schemaId: number;
  schemaVersion: number;
}

/** The answer to a produce request, and whether it was replayed from an earlier identical request. */
export interface ProduceOutcome {
  response: ProducedEvent | ProducedBatch;
  /** True when an Idempotency-Key matched an earlier request and nothing was appended now. */
  replayed: boolean;
}

/** Dependencies of {@link produceEvents}; `db` is needed only for idempotency keys. */
export interface ProduceDeps {
  catalog: EventTypeCatalog;
  registry: SchemaRegistry;
  validators: ValidatorCache;
  eventLog: EventLog;
  db?: Pick<Database, 'prisma'>;
  /** Told where validated events were appended, so this instance's dead-letter worker skips them. */
  validatedOffsets?: Pick<ValidatedOffsets, 'begin'> | undefined;
  /** Parses and validates {@link NdjsonBatch} inputs; required when one is given. */
  ndjsonChecks?: Pick<NdjsonCheckPool, 'check' | 'appendsTo'> | undefined;
}

/** Limits and stores of {@link produceEvents}. */
export interface ProduceOptions {
  /** Most events in one request; default 1000. */
  maxBatchEvents?: number;
  /** Remembers answers per idempotency key; required when a request carries one. */
  idempotency?: ProduceIdempotency | undefined;
}

export type { BatchValidationIssue } from './produce-issues';

const RESERVED_HEADER = /^(content-type$|meshgate-)/i;

/**
 * The produce path for one event or a batch: resolve the event type and its schema (latest or
 * pinned), validate every event, then append them all in one `append` call. All or nothing:
 * when any event is invalid, none is appended. With an idempotency key the whole step runs
 * once per key (see {@link ProduceIdempotency}).
 */
export async function produceEvents(
  deps: ProduceDeps,
  input: ProduceInput,
  options: ProduceOptions = {},
): Promise<ProduceOutcome> {
  const maxBatchEvents = options.maxBatchEvents ?? 1000;
  const { events } = input;
  const count = events instanceof NdjsonBatch ? events.count : events.length;
  if (count === 0) throw new InputError('The batch is empty: send at least one event.');
  if (count > maxBatchEvents) {
    throw new MeshgateError(
      'BATCH_TOO_LARGE',
      `The batch has ${count} events; at most ${maxBatchEvents} are accepted per request.`,
      { details: { events: count, limit: maxBatchEvents } },
    );
  }
  if (events instanceof NdjsonBatch) checkHeaders(events, 0);
  else events.forEach(checkHeaders);
  const eventType = await deps.catalog.get(input.eventType);
  assertNotRetired(eventType, 'produce');
  // Schema lookups happen before any idempotency transaction, so that transaction never waits
  // for a second database connection while it holds one.
  const version = input.schemaVersion ?? eventType.schemaVersion ?? 'latest';
  const schema = await resolveSchema(deps.registry, eventType, version === 'latest' ? undefined : version);
  // References are only needed to compile the validator, once per schema id.
  // (Workers compile their own validators: an NDJSON batch always takes them along.)
  const references =
    schema.references.length > 0 && (events instanceof NdjsonBatch || !deps.validators.has(schema.id))
      ? await deps.registry.resolveReferences(schema.references)
      : [];
  if (events instanceof NdjsonBatch) {
    if (input.idempotencyKey !== undefined)
      throw new Error('An NDJSON batch checked off-thread takes no idempotency key.');
    return { response: await produceNdjson(deps, eventType, schema, references, events), replayed: false };
  }
  const produce = async () => {
    const validate = deps.validators.get(schema.id, schema.schema, references);
    assertValid(events, schema.id, (event) => (validate(event.data) ? [] : toValidationIssues(validate.errors)));
    return append(deps, eventType, schema, events, input.single);
  };
  if (input.idempotencyKey === undefined) return { response: await produce(), replayed: false };
  if (!options.idempotency || !deps.db) throw new Error('Idempotency keys need an idempotency store and a database.');
  return options.idempotency.run(
    deps.db.prisma,
    {
      eventType: eventType.name,
      key: input.idempotencyKey,
      requestHash: fingerprint(input.single, input.schemaVersion, events),
    },
    produce,
  );
}

/**
 * Produces an NDJSON batch checked by `ndjsonChecks` (a worker, usually): on Kafka the worker
 * appends it too, through its own producer, and only positions come back; otherwise (or when
 * the check ran on this thread) the events come back as record values, ranges of the request's
 * own bytes or texts where those bytes could not be written as they came, for this thread to
 * append. Never the parsed events.
 */
async function produceNdjson(
  deps: ProduceDeps,
  eventType: EventType,
  schema: SubjectVersionView,
  references: NdjsonCheckTask['references'],
  batch: NdjsonBatch,
): Promise<ProducedBatch> {
  const { ndjsonChecks, eventLog, validatedOffsets } = deps;
  if (!ndjsonChecks) throw new Error('An NDJSON batch needs ndjsonChecks to parse and validate it.');
  const { bytes } = batch;
  const onWorker = ndjsonChecks.appendsTo(eventLog);
  const headers = recordHeadersOf(batch.headers, producedRecordHeaders(eventType.name, schema.id));
  const acknowledged = onWorker ? validatedOffsets?.begin(eventType.topic) : undefined;
  let result: NdjsonCheckResult;
  try {
    result = await ndjsonChecks.check({
      bytes,
      schemaId: schema.id,
      schema: schema.schema,
      references,
      // The request's key wins over the payload's.
      keyPath: batch.key === undefined ? eventType.keyPath : null,
      append: onWorker
        ? { topic: eventType.topic, headers, key: batch.key, format: valueFormatOf(eventType) }
        : undefined,
    });
  } catch (error) {
    acknowledged?.();
    throw error;
  }
  if (!result.ok || result.appended === undefined) acknowledged?.();
  if (!result.ok && result.kind === 'json')
    throw notJsonError(result.line, result.message, new SyntaxError(result.message));
  if (!result.ok && result.kind === 'invalid') {
    throw validationFailure(schema.id, result.count, result.invalid, result.errors);
  }
  if (!result.ok) {
    const { code, message, details, retriable } = result.error;
    throw new MeshgateError(code, message, { details, retriable });
  }
  if (result.count !== batch.count) {
    throw new Error(`The NDJSON check found ${result.count} events where ${batch.count} were counted.`);
  }
  if (result.appended) {
    const { partitions, offsets, timestamps } = result.appended;
    // One Date per distinct timestamp (one per append, usually), as the event log hands them
    // out: the answer formats each distinct Date once.
    let stamp: Date | undefined;
    const results: AppendResult[] = Array.from(partitions, (partition, i) => {
      const timestamp = stamp?.getTime() === timestamps[i] ? stamp! : (stamp = new Date(timestamps[i]!));
      return { partition, offset: offsets[i]!, timestamp };
    });
    acknowledged?.(results);
    return answer(results, schema, false) as ProducedBatch;
  }
  const events = mapCheckedValues<EventInput>(result, bytes, (json, i) => ({
    json,
    key: batch.key ?? result.keys?.[i],
    headers: batch.headers,
    data: undefined,
  }));
  return (await append(deps, eventType, schema, events, false)) as ProducedBatch;
}

/** A record's headers: the client's (when any) and Meshgate's own, which win. */
function recordHeadersOf(client: EventInput['headers'], meshgate: Record<string, string>): Record<string, string> {
  return client ? { ...client, ...meshgate } : meshgate;
}

/** The event type's schema: the subject's latest version, or the pinned one. */
async function resolveSchema(
  registry: SchemaRegistry,
  eventType: EventType,
  version: number | undefined,
): Promise<SubjectVersionView> {
  let schema: SubjectVersionView;
  try {
    schema =
      version === undefined
        ? await registry.latest(eventType.subject)
        : await registry.version(eventType.subject, version);
  } catch (error) {
    if (isMeshgateError(error) && error.code === 'SUBJECT_NOT_FOUND') {
      throw new NotFoundError(
        'SCHEMA_NOT_FOUND',
        `Event type '${eventType.name}' has no schema yet: register one under subject '${eventType.subject}'.`,
        { cause: error },
      );
    }
    if (isMeshgateError(error) && (error.code === 'VERSION_NOT_FOUND' || error.code === 'VERSION_SOFT_DELETED')) {
      throw new NotFoundError(
        'VERSION_NOT_FOUND',
        `Event type '${eventType.name}' has no schema version ${version} (subject '${eventType.subject}').`,
        { cause: error, details: { subject: eventType.subject, schemaVersion: version } },
      );
    }
    throw error;
  }
  if (schema.schemaType !== 'JSON') {
    throw new InputError(
      `Event type '${eventType.name}' uses a ${schema.schemaType} schema; REST produce accepts JSON Schema event types for now.`,
      { code: 'UNSUPPORTED_MEDIA_TYPE' },
    );
  }
  return schema;
}

function checkHeaders(event: Pick<EventInput, 'headers'>, index: number): void {
  for (const name of Object.keys(event.headers ?? {})) {
    if (RESERVED_HEADER.test(name)) {
      throw new InputError(
        `Header '${name}' of event ${index} is reserved: the meshgate-* headers are Meshgate's own, and content-type is kept for it.`,
        { code: 'RESERVED_HEADER', details: { index, header: name } },
      );
    }
  }
}

function assertValid(
  events: readonly EventInput[],
  schemaId: number,
  check: (event: EventInput) => ReturnType<typeof toValidationIssues>,
): void {
  const issues = new BatchIssues();
  events.forEach((event, index) => issues.add(index, check(event)));
  if (issues.invalid > 0) throw validationFailure(schemaId, events.length, issues.invalid, issues.errors);
}

async function append(
  { eventLog, validatedOffsets }: ProduceDeps,
  eventType: EventType,
  schema: SubjectVersionView,
  events: readonly EventInput[],
  single: boolean,
): Promise<ProducedEvent | ProducedBatch> {
  const meshgateHeaders = producedRecordHeaders(eventType.name, schema.id);
  // Events of a request mostly share one headers object (the request's defaults): so do their
  // records, which the event log then sizes and encodes once.
  let clientHeaders: EventInput['headers'] | null = null;
  let recordHeaders = meshgateHeaders;
  const { keyPath } = eventType;
  const records: RecordInput[] = events.map((event) => {
    if (event.headers !== clientHeaders) {
      clientHeaders = event.headers;
      recordHeaders = recordHeadersOf(event.headers, meshgateHeaders);
    }
    // An event without a key takes the value at the event type's keyPath, when it has one.
    const key = event.key ?? (keyPath === null ? undefined : keyFromPayload(event.data, keyPath));
    return {
      ...(key === undefined || key === null ? {} : { key }),
      value: encodeEventValue(eventType, schema.id, event.data, event.json),
      headers: recordHeaders,
    };
  });
  // The records hold what is written; the parsed events are still referenced by the request
  // until it is answered. Released now, they die young: kept through the event log's round
  // trip they were copied by a scavenge and promoted to the old generation (~1 µs of CPU per
  // event in the produce benchmark).
  for (const event of events) event.data = undefined;
  const acknowledged = validatedOffsets?.begin(eventType.topic);
  let results: AppendResult[];
  try {
    results = await eventLog.append(eventType.topic, records);
  } catch (error) {
    acknowledged?.();
    throw error;
  }
  acknowledged?.(results);
  if (results.length !== records.length) {
    throw new Error(`The event log returned ${results.length} positions for ${records.length} records.`);
  }
  return answer(results, schema, single);
}

/** The answer to an accepted request: each event's position and cursor, in input order. */
function answer(
  results: readonly AppendResult[],
  schema: SubjectVersionView,
  single: boolean,
): ProducedEvent | ProducedBatch {
  // The records of one append usually share one timestamp.
  let stamped: Date | undefined;
  let timestamp = '';
  const positions = results.map((result) => {
    if (result.timestamp !== stamped) {
      stamped = result.timestamp;
      timestamp = stamped.toISOString();
    }
    return {
      cursor: encodePartitionCursor(result.partition, result.offset + 1),
      partition: result.partition,
      offset: result.offset,
      timestamp,
    };
  });
  const [first] = positions;
  if (single && first) return { ...first, schemaId: schema.id, schemaVersion: schema.version };
  return { events: positions, schemaId: schema.id, schemaVersion: schema.version };
}

/**
 * The record value of an event: its JSON text, in Confluent's wire format (magic byte, 4-byte
 * schema id, JSON) when the event type's `valueFormat` is `confluent`. `json`, the event's JSON
 * as received (text or bytes) when it means exactly `data`, is written instead of serialising
 * `data` again.
 */
export function encodeEventValue(
  eventType: EventType,
  schemaId: number,
  data: unknown,
  json?: string | Buffer | undefined,
): string | Buffer {
  const format = valueFormatOf(eventType);
  if (json !== undefined) return frameJsonValue(json, format, schemaId);
  return encodeRecordValue(data, format, schemaId);
}

/** SHA-256 of everything that decides what a request appends, so a retry can be recognised. */
function fingerprint(
  single: boolean,
  schemaVersion: ProduceInput['schemaVersion'],
  events: readonly EventInput[],
): string {
  const canonical = JSON.stringify({
    single,
    schemaVersion: schemaVersion ?? 'latest',
    events: events.map((event) => [event.key ?? null, event.headers ?? {}, event.data]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
