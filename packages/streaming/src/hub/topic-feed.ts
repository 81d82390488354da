import { setImmediate as nextTurn } from 'node:timers/promises';
import { encodeCursor } from '@meshgate/core';
import type { EventLog, LogReader, LogRecord, PartitionOffsets } from '@meshgate/event-log';
import type { FanoutHubMetrics } from './hub-metrics';
import type { RecordCheck } from '../record-check';
import { HubEvent, HubRecord, judgeRecords, type SubscriptionView, type ViewPayload } from './hub-record';
import { RecentRecords } from './recent-records';
import type { HubSubscription } from './subscription';
import { slowSubscriberEnd, upstreamEnd, viewFailedEnd, type SubscriptionEnd } from './subscription-end';

/** Settings a feed takes from its hub (already defaulted). */
export interface TopicFeedOptions {
  eventLog: EventLog;
  bufferSize: number;
  retainRecent: number;
  idleTopicCloseMs: number;
  maxBatchSize: number;
  metrics: FanoutHubMetrics | undefined;
  /** Judges every record before it is delivered (see FanoutHubOptions.check). */
  check: RecordCheck | undefined;
  /** Called once when the feed starts closing, so the hub stops handing it new subscribers. */
  onClosing: (feed: TopicFeed, closed: Promise<void>) => void;
}

/** Live subscribers of one view. */
interface ViewGroup {
  view: SubscriptionView;
  /** Level with the hub in every partition: they share one event object per record. */
  level: Set<HubSubscription>;
  /** Ahead of the hub in some partition (joined from a fresher offsets snapshot): own cursors until level. */
  ahead: Set<HubSubscription>;
}

/** A view threw: kept apart from event-log failures because the subscriber's end differs. */
class ViewFailure extends Error {
  constructor(
    readonly viewKey: string,
    cause: unknown,
  ) {
    super(`view ${viewKey} failed`, { cause });
  }
}

function payloadOf(record: HubRecord, view: SubscriptionView): ViewPayload | undefined {
  try {
    return record.payload(view);
  } catch (error) {
    throw new ViewFailure(view.key, error);
  }
}

/**
 * Everything the hub does for one topic: the one shared upstream reader, the ring of recent
 * records, the live subscribers grouped by view, and each newcomer's catch-up.
 *
 * Invariants that make the seam between catch-up and live exact:
 * - `live` is the position after the last record dispatched, per partition; the ring holds
 *   every deliverable record from `recent.coverFrom(p)` up to `live[p]`.
 * - A catching-up subscriber is never in a live group. It joins only inside one synchronous
 *   step that copies what it lacks from the ring and inserts it into its group; no upstream
 *   batch can be dispatched in between, so nothing is missed and nothing is sent twice.
 * - Live delivery skips records below a subscriber's own position (it may have joined ahead).
 */
export class TopicFeed {
  private readonly live = new Map<number, number>();
  private liveCursor: string | undefined;
  private readonly recent: RecentRecords<HubRecord>;
  private readonly members = new Set<HubSubscription>();
  private readonly catchingUp = new Set<HubSubscription>();
  private readonly groups = new Map<string, ViewGroup>();
  private readonly readerCloses = new Set<Promise<void>>();
  private readonly reader: LogReader;
  private readonly pumping: Promise<void>;
  private readonly batchSize: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  // Set before anything else in close(), which ends subscribers synchronously (see remove()).
  private isClosing = false;

  /** @param offsets the snapshot the first subscriber's start was resolved from: the feed starts at its end */
  constructor(
    readonly topic: string,
    offsets: readonly PartitionOffsets[],
    private readonly options: TopicFeedOptions,
  ) {
    for (const { partition, next } of offsets) this.live.set(partition, next);
    this.recent = new RecentRecords(options.retainRecent, this.live);
    // A batch never fills more than half a buffer, so a subscriber that drains between batches keeps up.
    this.batchSize = Math.max(1, Math.min(options.maxBatchSize, Math.floor(options.bufferSize / 2)));
    this.reader = options.eventLog.read({ topic, from: new Map(this.live), maxBatchSize: this.batchSize });
    options.metrics?.readerOpened?.(topic, 'live');
    this.pumping = this.pump();
  }

