import type { DecodedValue } from './record-value';

/**
 * Why a record is not delivered (and is dead-lettered). Stable: dashboards, alerts and
 * dead-letter readers match on these.
 */
export type InvalidRecordReason =
  /** The value is missing, or not JSON in either framing. */
  | 'NOT_JSON'
  /** The record names a schema id the registry does not have. */
  | 'UNKNOWN_SCHEMA_ID'
  /** The record names a schema id that is not a version of the event type's subject. */
  | 'SCHEMA_OF_ANOTHER_SUBJECT'
  /** The value does not match the named schema, or (naming none) any registered version. */
  | 'SCHEMA_MISMATCH'
  /** The record names no schema and the event type's subject has no registered version. */
  | 'SCHEMA_NOT_FOUND';

/** Every reason, for docs and metrics. */
export const invalidRecordReasons: readonly InvalidRecordReason[] = [
  'NOT_JSON',
  'UNKNOWN_SCHEMA_ID',
  'SCHEMA_OF_ANOTHER_SUBJECT',
  'SCHEMA_MISMATCH',
  'SCHEMA_NOT_FOUND',
];

/** What a {@link RecordCheck} looks at: the record's headers and its decoded value. */
export interface CheckableRecord {
  readonly headers: Readonly<Record<string, string>>;
  readonly value: DecodedValue;
}

/** A record that may be delivered. */
export interface ValidRecord {
  readonly valid: true;
  /** The event type the record was checked as (absent for a topic no event type uses). */
  readonly eventType?: string | undefined;
  /** The schema the value matched, if any. */
  readonly schemaId?: number | undefined;
}

/** A record that must not be delivered, and why. */
export interface InvalidRecord {
  readonly valid: false;
  readonly eventType?: string | undefined;
  readonly reason: InvalidRecordReason;
  /** Human-readable: the first problems as `JSON pointer: message`, bounded in length. */
  readonly detail: string;
  /** The schema id the record named, or the one it was checked against. */
  readonly schemaId?: number | undefined;
}

/** The outcome of checking one record. */
export type RecordVerdict = ValidRecord | InvalidRecord;

/**
 * Decides whether records of a topic may be delivered. One instance is shared by the fan-out
 * hub, fetch and the dead-letter worker, so all three agree on every record. `check` is on the
 * fan-out hot path: an implementation should answer synchronously (an array) from warm caches
 * and return a promise only when it has to load something. Rejects when it cannot decide
 * (e.g. the registry is unreachable); the caller then retries or ends its readers.
 */
export interface RecordCheck {
  /** One verdict per record, in order. */
  check(
    topic: string,
    records: readonly CheckableRecord[],
  ): readonly RecordVerdict[] | Promise<readonly RecordVerdict[]>;
}

/** Longest `detail` a verdict carries (it travels in a record header). */
export const MAX_VERDICT_DETAIL = 1000;

/**
 * Joins problems into a verdict detail — `path: message; path: message` — and cuts it at
 * {@link MAX_VERDICT_DETAIL} characters, saying how many problems were left out.
 */
export function describeProblems(problems: ReadonlyArray<{ path: string; message: string }>, limit = 5): string {
  const shown = problems.slice(0, limit).map(({ path, message }) => `${path === '' ? '/' : path}: ${message}`);
  if (problems.length > limit) shown.push(`… and ${problems.length - limit} more`);
  const text = shown.join('; ');
  return text.length <= MAX_VERDICT_DETAIL ? text : `${text.slice(0, MAX_VERDICT_DETAIL - 1)}…`;
}
