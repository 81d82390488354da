// What a produce worker thread runs (see ndjson-check-pool.ts): checks an NDJSON batch and,
// when the task asks, appends it from the worker's own Kafka event log, so that neither the
// events nor their records ever cross threads: only the body's bytes go in, positions come out.
import { workerData } from 'node:worker_threads';
import { isMeshgateError } from '@meshgate/core';
import { createKafkaEventLog, type KafkaEventLog } from '@meshgate/event-log/kafka';
import type { RecordInput } from '@meshgate/event-log';
import { frameJsonValue } from '@meshgate/streaming/record-value';
import { createLogger } from '../logger';
import { checkNdjson, mapCheckedValues, type NdjsonCheckResult, type NdjsonCheckTask } from './produce-ndjson-check';

/** What the pool hands each worker at start (`workerData`). */
export interface ProduceWorkerData {
  /** The gateway's Kafka settings; without them tasks never ask to append. */
  kafka?: { brokers: string[]; clientId: string; logLevel: string } | undefined;
}

let eventLog: KafkaEventLog | undefined;

/** The worker's Kafka event log: one idempotent producer per worker, connected on first use. */
function workerEventLog(): KafkaEventLog {
  const { kafka } = (workerData ?? {}) as ProduceWorkerData;
  if (!kafka) throw new Error('This produce worker has no Kafka settings: it cannot append.');
  if (!eventLog) {
    const logger = createLogger(kafka.logLevel as Parameters<typeof createLogger>[0], false);
    eventLog = createKafkaEventLog({
      brokers: kafka.brokers,
      clientId: kafka.clientId,
      onLog: (level, message, extra) =>
        logger[level]({ component: 'kafka', thread: 'produce-worker', ...extra }, message),
    });
  }
  return eventLog;
}

/** Checks a batch ({@link checkNdjson}) and appends it when `task.append` says where. */
export async function runProduceTask(task: NdjsonCheckTask): Promise<NdjsonCheckResult> {
  const checked = checkNdjson(task);
  if (!checked.ok || !task.append) return checked;
  const { topic, headers, key, format } = task.append;
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  const records = mapCheckedValues<RecordInput>(checked, bytes, (json, i) => {
    const recordKey = key ?? checked.keys?.[i];
    return {
      ...(recordKey === undefined ? {} : { key: recordKey }),
      value: frameJsonValue(json, format, task.schemaId),
      headers,
    };
  });
  try {
    const results = await workerEventLog().append(topic, records);
    const partitions = new Uint32Array(results.length);
    const offsets = new Float64Array(results.length);
    const timestamps = new Float64Array(results.length);
    results.forEach((result, i) => {
      partitions[i] = result.partition;
      offsets[i] = result.offset;
      timestamps[i] = result.timestamp.getTime();
    });
    return {
      ...checked,
      spans: new Uint32Array(0),
      texts: [],
      keys: undefined,
      appended: { partitions, offsets, timestamps },
    };
  } catch (error) {
    if (!isMeshgateError(error)) throw error;
    return {
      ok: false,
      kind: 'append',
      error: { code: error.code, message: error.message, details: error.details, retriable: error.retriable },
    };
  }
}
