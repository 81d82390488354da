import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { checkNdjson, type NdjsonCheckResult, type NdjsonCheckTask } from './produce-ndjson-check';

/** Options of {@link NdjsonCheckPool}. */
export interface NdjsonCheckPoolOptions {
  /** Worker threads; 0 checks every body on the calling thread. */
  threads: number;
  /** Checks waiting for a worker beyond which the next one runs on the calling thread; default 8 per thread. */
  maxQueue?: number;
  /** How long an idle worker stays up; default 60 s (workers start with the first large batch). */
  idleTimeoutMs?: number;
  /** Told where each check ran. */
  onCheck?: (thread: 'worker' | 'main') => void;
}

/**
 * Parses and validates large NDJSON batches on worker threads ({@link checkNdjson}), so that
 * the gateway's main thread, which also runs HTTP and the Kafka client, spends its time on
 * what only it can do. Only bytes go to a worker and only positions come back: the events'
 * parsed data never crosses threads (cloning it would cost more than parsing it again). When
 * every worker is busy and `maxQueue` checks wait, the next one runs on the calling thread,
 * so a burst neither queues without bound nor waits behind it.
 */
export class NdjsonCheckPool {
  private readonly pool: Piscina<NdjsonCheckTask, NdjsonCheckResult> | undefined;
  private readonly maxQueue: number;
  private readonly onCheck: NdjsonCheckPoolOptions['onCheck'];

  constructor(options: NdjsonCheckPoolOptions) {
    this.maxQueue = options.maxQueue ?? 8 * options.threads;
    this.onCheck = options.onCheck;
    this.pool =
      options.threads > 0
        ? new Piscina({
            filename: fileURLToPath(new URL('./ndjson-check-worker.mjs', import.meta.url)),
            minThreads: 0,
            maxThreads: options.threads,
            idleTimeout: options.idleTimeoutMs ?? 60_000,
          })
        : undefined;
  }

  /** Threads this pool may run (0: checks run on the calling thread). */
  get threads(): number {
    return this.pool?.maxThreads ?? 0;
  }

  /** Checks one body, on a worker when one is free or the queue is short. */
  async check(task: NdjsonCheckTask): Promise<NdjsonCheckResult> {
    if (!this.pool || this.pool.queueSize >= this.maxQueue) {
      this.onCheck?.('main');
      return checkNdjson(task);
    }
    this.onCheck?.('worker');
    // A Buffer may be a view of a larger shared allocation, which a structured clone would copy
    // whole: send exactly the body's bytes.
    const { bytes } = task;
    const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
    return this.pool.run({ ...task, bytes: own ? bytes : new Uint8Array(bytes) });
  }

  /** Stops the workers (checks under way finish first). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
