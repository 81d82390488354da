import { UnavailableError } from '@meshgate/core';
import type { Message } from 'kafkajs';

/** One `append` call waiting for, or riding in, a Kafka produce call. */
export interface QueuedAppend {
  /** The append's messages, each with its partition chosen, in input order. */
  messages: Message[];
  /** Upper bound of the encoded size of this append's records per partition, in bytes. */
  partitionBytes: ReadonlyMap<number, number>;
  /** Upper bound of the encoded size of all its records, in bytes. */
  bytes: number;
  /** Most record bytes one partition's batch may hold on this topic (its `max.message.bytes` less overhead). */
  partitionCap: number;
  /** Never share a produce call: the broker might refuse these records, which must not fail other appends. */
  alone: boolean;
  /** Receives the offset of every message, in input order. */
  resolve(offsets: number[]): void;
  reject(error: unknown): void;
}

/** Options for {@link AppendQueue}. */
export interface AppendQueueOptions {
  /**
   * One produce call with a topic's messages, which `appends` appends share; resolves with the
   * base offset of each partition written.
   */
  send(topic: string, messages: Message[], appends: number): Promise<ReadonlyMap<number, number>>;
  /** How long a lone append waits for company: 0 = until the next turn of the event loop. */
  lingerMs: number;
  /** Most bytes (upper bound) in one produce call; an append above it is sent on its own. */
  maxSendBytes: number;
  /** Most records in one produce call; an append above it is sent on its own. */
  maxSendRecords: number;
}

interface TopicQueue {
  waiting: QueuedAppend[];
  sending: boolean;
  scheduled: boolean;
}

/**
 * Coalesces concurrent appends to a topic into one Kafka produce call, as a Java producer's
 * `linger.ms` does: each topic has at most one produce call in flight, and the appends that
 * arrive meanwhile (or within the linger) go together in the next one.
 *
 * kafkajs pays a large fixed cost per `send` (metadata, request framing, the idempotent
 * producer's per-broker lock, which already allows only one produce request in flight per
 * broker), so ten appends of one record cost little more than one. Appends are never split:
 * one append is one part of one produce call, so Kafka's per-partition atomicity and the order
 * of appends within each partition are what a lone `send` per append would give. When a produce
 * call fails every append in it fails with that error; nothing is re-sent here.
 */
export class AppendQueue {
  private readonly topics = new Map<string, TopicQueue>();
  private outstanding = 0;
  private drained: Array<() => void> = [];

  constructor(private readonly options: AppendQueueOptions) {}

  /** Queues an append for its topic; it settles through its own resolve/reject. */
  enqueue(topic: string, append: QueuedAppend): void {
    let queue = this.topics.get(topic);
    if (!queue) {
      queue = { waiting: [], sending: false, scheduled: false };
      this.topics.set(topic, queue);
    }
    this.outstanding++;
    queue.waiting.push(append);
    if (queue.sending || queue.scheduled) return;
    queue.scheduled = true;
    const flush = () => this.flush(topic, queue);
    if (this.options.lingerMs > 0) setTimeout(flush, this.options.lingerMs);
    else setImmediate(flush);
  }

  /** Resolves once every queued append has settled (used when closing). */
  drain(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private flush(topic: string, queue: TopicQueue): void {
    queue.scheduled = false;
    if (queue.sending) return;
    if (queue.waiting.length === 0) {
      this.topics.delete(topic);
      return;
    }
    const batch = queue.waiting.splice(0, this.countNext(queue.waiting));
    const messages = batch.length === 1 ? batch[0]!.messages : batch.flatMap((append) => append.messages);
    queue.sending = true;
    this.options
      .send(topic, messages, batch.length)
      .then(
        (baseOffsets) => settleOffsets(batch, baseOffsets),
        (error: unknown) => {
          for (const append of batch) append.reject(error);
        },
      )
      .finally(() => {
        queue.sending = false;
        this.settled(batch.length);
        // What waited behind this call has waited long enough: no linger.
        this.flush(topic, queue);
      });
  }

  /** How many of the waiting appends (a prefix: order matters) fit in the next produce call. */
  private countNext(waiting: readonly QueuedAppend[]): number {
    const first = waiting[0]!;
    if (first.alone) return 1;
    const perPartition = new Map(first.partitionBytes);
    let records = first.messages.length;
    let bytes = first.bytes;
    let cap = first.partitionCap;
    let count = 1;
    for (; count < waiting.length; count++) {
      const next = waiting[count]!;
      if (next.alone) break;
      if (records + next.messages.length > this.options.maxSendRecords) break;
      if (bytes + next.bytes > this.options.maxSendBytes) break;
      const nextCap = Math.min(cap, next.partitionCap);
      let fits = true;
      for (const [partition, size] of perPartition) {
        if (size + (next.partitionBytes.get(partition) ?? 0) > nextCap) fits = false;
      }
      for (const [partition, size] of next.partitionBytes) {
        if (!perPartition.has(partition) && size > nextCap) fits = false;
      }
      if (!fits) break;
      for (const [partition, size] of next.partitionBytes) {
        perPartition.set(partition, (perPartition.get(partition) ?? 0) + size);
      }
      records += next.messages.length;
      bytes += next.bytes;
      cap = nextCap;
    }
    return count;
  }

  private settled(count: number): void {
    this.outstanding -= count;
    if (this.outstanding > 0) return;
    const waiters = this.drained;
    this.drained = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Hands each append its offsets. Kafka writes one batch per partition with the call's messages
 * in order, so a message's offset is its partition's base offset plus the number of messages
 * to that partition before it, across the appends ahead of it in the call.
 */
function settleOffsets(batch: readonly QueuedAppend[], baseOffsets: ReadonlyMap<number, number>): void {
  const next = new Map(baseOffsets);
  for (const append of batch) {
    const offsets: number[] = new Array(append.messages.length);
    let missing: number | undefined;
    for (let i = 0; i < append.messages.length; i++) {
      const partition = append.messages[i]!.partition!;
      const offset = next.get(partition);
      if (offset === undefined) missing = partition;
      else {
        offsets[i] = offset;
        next.set(partition, offset + 1);
      }
    }
    if (missing === undefined) append.resolve(offsets);
    else append.reject(new UnavailableError(`Kafka did not acknowledge partition ${missing}.`));
  }
}
