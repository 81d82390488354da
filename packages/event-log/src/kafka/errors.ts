import { ConflictError, InputError, isMeshgateError, UnavailableError, type MeshgateError } from '@meshgate/core';
import { topicNotFound } from '../errors';

interface KafkaJsErrorShape {
  name?: string;
  type?: string;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

const INVALID_INPUT = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'INVALID_REQUEST',
  'POLICY_VIOLATION',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
]);

/** kafkajs wraps the broker's error in retry and aggregate errors; this walks down to each. */
function chain(error: unknown): KafkaJsErrorShape[] {
  const seen: KafkaJsErrorShape[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 10) {
    const current = queue.shift();
    if (!current || typeof current !== 'object') continue;
    const shaped = current as KafkaJsErrorShape;
    seen.push(shaped);
    queue.push(shaped.cause, shaped.originalError, ...(shaped.errors ?? []));
  }
  return seen;
}

/** The broker's error type (e.g. UNKNOWN_TOPIC_OR_PARTITION) anywhere in a kafkajs error. */
export function kafkaErrorType(error: unknown): string | undefined {
  return chain(error).find((link) => typeof link.type === 'string')?.type;
}

/**
 * Maps a kafkajs error to a Meshgate error. `retriable` follows kafkajs: true when it or the
 * error it gave up on says so (a "retries exceeded" on a lost connection may well work later).
 */
export function toEventLogError(error: unknown, action: string, topic?: string): MeshgateError {
  if (isMeshgateError(error)) return error;
  const links = chain(error);
  const type = kafkaErrorType(error);
  if (type === 'UNKNOWN_TOPIC_OR_PARTITION' && topic !== undefined) {
    return topicNotFound(topic, error);
  }
  if (type && INVALID_INPUT.has(type)) {
    return new InputError(`Kafka rejected the request to ${action} (${type}).`, { cause: error });
  }
  if (links.some((link) => /must have no running instances/.test(link.message ?? ''))) {
    return new ConflictError(`Cannot ${action} while the consumer group has active members.`, { cause: error });
  }
  return new UnavailableError(`Kafka could not ${action}.`, {
    cause: error,
    retriable: links.some((link) => link.retriable === true),
  });
}
