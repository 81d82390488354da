import type { Positions } from '@meshgate/core';
import { InputError } from '@meshgate/core';
import type { RecordInput, TopicSpec } from './event-log';

// Kafka's own rule (and length limit), enforced for the embedded log too so that a topic
// created there can move to Kafka unchanged.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Throws INVALID_REQUEST unless `name` is a valid Kafka topic name. */
export function assertTopicName(name: string): void {
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new InputError(`"${String(name)}" is not a valid topic name (letters, digits, ".", "_", "-"; at most 249).`);
  }
}

/** Throws INVALID_REQUEST unless the spec names a valid topic with 1..10000 partitions. */
export function assertTopicSpec(spec: TopicSpec): void {
  assertTopicName(spec.name);
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1 || spec.partitions > 10_000) {
    throw new InputError(`A topic needs between 1 and 10000 partitions, not ${spec.partitions}.`);
  }
  if (spec.retentionMs !== undefined && (!Number.isSafeInteger(spec.retentionMs) || spec.retentionMs < 1)) {
    throw new InputError(`retentionMs must be a positive integer, not ${spec.retentionMs}.`);
  }
}

/** Throws INVALID_REQUEST unless every offset is a non-negative safe integer. */
export function assertPositions(positions: Positions): void {
  for (const [partition, offset] of positions) {
    if (!Number.isInteger(partition) || partition < 0 || !Number.isSafeInteger(offset) || offset < 0) {
      throw new InputError(`Invalid position ${partition}:${offset}.`);
    }
  }
}

/** Converts a key or value to the bytes stored in the log (strings as UTF-8). */
export function toBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value == null) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** Throws INVALID_REQUEST for records whose headers are not string-valued. */
export function assertRecords(records: readonly RecordInput[]): void {
  // Records of one append usually share one headers object: check it once.
  let checked: RecordInput['headers'] | null = null;
  for (const record of records) {
    if (record.headers !== checked) {
      checked = record.headers;
      for (const [name, value] of Object.entries(record.headers ?? {})) {
        if (typeof value !== 'string') throw new InputError(`Header "${name}" must be a string.`);
      }
    }
    if (record.timestamp !== undefined && Number.isNaN(record.timestamp.getTime())) {
      throw new InputError('A record has an invalid timestamp.');
    }
  }
}
