import { decodeCursor, encodeCursor } from '@meshgate/core';
import type { EventLog } from '@meshgate/event-log';
import {
  decodeRecordValue,
  deadLetterHeaders,
  parseDeadLetterSource,
  type DeadLetterSource,
} from '@meshgate/streaming';
import { fetchPage, type PageOptions } from './fetch-events';

/** One dead-lettered record as the dead-letters endpoint returns it. */
export interface DeadLetter {
  /** Position after this record in the dead-letter topic: give it back as `after`. */
  cursor: string;
  partition: number;
  offset: number;
  /** When it was dead-lettered. */
  time: string;
  key: string | null;
  /** `meshgate-dlq-reason`: NOT_JSON, UNKNOWN_SCHEMA_ID, SCHEMA_OF_ANOTHER_SUBJECT, SCHEMA_MISMATCH, SCHEMA_NOT_FOUND. */
  reason: string | null;
  detail: string | null;
  /** Where the original was, from `meshgate-dlq-source` (the key to deduplicate on). */
  source: DeadLetterSource | null;
  schemaId: number | null;
  /** The original record's headers (without the `meshgate-dlq-*` ones, which the fields above carry). */
  headers: Record<string, string>;
  /** The original value's bytes, base64 (null when the record had none). */
  value: string | null;
  /** The original value as JSON, when it is JSON in either framing. */
  data?: unknown;
}

/** A page of dead letters. */
export interface DeadLetterPage {
  records: DeadLetter[];
  cursor: string;
  hasMore: boolean;
}

const DLQ_PREFIX = 'meshgate-dlq-';

/**
 * One page of a dead-letter topic, oldest first, with the reason headers unpacked. A dead-letter
 * topic that does not exist yet (nothing was ever dead-lettered) reads as empty.
 */
export async function fetchDeadLetters(
  eventLog: EventLog,
  topic: string,
  options: PageOptions,
): Promise<DeadLetterPage> {
  if (!(await eventLog.describeTopic(topic))) {
    const cursor = options.after ?? encodeCursor(new Map());
    decodeCursor(cursor);
    return { records: [], cursor, hasMore: false };
  }
  const page = await fetchPage(eventLog, topic, options, async (records) =>
    records.map((record): Omit<DeadLetter, 'cursor'> => {
      const headers: Record<string, string> = {};
      for (const [name, text] of Object.entries(record.headers)) if (!name.startsWith(DLQ_PREFIX)) headers[name] = text;
      const decoded = decodeRecordValue(record.value, record.headers);
      const schemaId = record.headers[deadLetterHeaders.schemaId];
      return {
        partition: record.partition,
        offset: record.offset,
        time: record.headers[deadLetterHeaders.time] ?? record.timestamp.toISOString(),
        key: record.key ? record.key.toString('utf8') : null,
        reason: record.headers[deadLetterHeaders.reason] ?? null,
        detail: record.headers[deadLetterHeaders.detail] ?? null,
        source: parseDeadLetterSource(record.headers[deadLetterHeaders.source]) ?? null,
        schemaId: schemaId === undefined || !/^\d{1,10}$/.test(schemaId) ? null : Number(schemaId),
        headers,
        value: record.value ? record.value.toString('base64') : null,
        ...(decoded.ok ? { data: decoded.data } : {}),
      };
    }),
  );
  return {
    records: page.items.map(({ cursor, item }) => ({ cursor, ...item })),
    cursor: page.cursor,
    hasMore: page.hasMore,
  };
}
