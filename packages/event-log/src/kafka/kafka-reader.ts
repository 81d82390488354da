import { randomUUID } from 'node:crypto';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { LogReader, LogRecord, PartitionOffsets, ReadOptions } from '../event-log';
import type { LogCallback } from '../log';
import { Signal } from '../signal';
import { toEventLogError } from './errors';
import { toLogRecord } from './records';

/** What a reader borrows from its EventLog instance. */
export interface KafkaReaderContext {
  kafka: Kafka;
  consumerConfig: Omit<ConsumerConfig, 'groupId'>;
  offsets: (topic: string) => Promise<PartitionOffsets[]>;
  /** Deletes the reader's ephemeral group once it is empty (best effort, in the background). */
  forgetGroup: (groupId: string) => void;
  onLog: LogCallback | undefined;
  onClose: (reader: KafkaReader) => void;
}

interface Offer {
  records: LogRecord[];
  taken: () => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A tailing reader on Kafka. kafkajs cannot assign partitions by hand, so each reader is the
 * only member of an ephemeral consumer group (unique id, never committed, deleted on close)
 * and seeks every partition to the requested position once it has joined.
 *
 * Back-pressure: kafkajs hands over a batch and waits for our `eachBatch` to resolve; we
 * resolve only when the iterator's consumer has pulled the batch, heartbeating meanwhile so
 * a slow consumer is not thrown out of its group.
 *
 * Records below the reader's position are dropped: a fetch may have raced the initial seek
 * (kafkajs starts at the earliest offset), and a rejoin after a lost session starts there
 * again until the re-seek lands.
 */
export class KafkaReader implements LogReader {
  private readonly signal = new Signal();
  private readonly positions = new Map<number, number>();
  private readonly groupId = `meshgate-reader-${randomUUID()}`;
  private readonly maxBatchSize: number;
  private readonly started: Promise<void>;
  private offers: Offer[] = [];
  private consumer: Consumer | undefined;
  private failure: unknown;
  private seeked = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly context: KafkaReaderContext,
    private readonly options: ReadOptions,
  ) {
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 500);
    this.started = this.start();
    this.started.catch((error: unknown) => {
      this.failure ??= error;
      this.signal.wake();
    });
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

  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.releaseOffers();
    this.signal.wake();
    await this.started.catch(() => undefined);
    if (this.consumer) {
      await this.consumer.disconnect().catch((error: unknown) => {
        this.context.onLog?.('warn', 'event log: reader consumer did not disconnect cleanly', { error: String(error) });
      });
      this.context.forgetGroup(this.groupId);
    }
    this.context.onClose(this);
  }

  private async start(): Promise<void> {
    const { topic, from } = this.options;
    // Resolved before joining, so 'latest' means "when read() was called", not "once joined".
    const offsets = await this.context.offsets(topic);
    for (const { partition, earliest, next } of offsets) {
      const requested = from === 'latest' ? next : from === 'earliest' ? earliest : (from.get(partition) ?? earliest);
      this.positions.set(partition, Math.max(requested, earliest));
    }
    if (this.closed) return;
    const consumer = this.context.kafka.consumer({ ...this.context.consumerConfig, groupId: this.groupId });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // A rejoin (say, after a lost session) restarts at the earliest offset: send it back to ours.
      if (this.seeked) this.seekAll(consumer);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      this.failure ??= event.payload.error;
      this.signal.wake();
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.accept(payload) });
    } catch (error) {
      throw toEventLogError(error, 'open a reader', topic);
    }
    if (this.closed) return;
    this.seekAll(consumer);
    this.seeked = true;
  }

  private seekAll(consumer: Consumer): void {
    for (const [partition, offset] of this.positions) {
      try {
        consumer.seek({ topic: this.options.topic, partition, offset: String(offset) });
      } catch (error) {
        this.context.onLog?.('warn', 'event log: reader seek failed', { partition, error: String(error) });
      }
    }
  }

  private async accept({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const floor = this.positions.get(batch.partition) ?? 0;
    const records: LogRecord[] = [];
    for (const message of batch.messages) {
      if (Number(message.offset) >= floor) records.push(toLogRecord(batch.topic, batch.partition, message));
    }
    for (let start = 0; start < records.length && !this.closed; start += this.maxBatchSize) {
      await this.offer(records.slice(start, start + this.maxBatchSize), heartbeat);
    }
  }

  private offer(records: LogRecord[], heartbeat: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const interval = this.context.consumerConfig.heartbeatInterval ?? 3000;
      const beat = setInterval(() => heartbeat().catch(() => undefined), interval);
      this.offers.push({
        records,
        taken: () => {
          clearInterval(beat);
          resolve();
        },
      });
      this.signal.wake();
    });
  }

  private releaseOffers(): void {
    const offers = this.offers;
    this.offers = [];
    for (const offer of offers) offer.taken();
  }

  private async pull(): Promise<IteratorResult<LogRecord[]>> {
    for (;;) {
      if (this.closed) return DONE;
      const offer = this.offers.shift();
      if (offer) {
        offer.taken();
        const fresh = offer.records.filter((record) => record.offset >= (this.positions.get(record.partition) ?? 0));
        if (fresh.length === 0) continue;
        for (const record of fresh) this.positions.set(record.partition, record.offset + 1);
        return { done: false, value: fresh };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        await this.close();
        throw toEventLogError(failure, 'read records', this.options.topic);
      }
      await this.signal.wait();
    }
  }
}
