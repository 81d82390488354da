import type { LogRecord } from '@meshgate/event-log';
import type { DeliveredEvent } from '../open-event-stream';
import type { CheckableRecord, RecordCheck, RecordVerdict } from '../record-check';
import { decodeRecordValue, type DecodedValue } from '../record-value';

/** A log record with its value parsed once. Shared by every subscriber: never mutate it. */
export interface ParsedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: Date;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON value (records without a JSON value are never shown to views). */
  readonly data: unknown;
  /** The schema id the record names (Confluent wire format, else the `meshgate-schema-id` header), if any. */
  readonly schemaId: number | undefined;
}

/**
 * How one class of subscribers sees events — later, the masking and row filters of a grant.
 * The hub computes a view's payload once per record and shares it (and its JSON text) among
 * every subscriber with the same `key`, so the same key must always mean the same transform.
 */
export interface SubscriptionView {
  /** Identifies the view; '' is reserved for the raw view (no transform). */
  readonly key: string;
  /** The payload this view's subscribers see, or undefined to skip the event. Must not mutate its input. */
  transform(record: ParsedRecord): unknown;
}

/** The raw view: the parsed value as is. */
export const RAW_VIEW: SubscriptionView = { key: '', transform: (record) => record.data };

/** A view's payload for one record, shared by every subscriber of that view. */
export interface ViewPayload {
  readonly data: unknown;
  json: string | undefined;
}

/**
 * A parsed record plus the payloads views computed for it (kept while the record is in the ring).
 * Decoded once (either framing) and, with a record check, judged once, whatever the number of
 * subscribers.
 */
export class HubRecord implements ParsedRecord, CheckableRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: Date;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: DecodedValue;
  /** Set by {@link judge}; without a record check every JSON record is deliverable. */
  verdict: RecordVerdict | undefined;
  // null marks "this view skips the record", so a skip is computed once too.
  private payloads: Map<string, ViewPayload | null> | undefined;

  constructor(record: LogRecord) {
    this.partition = record.partition;
    this.offset = record.offset;
    this.timestamp = record.timestamp;
    this.key = record.key ? record.key.toString('utf8') : null;
    this.headers = record.headers;
    this.value = decodeRecordValue(record.value, record.headers);
  }

  get data(): unknown {
    return this.value.ok ? this.value.data : undefined;
  }

  get schemaId(): number | undefined {
    return this.value.schemaId;
  }

  /**
   * False for records without a JSON value and for records the check found invalid: positions
   * move past them, nobody sees them.
   */
  get deliverable(): boolean {
    return this.value.ok && this.verdict?.valid !== false;
  }

  /** The view's payload, computed on first use; undefined when the view skips the record. Throws what the view throws. */
  payload(view: SubscriptionView): ViewPayload | undefined {
    if (!this.deliverable) return undefined;
    const cached = this.payloads?.get(view.key);
    if (cached !== undefined) return cached ?? undefined;
    const data = view === RAW_VIEW ? this.data : view.transform(this);
    const payload = data === undefined ? null : { data, json: undefined };
    (this.payloads ??= new Map()).set(view.key, payload);
    return payload ?? undefined;
  }
}

/**
 * One delivered event. Subscribers that are level with the hub share one instance per record
 * and view; `serialized` is computed on first use and cached on the shared payload.
 */
export class HubEvent implements DeliveredEvent {
  readonly cursor: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: Date;
  readonly key: string | null;
  readonly headers: Record<string, string>;
  readonly data: unknown;
  readonly schemaId: number | undefined;
  readonly #payload: ViewPayload;

  constructor(cursor: string, record: HubRecord, payload: ViewPayload) {
    this.cursor = cursor;
    this.partition = record.partition;
    this.offset = record.offset;
    this.timestamp = record.timestamp;
    this.key = record.key;
    this.headers = record.headers as Record<string, string>;
    this.data = payload.data;
    this.schemaId = record.schemaId;
    this.#payload = payload;
  }

  /** `JSON.stringify(data)`, computed once per record and view. */
  get serialized(): string {
    return (this.#payload.json ??= JSON.stringify(this.#payload.data));
  }
}

/**
 * Applies a record check's verdicts to freshly decoded records. Returns a promise only when the
 * check had to load something, so a warm check adds no turn to the hot path.
 */
export function judgeRecords(
  check: RecordCheck | undefined,
  topic: string,
  records: readonly HubRecord[],
): Promise<void> | undefined {
  if (!check || records.length === 0) return undefined;
  const result = check.check(topic, records);
  if (isPromiseLike(result)) return Promise.resolve(result).then((verdicts) => applyVerdicts(records, verdicts));
  applyVerdicts(records, result);
  return undefined;
}

function applyVerdicts(records: readonly HubRecord[], verdicts: readonly RecordVerdict[]): void {
  if (verdicts.length !== records.length) {
    throw new Error(`The record check returned ${verdicts.length} verdicts for ${records.length} records.`);
  }
  for (let i = 0; i < records.length; i += 1) records[i]!.verdict = verdicts[i];
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}
