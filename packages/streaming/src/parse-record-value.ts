import type { LogRecord } from '@meshgate/event-log';

/**
 * Parses a record's value as JSON, or returns undefined when it has no value or is not JSON.
 * Such records are skipped by every stream (records that bypassed the gateway are validated
 * and dead-lettered in the streaming issue), but positions still move past them.
 */
export function parseRecordValue(record: LogRecord): unknown {
  if (!record.value) return undefined;
  try {
    return JSON.parse(record.value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
