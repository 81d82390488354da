import http from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Subscription } from '@meshgate/streaming';
import { SOCKET_HIGH_WATER_BYTES } from '../src/graphql/direct-delivery';
import { adminAuth, adapters, request, startTestGateway, uniqueName, waitFor, type TestGateway } from './harness';
import { GraphqlWsRecorder, expectEveryEventOnce, recordSse } from './stream-clients';

// A subscriber that stops reading must not slow the others down nor make the gateway hold more
// than its bounded buffer: real clients that stop reading their socket (TCP back-pressure all the
// way to the gateway) next to fast ones, on a real gateway and event log.

/** The gateway's per-subscriber buffer (subscriberBufferSize), small so the test stays short. */
const BUFFER = 100;
/** Events per produce request. */
const BATCH = 100;
/** Events every client reads before the slow ones stop reading (small ones, see below). */
const WARMUP = 20;
/** Bytes of padding in each event produced while the slow clients stall. */
const PAD_BYTES = 8 * 1024;
/**
 * Large events, so that the few MiB the kernel buffers for a stalled connection (Linux grows a
 * loopback send buffer up to tcp_wmem's 4 MiB) fill after several hundred events and the stall
 * stays short: graphql-ws's keep-alive terminates a socket that has not answered a ping within
 * 12 s. (Larger events fill them no faster, and make the process's memory noisier.) The warm-up
 * events are small: the slow clients read little before they stall.
 */
const PAD = 'x'.repeat(PAD_BYTES);
/** Give up (and fail) if the slow subscribers were not ended after this many events. */
const MAX_EVENTS = 10_000;
/**
 * Most bytes a stalled client's socket may hold unsent in the gateway's memory: graphql-ws waits
 * above SOCKET_HIGH_WATER_BYTES, SSE above the response's 16 KiB high-water mark, each after one
 * more message (plus a ping). An unbounded writer would hold every event.
 */
const SOCKET_BYTES_LIMIT = SOCKET_HIGH_WATER_BYTES + 2 * PAD_BYTES + 16 * 1024;
/** Generous: fast subscribers get every event within this long of its produce request. */
const LATENCY_LIMIT_MS = 15_000;
/** Generous: the process (gateway, clients, Kafka client) grows by less than this while they stall. */
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;

const schema = {
  type: 'object',
  required: ['seq', 'pad'],
  properties: { seq: { type: 'integer' }, pad: { type: 'string' } },
};

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