  /** Subscribers, catching up or live. */
  get subscriberCount(): number {
    return this.members.size;
  }

  /** A snapshot for tests and diagnostics. */
  stats(): { live: number; catchingUp: number; recent: number; positions: Map<number, number> } {
    return {
      live: this.members.size - this.catchingUp.size,
      catchingUp: this.catchingUp.size,
      recent: this.recent.size,
      positions: new Map(this.live),
    };
  }

  /** Takes a new subscriber (positioned anywhere) and starts bringing it to the live feed. */
  add(subscription: HubSubscription): void {
    clearTimeout(this.idleTimer);
    this.members.add(subscription);
    this.catchingUp.add(subscription);
    this.options.metrics?.subscribers?.(this.topic, this.members.size);
    void this.catchUp(subscription);
  }

  /** Forgets a subscriber that ended (idempotent); the last one out starts the idle timer. */
  remove(subscription: HubSubscription): void {
    if (!this.members.delete(subscription)) return;
    this.catchingUp.delete(subscription);
    const group = this.groups.get(subscription.view.key);
    if (group) {
      group.level.delete(subscription);
      group.ahead.delete(subscription);
      // No group without members: nobody computes payloads for a view nobody watches.
      if (group.level.size === 0 && group.ahead.size === 0) this.groups.delete(subscription.view.key);
    }
    this.options.metrics?.subscribers?.(this.topic, this.members.size);
    if (this.members.size === 0 && !this.isClosing) {
      this.idleTimer = setTimeout(() => {
        if (this.members.size === 0) void this.close();
      }, this.options.idleTopicCloseMs);
      // An idle topic waiting to close must not keep the process alive.
      this.idleTimer.unref();
    }
  }

  /**
   * Stops the upstream reader, ending every remaining subscriber with `end` (if given), and
   * resolves once every reader the feed opened is closed. Idempotent.
   */
  close(end?: SubscriptionEnd): Promise<void> {
    if (!this.closing) {
      // Flagged first: ending subscribers below calls remove(), which must not arm the idle timer.
      this.isClosing = true;
      clearTimeout(this.idleTimer);
      this.closing = this.shutdown(end);
      this.options.onClosing(this, this.closing);
    }
    return this.closing;
  }

  private async shutdown(end: SubscriptionEnd | undefined): Promise<void> {
    const subscriptions = [...this.members];
    if (end) for (const subscription of subscriptions) this.endSubscriber(subscription, end);
    await this.reader.close().catch(() => undefined);
    await this.pumping;
    await Promise.all(subscriptions.map((subscription) => subscription.closed()));
    await Promise.all([...this.readerCloses]);
    this.options.metrics?.readerClosed?.(this.topic, 'live');
  }

  private async pump(): Promise<void> {
    try {
      for await (const batch of this.reader) {
        if (this.isClosing) break;
        const records = this.decode(batch);
        // Judged once here for every subscriber; a warm check answers without a turn.
        const judged = judgeRecords(this.options.check, this.topic, records);
        if (judged) await judged;
        if (this.isClosing) break;
        this.dispatch(records, batch.length);
        // Consumers pull in microtasks and I/O callbacks: give them a turn before the next
        // batch, so a subscriber is judged by its pace, not by the size of one batch.
        await nextTurn();
      }
    } catch (error) {
      if (!this.isClosing) void this.close(upstreamEnd(error));
    }
  }

  /** The batch's records past the live position, each decoded once whatever the number of subscribers and views. */
  private decode(batch: readonly LogRecord[]): HubRecord[] {
    const records: HubRecord[] = [];
    for (const raw of batch) {
      const known = this.live.get(raw.partition);
      if (known !== undefined && raw.offset < known) continue;
      records.push(new HubRecord(raw));
    }
    return records;
  }

