import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '@meshgate/core';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { createGateway, type Gateway } from '../src/app';
import { createLogger } from '../src/logger';
import { TEST_TOKEN, request, testKafkaBrokers, uniqueName, waitFor } from './harness';
import {
  GraphqlWsRecorder,
  expectEveryEventOnce,
  recordSse,
  type ReceivedEvent,
  type SseRecorder,
} from './stream-clients';

const PARTITIONS = 3;
const seqSchema = { type: 'object', required: ['seq'], properties: { seq: { type: 'integer' } } };

/**
 * Each cursor is exactly the position after everything the client received up to that event
 * (the stream started at the beginning of every partition). So the cursor a client holds depends
 * only on what it has seen, on whichever instance it read it.
 */
function expectCursorsOfWhatWasSeen(events: readonly ReceivedEvent[]): void {
  const positions = new Map(Array.from({ length: PARTITIONS }, (_, partition) => [partition, 0]));
  for (const event of events) {
    positions.set(event.partition, event.offset + 1);
    expect(event.cursor).toBe(encodeCursor(positions));
  }
}

/** The (offset, seq) sequence of each partition, to compare what two clients saw. */
function byPartition(events: readonly ReceivedEvent[]): Map<number, Array<[number, number]>> {
  const partitions = new Map<number, Array<[number, number]>>();
  for (const event of events) {
    const list = partitions.get(event.partition) ?? [];
    list.push([event.offset, event.seq]);
    partitions.set(event.partition, list);
  }
  return new Map([...partitions.entries()].sort(([a], [b]) => a - b));
}