describe.each(adapters)('slow subscribers on the %s event log', (adapter) => {
  let gw: TestGateway;
  /** Every connection the gateway accepted, to watch what it holds unsent per socket. */
  const serverSockets = new Set<Socket>();

  beforeAll(async () => {
    gw = await startTestGateway(adapter, {
      subscriberBufferSize: BUFFER,
      bodyLimit: 4 * 1024 * 1024,
      // Long enough that the stalled SSE client is not closed as gone before it reads again.
      sseHeartbeatMs: 10_000,
    });
    gw.gateway.app.server.on('connection', (socket: Socket) => serverSockets.add(socket));
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('ends stalled SSE and graphql-ws subscribers with SLOW_SUBSCRIBER, keeps fast ones on time, and lets the slow ones resume with no loss', async () => {
    const eventType = uniqueName('slow');
    expect(
      (await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, { summary: 's', owner: 'o' })).status,
    ).toBe(201);
    const registered = await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: JSON.stringify(schema),
      schemaType: 'JSON',
    });
    expect(registered.status).toBe(200);

    // The hub's own view of each subscriber (buffer level, how it ended), in subscription order.
    const hub = gw.gateway.runtime.services().hub;
    const subscribe = vi.spyOn(hub, 'subscribe');
    // Only subscriptions that opened count (a retried UNAVAILABLE open leaves a rejected call).
    const nthSubscription = (n: number): Promise<Subscription> =>
      waitFor(
        async () => {
          const settled = await Promise.allSettled(subscribe.mock.results.map((result) => result.value));
          const opened = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
          return opened[n] as Subscription | undefined;
        },
        15_000,
        `hub subscription ${n + 1}`,
      );

    const sentAt: number[] = [];
    let produced = 0;
    const produceBatch = async (count: number, pad = PAD) => {
      const seqs = Array.from({ length: count }, (_, i) => produced + i);
      produced += count;
      const at = Date.now();
      for (const seq of seqs) sentAt[seq] = at;
      const body = seqs.map((seq) => JSON.stringify({ seq, pad })).join('\n');
      const answer = await request(gw.url, 'POST', `/v1/events/${eventType}`, body, {
        'content-type': 'application/x-ndjson',
      });
      expect(answer.status).toBe(202);
    };

    const streamUrl = `${gw.url}/v1/events/${eventType}/stream`;
    const fastSse = await recordSse(streamUrl);
    const fastSseSubscription = await nthSubscription(0);
    const fastWs = await GraphqlWsRecorder.connect(gw.url);
    const fastWsOperation = fastWs.subscribeEvents('fast', eventType);
    const fastWsSubscription = await nthSubscription(1);
    const slowSse = await recordSse(streamUrl, { pauseAfter: WARMUP });
    const slowSseSubscription = await nthSubscription(2);
    const slowWs = await GraphqlWsRecorder.connect(gw.url);
    const slowWsOperation = slowWs.subscribeEvents('slow', eventType, { pauseAfter: WARMUP });
    const slowWsSubscription = await nthSubscription(3);
    const subscriptions = [fastSseSubscription, fastWsSubscription, slowSseSubscription, slowWsSubscription];
    const resumed: Array<{ close(): unknown }> = [];
    try {
      await waitFor(
        () => (subscriptions.every((subscription) => subscription.state === 'live') ? true : undefined),
        10_000,
        'all four subscribers live',
      );

      // Warm-up: everyone reads; the slow clients then stop reading their sockets.
      await produceBatch(WARMUP, '');
      await waitFor(
        () =>
          fastSse.events.length === WARMUP &&
          fastWsOperation.events.length === WARMUP &&
          slowSse.paused &&
          slowWs.paused
            ? true
            : undefined,
        30_000,
        'the warm-up on every client',
      );

      // Stalled: produce until the hub has ended both slow subscribers, watching what the gateway holds.
      // (A few seconds: graphql-ws's keep-alive would terminate the stalled socket 12 s after an
      // unanswered ping, and the SSE stream closes after two 10 s heartbeats without a drain.)
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      let peakSocketBytes = 0;
      const sample = () => {
        for (const socket of serverSockets) peakSocketBytes = Math.max(peakSocketBytes, socket.writableLength);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      };
      const sampler = setInterval(sample, 10);
      const stalledAt = Date.now();
      let stalledMs: number;
      try {
        // A gateway buffering without bound would never end them: stop once it holds too much.
        while ((!slowSseSubscription.ended || !slowWsSubscription.ended) && peakSocketBytes <= SOCKET_BYTES_LIMIT) {
          if (produced >= MAX_EVENTS) throw new Error(`slow subscribers still open after ${produced} events`);
          await produceBatch(BATCH);
        }
        expect(peakSocketBytes).toBeLessThanOrEqual(SOCKET_BYTES_LIMIT);
        // More events after the end, which the slow clients must find when they resume.
        await produceBatch(BATCH);
        await waitFor(
          () => (fastSse.events.length === produced && fastWsOperation.events.length === produced ? true : undefined),
          60_000,
          `all ${produced} events on the fast subscribers`,
        );
        sample();
        stalledMs = Date.now() - stalledAt;
      } finally {
        clearInterval(sampler);
      }

      // Fast subscribers got everything while the slow ones were still not reading, on time.
      expect(slowSse.paused && slowWs.paused).toBe(true);
      expectEveryEventOnce(fastSse.events, produced);
      expectEveryEventOnce(fastWsOperation.events, produced);
      const latencies = [...fastSse.events, ...fastWsOperation.events].map((e) => e.receivedAt - sentAt[e.seq]!);
      expect(Math.max(...latencies)).toBeLessThan(LATENCY_LIMIT_MS);
      expect(fastSseSubscription.ended).toBeUndefined();
      expect(fastWsSubscription.ended).toBeUndefined();

      // Bounded memory: hub buffers, unsent socket bytes and the process as a whole.
      expect(slowSseSubscription.ended?.reason).toBe('SLOW_SUBSCRIBER');
      expect(slowWsSubscription.ended?.reason).toBe('SLOW_SUBSCRIBER');
      for (const subscription of subscriptions) expect(subscription.peakBuffered).toBeLessThanOrEqual(BUFFER);
      expect(peakSocketBytes).toBeLessThanOrEqual(SOCKET_BYTES_LIMIT);
      expect(peakRss - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
      expect(hub.stats().find((topic) => topic.topic === eventType)?.live).toBe(2);
      const metrics = await fetch(`${gw.url}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/meshgate_subscriptions_ended_total\{reason="SLOW_SUBSCRIBER"\} 2\b/);
      if (process.env.MESHGATE_TEST_FIGURES === '1') {
        console.info(
          `[${adapter}] ${produced} events of ${PAD_BYTES / 1024} KiB, slow subscribers stalled ${stalledMs} ms; fast latency p50 ` +
            `${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms; peak unsent per socket ` +
            `${peakSocketBytes} B; RSS +${Math.round((peakRss - rssBefore) / 1048576)} MiB`,
        );
      }

      // The slow SSE client reads again: what the sockets held, then `event: error`, then the end.
      slowSse.resume();
      await waitFor(() => (slowSse.ended ? true : undefined), 15_000, 'the slow SSE stream to end');
      expect(slowSse.errors).toHaveLength(1);
      expect(slowSse.frames.at(-1)).toBe(slowSse.errors[0]);
      expect(slowSse.errors[0]!.id).toBeUndefined();
      expect(JSON.parse(slowSse.errors[0]!.data)).toEqual({
        code: 'SLOW_SUBSCRIBER',
        message: expect.stringMatching(/resume from the last cursor/),
      });
      expect(slowSse.events.length).toBeLessThan(produced);

      // The slow graphql-ws client reads again: its subscription got an `error`, the socket stays open.
      slowWs.resume();
      await waitFor(() => slowWsOperation.error, 15_000, 'the slow subscription error');
      expect(slowWsOperation.error).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'SLOW_SUBSCRIBER' }) }),
      ]);
      expect(slowWsOperation.completed).toBe(false);
      expect(slowWs.open).toBe(true);
      expect(slowWsOperation.events.length).toBeLessThan(produced);

      // Each resumes from its last cursor and gets exactly what it missed.
      const sseAgain = await recordSse(streamUrl, { lastEventId: slowSse.events.at(-1)!.cursor });
      resumed.push(sseAgain);
      const wsAgain = slowWs.subscribeEvents('slow-resumed', eventType, {
        after: slowWsOperation.events.at(-1)!.cursor,
      });
      await waitFor(
        () =>
          slowSse.events.length + sseAgain.events.length >= produced &&
          slowWsOperation.events.length + wsAgain.events.length >= produced
            ? true
            : undefined,
        60_000,
        'the slow clients to catch up',
      );
      // Anything extra (a duplicate) would arrive right behind.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expectEveryEventOnce([...slowSse.events, ...sseAgain.events], produced);
      expectEveryEventOnce([...slowWsOperation.events, ...wsAgain.events], produced);
      expect(sseAgain.errors).toEqual([]);
      expect(wsAgain.error).toBeUndefined();
    } finally {
      subscribe.mockRestore();
      fastSse.close();
      slowSse.close();
      for (const client of resumed) client.close();
      await Promise.all([fastWs.close(), slowWs.close()]);
    }
  }, 180_000);
});

// A client that stops reading and never comes back must not hold a connection, a stream and its
// socket buffers for ever: like graphql-ws's keep-alive (which terminates a socket that misses a
// pong), SSE and NDJSON streams close a connection that has not drained for two heartbeats.
describe('clients that stop reading for good', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { sseHeartbeatMs: 500, bodyLimit: 4 * 1024 * 1024 });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const activeStreams = async (transport: string): Promise<number> => {
    const text = await fetch(`${gw.url}/metrics`).then((response) => response.text());
    return Number(new RegExp(`meshgate_active_streams\\{transport="${transport}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };

  it('disconnects SSE and NDJSON streams whose client stopped reading', async () => {
    const eventType = uniqueName('stalled');
    await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, { summary: 's', owner: 'o' });
    await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: JSON.stringify(schema),
      schemaType: 'JSON',
    });
    const streamUrl = `${gw.url}/v1/events/${eventType}/stream`;
    const sse = await recordSse(streamUrl, { pauseAfter: 0 });
    const ndjson = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(streamUrl, { headers: { accept: 'application/x-ndjson', ...adminAuth }, agent: false }, (response) => {
          response.pause();
          resolve(response);
        })
        .once('error', reject),
    );
    let ndjsonClosed = false;
    ndjson.once('close', () => (ndjsonClosed = true));
    try {
      await waitFor(
        async () => ((await activeStreams('sse')) === 1 && (await activeStreams('ndjson')) === 1) || undefined,
        10_000,
        'both streams open',
      );
      let produced = 0;
      while ((await activeStreams('sse')) + (await activeStreams('ndjson')) > 0) {
        if (produced >= MAX_EVENTS) throw new Error(`stalled streams still open after ${produced} events`);
        const body = Array.from({ length: BATCH }, (_, i) => JSON.stringify({ seq: produced + i, pad: PAD }));
        produced += BATCH;
        const answer = await request(gw.url, 'POST', `/v1/events/${eventType}`, body.join('\n'), {
          'content-type': 'application/x-ndjson',
        });
        expect(answer.status).toBe(202);
        // Paced: once the sockets are full, what closes them is time without progress.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The clients, reading again, find their connections closed by the gateway.
      sse.resume();
      ndjson.resume();
      await waitFor(() => (sse.ended ? true : undefined), 10_000, 'the SSE connection to end');
      await waitFor(() => (ndjsonClosed ? true : undefined), 10_000, 'the NDJSON connection to end');
      expect(
        gw.gateway.runtime
          .services()
          .hub.stats()
          .find((topic) => topic.topic === eventType)?.live ?? 0,
      ).toBe(0);
    } finally {
      sse.close();
      ndjson.destroy();
    }
  }, 120_000);
});