  /** Hands one upstream batch to every live subscriber; never waits for any of them. */
  private dispatch(records: readonly HubRecord[], parsed: number): void {
    const { metrics } = this.options;
    let delivered = 0;
    for (const record of records) {
      this.live.set(record.partition, record.offset + 1);
      this.liveCursor = undefined;
      if (record.deliverable) this.recent.add(record);
      // Counted here only: the live reader reads each record once per instance (catch-up re-reads).
      else if (record.verdict?.valid === false) metrics?.invalid?.(this.topic, record.verdict);
      for (const group of this.groups.values()) delivered += this.deliver(group, record);
    }
    metrics?.parsed?.(this.topic, parsed);
    if (delivered > 0) metrics?.delivered?.(this.topic, delivered);
  }

  private deliver(group: ViewGroup, record: HubRecord): number {
    let payload: ViewPayload | undefined;
    try {
      payload = record.payload(group.view);
    } catch (error) {
      const end = viewFailedEnd(group.view.key, error);
      for (const subscription of [...group.level, ...group.ahead]) this.endSubscriber(subscription, end);
      return 0;
    }
    let delivered = 0;
    if (payload && group.level.size > 0) {
      // Level subscribers' position is the hub's: one event object (and cursor) serves them all.
      this.liveCursor ??= encodeCursor(this.live);
      const event = new HubEvent(this.liveCursor, record, payload);
      for (const subscription of group.level) {
        if (subscription.offer(event)) delivered += 1;
        else this.endSubscriber(subscription, slowSubscriberEnd(this.options.bufferSize));
      }
    }
    const { partition, offset } = record;
    for (const subscription of group.ahead) {
      const positions = subscription.positions;
      if (offset >= (positions.get(partition) ?? 0)) {
        positions.set(partition, offset + 1);
        if (payload) {
          if (!subscription.offer(new HubEvent(encodeCursor(positions), record, payload))) {
            this.endSubscriber(subscription, slowSubscriberEnd(this.options.bufferSize));
            continue;
          }
          delivered += 1;
        }
      }
      const ahead = subscription.ahead!;
      if (ahead.has(partition) && (positions.get(partition) ?? 0) <= offset + 1) {
        // Level with the hub in this partition; once level in all, it shares the hub's events.
        ahead.delete(partition);
        if (ahead.size === 0) {
          subscription.ahead = undefined;
          group.ahead.delete(subscription);
          group.level.add(subscription);
        }
      }
    }
    return delivered;
  }

  /**
   * Brings a subscriber from its start to the live feed: from the ring when it covers the
   * subscriber's positions, otherwise with a reader of its own until the ring does.
   */
  private async catchUp(subscription: HubSubscription): Promise<void> {
    try {
      while (subscription.state === 'catching-up' && !this.isClosing) {
        if (this.recent.covers(subscription.positions, this.live)) {
          if (this.joinFromRecent(subscription)) return;
          await subscription.waitForRoom(Math.floor(this.options.bufferSize / 2));
        } else {
          await this.readHistory(subscription);
        }
      }
    } catch (error) {
      const end = error instanceof ViewFailure ? viewFailedEnd(error.viewKey, error.cause) : upstreamEnd(error);
      this.endSubscriber(subscription, end);
    }
  }

