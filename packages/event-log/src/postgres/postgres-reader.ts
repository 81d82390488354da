import type { Pool } from '@meshgate/db';
import type { LogReader, LogRecord, ReadOptions } from '../event-log';
import { topicNotFound } from '../errors';
import type { LogCallback } from '../log';
import { Signal } from '../signal';
import { isRetriablePgError, toEventLogError } from './errors';
import { fetchRecords } from './fetch-records';
import { APPEND_CHANNEL, type NotificationHub } from './notification-hub';
import type { TipWatch } from './tip-watch';

/** What a reader borrows from its EventLog instance. */
export interface PostgresReaderContext {
  pool: Pool;
  hub: NotificationHub;
  tips: TipWatch;
  onLog: LogCallback | undefined;
  /** Called once when the reader closes, so the EventLog forgets it. */
  onClose: (reader: PostgresReader) => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * A tailing reader of the embedded log. It owns no connection and no timer: it queries
 * through the shared pool only when its consumer pulls (that is the back-pressure), and while
 * caught up it sleeps until the instance's LISTEN connection or its shared poll (TipWatch)
 * says the topic moved past it.
 */
export class PostgresReader implements LogReader {
  private readonly signal = new Signal();
  private readonly positions = new Map<number, number>();
  private readonly started: Promise<void>;
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;
  private readonly maxBatchSize: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly context: PostgresReaderContext,
    private readonly options: ReadOptions,
  ) {
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 500);
    this.unsubscribe = context.hub.subscribe(APPEND_CHANNEL, options.topic, () => this.signal.wake());
    this.unwatch = context.tips.watch(options.topic, (tips) => {
      for (const [partition, next] of tips) {
        if ((this.positions.get(partition) ?? 0) < next) return this.signal.wake();
      }
    });
    // Resolved now rather than on the first pull, so 'latest' means "when read() was called".
    this.started = this.resolveStart();
    this.started.catch(() => undefined);
  }

  [Symbol.asyncIterator](): AsyncIterator<LogRecord[]> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  /** Resolves with the next batch once there is one; concurrent calls are served in order. */
  next(): Promise<IteratorResult<LogRecord[]>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.unwatch();
    this.signal.wake();
    this.context.onClose(this);
  }

  private async resolveStart(): Promise<void> {
    const { topic, from } = this.options;
    const { rows } = await this.context.pool.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset FROM el_partitions WHERE topic = $1 ORDER BY partition',
      [topic],
    );
    if (rows.length === 0) throw topicNotFound(topic);
    for (const row of rows) {
      // Position 0 reads from the earliest retained record, whatever retention removed.
      const start =
        from === 'latest' ? Number(row.next_offset) : from === 'earliest' ? 0 : (from.get(row.partition) ?? 0);
      this.positions.set(row.partition, start);
    }
    await this.context.hub.ready();
  }

  private async pull(): Promise<IteratorResult<LogRecord[]>> {
    if (this.closed) return DONE;
    try {
      await this.started;
    } catch (error) {
      await this.close();
      throw toEventLogError(error, 'open a reader');
    }
    let failures = 0;
    while (!this.closed) {
      let records: LogRecord[];
      try {
        records = await fetchRecords(this.context.pool, this.options.topic, this.positions, this.maxBatchSize);
        failures = 0;
      } catch (error) {
        if (!isRetriablePgError(error)) {
          await this.close();
          throw toEventLogError(error, 'read records');
        }
        // A tailing reader outlives database hiccups: wait and try again rather than end the stream.
        failures += 1;
        this.context.onLog?.('warn', 'event log: reader query failed, retrying', { error: String(error) });
        await this.signal.wait(Math.min(100 * 2 ** failures, MAX_RETRY_DELAY_MS));
        continue;
      }
      if (this.closed) break;
      if (records.length > 0) {
        for (const record of records) this.positions.set(record.partition, record.offset + 1);
        return { done: false, value: records };
      }
      await this.signal.wait();
    }
    return DONE;
  }
}
