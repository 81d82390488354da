import { setTimeout as sleepFor } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { MeshgateError, decodeCursor, encodeCursor, isMeshgateError } from '@meshgate/core';
import type { AppendResult, EventLog } from '@meshgate/event-log';
import {
  FanoutHub,
  SubscriptionEndedError,
  openEventStream,
  openHubStream,
  type FanoutHubOptions,
  type ParsedRecord,
  type DeliveredEvent,
  type Subscription,
  type SubscriptionView,
} from '../src';
import { Collector, countReads, range, uniqueName, waitFor, type CountedEventLog } from './helpers';

/** Opens the EventLog under test; the suite closes it. */
export type EventLogFactory = () => Promise<EventLog>;

// Kafka readers join a consumer group each, which takes a moment: one generous budget for all.
const TEST_TIMEOUT_MS = 120_000;

interface Payload {
  n: number;
  secret: string;
}

/**
 * The hub's behaviour, run against a real event log (no mocks): the same suite for the
 * embedded PostgreSQL log and for Kafka. Every test works in topics of its own.
 */
export function describeFanoutHub(name: string, factory: EventLogFactory): void {
  describe(`FanoutHub on ${name}`, { timeout: TEST_TIMEOUT_MS }, () => {
    let log: EventLog;

    beforeAll(async () => {
      log = await factory();
    });

    afterAll(async () => {
      await log?.close();
    });

    async function newTopic(partitions = 3): Promise<string> {
      const topic = uniqueName('hub');
      await log.createTopic({ name: topic, partitions });
      return topic;
    }

    /** A hub over a counting wrapper of the log, closed when the test ends. */
    function openHub(options: Omit<FanoutHubOptions, 'eventLog'> = {}): { hub: FanoutHub; counted: CountedEventLog } {
      const counted = countReads(log);
      const hub = new FanoutHub({ idleTopicCloseMs: 0, ...options, eventLog: counted.log });
      onTestFinished(() => hub.close());
      return { hub, counted };
    }

    function keep(subscription: Subscription): Subscription {
      onTestFinished(() => subscription.close());
      return subscription;
    }

    /** Appends events n = from … from + count - 1, keyed so they spread over the partitions. */
    async function produce(topic: string, count: number, from = 0): Promise<AppendResult[]> {
      return log.append(
        topic,
        range(from, from + count).map((n) => ({ key: `k${n}`, value: JSON.stringify({ n, secret: `s${n}` }) })),
      );
    }

    async function endOffsets(topic: string): Promise<Map<number, number>> {
      return new Map((await log.offsets(topic)).map(({ partition, next }) => [partition, next]));
    }

    /** Asserts a collector saw exactly offsets [from[p], to[p]) of every partition, in order, once each. */
    function expectExactly(collector: Collector, from: ReadonlyMap<number, number>, to: ReadonlyMap<number, number>) {
      const seen = collector.offsetsByPartition();
      for (const [partition, end] of to) {
        expect(seen.get(partition) ?? [], `partition ${partition}`).toEqual(range(from.get(partition) ?? 0, end));
      }
    }

    function total(from: ReadonlyMap<number, number>, to: ReadonlyMap<number, number>): number {
      let count = 0;
      for (const [partition, end] of to) count += end - (from.get(partition) ?? 0);
      return count;
    }

    it('serves 200 subscribers from one upstream reader, every event in order, parsed once', async () => {
      const topic = await newTopic(3);
      let parsed = 0;
      const { hub, counted } = openHub({ metrics: { parsed: (_, count) => (parsed += count) } });
      const start = await endOffsets(topic);
      const subscriptions = await Promise.all(range(0, 200).map(() => hub.subscribe({ topic }).then(keep)));
      const collectors = subscriptions.map((subscription) => new Collector(subscription));
      expect(subscriptions.every((subscription) => subscription.state === 'live')).toBe(true);

      await produce(topic, 60);
      await produce(topic, 60, 60);
      await waitFor(
        () => collectors.every((collector) => collector.events.length === 120),
        () => `120 events for each of 200 subscribers (min ${Math.min(...collectors.map((c) => c.events.length))})`,
      );

      const end = await endOffsets(topic);
      for (const collector of collectors) expectExactly(collector, start, end);
      expect(counted.reads).toHaveLength(1);
      expect(counted.open()).toBe(1);
      // Level subscribers share each event object, so its value was parsed (and built) once.
      const first = collectors[0]!.events;
      for (const collector of collectors) {
        collector.events.forEach((event, i) => expect(event).toBe(first[i]));
      }
      expect(parsed).toBe(120);
      expect(decodeCursor(first.at(-1)!.cursor)).toEqual(end);
      for (const subscription of subscriptions) expect(subscription.peakBuffered).toBeLessThanOrEqual(1000);
    });

    it('computes each view payload once per record and shares its serialised form', async () => {
      const topic = await newTopic(2);
      const calls = { masked: 0, even: 0 };
      // A fresh view object per subscriber, as a gateway would build from each grant: the key is what counts.
      const masked = (): SubscriptionView => ({
        key: 'masked',
        transform: (record: ParsedRecord) => {
          calls.masked += 1;
          return { n: (record.data as Payload).n, secret: '***' };
        },
      });
      const even = (): SubscriptionView => ({
        key: 'even',
        transform: (record: ParsedRecord) => {
          calls.even += 1;
          return (record.data as Payload).n % 2 === 0 ? record.data : undefined;
        },
      });
      const { hub } = openHub();
      const subscribe = (view?: SubscriptionView) => hub.subscribe({ topic, view }).then(keep);
      const raw = await Promise.all(range(0, 20).map(() => subscribe()));
      const maskedSubs = await Promise.all(range(0, 20).map(() => subscribe(masked())));
      const evenSubs = await Promise.all(range(0, 20).map(() => subscribe(even())));
      const [rawC, maskedC, evenC] = [raw, maskedSubs, evenSubs].map((group) => group.map((s) => new Collector(s)));

      await produce(topic, 30);
      await waitFor(
        () =>
          rawC!.every((c) => c.events.length === 30) &&
          maskedC!.every((c) => c.events.length === 30) &&
          evenC!.every((c) => c.events.length === 15),
        'every view to deliver its events',
      );
      expect(calls).toEqual({ masked: 30, even: 30 });
      const maskedEvents = maskedC![0]!.events;
      expect(maskedEvents.every((event) => (event.data as Payload).secret === '***')).toBe(true);
      expect(rawC![0]!.events.every((event) => (event.data as Payload).secret.startsWith('s'))).toBe(true);
      expect(evenC![0]!.events.every((event) => (event.data as Payload).n % 2 === 0)).toBe(true);
      for (const collector of maskedC!) collector.events.forEach((event, i) => expect(event).toBe(maskedEvents[i]));
      expect(maskedEvents[0]!.serialized).toBe(JSON.stringify(maskedEvents[0]!.data));
      // Filtered events still move the cursor: the last even event's cursor is past every odd one before it.
      const lastEven = evenC![0]!.events.at(-1)!;
      expect(decodeCursor(lastEven.cursor).get(lastEven.partition)).toBe(lastEven.offset + 1);
    });

    it("starts at 'latest' with cursors that name every partition", async () => {
      const topic = await newTopic(4);
      await produce(topic, 10);
      const { hub } = openHub();
      const subscription = keep(await hub.subscribe({ topic, start: { from: 'latest' } }));
      const before = await endOffsets(topic);
      expect(decodeCursor(subscription.startCursor)).toEqual(before);
      const collector = new Collector(subscription);
      const [appended] = await produce(topic, 1, 10);
      await waitFor(() => collector.events.length === 1, 'the one new event');
      const cursor = decodeCursor(collector.events[0]!.cursor);
      expect([...cursor.keys()].sort()).toEqual([0, 1, 2, 3]);
      expect(cursor).toEqual(new Map(before).set(appended!.partition, appended!.offset + 1));
    });

    it('resumes from the middle of history through its own reader, then live: no gap, no duplicate (the seam)', async () => {
      const topic = await newTopic(3);
      const appended = await produce(topic, 300);
      // A tiny ring and buffer: the resume must read history itself and switch over under load.
      const { hub, counted } = openHub({ retainRecent: 5, bufferSize: 40 });
      const anchor = keep(await hub.subscribe({ topic }));
      const anchorC = new Collector(anchor);

      const middle = new Map<number, number>(range(0, 3).map((p) => [p, 0]));
      for (const { partition, offset } of appended.slice(0, 150)) middle.set(partition, offset + 1);

      // Producers keep appending while the resumed subscriber catches up.
      let producing = true;
      let next = 300;
      const producer = (async () => {
        while (producing) {
          await produce(topic, 3, next);
          next += 3;
          await sleepFor(15);
        }
      })();
      onTestFinished(() => {
        producing = false;
        return producer;
      });

      const resumed = keep(await hub.subscribe({ topic, start: { after: encodeCursor(middle) } }));
      const producedBeforeResume = next;
      expect(resumed.state).toBe('catching-up');
      // A consumer with hiccups, so the buffer fills and the catch-up waits on it.
      const resumedC = new Collector(resumed, (count) => (count % 50 === 0 ? sleepFor(5) : undefined));
      await waitFor(() => resumed.state === 'live', 'the resumed subscriber to go live', 60_000);
      // The seam was crossed while records kept arriving.
      expect(next).toBeGreaterThan(producedBeforeResume);
      await sleepFor(500);
      producing = false;
      await producer;

      const end = await endOffsets(topic);
      await waitFor(
        () => resumedC.events.length >= total(middle, end),
        () => `${total(middle, end)} events after the cursor (got ${resumedC.events.length})`,
      );
      expectExactly(resumedC, middle, end);
      expect(resumedC.error).toBeUndefined();
      expect(resumed.peakBuffered).toBeLessThanOrEqual(40);
      // The history reader did its job and closed; only the shared reader remains.
      expect(counted.reads.length).toBeGreaterThanOrEqual(2);
      await waitFor(() => counted.open() === 1, 'the history reader to close');
      // The live subscriber was never disturbed by the catch-up next to it.
      const anchorStart = decodeCursor(anchor.startCursor);
      await waitFor(() => anchorC.events.length >= total(anchorStart, end), 'every new event for the anchor');
      expectExactly(anchorC, anchorStart, end);
    });

    it('serves a near-live resume from the ring of recent records without a reader of its own', async () => {
      const topic = await newTopic(3);
      const { hub, counted } = openHub({ retainRecent: 1000 });
      const anchorC = new Collector(keep(await hub.subscribe({ topic })));
      await produce(topic, 60);
      await waitFor(() => anchorC.events.length === 60, '60 events for the anchor');
      const cursorAt = anchorC.events[20]!.cursor;

      const producing = produce(topic, 30, 60);
      const resumed = keep(await hub.subscribe({ topic, start: { after: cursorAt } }));
      const resumedC = new Collector(resumed);
      await producing;
      const end = await endOffsets(topic);
      const from = decodeCursor(cursorAt);
      await waitFor(() => resumedC.events.length >= total(from, end), 'every event after the cursor');
      expectExactly(resumedC, from, end);
      expect(resumed.state).toBe('live');
      expect(counted.reads).toHaveLength(1);
    });

    it('falls back to a reader when the ring moves past a stalled catch-up', async () => {
      const topic = await newTopic(1);
      const { hub, counted } = openHub({ retainRecent: 50, bufferSize: 10 });
      const anchorC = new Collector(keep(await hub.subscribe({ topic })));
      await produce(topic, 50);
      await waitFor(() => anchorC.events.length === 50, '50 events for the anchor');

      // Starts inside the ring but does not pull: the copy stops at its buffer's size.
      const resumed = keep(await hub.subscribe({ topic, start: { after: anchorC.events[9]!.cursor } }));
      await waitFor(() => resumed.buffered === 10, 'the buffer to fill from the ring');
      expect(resumed.state).toBe('catching-up');
      // Meanwhile the ring moves on past everything the subscriber still needs.
      await produce(topic, 100, 50);
      await waitFor(() => anchorC.events.length === 150, '150 events for the anchor');
      expect(resumed.peakBuffered).toBe(10);

      const resumedC = new Collector(resumed);
      await waitFor(
        () => resumedC.events.length === 140,
        () => `140 events (got ${resumedC.events.length})`,
      );
      expectExactly(resumedC, new Map([[0, 10]]), await endOffsets(topic));
      await waitFor(() => resumed.state === 'live', 'the subscriber to go live');
      expect(counted.reads).toHaveLength(2);
    });

    it('ends a subscriber that never pulls with SLOW_SUBSCRIBER while a fast one gets everything', async () => {
      const topic = await newTopic(2);
      const ended: string[] = [];
      const { hub } = openHub({ bufferSize: 20, metrics: { ended: (_, reason) => ended.push(reason) } });
      const slow = keep(await hub.subscribe({ topic }));
      const fast = keep(await hub.subscribe({ topic }));
      const start = await endOffsets(topic);
      const fastC = new Collector(fast);

      const started = Date.now();
      for (let i = 0; i < 5; i += 1) await produce(topic, 40, i * 40);
      await waitFor(
        () => fastC.events.length === 200,
        () => `200 events for the fast one (got ${fastC.events.length})`,
      );
      const elapsed = Date.now() - started;
      expectExactly(fastC, start, await endOffsets(topic));
      expect(fast.ended).toBeUndefined();
      expect(fast.peakBuffered).toBeLessThanOrEqual(20);
      expect(elapsed).toBeLessThan(15_000);

      expect(slow.ended?.reason).toBe('SLOW_SUBSCRIBER');
      expect(slow.peakBuffered).toBe(20);
      // Dropped at once: a stuck consumer holds no memory.
      expect(slow.buffered).toBe(0);
      expect(ended).toEqual(['SLOW_SUBSCRIBER']);
      const slowC = new Collector(slow);
      await slowC.done;
      expect(slowC.events).toHaveLength(0);
      expect(slowC.error).toBeInstanceOf(SubscriptionEndedError);
      expect((slowC.error as SubscriptionEndedError).reason).toBe('SLOW_SUBSCRIBER');
      expect((slowC.error as SubscriptionEndedError).code).toBe('SLOW_SUBSCRIBER');
      expect(hub.stats()[0]?.live).toBe(1);
    });

    it('pushes to a sink in order, buffers (bounded) while it is paused, and ends it with SLOW_SUBSCRIBER', async () => {
      const topic = await newTopic(2);
      const { hub } = openHub({ bufferSize: 20 });
      const start = await endOffsets(topic);
      const pushed: DeliveredEvent[] = [];
      let accept = true;
      const ends: string[] = [];
      const subscription = keep(await hub.subscribe({ topic }));
      subscription.pushTo({
        push(event) {
          pushed.push(event);
          return accept;
        },
        end: (end) => ends.push(end.reason),
      });
      await produce(topic, 30, 0);
      await waitFor(
        () => pushed.length === 30,
        () => `30 pushed events (got ${pushed.length})`,
      );
      // Every event, in order per partition, the last cursor naming the end of every partition.
      const end = await endOffsets(topic);
      for (const [partition, next] of end) {
        const offsets = pushed.filter((event) => event.partition === partition).map((event) => event.offset);
        expect(offsets, `partition ${partition}`).toEqual(range(start.get(partition) ?? 0, next));
      }
      expect(decodeCursor(pushed.at(-1)!.cursor)).toEqual(end);

      // Paused: what follows is buffered, bounded, and pushed on resume.
      accept = false;
      await produce(topic, 1, 30);
      await waitFor(() => pushed.length === 31, 'the event that paused the sink');
      await produce(topic, 10, 31);
      await waitFor(
        () => subscription.buffered === 10,
        () => `10 buffered (got ${subscription.buffered})`,
      );
      expect(pushed).toHaveLength(31);
      accept = true;
      subscription.resume();
      expect(pushed).toHaveLength(41);
      expect(subscription.buffered).toBe(0);

      // Paused and never resumed: ended with SLOW_SUBSCRIBER once the buffer is full, told through end().
      accept = false;
      await produce(topic, 1, 41);
      await waitFor(() => pushed.length === 42, 'the event that paused the sink again');
      await produce(topic, 25, 42);
      await waitFor(() => ends.length === 1, 'the sink to be ended');
      expect(ends).toEqual(['SLOW_SUBSCRIBER']);
      expect(subscription.ended?.error?.code).toBe('SLOW_SUBSCRIBER');
      expect(subscription.buffered).toBe(0);
      expect(subscription.peakBuffered).toBe(20);
    });

    it('ends a subscription its owner terminates with the owner’s error, for pulling and pushing consumers', async () => {
      const topic = await newTopic(1);
      const { hub } = openHub();
      const pulled = keep(await hub.subscribe({ topic }));
      const pushed = keep(await hub.subscribe({ topic }));
      const ends: unknown[] = [];
      pushed.pushTo({ push: () => true, end: (end) => ends.push(end.error) });
      const collector = new Collector(pulled);
      const revoked = new MeshgateError('ACCESS_REVOKED', 'Access ended: access was revoked.');
      pulled.terminate(revoked);
      pushed.terminate(revoked);
      await collector.done;
      expect(collector.error).toBe(revoked);
      expect(pulled.ended?.reason).toBe('TERMINATED');
      expect(ends).toEqual([revoked]);
      expect(hub.stats()[0]?.live ?? 0).toBe(0);
    });

    it('stops the upstream reader when the last subscriber leaves, after the idle grace', async () => {
      const topic = await newTopic(2);
      const { hub, counted } = openHub({ idleTopicCloseMs: 0 });
      const subscriptions = await Promise.all(range(0, 3).map(() => hub.subscribe({ topic })));
      expect(counted.open()).toBe(1);
      await subscriptions[0]!.close();
      await subscriptions[1]!.close();
      expect(hub.stats()).toHaveLength(1);
      await subscriptions[2]!.close();
      await waitFor(() => counted.open() === 0 && hub.stats().length === 0, 'the upstream reader to close');

      const again = keep(await hub.subscribe({ topic }));
      const againC = new Collector(again);
      await produce(topic, 5);
      await waitFor(() => againC.events.length === 5, '5 events after resubscribing');
      expect(counted.reads).toHaveLength(2);

      // With a grace period, a quick reconnect finds the reader still open.
      const { hub: patient, counted: patientCounted } = openHub({ idleTopicCloseMs: 60_000 });
      await (await patient.subscribe({ topic })).close();
      keep(await patient.subscribe({ topic }));
      expect(patientCounted.reads).toHaveLength(1);
    });

    it('ends every subscription with SHUTDOWN on close, catching up or live, and closes every reader', async () => {
      const topic = await newTopic(2);
      await produce(topic, 100);
      const { hub, counted } = openHub({ bufferSize: 10, retainRecent: 0 });
      const live = await Promise.all(range(0, 5).map(() => hub.subscribe({ topic })));
      const catchingUp = await hub.subscribe({ topic, start: { from: 'earliest' } });
      await waitFor(() => counted.reads.length === 2, 'the history reader to open');
      expect(catchingUp.state).toBe('catching-up');
      const collectors = [...live, catchingUp].map((s) => new Collector(s));

      await hub.close();
      for (const subscription of [...live, catchingUp]) expect(subscription.ended?.reason).toBe('SHUTDOWN');
      await Promise.all(collectors.map((c) => c.done));
      for (const collector of collectors) {
        expect(isMeshgateError(collector.error) && collector.error.code).toBe('SHUTTING_DOWN');
        expect((collector.error as SubscriptionEndedError).reason).toBe('SHUTDOWN');
      }
      expect(counted.open()).toBe(0);
      await expect(hub.subscribe({ topic })).rejects.toMatchObject({ reason: 'SHUTDOWN' });
    });

    it('rejects a missing topic and a malformed cursor before any reader opens', async () => {
      const { hub, counted } = openHub();
      await expect(hub.subscribe({ topic: uniqueName('missing') })).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
      const topic = await newTopic(1);
      await expect(hub.subscribe({ topic, start: { after: 'not a cursor' } })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
      expect(counted.reads).toHaveLength(0);
    });

    it('openHubStream is a drop-in for openEventStream: same start cursor, same events, same cursors', async () => {
      const topic = await newTopic(3);
      await produce(topic, 40);
      const { hub } = openHub();
      const viaHub = await openHubStream(hub, topic, { from: 'earliest' });
      const direct = await openEventStream(log, topic, { from: 'earliest' });
      onTestFinished(() => Promise.all([viaHub.close(), direct.close()]).then(() => undefined));
      expect(viaHub.startCursor).toBe(direct.startCursor);
      const [hubC, directC] = [new Collector(viaHub), new Collector(direct)];
      await produce(topic, 20, 40);
      await waitFor(() => hubC.events.length === 60 && directC.events.length === 60, '60 events on both streams');
      const summary = (c: Collector) =>
        c.events
          .map((e) => ({ cursor: e.cursor, partition: e.partition, offset: e.offset, key: e.key, data: e.data }))
          .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
      // Cursors depend on the interleaving across partitions, so compare per-partition cursor entries.
      const own = (e: { cursor: string; partition: number }) => decodeCursor(e.cursor).get(e.partition);
      expect(summary(hubC).map(({ cursor: _, ...rest }) => rest)).toEqual(
        summary(directC).map(({ cursor: _, ...rest }) => rest),
      );
      expect(summary(hubC).map(own)).toEqual(summary(directC).map(own));
      await viaHub.close();
      await hubC.done;
      expect(hubC.error).toBeUndefined();
    });
  });
}
