import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from '@meshgate/core';
import { adapters, request, startTestGateway, uniqueName, type TestGateway } from './harness';

const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } };

interface Envelope {
  type: string;
  cursor: string;
  partition: number;
  offset: number;
  time: string;
  key: string | null;
  headers: Record<string, string>;
  data: { n: number };
}

interface Page {
  events: Envelope[];
  cursor: string;
  hasMore: boolean;
}

describe.each(adapters)('fetch on the %s event log', (adapter) => {
  let gw: TestGateway;

  async function declare(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    expect((await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o' })).status).toBe(
      201,
    );
    const registered = await request(gw.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schema: JSON.stringify(schema),
      schemaType: 'JSON',
    });
    expect(registered.status).toBe(200);
    return name;
  }

  async function produce(name: string, from: number, count: number): Promise<void> {
    const body = Array.from({ length: count }, (_, i) => JSON.stringify({ n: from + i })).join('\n');
    const res = await request(gw.url, 'POST', `/v1/events/${name}`, body, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
  }

  async function fetchPage(name: string, query: string): Promise<Page> {
    const res = await request(gw.url, 'GET', `/v1/events/${name}${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Page;
  }

  beforeAll(async () => {
    gw = await startTestGateway(adapter);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('returns promptly on an empty topic with a cursor that continues', async () => {
    const name = await declare('fetch.empty');
    const started = Date.now();
    const empty = await fetchPage(name, '');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(empty).toEqual({ events: [], cursor: expect.any(String), hasMore: false });
    expect([...decodeCursor(empty.cursor).keys()].sort()).toEqual([0, 1, 2]);
    await produce(name, 1, 1);
    const next = await fetchPage(name, `?after=${empty.cursor}`);
    expect(next.events.map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(next.events[0]).toEqual({
      type: name,
      cursor: expect.any(String),
      partition: expect.any(Number),
      offset: 0,
      time: expect.any(String),
      key: null,
      headers: { 'meshgate-event-type': name, 'meshgate-schema-id': expect.stringMatching(/^[1-9][0-9]*$/) },
      data: { n: 1 },
    });
    expect(next.cursor).toBe(next.events[0]!.cursor);
    const caughtUp = Date.now();
    expect(await fetchPage(name, `?after=${next.cursor}`)).toEqual({ events: [], cursor: next.cursor, hasMore: false });
    expect(Date.now() - caughtUp).toBeLessThan(2000);
  });

  it('pages through many events with no gap and no duplicate, then continues from the last cursor', async () => {
    const name = await declare('fetch.pages');
    const total = 230;
    for (let from = 0; from < total; from += 100) await produce(name, from, Math.min(100, total - from));
    const seen: number[] = [];
    const lastOffset = new Map<number, number>();
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await fetchPage(name, `?limit=40${cursor ? `&after=${cursor}` : ''}`);
      pages++;
      expect(page.events.length).toBeLessThanOrEqual(40);
      for (const event of page.events) {
        seen.push(event.data.n);
        // Per partition, offsets only move forward, one at a time.
        expect(event.offset).toBe((lastOffset.get(event.partition) ?? -1) + 1);
        lastOffset.set(event.partition, event.offset);
      }
      cursor = page.cursor;
      if (!page.hasMore) break;
      expect(page.events).toHaveLength(40);
      expect(pages).toBeLessThan(20);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(pages).toBe(Math.ceil(total / 40));
    // Caught up: empty, same cursor; new events come next.
    expect(await fetchPage(name, `?after=${cursor}`)).toEqual({ events: [], cursor, hasMore: false });
    await produce(name, total, 5);
    const more = await fetchPage(name, `?after=${cursor}`);
    expect(more.events.map((e) => e.data.n).sort((a, b) => a - b)).toEqual([230, 231, 232, 233, 234]);
    expect(more.hasMore).toBe(false);
  }, 120_000);

  it("resumes from any event's cursor without repeating what came before it", async () => {
    const name = await declare('fetch.resume');
    await produce(name, 0, 30);
    const first = await fetchPage(name, '?limit=10');
    expect(first.events).toHaveLength(10);
    expect(first.hasMore).toBe(true);
    const resumed = await fetchPage(name, `?after=${first.events[4]!.cursor}&limit=1000`);
    const before = new Set(first.events.slice(0, 5).map((e) => `${e.partition}:${e.offset}`));
    expect(resumed.events).toHaveLength(25);
    expect(resumed.events.some((e) => before.has(`${e.partition}:${e.offset}`))).toBe(false);
  });

  it('starts at the end with from=latest and at the beginning by default', async () => {
    const name = await declare('fetch.latest');
    await produce(name, 0, 3);
    const latest = await fetchPage(name, '?from=latest');
    expect(latest.events).toEqual([]);
    expect(latest.hasMore).toBe(false);
    await produce(name, 3, 2);
    expect((await fetchPage(name, `?after=${latest.cursor}`)).events.map((e) => e.data.n).sort()).toEqual([3, 4]);
    expect((await fetchPage(name, '')).events).toHaveLength(5);
  });

  it('refuses a bad cursor, a bad limit, unknown parameters and unknown event types', async () => {
    const name = await declare('fetch.bad');
    const badCursor = await request(gw.url, 'GET', `/v1/events/${name}?after=bogus!`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('INVALID_CURSOR');
    for (const limit of ['0', '1001', 'ten', '-1']) {
      const res = await request(gw.url, 'GET', `/v1/events/${name}?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
    }
    expect((await request(gw.url, 'GET', `/v1/events/${name}?from=middle`)).status).toBe(400);
    expect((await request(gw.url, 'GET', `/v1/events/${name}?colour=red`)).status).toBe(400);
    const unknown = await request(gw.url, 'GET', '/v1/events/no.such.type');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('EVENT_TYPE_NOT_FOUND');
  });
});
