import { encodeCursor, type MeshgateError } from '@meshgate/core';
import type { LogReader } from '@meshgate/event-log';
import type { DeliveredEvent, EventStream } from '../open-event-stream';
import { BoundedQueue } from './bounded-queue';
import type { SubscriptionView } from './hub-record';
import type { SubscriptionEnd } from './subscription-end';

/** Where a subscription is in its life. */
export type SubscriptionState = 'catching-up' | 'live' | 'ended';

/**
 * One subscriber's view of a topic through the hub: an async iterable of events with a cursor
 * on each. Its buffer is bounded; when the hub ends it (slow subscriber, shutdown, upstream
 * failure) the buffered events are dropped at once and the next pull throws the reason.
 */
export interface Subscription extends EventStream {
  readonly topic: string;
  /** 'catching-up' while it reads history, 'live' once it is fed by the topic's shared reader. */
  readonly state: SubscriptionState;
  /** How it ended, once it has. */
  readonly ended: SubscriptionEnd | undefined;
  /** Resolves (never rejects) when the subscription ends, for whatever reason. */
  readonly done: Promise<SubscriptionEnd>;
  /** Events waiting in its buffer now. */
  readonly buffered: number;
  /** Most events that ever waited in its buffer at once; never above the hub's bufferSize. */
  readonly peakBuffered: number;
  /**
   * Switches to push delivery: from now on the hub hands each event to `sink.push` as it
   * dispatches it, synchronously, instead of waiting for a pull. Events already buffered are
   * pushed at once. Cheaper per event than iterating (no promise per event), which matters with
   * thousands of subscribers. Use either this or iteration, not both.
   */
  pushTo(sink: EventSink): void;
  /** After `sink.push` returned false: the sink can take events again; pushes what was buffered meanwhile. */
  resume(): void;
  /**
   * Ends the subscription with an error of the caller's (e.g. ACCESS_REVOKED): buffered events
   * are dropped and the consumer's next pull throws `error` (a push sink gets it in `end`).
   */
  terminate(error: MeshgateError): void;
}

/** A consumer the hub pushes events to (see {@link Subscription.pushTo}). */
export interface EventSink {
  /**
   * Takes one event. Return false when the sink cannot take another now (its socket is full):
   * the hub buffers what follows (bounded, as for a pulling consumer) until `resume()`.
   */
  push(event: DeliveredEvent): boolean;
  /** The subscription ended: `end.error` is set when the hub ended it (slow subscriber, shutdown, upstream). Called once. */
  end(end: SubscriptionEnd): void;
}

interface Waiter {
  resolve(result: IteratorResult<DeliveredEvent>): void;
  reject(error: unknown): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** The hub's side of a subscription: the topic feed pushes, the consumer pulls. */
export class HubSubscription implements Subscription {
  readonly startCursor: string;
  readonly done: Promise<SubscriptionEnd>;
  state: SubscriptionState = 'catching-up';
  /**
   * The position after the last event handed to this subscriber, per partition. Kept while it
   * catches up and while it is live but ahead of the hub in some partition; once level with
   * the hub in every partition its position is the hub's, and this map is left behind.
   */
  positions: Map<number, number>;
  /** While live: partitions in which this subscriber is ahead of the hub (see TopicFeed). */
  ahead: Set<number> | undefined;
  private readonly queue: BoundedQueue<DeliveredEvent>;
  private readonly waiters: Waiter[] = [];
  private room: { threshold: number; resolve: () => void } | undefined;
  private reader: LogReader | undefined;
  private cleanup: Promise<void> = Promise.resolve();
  private endState: SubscriptionEnd | undefined;
  private errorThrown = false;
  private peak = 0;
  private sink: EventSink | undefined;
  private paused = false;
  private pushing = false;
  private resolveDone!: (end: SubscriptionEnd) => void;