// Several instances behind a load balancer serve the same streams: two gateways on one real
// Kafka broker and one PostgreSQL. Events produced through one are streamed by both, cursors
// issued by one resume on the other, idempotency keys are shared and schema changes made through
// one reach the other's typed GraphQL subscriptions without a restart.
describe('two gateway instances on one Kafka and one PostgreSQL: streaming', () => {
  let db: TestDatabase;
  let dir: string;
  let a: Gateway;
  let b: Gateway;
  const closers: Array<() => unknown> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-two-stream-'));
    const start = () =>
      createGateway({
        port: 0,
        dataDir: dir,
        databaseUrl: db.url,
        kafkaBrokers: testKafkaBrokers(),
        seedDemo: false,
        logger: createLogger(process.env.MESHGATE_TEST_LOG === '1' ? 'debug' : 'silent', false),
        access: { bootstrapToken: TEST_TOKEN },
      });
    [a, b] = await Promise.all([start(), start()]);
    await Promise.all([a.runtime.ready(), b.runtime.ready()]);
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Declares an event type with a `{seq}` schema through A and waits until B serves it too. */
  async function declare(name: string, schema: unknown = seqSchema): Promise<void> {
    const put = await request(a.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: 's',
      owner: 'o',
      partitions: PARTITIONS,
    });
    expect(put.status).toBe(201);
    const registered = await request(a.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schema: JSON.stringify(schema),
      schemaType: 'JSON',
    });
    expect(registered.status).toBe(200);
    await waitFor(
      async () => ((await request(b.url, 'GET', `/v1/catalog/event-types/${name}`)).status === 200 ? true : undefined),
      5_000,
      'instance B to see the event type',
    );
  }

  /** Produces events with the given seqs through `via`, keyed so that they spread over the partitions. */
  async function produce(via: Gateway, name: string, seqs: number[]): Promise<void> {
    const answer = await request(
      via.url,
      'POST',
      `/v1/events/${name}`,
      { events: seqs.map((seq) => ({ key: `k${seq % 7}`, data: { seq } })) },
      { 'content-type': 'application/vnd.meshgate.batch+json' },
    );
    expect(answer.status).toBe(202);
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const streamUrl = (gateway: Gateway, name: string) => `${gateway.url}/v1/events/${name}/stream?from=earliest`;

  async function connect(gateway: Gateway): Promise<GraphqlWsRecorder> {
    const client = await GraphqlWsRecorder.connect(gateway.url);
    closers.push(() => client.close());
    return client;
  }

  async function openSse(url: string, lastEventId?: string): Promise<SseRecorder> {
    const sse = await recordSse(url, lastEventId === undefined ? {} : { lastEventId });
    closers.push(() => sse.close());
    return sse;
  }

  it('streams events produced through A to SSE and graphql-ws subscribers on both instances, in order, with the same cursors', async () => {
    const name = uniqueName('fanout');
    await declare(name);
    const sseA = await openSse(streamUrl(a, name));
    const sseB = await openSse(streamUrl(b, name));
    const wsA = (await connect(a)).subscribeEvents('on-a', name, { from: 'EARLIEST' });
    const wsB = (await connect(b)).subscribeEvents('on-b', name, { from: 'EARLIEST' });

    const total = 90;
    for (let from = 0; from < total; from += 30) await produce(a, name, range(from, from + 30));
    const clients = { sseA: sseA.events, sseB: sseB.events, wsA: wsA.events, wsB: wsB.events };
    await waitFor(
      () => (Object.values(clients).every((events) => events.length >= total) ? true : undefined),
      30_000,
      `${total} events on all four subscribers`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const events of Object.values(clients)) {
      expectEveryEventOnce(events, total);
      expectCursorsOfWhatWasSeen(events);
    }
    // The same events at the same offsets in every partition, on both instances.
    const reference = byPartition(sseA.events);
    expect(reference.size).toBe(PARTITIONS);
    for (const events of Object.values(clients)) expect(byPartition(events)).toEqual(reference);
    // Subscribers of one instance share its reader's events, cursors included; both instances end on one cursor.
    expect(wsA.events.map((event) => event.cursor)).toEqual(sseA.events.map((event) => event.cursor));
    expect(wsB.events.map((event) => event.cursor)).toEqual(sseB.events.map((event) => event.cursor));
    const last = sseA.events.at(-1)!.cursor;
    for (const events of Object.values(clients)) expect(events.at(-1)!.cursor).toBe(last);
  });

  it('resumes on B from a cursor issued by A, over SSE and graphql-ws, with no loss and no duplicate', async () => {
    const name = uniqueName('handover');
    await declare(name);
    await produce(a, name, range(0, 40));

    // Read part of the stream on A: a client that handled the first 15 events, then went away.
    const handled = 15;
    const sseOnA = await openSse(streamUrl(a, name));
    const wsOnA = await connect(a);
    const graphqlOnA = wsOnA.subscribeEvents('first-part', name, { from: 'EARLIEST' });
    await waitFor(
      () => (sseOnA.events.length >= handled && graphqlOnA.events.length >= handled ? true : undefined),
      20_000,
      'the first part on A',
    );
    sseOnA.close();
    await wsOnA.close();
    const sseRead = sseOnA.events.slice(0, handled);
    const graphqlRead = graphqlOnA.events.slice(0, handled);

    // More events while it is away, through B this time.
    await produce(b, name, range(40, 60));
    const total = 60;

    const sseOnB = await openSse(streamUrl(b, name), sseRead.at(-1)!.cursor);
    const graphqlOnB = (await connect(b)).subscribeEvents('rest', name, { after: graphqlRead.at(-1)!.cursor });
    await waitFor(
      () => (sseOnB.events.length >= total - handled && graphqlOnB.events.length >= total - handled ? true : undefined),
      20_000,
      'the rest on B',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectEveryEventOnce([...sseRead, ...sseOnB.events], total);
    expectEveryEventOnce([...graphqlRead, ...graphqlOnB.events], total);
    expect(sseOnB.errors).toEqual([]);
    expect(graphqlOnB.error).toBeUndefined();
  });

  it('appends once for an idempotency key used on A and retried on B, also when both arrive together', async () => {
    const name = uniqueName('idempotent');
    await declare(name);
    const eventLog = a.runtime.services().eventLog;
    // Retried: a concurrent describe of another topic can fail a Kafka offsets read (see recordSse).
    const appended = () =>
      waitFor(
        () =>
          eventLog.offsets(name).then(
            (offsets) => offsets.reduce((sum, partition) => sum + (partition.next - partition.earliest), 0),
            () => undefined,
          ),
        10_000,
        'the topic offsets',
      );
    const body = { events: [1, 2, 3].map((seq) => ({ key: `k${seq}`, data: { seq } })) };
    const post = (via: Gateway, key: string) =>
      request(via.url, 'POST', `/v1/events/${name}`, body, {
        'content-type': 'application/vnd.meshgate.batch+json',
        'idempotency-key': key,
      });

    const first = await post(a, 'retry-on-b');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retried = await post(b, 'retry-on-b');
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(first.body);
    expect(await appended()).toBe(3);

    const together = await Promise.all([post(a, 'both-at-once'), post(b, 'both-at-once')]);
    expect(together.map((answer) => answer.status)).toEqual([202, 202]);
    expect(together[0].body).toEqual(together[1].body);
    expect(together.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    expect(await appended()).toBe(6);
  });

  it('serves a schema version registered through A on a typed subscription on B without a restart', async () => {
    const name = `${uniqueName('typed')}.price-changed`;
    await request(a.url, 'PUT', `/registry/config/${name}-value`, { compatibility: 'NONE' });
    await declare(name, { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } });
    const payloadFields = async (gateway: Gateway) => {
      const result = await request(gateway.url, 'POST', '/graphql', {
        query: `{ __type(name: "PriceChanged") { fields { name } } }`,
      });
      const fields = (result.body?.data?.__type?.fields ?? undefined) as Array<{ name: string }> | undefined;
      return fields?.map((field) => field.name);
    };
    expect(await waitFor(() => payloadFields(b), 10_000, 'the typed event on B')).toEqual(['amount']);

    const v2 = await request(a.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schema: JSON.stringify({
        type: 'object',
        required: ['amount'],
        properties: { amount: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
      }),
      schemaType: 'JSON',
    });
    expect(v2.status).toBe(200);
    await waitFor(
      async () => ((await payloadFields(b))?.includes('currency') ? true : undefined),
      10_000,
      'version 2 on B',
    );

    const typed = (await connect(b)).subscribe(
      'typed',
      `subscription { priceChanged(from: EARLIEST) { cursor data { amount currency } } }`,
    );
    const produced = await request(a.url, 'POST', `/v1/events/${name}`, { amount: 9.5, currency: 'EUR' });
    expect(produced.status).toBe(202);
    await waitFor(() => typed.nexts[0] ?? typed.error, 20_000, 'the typed event on B');
    expect(typed.error).toBeUndefined();
    expect(typed.nexts[0]).toEqual({
      data: { priceChanged: { cursor: expect.any(String), data: { amount: 9.5, currency: 'EUR' } } },
    });
  });
});
