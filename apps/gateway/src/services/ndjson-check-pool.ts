import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { EventLog } from '@meshgate/event-log';
import { checkNdjson, type NdjsonCheckResult, type NdjsonCheckTask } from './produce-ndjson-check';
import type { ProduceWorkerData } from './produce-ndjson-worker';

/** Options of {@link NdjsonCheckPool}. */
export interface NdjsonCheckPoolOptions {
  /** Worker threads; 0 checks every body on the calling thread. */
  threads: number;
  /**
   * Batches one worker takes at once (one is checked while the others wait for their appends);
   * beyond them a batch is checked and appended on the calling thread. Default 4.
   */
  tasksPerThread?: number;
  /**
   * How long an idle worker stays up; default: for good (a worker starts with the first large
   * batch, in about a second, and a producer that sends one now and then should not pay that
   * again each time).
   */
  idleTimeoutMs?: number;
  /** Told where each check ran. */
  onCheck?: (thread: 'worker' | 'main') => void;
  /**
   * The gateway's Kafka brokers and client id (and the log level for kafkajs's lines): with
   * them each worker appends the batches it checked through a Kafka event log of its own.
   */
  kafka?: ProduceWorkerData['kafka'];
}

/**
 * Parses and validates large NDJSON batches on worker threads ({@link checkNdjson}) and, on
 * Kafka, appends them there too, each worker through an idempotent producer of its own: the
 * main thread, which runs HTTP, then only hands over the body's bytes and builds the answer
 * from the positions that come back. The events' parsed data and records never cross threads
 * (cloning them costs more than the work moved). The work is shared, not queued: a worker takes
 * up to `tasksPerThread` batches at once, and a batch arriving while every worker has that many
 * is checked and appended on the calling thread, so a burst neither queues without bound nor
 * leaves the main thread idle while the workers are saturated.
 */
export class NdjsonCheckPool {
  private readonly pool: Piscina<NdjsonCheckTask, NdjsonCheckResult> | undefined;
  private readonly capacity: number;
  private readonly onCheck: NdjsonCheckPoolOptions['onCheck'];
  private readonly kafka: NdjsonCheckPoolOptions['kafka'];
  private inFlight = 0;

  constructor(options: NdjsonCheckPoolOptions) {
    const tasksPerThread = options.tasksPerThread ?? 4;
    this.capacity = options.threads * tasksPerThread;
    this.onCheck = options.onCheck;
    this.kafka = options.kafka;
    this.pool =
      options.threads > 0
        ? new Piscina({
            filename: fileURLToPath(new URL('./ndjson-check-worker.mjs', import.meta.url)),
            minThreads: 0,
            maxThreads: options.threads,
            idleTimeout: options.idleTimeoutMs ?? Infinity,
            // Appends that wait for Kafka together share the worker's next produce call (see the
            // Kafka event log's append queue).
            concurrentTasksPerWorker: tasksPerThread,
            workerData: { kafka: options.kafka } satisfies ProduceWorkerData,
          })
        : undefined;
  }

  /** Threads this pool may run (0: checks run on the calling thread). */
  get threads(): number {
    return this.pool?.maxThreads ?? 0;
  }

  /**
   * True when this pool's workers can append what they checked to `eventLog`: a Kafka event log
   * (the workers reach the same cluster); the embedded log is appended to by the main thread.
   */
  appendsTo(eventLog: Pick<EventLog, 'kind'>): boolean {
    return this.pool !== undefined && this.kafka !== undefined && eventLog.kind === 'kafka';
  }

  /**
   * Checks one body, on a worker unless every worker has all the batches it takes. A task with
   * `append` is appended by the worker; checked on the calling thread it comes back without
   * `appended`, for the caller to append.
   */
  async check(task: NdjsonCheckTask): Promise<NdjsonCheckResult> {
    if (!this.pool || this.inFlight >= this.capacity) {
      this.onCheck?.('main');
      return checkNdjson(task);
    }
    this.onCheck?.('worker');
    // A Buffer may be a view of a larger shared allocation, which a structured clone would copy
    // whole: send exactly the body's bytes.
    const { bytes } = task;
    const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
    this.inFlight++;
    try {
      return await this.pool.run({ ...task, bytes: own ? bytes : new Uint8Array(bytes) });
    } finally {
      this.inFlight--;
    }
  }

  /** Stops the workers (checks under way finish first). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
