import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { ConsumeOptions, GroupConsumer, SkippableRecords } from '../event-log';
import type { LogCallback } from '../log';
import { delay } from '../signal';
import { toEventLogError } from './errors';
import { toLogRecord } from './records';

/** What a group member borrows from its EventLog instance. */
export interface KafkaGroupContext {
  kafka: Kafka;
  consumerConfig: Omit<ConsumerConfig, 'groupId'>;
  retryBackoffMs: number;
  onLog: LogCallback | undefined;
  onClose: (consumer: KafkaGroupConsumer) => void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * A member of a real Kafka consumer group. Auto-commit is off: a batch's next offset is
 * committed only after the handler resolved. A failing handler gets the same batch again
 * after a backoff (in place, so the group does not rebalance over one bad batch); closing
 * abandons the batch uncommitted, so whoever owns the partition next gets it again.
 *
 * With {@link ConsumeOptions.skip}, a partition whose batch was all skippable is paused for
 * `restMs`, then sought (and committed) past the skippable run that follows, and resumed.
 */
export class KafkaGroupConsumer implements GroupConsumer {
  private assigned: number[] = [];
  private closing = false;
  private announceClosing!: () => void;
  private readonly closingSignal = new Promise<void>((resolve) => (this.announceClosing = resolve));
  private closePromise: Promise<void> | undefined;
  /** Partitions resting after an all-skippable batch, with the timer that wakes each. */
  private readonly resting = new Map<number, NodeJS.Timeout>();

  private constructor(
    private readonly context: KafkaGroupContext,
    private readonly options: ConsumeOptions,
    private readonly consumer: Consumer,
  ) {}

  /** Joins the group and starts consuming; resolves once the member has joined. */
  static async start(context: KafkaGroupContext, options: ConsumeOptions): Promise<KafkaGroupConsumer> {
    const consumer = context.kafka.consumer({ ...context.consumerConfig, groupId: options.groupId });
    const member = new KafkaGroupConsumer(context, options, consumer);
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      member.assigned = [...(event.payload.memberAssignment[options.topic] ?? [])].sort((a, b) => a - b);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      member.assigned = [];
      context.onLog?.(event.payload.restart ? 'warn' : 'error', 'event log: group consumer crashed', {
        groupId: options.groupId,
        topic: options.topic,
        restarting: event.payload.restart,
        error: String(event.payload.error),
      });
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [options.topic], fromBeginning: (options.from ?? 'earliest') === 'earliest' });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => member.handle(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw toEventLogError(error, 'join the consumer group', options.topic);
    }
    return member;
  }

  assignment(): number[] {
    return [...this.assigned];
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.announceClosing();
    for (const timer of this.resting.values()) clearTimeout(timer);
    this.resting.clear();
    // kafkajs waits for the batch in hand before it leaves the group.
    await this.consumer.disconnect().catch((error: unknown) => {
      this.context.onLog?.('warn', 'event log: group consumer did not disconnect cleanly', { error: String(error) });
    });
    this.assigned = [];
    this.context.onClose(this);
  }

  private async handle({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload) {
    if (batch.isEmpty()) return;
    const records = batch.messages.map((message) => toLogRecord(batch.topic, batch.partition, message));
    const heartbeatMs = this.context.consumerConfig.heartbeatInterval ?? 3000;
    for (let attempt = 1; ; attempt++) {
      if (this.closing || !isRunning() || isStale()) return;
      // A slow handler must not cost the member its session.
      const beat = setInterval(() => heartbeat().catch(() => undefined), heartbeatMs);
      try {
        await this.options.handler(records);
        break;
      } catch (error) {
        this.context.onLog?.('warn', 'event log: consumer handler failed, redelivering the batch', {
          groupId: this.options.groupId,
          topic: batch.topic,
          partition: batch.partition,
          offset: records[0]?.offset,
          attempt,
          error: String(error),
        });
        await delay(Math.min(this.context.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS), this.closingSignal);
      } finally {
        clearInterval(beat);
      }
    }
    const last = batch.messages[batch.messages.length - 1]!;
    const next = Number(last.offset) + 1;
    resolveOffset(last.offset);
    await commitOffsetsIfNecessary({
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(next) }] }],
    });
    const { skip } = this.options;
    if (skip && !this.closing && skip.runEnd(batch.partition, records[0]!.offset) >= next) {
      this.rest(batch.partition, next, skip);
    }
  }

  /** Pauses a partition whose last batch was all skippable; {@link wake} goes on after `restMs`. */
  private rest(partition: number, next: number, skip: SkippableRecords): void {
    if (this.resting.has(partition)) return;
    const { topic } = this.options;
    this.consumer.pause([{ topic, partitions: [partition] }]);
    const timer = setTimeout(() => void this.wake(partition, next, skip), skip.restMs);
    this.resting.set(partition, timer);
  }

  /**
   * Ends a partition's rest: moves its position and the group's committed one past the
   * skippable run starting at `next` (if it still owns the partition), then resumes it. The
   * seek takes effect at the partition's next fetch, which the pause kept from starting.
   */
  private async wake(partition: number, next: number, skip: SkippableRecords): Promise<void> {
    const { topic } = this.options;
    try {
      if (this.closing || !this.assigned.includes(partition)) return;
      const end = skip.runEnd(partition, next);
      if (end <= next) return;
      this.consumer.seek({ topic, partition, offset: String(end) });
      await this.consumer.commitOffsets([{ topic, partition, offset: String(end) }]);
      skip.passed?.(partition, next, end);
    } catch (error) {
      // Lost the partition meanwhile (its next owner reads from the last commit) or the member
      // is restarting: nothing was skipped that the handler had to see.
      this.context.onLog?.('debug', 'event log: passing over skippable records failed', {
        groupId: this.options.groupId,
        topic,
        partition,
        error: String(error),
      });
    } finally {
      this.resting.delete(partition);
      if (!this.closing) this.consumer.resume([{ topic, partitions: [partition] }]);
    }
  }
}
