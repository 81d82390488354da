import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { LogRecord, RecordInput } from '../event-log';
import { toBytes } from '../validate';

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

/** A RecordInput as a kafkajs message bound for `partition`. */
export function toKafkaMessage(record: RecordInput, partition: number, timestamp: Date): Message {
  return {
    key: toBytes(record.key),
    value: toBytes(record.value),
    headers: record.headers ?? {},
    timestamp: String(timestamp.getTime()),
    partition,
  };
}