  constructor(
    readonly topic: string,
    readonly view: SubscriptionView,
    readonly bufferSize: number,
    positions: Map<number, number>,
    private readonly detach: (subscription: HubSubscription) => void,
  ) {
    this.positions = positions;
    this.startCursor = encodeCursor(positions);
    this.queue = new BoundedQueue(bufferSize);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get ended(): SubscriptionEnd | undefined {
    return this.endState;
  }

  get buffered(): number {
    return this.queue.length;
  }

  get peakBuffered(): number {
    return this.peak;
  }

  /** Room left in the buffer. */
  get free(): number {
    return this.queue.free;
  }

  [Symbol.asyncIterator](): AsyncIterator<DeliveredEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  /** Hands an event to a waiting consumer or buffers it; false when the buffer is full. */
  offer(event: DeliveredEvent): boolean {
    if (this.sink && !this.paused && this.queue.length === 0 && !this.pushing) {
      this.pushing = true;
      try {
        if (!this.sink.push(event)) this.paused = true;
      } finally {
        this.pushing = false;
      }
      return true;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ done: false, value: event });
      return true;
    }
    if (!this.queue.push(event)) return false;
    if (this.queue.length > this.peak) this.peak = this.queue.length;
    return true;
  }

  pushTo(sink: EventSink): void {
    if (this.sink) throw new Error('pushTo: this subscription already has a sink');
    this.sink = sink;
    if (this.endState) {
      sink.end(this.endState);
      return;
    }
    this.resume();
  }

  resume(): void {
    const sink = this.sink;
    if (!sink || this.pushing) return;
    this.paused = false;
    this.pushing = true;
    try {
      while (!this.paused && !this.endState) {
        const event = this.take();
        if (!event) break;
        if (!sink.push(event)) this.paused = true;
      }
    } finally {
      this.pushing = false;
    }
  }

  /** Resolves once at most `threshold` events are buffered, or the subscription ended. */
  waitForRoom(threshold: number): Promise<void> {
    if (this.endState || this.queue.length <= threshold) return Promise.resolve();
    return new Promise((resolve) => (this.room = { threshold, resolve }));
  }

  /** Registers the catch-up reader, so ending the subscription also closes it. */
  attachReader(reader: LogReader | undefined): void {
    this.reader = reader;
    if (reader && this.endState) this.cleanup = reader.close().catch(() => undefined);
  }

  /**
   * Ends the subscription: drops what is buffered (so a stuck consumer holds no memory), wakes
   * the consumer and closes its catch-up reader. Returns false when it had already ended.
   */
  end(end: SubscriptionEnd): boolean {
    if (this.endState) return false;
    this.endState = end;
    this.state = 'ended';
    this.queue.clear();
    for (const waiter of this.waiters.splice(0)) this.settle(waiter);
    this.room?.resolve();
    this.room = undefined;
    if (this.reader) this.cleanup = this.reader.close().catch(() => undefined);
    this.detach(this);
    this.resolveDone(end);
    this.sink?.end(end);
    return true;
  }

  terminate(error: MeshgateError): void {
    this.end({ reason: 'TERMINATED', error });
  }

  /** Stops the subscription from the consumer's side. */
  async close(): Promise<void> {
    this.end({ reason: 'CLOSED' });
    await this.cleanup;
  }

  /** Resolves when its catch-up reader (if any) has closed. */
  closed(): Promise<void> {
    return this.cleanup;
  }

  /** The oldest buffered event, waking a catch-up waiting for room. */
  private take(): DeliveredEvent | undefined {
    const event = this.queue.shift();
    if (event && this.room && this.queue.length <= this.room.threshold) {
      this.room.resolve();
      this.room = undefined;
    }
    return event;
  }

  private next(): Promise<IteratorResult<DeliveredEvent>> {
    const event = this.take();
    if (event) return Promise.resolve({ done: false, value: event });
    if (this.endState) {
      return new Promise((resolve, reject) => this.settle({ resolve, reject }));
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  // The hub's reason is thrown once (to the first pull after the end); later pulls are done.
  private settle(waiter: Waiter): void {
    const error = this.endState?.error;
    if (error && !this.errorThrown) {
      this.errorThrown = true;
      waiter.reject(error);
    } else waiter.resolve(DONE);
  }
}
