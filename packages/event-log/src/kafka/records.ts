import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { LogRecord, RecordInput } from '../event-log';

function headerText(value: IHeaders[string]): string | undefined {
  // Kafka allows a header name to repeat; the interface keeps one value, the last one written.
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined) return undefined;
  return typeof last === 'string' ? last : last.toString('utf8');
}

/** A kafkajs message as a LogRecord. */
export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    timestamp: new Date(Number(message.timestamp)),
  };
}

/**
 * A RecordInput as a kafkajs message bound for `partition`, stamped `timestampMs` (epoch ms as
 * kafkajs takes it). Strings stay strings: kafkajs writes them as UTF-8 straight into the
 * request, which saves a Buffer per record.
 */
export function toKafkaMessage(record: RecordInput, partition: number, timestampMs: string): Message {
  return {
    key: record.key ?? null,
    value: record.value,
    headers: record.headers ?? {},
    timestamp: timestampMs,
    partition,
  };
}

/** Encoded length of a key or value. */
export function byteLength(value: Buffer | string | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

/**
 * Upper bound of a record's encoded size in a Kafka record batch (v2) besides its key, value
 * and headers: length, attributes, timestamp and offset deltas, key and value lengths and the
 * header count, every varint at its widest.
 */
export const RECORD_OVERHEAD_BOUND = 36;

/** Size of a record batch's own header (v2), offset and length prefix included. */
export const RECORD_BATCH_OVERHEAD = 61;

/** Upper bound of the encoded size of a record's headers, the header count excepted. */
export function headersSizeBound(headers: Readonly<Record<string, string>>): number {
  let size = 0;
  for (const name in headers) {
    // Two varint lengths, at most 5 bytes each.
    size += 10 + Buffer.byteLength(name, 'utf8') + Buffer.byteLength(headers[name]!, 'utf8');
  }
  return size;
}
