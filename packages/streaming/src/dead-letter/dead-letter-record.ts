import type { LogRecord, RecordInput } from '@meshgate/event-log';
import type { InvalidRecord } from '../record-check';

/** Headers Meshgate adds to a dead-lettered record (the original headers are kept beside them). */
export const deadLetterHeaders = {
  /** Stable reason code: NOT_JSON, UNKNOWN_SCHEMA_ID, SCHEMA_OF_ANOTHER_SUBJECT, SCHEMA_MISMATCH, SCHEMA_NOT_FOUND. */
  reason: 'meshgate-dlq-reason',
  /** The first problems as `JSON pointer: message`, truncated. */
  detail: 'meshgate-dlq-detail',
  /** Where the record came from, `topic/partition/offset`: the key to deduplicate on. */
  source: 'meshgate-dlq-source',
  /** The schema id the record named, or the one it was checked against (absent when none). */
  schemaId: 'meshgate-dlq-schema-id',
  /** When it was dead-lettered, ISO 8601. */
  time: 'meshgate-dlq-time',
  /** The event type it was checked as (absent for a topic no event type uses). */
  eventType: 'meshgate-dlq-event-type',
} as const;

/** The coordinates of a dead-lettered record's original. */
export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * The dead-letter copy of an invalid record: the original key, value and headers, plus the
 * `meshgate-dlq-*` headers. It goes to the same partition number as the original (the
 * dead-letter topic has the source's partition count; modulo if it has fewer).
 */
export function toDeadLetterRecord(
  record: LogRecord,
  verdict: InvalidRecord,
  time: Date,
  deadLetterPartitions: number,
): RecordInput {
  const headers: Record<string, string> = {
    ...record.headers,
    [deadLetterHeaders.reason]: verdict.reason,
    [deadLetterHeaders.detail]: verdict.detail,
    [deadLetterHeaders.source]: formatDeadLetterSource(record),
    [deadLetterHeaders.time]: time.toISOString(),
  };
  // Stale copies from a record that was itself dead-lettered before must not survive.
  delete headers[deadLetterHeaders.schemaId];
  delete headers[deadLetterHeaders.eventType];
  if (verdict.schemaId !== undefined) headers[deadLetterHeaders.schemaId] = String(verdict.schemaId);
  if (verdict.eventType !== undefined) headers[deadLetterHeaders.eventType] = verdict.eventType;
  return {
    key: record.key,
    value: record.value,
    headers,
    timestamp: time,
    partition: record.partition % Math.max(1, deadLetterPartitions),
  };
}

/** `topic/partition/offset` (topic names cannot hold a `/`). */
export function formatDeadLetterSource(source: DeadLetterSource): string {
  return `${source.topic}/${source.partition}/${source.offset}`;
}

/** Reads a `meshgate-dlq-source` header back; undefined when it is not one. */
export function parseDeadLetterSource(header: string | undefined): DeadLetterSource | undefined {
  const match = header === undefined ? null : /^(.+)\/(\d{1,9})\/(\d{1,16})$/.exec(header);
  if (!match) return undefined;
  return { topic: match[1]!, partition: Number(match[2]), offset: Number(match[3]) };
}