  /**
   * One synchronous step: copies what the subscriber lacks from the ring and, if it all fit
   * with half the buffer to spare, makes it live. Returns whether it joined.
   */
  private joinFromRecent(subscription: HubSubscription): boolean {
    const { view, positions } = subscription;
    let delivered = 0;
    try {
      for (const [partition, livePosition] of this.live) {
        for (const record of this.recent.from(partition, positions.get(partition) ?? 0)) {
          const payload = payloadOf(record, view);
          if (payload && subscription.free === 0) return false;
          positions.set(partition, record.offset + 1);
          if (payload) {
            subscription.offer(new HubEvent(encodeCursor(positions), record, payload));
            delivered += 1;
          }
        }
        // The ring held every deliverable record up to the live position, so the subscriber
        // has seen all it will ever get below it (filtered or non-JSON records included).
        if ((positions.get(partition) ?? 0) < livePosition) positions.set(partition, livePosition);
      }
    } finally {
      if (delivered > 0) this.options.metrics?.delivered?.(this.topic, delivered);
    }
    // Joining with a nearly full buffer would make the next live batch end it as slow.
    if (subscription.buffered > Math.floor(this.options.bufferSize / 2)) return false;

    this.catchingUp.delete(subscription);
    subscription.state = 'live';
    let group = this.groups.get(view.key);
    if (!group) {
      group = { view, level: new Set(), ahead: new Set() };
      this.groups.set(view.key, group);
    }
    const ahead = new Set<number>();
    for (const [partition, position] of positions) {
      if (position > (this.live.get(partition) ?? 0)) ahead.add(partition);
    }
    if (ahead.size === 0) group.level.add(subscription);
    else {
      subscription.ahead = ahead;
      group.ahead.add(subscription);
    }
    return true;
  }

  /**
   * Reads history with the subscriber's own reader, pulling a batch only when it fits in the
   * buffer, until the ring covers the subscriber's positions. The reader keeps tailing, so
   * even if the ring never catches up (a consumer slower than the topic) no record is lost.
   */
  private async readHistory(subscription: HubSubscription): Promise<void> {
    const { eventLog, bufferSize, metrics } = this.options;
    const reader = eventLog.read({
      topic: this.topic,
      from: new Map(subscription.positions),
      maxBatchSize: this.batchSize,
    });
    subscription.attachReader(reader);
    metrics?.readerOpened?.(this.topic, 'history');
    try {
      const iterator = reader[Symbol.asyncIterator]();
      const positions = subscription.positions;
      while (subscription.state === 'catching-up' && !this.isClosing) {
        await subscription.waitForRoom(bufferSize - this.batchSize);
        if (subscription.state !== 'catching-up') return;
        const result = await iterator.next();
        if (result.done || subscription.state !== 'catching-up') return;
        const records: HubRecord[] = [];
        for (const raw of result.value) {
          if (raw.offset >= (positions.get(raw.partition) ?? 0)) records.push(new HubRecord(raw));
        }
        const judged = judgeRecords(this.options.check, this.topic, records);
        if (judged) await judged;
        if (subscription.state !== 'catching-up') return;
        let delivered = 0;
        for (const record of records) {
          positions.set(record.partition, record.offset + 1);
          const payload = payloadOf(record, subscription.view);
          if (!payload) continue;
          if (!subscription.offer(new HubEvent(encodeCursor(positions), record, payload))) {
            // Not expected (a batch is pulled only when it fits), but never grow past the bound.
            this.endSubscriber(subscription, slowSubscriberEnd(bufferSize));
            return;
          }
          delivered += 1;
        }
        if (delivered > 0) metrics?.delivered?.(this.topic, delivered);
        if (this.recent.covers(positions, this.live)) return;
      }
    } finally {
      subscription.attachReader(undefined);
      // Closing a Kafka reader leaves its group and takes a moment: the switch does not wait.
      const closed = reader
        .close()
        .catch(() => undefined)
        .then(() => {
          this.readerCloses.delete(closed);
          metrics?.readerClosed?.(this.topic, 'history');
        });
      this.readerCloses.add(closed);
    }
  }

  private endSubscriber(subscription: HubSubscription, end: SubscriptionEnd): void {
    if (subscription.end(end) && end.reason !== 'CLOSED') this.options.metrics?.ended?.(this.topic, end.reason);
  }
}
