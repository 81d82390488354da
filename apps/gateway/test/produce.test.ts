import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from '@meshgate/core';
import { adapters, request, startTestGateway, uniqueName, type TestGateway } from './harness';

const v1 = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
const v2 = {
  type: 'object',
  required: ['id', 'amount'],
  properties: { id: { type: 'string' }, amount: { type: 'number', minimum: 0 } },
};
const MAX_BATCH = 10;

describe.each(adapters)('governed produce on the %s event log', (adapter) => {
  let gw: TestGateway;
  let eventType: string;
  let v1Id: number;
  let v2Id: number;

  /** Declares an event type and registers its schema versions (compatibility NONE). */
  async function declare(prefix: string, ...schemas: object[]): Promise<{ name: string; ids: number[] }> {
    const name = uniqueName(prefix);
    expect((await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o' })).status).toBe(
      201,
    );
    await request(gw.url, 'PUT', `/registry/config/${name}-value`, { compatibility: 'NONE' });
    const ids: number[] = [];
    for (const schema of schemas) {
      const registered = await request(gw.url, 'POST', `/registry/subjects/${name}-value/versions`, {
        schema: JSON.stringify(schema),
        schemaType: 'JSON',
      });
      expect(registered.status).toBe(200);
      ids.push(registered.body.id as number);
    }
    return { name, ids };
  }

  const post = (body: unknown, headers: Record<string, string> = {}, query = '', name = eventType) =>
    request(gw.url, 'POST', `/v1/events/${name}${query}`, body, headers);
  const ndjson = (events: unknown[]) => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  const appended = async (name = eventType) =>
    (await gw.gateway.runtime.services().eventLog.offsets(name)).reduce((sum, p) => sum + p.next, 0);
  const fetchAll = async (name = eventType) => {
    const page = await request(gw.url, 'GET', `/v1/events/${name}?limit=1000`);
    expect(page.status).toBe(200);
    return page.body.events as Array<{
      partition: number;
      offset: number;
      key: string | null;
      headers: Record<string, string>;
      data: { id: string };
    }>;
  };

  beforeAll(async () => {
    gw = await startTestGateway(adapter, { maxBatchEvents: MAX_BATCH });
    const declared = await declare('produce.orders', v1, v2);
    eventType = declared.name;
    v1Id = declared.ids[0]!;
    v2Id = declared.ids[1]!;
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('produces one event with a key and client headers, answered in the single shape', async () => {
    const res = await post(
      { id: 's-1', amount: 1 },
      { 'meshgate-key': 'customer-1', 'meshgate-header-trace-id': 'abc123', 'meshgate-header-Origin': 'test' },
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      cursor: expect.any(String),
      partition: expect.any(Number),
      offset: expect.any(Number),
      timestamp: expect.any(String),
      schemaId: v2Id,
      schemaVersion: 2,
    });
    const event = (await fetchAll()).find((e) => e.data.id === 's-1');
    expect(event).toMatchObject({ partition: res.body.partition, offset: res.body.offset, key: 'customer-1' });
    // Meshgate's own headers are exactly these two (the version is the registry's answer for the id).
    expect(event!.headers).toEqual({
      'trace-id': 'abc123',
      origin: 'test',
      'meshgate-event-type': eventType,
      'meshgate-schema-id': String(v2Id),
    });
  });

  it('produces an NDJSON batch in one append, positions in input order', async () => {
    const before = await appended();
    const events = [1, 2, 3].map((n) => ({ id: `nd-${n}`, amount: n }));
    const res = await post(ndjson(events), { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ schemaId: v2Id, schemaVersion: 2 });
    expect(res.body.events).toHaveLength(3);
    expect(await appended()).toBe(before + 3);
    const fetched = await fetchAll();
    for (const [index, position] of (res.body.events as Array<{ partition: number; offset: number }>).entries()) {
      expect(position).toEqual({
        cursor: expect.any(String),
        partition: expect.any(Number),
        offset: expect.any(Number),
        timestamp: expect.any(String),
      });
      const stored = fetched.find((e) => e.partition === position.partition && e.offset === position.offset);
      expect(stored?.data).toEqual(events[index]);
    }
  });

  it('produces the envelope form with per-event keys and headers; one key lands in one partition', async () => {
    const events = Array.from({ length: 6 }, (_, n) => ({
      key: n % 2 === 0 ? 'tenant-a' : 'tenant-b',
      headers: { 'x-seq': String(n) },
      data: { id: `env-${n}`, amount: n },
    }));
    const res = await post(
      { events },
      { 'content-type': 'application/vnd.meshgate.batch+json', 'meshgate-header-source': 'default' },
    );
    expect(res.status).toBe(202);
    const positions = res.body.events as Array<{ partition: number; offset: number }>;
    const partitionsOf = (key: string) =>
      new Set(positions.filter((_, n) => events[n]!.key === key).map((p) => p.partition));
    expect(partitionsOf('tenant-a').size).toBe(1);
    expect(partitionsOf('tenant-b').size).toBe(1);
    // Within one key, input order is partition order.
    const offsetsA = positions.filter((_, n) => events[n]!.key === 'tenant-a').map((p) => p.offset);
    expect(offsetsA).toEqual([...offsetsA].sort((a, b) => a - b));
    const fetched = await fetchAll();
    for (const [n, position] of positions.entries()) {
      const stored = fetched.find((e) => e.partition === position.partition && e.offset === position.offset)!;
      expect(stored.key).toBe(events[n]!.key);
      expect(stored.headers).toMatchObject({
        'x-seq': String(n),
        source: 'default',
        'meshgate-schema-id': String(v2Id),
      });
    }
  });

  it('treats a JSON array as a batch only with Meshgate-Batch: true, else as one event', async () => {
    const batch = await post(
      [
        { id: 'arr-1', amount: 1 },
        { id: 'arr-2', amount: 2 },
      ],
      { 'meshgate-batch': 'true' },
    );
    expect(batch.status).toBe(202);
    expect(batch.body.events).toHaveLength(2);
    // Without the header the array is one event, and this event type's schema wants an object.
    const before = await appended();
    const single = await post([{ id: 'arr-3', amount: 3 }]);
    expect(single.status).toBe(400);
    expect(single.body.code).toBe('EVENT_VALIDATION_FAILED');
    expect(single.body.details.errors).toEqual([expect.objectContaining({ index: 0, path: '', rule: 'type' })]);
    expect(await appended()).toBe(before);
    // An event type whose schema is an array takes a plain array as one event.
    const arrays = await declare('produce.arrays', { type: 'array', items: { type: 'number' } });
    const one = await post([1, 2, 3], {}, '', arrays.name);
    expect(one.status).toBe(202);
    expect(one.body).toMatchObject({ offset: expect.any(Number), schemaVersion: 1 });
    expect(one.body.events).toBeUndefined();
  });

  it('answers concurrent produces each with its own position and cursor, in order per key', async () => {
    const name = (await declare('produce.concurrent', v1)).name;
    const keys = ['tenant-a', 'tenant-b', 'tenant-c', 'tenant-d'];
    // One client per key, all at once; each sends its events one after the other (a single
    // event, then a batch of two, twice), so within a key the send order is known.
    const answers = await Promise.all(
      keys.map(async (key) => {
        const positions: Array<{ id: string; partition: number; offset: number; cursor: string }> = [];
        for (let round = 0; round < 2; round++) {
          const single = await post({ id: `${key}-${round}-0` }, { 'meshgate-key': key }, '', name);
          expect(single.status).toBe(202);
          positions.push({ id: `${key}-${round}-0`, ...single.body });
          const ids = [`${key}-${round}-1`, `${key}-${round}-2`];
          const batch = await post(
            ndjson(ids.map((id) => ({ id }))),
            { 'content-type': 'application/x-ndjson', 'meshgate-key': key },
            '',
            name,
          );
          expect(batch.status).toBe(202);
          batch.body.events.forEach((event: { partition: number; offset: number; cursor: string }, n: number) =>
            positions.push({ id: ids[n]!, ...event }),
          );
        }
        return { key, positions };
      }),
    );
    const all = answers.flatMap((answer) => answer.positions);
    expect(new Set(all.map((p) => `${p.partition}:${p.offset}`)).size).toBe(all.length);
    const fetched = await fetchAll(name);
    for (const { key, positions } of answers) {
      expect(new Set(positions.map((p) => p.partition)).size).toBe(1);
      const offsets = positions.map((p) => p.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      for (const position of positions) {
        expect(decodeCursor(position.cursor)).toEqual(new Map([[position.partition, position.offset + 1]]));
        const stored = fetched.find((e) => e.partition === position.partition && e.offset === position.offset);
        expect(stored).toMatchObject({ key, data: { id: position.id } });
      }
    }
    expect(fetched).toHaveLength(all.length);
  });

  it('writes a compact NDJSON line as received and serialises the others again', async () => {
    const name = (await declare('produce.verbatim', v2)).name;
    const res = await post(
      '{"id":"raw-1","amount":1.50,"note":"caf\\u00e9"}\n{ "id": "raw-2", "amount": 2 }\n{"id":"x","id":"raw-3","amount":3}\n',
      { 'content-type': 'application/x-ndjson' },
      '',
      name,
    );
    expect(res.status).toBe(202);
    const reader = gw.gateway.runtime.services().eventLog.read({ topic: name, from: 'earliest' });
    const values = new Map<string, string>();
    try {
      for await (const records of reader) {
        for (const record of records)
          values.set(`${record.partition}:${record.offset}`, record.value!.toString('utf8'));
        if (values.size >= 3) break;
      }
    } finally {
      await reader.close();
    }
    expect(
      res.body.events.map((p: { partition: number; offset: number }) => values.get(`${p.partition}:${p.offset}`)),
    ).toEqual([
      '{"id":"raw-1","amount":1.50,"note":"caf\\u00e9"}',
      '{"id":"raw-2","amount":2}',
      '{"id":"raw-3","amount":3}',
    ]);
  });

  it('parses and validates a large NDJSON batch on a worker thread, writing what the main thread would', async () => {
    const name = (await declare('produce.offthread', v2)).name;
    const confluent = (await declare('produce.offthread-wire', v2)).name;
    for (const [event, fields] of [
      [name, { keyPath: '/id' }],
      [confluent, { valueFormat: 'confluent' }],
    ] as const) {
      const put = await request(gw.url, 'PUT', `/v1/catalog/event-types/${event}`, {
        summary: 's',
        owner: 'o',
        ...fields,
      });
      expect(put.status).toBe(200);
    }
    // Over OFF_THREAD_MIN_BYTES (8 KiB) in at most MAX_BATCH events.
    const pad = 'p'.repeat(1200);
    const lines = [
      `{"id":"w-1","amount":1.50,"pad":"${pad}"}`,
      `{ "id": "w-2", "amount": 2, "pad": "${pad}" }`,
      `{"id":"w-3","id":"w-3b","amount":3,"pad":"${pad}"}`,
      `{"id":"w-4 café","amount":4,"pad":"${pad}"}`,
      `\u00a0{"id":"w-5","amount":5,"pad":"${pad}"}\r`,
      `{"id":"w-6","amount":6,"pad":"${pad}"}`,
      `{"id":"w-7","amount":7,"pad":"${pad}"}`,
    ];
    const body = `${lines.join('\n')}\n\n`;
    expect(Buffer.byteLength(body)).toBeGreaterThan(8192);
    const written = [
      `{"id":"w-1","amount":1.50,"pad":"${pad}"}`,
      `{"id":"w-2","amount":2,"pad":"${pad}"}`,
      `{"id":"w-3b","amount":3,"pad":"${pad}"}`,
      `{"id":"w-4 café","amount":4,"pad":"${pad}"}`,
      `{"id":"w-5","amount":5,"pad":"${pad}"}`,
      `{"id":"w-6","amount":6,"pad":"${pad}"}`,
      `{"id":"w-7","amount":7,"pad":"${pad}"}`,
    ];
    const checksOnWorkers = async () => {
      const text = await fetch(`${gw.url}/metrics`).then((r) => r.text());
      return Number(/meshgate_produce_ndjson_checks_total\{thread="worker"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await checksOnWorkers();
    const ndjsonType = { 'content-type': 'application/x-ndjson' };
    const res = await post(body, ndjsonType, '', name);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ schemaId: expect.any(Number), schemaVersion: 1 });
    expect(res.body.events).toHaveLength(7);
    const wire = await post(body, ndjsonType, '', confluent);
    expect(wire.status).toBe(202);
    expect(await checksOnWorkers()).toBe(before + 2);

    const records = async (topic: string, count: number) => {
      const reader = gw.gateway.runtime.services().eventLog.read({ topic, from: 'earliest' });
      const found = new Map<string, { key: string | null; value: Buffer }>();
      try {
        for await (const batch of reader) {
          for (const r of batch)
            found.set(`${r.partition}:${r.offset}`, { key: r.key?.toString('utf8') ?? null, value: r.value! });
          if (found.size >= count) break;
        }
      } finally {
        await reader.close();
      }
      return found;
    };
    const stored = await records(name, 7);
    const inOrder = res.body.events.map((p: { partition: number; offset: number }) =>
      stored.get(`${p.partition}:${p.offset}`)!,
    );
    expect(inOrder.map((r: { value: Buffer }) => r.value.toString('utf8'))).toEqual(written);
    // Keys from the keyPath, read on the worker.
    expect(inOrder.map((r: { key: string | null }) => r.key)).toEqual([
      'w-1',
      'w-2',
      'w-3b',
      'w-4 café',
      'w-5',
      'w-6',
      'w-7',
    ]);
    const framed = await records(confluent, 7);
    const wireValues = wire.body.events.map(
      (p: { partition: number; offset: number }) => framed.get(`${p.partition}:${p.offset}`)!.value,
    );
    for (const [i, value] of wireValues.entries()) {
      expect(value[0]).toBe(0);
      expect(value.readUInt32BE(1)).toBe(wire.body.schemaId);
      expect(value.subarray(5).toString('utf8')).toBe(written[i]);
    }

    // Errors name the line or the events, and nothing is appended.
    const count = await appended(name);
    const badLine = await post(
      `${lines.slice(0, 5).join('\n')}\n{"id":\n${lines.slice(5).join('\n')}\n`,
      ndjsonType,
      '',
      name,
    );
    expect(badLine.status).toBe(400);
    expect(badLine.body).toMatchObject({ code: 'INVALID_JSON', details: { line: 6 } });
    const invalid = await post(
      [...lines.slice(0, 6), `{"id":"w-x","amount":-1,"pad":"${pad}"}`, `{"amount":1,"pad":"${pad}"}`].join('\n'),
      ndjsonType,
      '',
      name,
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('EVENT_VALIDATION_FAILED');
    expect(invalid.body.message).toMatch(/2 of 8 events/);
    expect(invalid.body.details.errors).toEqual([
      expect.objectContaining({ index: 6, path: '/amount', rule: 'minimum' }),
      expect.objectContaining({ index: 7, path: '/id', rule: 'required' }),
    ]);
    expect(await checksOnWorkers()).toBe(before + 4);
    expect(await appended(name)).toBe(count);
  });

  it('rejects a whole batch when any event is invalid, naming index, path and rule; appends nothing', async () => {
    const before = await appended();
    const res = await post(
      ndjson([{ id: 'ok-1', amount: 1 }, { amount: 2 }, { id: 'ok-3', amount: 3 }, { id: 'bad-4', amount: 'four' }]),
      { 'content-type': 'application/x-ndjson' },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('EVENT_VALIDATION_FAILED');
    expect(res.body.message).toMatch(/2 of 4 events/);
    expect(res.body.details).toMatchObject({ schemaId: v2Id, invalidEvents: 2 });
    expect(res.body.details.errors).toEqual([
      { index: 1, path: '/id', rule: 'required', message: expect.any(String) },
      { index: 3, path: '/amount', rule: 'type', message: expect.any(String) },
    ]);
    const envelope = await post(
      { events: [{ data: { id: 'e-1', amount: 1 } }, { data: { id: 'e-2', amount: -1 } }] },
      { 'content-type': 'application/vnd.meshgate.batch+json' },
    );
    expect(envelope.status).toBe(400);
    expect(envelope.body.details.errors).toEqual([
      expect.objectContaining({ index: 1, path: '/amount', rule: 'minimum' }),
    ]);
    expect(await appended()).toBe(before);
  });

  it('validates against a pinned schema version, and refuses one that does not exist', async () => {
    const before = await appended();
    const latest = await post({ id: 'pin-1' });
    expect(latest.status).toBe(400);
    const pinned = await post({ id: 'pin-1' }, {}, '?schemaVersion=1');
    expect(pinned.status).toBe(202);
    expect(pinned.body).toMatchObject({ schemaVersion: 1 });
    const stored = (await fetchAll()).find((e) => e.data.id === 'pin-1');
    expect(stored?.headers['meshgate-schema-id']).toBe(String(v1Id));
    const pinnedBatch = await post(
      ndjson([{ id: 'pin-2' }, { id: 'pin-3' }]),
      { 'content-type': 'application/x-ndjson' },
      '?schemaVersion=1',
    );
    expect(pinnedBatch.body).toMatchObject({ schemaVersion: 1, events: [expect.anything(), expect.anything()] });
    const missing = await post({ id: 'pin-4' }, {}, '?schemaVersion=99');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('VERSION_NOT_FOUND');
    expect(missing.body.message).toContain('99');
    const malformed = await post({ id: 'pin-4' }, {}, '?schemaVersion=one');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_REQUEST');
    expect((await post({ id: 'pin-5', amount: 1 }, {}, '?schemaVersion=latest')).body.schemaVersion).toBe(2);
    expect(await appended()).toBe(before + 4);
  });

  it('appends a retried request with the same Idempotency-Key once and replays the first answer', async () => {
    const key = uniqueName('idem');
    const body = ndjson([
      { id: 'idem-1', amount: 1 },
      { id: 'idem-2', amount: 2 },
    ]);
    const headers = { 'content-type': 'application/x-ndjson', 'idempotency-key': key };
    const before = await appended();
    const first = await post(body, headers);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await post(body, headers);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await appended()).toBe(before + 2);
    // The key is scoped to the event type.
    const other = await declare('produce.other', v1);
    expect((await post(body, headers, '', other.name)).headers.get('idempotent-replayed')).toBeNull();
  });

  it('lets only one of several concurrent retries append', async () => {
    const key = uniqueName('concurrent');
    const before = await appended();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post({ id: 'conc-1', amount: 1 }, { 'idempotency-key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
    expect(await appended()).toBe(before + 1);
  });

  it('refuses an Idempotency-Key reused with a different body (409), and forgets it after the TTL', async () => {
    const key = uniqueName('reuse');
    const before = await appended();
    expect((await post({ id: 'reuse-1', amount: 1 }, { 'idempotency-key': key })).status).toBe(202);
    const reused = await post({ id: 'reuse-2', amount: 1 }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Same events under a pinned version are a different request too.
    expect((await post({ id: 'reuse-1', amount: 1 }, { 'idempotency-key': key }, '?schemaVersion=2')).status).toBe(409);
    expect(await appended()).toBe(before + 1);
    await gw.gateway.runtime
      .services()
      .db.prisma.produceIdempotencyKey.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const afterTtl = await post({ id: 'reuse-2', amount: 1 }, { 'idempotency-key': key });
    expect(afterTtl.status).toBe(202);
    expect(afterTtl.headers.get('idempotent-replayed')).toBeNull();
    expect(await appended()).toBe(before + 2);
  });

  it('refuses an Idempotency-Key longer than 200 characters', async () => {
    const res = await post({ id: 'long', amount: 1 }, { 'idempotency-key': 'k'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
  });

  it('rejects reserved header names from clients with 400 and appends nothing', async () => {
    const before = await appended();
    const viaHttp = await post({ id: 'r-1', amount: 1 }, { 'meshgate-header-meshgate-schema-id': '1' });
    expect(viaHttp.status).toBe(400);
    expect(viaHttp.body).toMatchObject({
      code: 'RESERVED_HEADER',
      details: { index: 0, header: 'meshgate-schema-id' },
    });
    const viaEnvelope = await post(
      {
        events: [
          { data: { id: 'r-2', amount: 1 } },
          { headers: { 'Content-Type': 'text/plain' }, data: { id: 'r-3', amount: 1 } },
        ],
      },
      { 'content-type': 'application/vnd.meshgate.batch+json' },
    );
    expect(viaEnvelope.status).toBe(400);
    expect(viaEnvelope.body).toMatchObject({ code: 'RESERVED_HEADER', details: { index: 1, header: 'Content-Type' } });
    expect(await appended()).toBe(before);
  });

  it('refuses a batch over the configured size with 413 BATCH_TOO_LARGE', async () => {
    const before = await appended();
    const events = Array.from({ length: MAX_BATCH + 1 }, (_, n) => ({ id: `big-${n}`, amount: n }));
    const res = await post(ndjson(events), { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'BATCH_TOO_LARGE', details: { events: MAX_BATCH + 1, limit: MAX_BATCH } });
    expect(await appended()).toBe(before);
    expect((await post(ndjson(events.slice(0, MAX_BATCH)), { 'content-type': 'application/x-ndjson' })).status).toBe(
      202,
    );
  });

  it('answers malformed batches with a clear 4xx', async () => {
    const before = await appended();
    const badLine = await post('{"id":"a","amount":1}\n{"id":\n', { 'content-type': 'application/x-ndjson' });
    expect(badLine.status).toBe(400);
    expect(badLine.body).toMatchObject({ code: 'INVALID_JSON', details: { line: 2 } });
    const empty = await post('\n', { 'content-type': 'application/x-ndjson' });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('INVALID_REQUEST');
    const badEnvelope = await post(
      { events: [{ data: { id: 'x', amount: 1 } }, { key: 7, data: {} }, { value: 1 }] },
      { 'content-type': 'application/vnd.meshgate.batch+json' },
    );
    expect(badEnvelope.status).toBe(400);
    expect(badEnvelope.body.code).toBe('INVALID_REQUEST');
    expect(badEnvelope.body.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, path: '/events/1/key' }),
        expect.objectContaining({ index: 2 }),
      ]),
    );
    const notArray = await post({ id: 'x', amount: 1 }, { 'meshgate-batch': 'true' });
    expect(notArray.status).toBe(400);
    expect((await post('id=1', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(await appended()).toBe(before);
  });

  it('counts produced and rejected events per event in the metrics', async () => {
    const name = (await declare('produce.metrics', v1)).name;
    await post(
      ndjson([{ id: 'm-1' }, { id: 'm-2' }, { id: 'm-3' }]),
      { 'content-type': 'application/x-ndjson' },
      '',
      name,
    );
    await post(ndjson([{ id: 'm-4' }, {}]), { 'content-type': 'application/x-ndjson' }, '', name);
    const text = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    const label = name.replace(/\./g, '\\.');
    expect(text).toMatch(new RegExp(`meshgate_events_produced_total\\{event_type="${label}"\\} 3\\b`));
    expect(text).toMatch(
      new RegExp(`meshgate_events_rejected_total\\{event_type="${label}",code="EVENT_VALIDATION_FAILED"\\} 2\\b`),
    );
  });
});
