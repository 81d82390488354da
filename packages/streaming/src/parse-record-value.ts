import type { LogRecord } from '@meshgate/event-log';
import { decodeRecordValue } from './record-value';

/**
 * Parses a record's value as JSON in either framing (plain JSON or Confluent's wire format),
 * or returns undefined when it has no value or is not JSON. Such records are never delivered,
 * but positions still move past them. See {@link decodeRecordValue} for the schema id too.
 */
export function parseRecordValue(record: LogRecord): unknown {
  const decoded = decodeRecordValue(record.value, record.headers);
  return decoded.ok ? decoded.data : undefined;
}
