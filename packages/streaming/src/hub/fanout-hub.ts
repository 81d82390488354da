import { InputError, decodeCursor } from '@meshgate/core';
import type { EventLog } from '@meshgate/event-log';
import { positionsFromOffsets, type StreamStart } from '../start-positions';
import type { RecordCheck } from '../record-check';
import type { FanoutHubMetrics } from './hub-metrics';
import { RAW_VIEW, type SubscriptionView } from './hub-record';
import { HubSubscription, type Subscription } from './subscription';
import { shutdownEnd } from './subscription-end';
import { TopicFeed } from './topic-feed';

/** Options for {@link FanoutHub}. */
export interface FanoutHubOptions {
  /** The platform to read from. The hub never closes it. */
  eventLog: EventLog;
  /**
   * Events buffered per subscriber. A live subscriber whose buffer is full when the next event
   * arrives is ended with SLOW_SUBSCRIBER, so nobody else waits for it. Default 1000.
   */
  bufferSize?: number;
  /**
   * Recent records kept per partition of each open topic. A subscriber resuming within this
   * window (a reconnect) is served from memory instead of opening a reader of its own. Default 1000.
   */
  retainRecent?: number;
  /**
   * How long a topic's upstream reader stays open after its last subscriber leaves, so quick
   * reconnects find it (and its recent records) warm. Default 30 000 ms.
   */
  idleTopicCloseMs?: number;
  /** Most records per upstream read; also capped at half of `bufferSize`. Default 500. */
  maxBatchSize?: number;
  /** Optional metrics hooks. */
  metrics?: FanoutHubMetrics;
  /**
   * Judges every record once, on the topic's shared reader (and on catch-up readers), before
   * anyone sees it: invalid records are never delivered, positions move past them. Default:
   * none — every JSON record is delivered.
   */
  check?: RecordCheck;
}

/** What to subscribe to. */
export interface SubscribeOptions {
  topic: string;
  /** Where to start; default: only events appended from now on. */
  start?: StreamStart;
  /** How this subscriber sees events (masking, filtering); default: the raw JSON value. */
  view?: SubscriptionView;
}

/** A snapshot of one open topic, for diagnostics and tests. */
export interface TopicStats {
  topic: string;
  /** Subscribers fed by the shared reader. */
  live: number;
  /** Subscribers still reading history (from the ring or a reader of their own). */
  catchingUp: number;
  /** Records held in the ring of recent records. */
  recent: number;
  /** The shared reader's position: next offset per partition. */
  positions: Map<number, number>;
}

/**
 * The fan-out hub: one upstream reader per topic per gateway instance, shared by every
 * subscriber on the instance. Each record is parsed once and each view's payload computed
 * (and serialised) once, whatever the number of subscribers. Every subscriber has a bounded
 * buffer; one that cannot keep up is ended with SLOW_SUBSCRIBER and resumes from its cursor.
 * See the package README for the design.
 */
export class FanoutHub {
  private readonly feeds = new Map<string, TopicFeed>();
  private readonly closingFeeds = new Set<Promise<void>>();
  private readonly eventLog: EventLog;
  private readonly bufferSize: number;
  private readonly retainRecent: number;
  private readonly idleTopicCloseMs: number;
  private readonly maxBatchSize: number;
  private readonly metrics: FanoutHubMetrics | undefined;
  private readonly check: RecordCheck | undefined;
  private closed = false;

  constructor(options: FanoutHubOptions) {
    this.eventLog = options.eventLog;
    this.bufferSize = positiveInteger('bufferSize', options.bufferSize ?? 1000);
    this.retainRecent = nonNegativeInteger('retainRecent', options.retainRecent ?? 1000);
    this.idleTopicCloseMs = nonNegativeInteger('idleTopicCloseMs', options.idleTopicCloseMs ?? 30_000);
    this.maxBatchSize = positiveInteger('maxBatchSize', options.maxBatchSize ?? 500);
    this.metrics = options.metrics;
    this.check = options.check;
  }

  /**
   * Subscribes to a topic. Resolves once the start is known (so a bad cursor or a missing
   * topic rejects here, before a transport commits to a stream); events follow as they come.
   * Throws INVALID_CURSOR, TOPIC_NOT_FOUND, or UNAVAILABLE once the hub is closed.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const { topic, start = {}, view = RAW_VIEW } = options;
    this.assertOpen();
    if (view !== RAW_VIEW && view.key === '') {
      throw new InputError('A subscription view needs a non-empty key (the empty key is the raw view).');
    }
    const resumed = start.after === undefined ? undefined : decodeCursor(start.after);
    // One snapshot serves both the subscriber's start and, for a topic's first subscriber, the
    // shared reader's: a 'latest' subscriber then joins live at once, with no history to read.
    const offsets = await this.eventLog.offsets(topic);
    this.assertOpen();
    const positions = positionsFromOffsets(offsets, start, resumed);
    let feed = this.feeds.get(topic);
    if (!feed) {
      feed = new TopicFeed(topic, offsets, {
        eventLog: this.eventLog,
        bufferSize: this.bufferSize,
        retainRecent: this.retainRecent,
        idleTopicCloseMs: this.idleTopicCloseMs,
        maxBatchSize: this.maxBatchSize,
        metrics: this.metrics,
        check: this.check,
        onClosing: (closing, closed) => this.forget(closing, closed),
      });
      this.feeds.set(topic, feed);
    }
    const owner = feed;
    const subscription = new HubSubscription(topic, view, this.bufferSize, positions, (ended) => owner.remove(ended));
    feed.add(subscription);
    return subscription;
  }

  /** Open topics and their subscribers. */
  stats(): TopicStats[] {
    return [...this.feeds.entries()].map(([topic, feed]) => ({ topic, ...feed.stats() }));
  }

  /** Ends every subscription with SHUTDOWN and stops every reader; resolves when all are closed. */
  async close(): Promise<void> {
    this.closed = true;
    const end = shutdownEnd();
    await Promise.all([...this.feeds.values()].map((feed) => feed.close(end)));
    await Promise.all([...this.closingFeeds]);
  }

  private forget(feed: TopicFeed, closed: Promise<void>): void {
    if (this.feeds.get(feed.topic) === feed) this.feeds.delete(feed.topic);
    // Idle and failed feeds close in the background; close() still waits for them.
    const closing = closed.then(() => void this.closingFeeds.delete(closing));
    this.closingFeeds.add(closing);
  }

  private assertOpen(): void {
    if (this.closed) throw shutdownEnd().error!;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}
