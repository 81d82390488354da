import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeRecordValue } from '@meshgate/streaming';
import { openDirectWriter, type DirectPosition, type DirectRecord, type DirectWriter } from './direct-writes';
import {
  adminConnectionParams,
  adapters,
  openSse,
  request,
  startTestGateway,
  uniqueName,
  waitFor,
  type SseMessage,
  type TestGateway,
} from './harness';

// Records that reach a topic around the gateway (a plain kafkajs producer, or another client
// of the embedded log) are validated as they are consumed: subscribers and fetch see only the
// valid ones, with exact and resumable cursors; the invalid ones land in the dead-letter topic
// with the reason in headers, and both are counted in /metrics.

const schema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, amount: { type: 'number' } },
};

/** A value from `/metrics` (0 when the series is absent). */
async function metricValue(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${wanted}}`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** The `data.id` of every event frame of an SSE stream. */
function ids(messages: readonly SseMessage[]): string[] {
  return messages
    .filter((message) => message.event === undefined && message.id !== undefined)
    .map((message) => (JSON.parse(message.data) as { data: { id: string } }).data.id);
}

// Kafka readers (fetch pages, catch-up, the dead-letter reads) join consumer groups: one generous budget.
describe.each(adapters)('records that bypassed the gateway (%s)', { timeout: 120_000 }, (adapter) => {
  let gw: TestGateway;
  let writer: DirectWriter;
  const clients: Client[] = [];

  beforeAll(async () => {
    gw = await startTestGateway(adapter);
    writer = await openDirectWriter(adapter, gw.db.url);
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await writer?.close();
    await gw?.stop();
  });

  async function declare(name: string, body: Record<string, unknown> = {}): Promise<number> {
    const put = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: 's',
      owner: 'o',
      partitions: 2,
      ...body,
    });
    expect(put.status).toBe(201);
    const registered = await request(gw.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schemaType: 'JSON',
      schema: JSON.stringify(schema),
    });
    expect(registered.status).toBe(200);
    return registered.body.id as number;
  }

  it('delivers only valid records over SSE, graphql-ws and fetch, with exact cursors, and dead-letters the rest', async () => {
    const name = uniqueName('dlq');
    const schemaId = await declare(name);
    const other = uniqueName('dlq-other');
    const otherId = (
      await request(gw.url, 'POST', `/registry/subjects/${other}-value/versions`, {
        schemaType: 'JSON',
        schema: JSON.stringify({ type: 'object', properties: { other: { type: 'string' } } }),
      })
    ).body.id as number;

    // Before anyone subscribes: later subscribers read these through a history reader.
    const early: DirectRecord[] = [
      { key: 'k', value: JSON.stringify({ id: 'early' }) },
      { key: 'k', value: JSON.stringify({ id: 7 }), headers: { origin: 'legacy' } },
    ];
    const earlyPositions = await writer.send(name, early);

    // Subscribe from "now" (a fetch cursor), so no record below is missed whatever the timing.
    const now = (await request(gw.url, 'GET', `/v1/events/${name}?from=latest`)).body.cursor as string;
    const sse = await openSse(`${gw.url}/v1/events/${name}/stream?after=${now}`);
    expect(sse.response.status).toBe(200);
    const graphql: Array<{ cursor: string; data: { id: string } }> = [];
    const client = createClient({
      url: `${gw.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: adminConnectionParams,
    });
    clients.push(client);
    client.subscribe(
      {
        query: `subscription($t: String!, $a: String) { events(type: $t, after: $a) { cursor data } }`,
        variables: { t: name, a: now },
      },
      {
        next: (value) => graphql.push((value.data as { events: (typeof graphql)[number] }).events),
        error: () => {},
        complete: () => {},
      },
    );

    const records: Array<DirectRecord & { expect: string }> = [
      { expect: 'valid', key: 'k', value: JSON.stringify({ id: 'v1' }) },
      { expect: 'SCHEMA_MISMATCH', key: 'k', value: JSON.stringify({ id: 5 }) },
      { expect: 'NOT_JSON', key: 'k', value: 'hello, not JSON', headers: { trace: 't-1' } },
      {
        expect: 'SCHEMA_OF_ANOTHER_SUBJECT',
        key: 'k',
        value: JSON.stringify({ id: 'w' }),
        headers: { 'meshgate-schema-id': String(otherId) },
      },
      { expect: 'UNKNOWN_SCHEMA_ID', key: 'k', value: encodeRecordValue({ id: 'u' }, 'confluent', 987_654) },
      { expect: 'valid', key: 'k', value: encodeRecordValue({ id: 'v2' }, 'confluent', schemaId) },
      { expect: 'SCHEMA_MISMATCH', key: 'k', value: encodeRecordValue({ amount: 'x' }, 'confluent', schemaId) },
      {
        expect: 'valid',
        key: 'k',
        value: JSON.stringify({ id: 'v3' }),
        headers: { 'meshgate-schema-id': String(schemaId) },
      },
    ];
    const positions = await writer.send(name, records);

    await waitFor(() => (ids(sse.messages).length >= 3 ? true : undefined), 30_000, 'SSE events');
    await waitFor(() => (graphql.length >= 3 ? true : undefined), 30_000, 'graphql-ws events');
    // Give stray deliveries a moment to show up before asserting there are none.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ids(sse.messages)).toEqual(['v1', 'v2', 'v3']);
    expect(graphql.map((event) => event.data.id)).toEqual(['v1', 'v2', 'v3']);
    const sseCursors = sse.messages.filter((m) => m.id !== undefined).map((m) => m.id!);
    expect(graphql.map((event) => event.cursor)).toEqual(sseCursors);
    await sse.close();

    // Each cursor is exact: resuming after v1 skips the invalid records between v1 and v2 and gives v2, v3.
    const resumed = await openSse(`${gw.url}/v1/events/${name}/stream`, { 'last-event-id': sseCursors[0]! });
    await waitFor(() => (ids(resumed.messages).length >= 2 ? true : undefined), 30_000, 'resumed events');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ids(resumed.messages)).toEqual(['v2', 'v3']);
    await resumed.close();
    // The last cursor is past every record of the partition, invalid ones included.
    const after = await request(gw.url, 'GET', `/v1/events/${name}?after=${encodeURIComponent(sseCursors[2]!)}`);
    expect(after.body.events).toEqual([]);

    // A subscriber from the start reads the early records through a reader of its own: same rule.
    const replay = await openSse(`${gw.url}/v1/events/${name}/stream?from=earliest`);
    await waitFor(() => (ids(replay.messages).length >= 4 ? true : undefined), 30_000, 'replayed events');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ids(replay.messages)).toEqual(['early', 'v1', 'v2', 'v3']);
    await replay.close();

    // Fetch applies the same verdicts, and carries the schema id it found.
    const page = await request(gw.url, 'GET', `/v1/events/${name}?from=earliest`);
    expect(page.body.events.map((event: { data: { id: string } }) => event.data.id)).toEqual([
      'early',
      'v1',
      'v2',
      'v3',
    ]);
    expect(page.body.events.map((event: { cursor: string }) => event.cursor).slice(1)).toEqual(sseCursors);

    // One dead letter per invalid record, with the reason headers.
    const invalid = [
      { record: early[1]!, position: earlyPositions[1]!, reason: 'SCHEMA_MISMATCH' },
      ...records.flatMap((record, index) =>
        record.expect === 'valid' ? [] : [{ record, position: positions[index]!, reason: record.expect }],
      ),
    ];
    const letters = await waitFor(
      async () => {
        const dead = await request(gw.url, 'GET', `/v1/events/${name}/dead-letters?from=earliest`);
        return dead.status === 200 && dead.body.records.length >= invalid.length ? dead.body : undefined;
      },
      60_000,
      'the dead letters',
    );
    expect(letters.topic).toBe(`${name}.dlq`);
    const bySource = new Map<string, any>(
      letters.records.map((letter: any) => [`${letter.source.partition}/${letter.source.offset}`, letter]),
    );
    expect(bySource.size).toBe(invalid.length);
    for (const { record, position, reason } of invalid) {
      const letter = bySource.get(`${position.partition}/${position.offset}`);
      expect(letter, `dead letter of ${String(record.value)}`).toMatchObject({
        reason,
        source: { topic: name, partition: position.partition, offset: position.offset },
        key: 'k',
        value: Buffer.from(record.value!).toString('base64'),
      });
      expect(letter.detail).toEqual(expect.any(String));
      expect(letter.headers).toMatchObject(record.headers ?? {});
    }
    expect(bySource.get(key(positions[3]!)).schemaId).toBe(otherId);
    expect(bySource.get(key(positions[4]!)).schemaId).toBe(987_654);
    expect(bySource.get(key(positions[6]!)).detail).toBe(
      "/id: must have required property 'id'; /amount: must be number",
    );
    expect(bySource.get(key(positions[2]!)).data).toBeUndefined();
    expect(bySource.get(key(positions[1]!)).data).toEqual({ id: 5 });

    // The raw dead-letter records carry the documented headers.
    const { eventLog } = gw.gateway.runtime.services();
    const reader = eventLog.read({ topic: `${name}.dlq`, from: 'earliest' });
    const firstBatch = await reader[Symbol.asyncIterator]().next();
    await reader.close();
    const raw = firstBatch.value![0]!;
    expect(Object.keys(raw.headers)).toEqual(
      expect.arrayContaining([
        'meshgate-dlq-reason',
        'meshgate-dlq-detail',
        'meshgate-dlq-source',
        'meshgate-dlq-time',
        'meshgate-dlq-event-type',
      ]),
    );

    // Counted: the hub's live reader saw the 7 records written after it started; the worker all 8.
    const counted = async (metric: string, reason: string) => metricValue(gw.url, metric, { event_type: name, reason });
    await waitFor(async () =>
      (await counted('meshgate_dead_lettered_total', 'SCHEMA_MISMATCH')) >= 3 ? true : undefined,
    );
    expect(await counted('meshgate_dead_lettered_total', 'SCHEMA_MISMATCH')).toBe(3);
    expect(await counted('meshgate_dead_lettered_total', 'NOT_JSON')).toBe(1);
    expect(await counted('meshgate_dead_lettered_total', 'SCHEMA_OF_ANOTHER_SUBJECT')).toBe(1);
    expect(await counted('meshgate_dead_lettered_total', 'UNKNOWN_SCHEMA_ID')).toBe(1);
    expect(await counted('meshgate_invalid_records_total', 'SCHEMA_MISMATCH')).toBe(2);
    expect(await counted('meshgate_invalid_records_total', 'NOT_JSON')).toBe(1);
    expect(await counted('meshgate_invalid_records_total', 'SCHEMA_OF_ANOTHER_SUBJECT')).toBe(1);
    expect(await counted('meshgate_invalid_records_total', 'UNKNOWN_SCHEMA_ID')).toBe(1);
  });

  it('does not check again the events it validated and produced itself, yet dead-letters a forged record with the same headers', async () => {
    const name = uniqueName('dlq-own');
    const schemaId = await declare(name);
    const batch = await request(gw.url, 'POST', `/v1/events/${name}`, [{ id: 'a' }, { id: 'b' }, { id: 'c' }], {
      'meshgate-batch': 'true',
    });
    expect(batch.status).toBe(202);
    // A direct producer copies the gateway's headers onto an invalid record: no way around the check.
    const [forged] = await writer.send(name, [
      {
        key: 'k',
        value: JSON.stringify({ id: 5 }),
        headers: { 'meshgate-event-type': name, 'meshgate-schema-id': String(schemaId) },
      },
    ]);
    expect((await request(gw.url, 'POST', `/v1/events/${name}`, { id: 'd' })).status).toBe(202);

    const letters = await waitFor(async () => {
      const dead = await request(gw.url, 'GET', `/v1/events/${name}/dead-letters?from=earliest`);
      return dead.body.records?.length > 0 ? dead.body : undefined;
    }, 60_000);
    expect(letters.records).toHaveLength(1);
    expect(letters.records[0]).toMatchObject({
      reason: 'SCHEMA_MISMATCH',
      source: { topic: name, partition: forged!.partition, offset: forged!.offset },
    });
    const handled = (outcome: string) =>
      metricValue(gw.url, 'meshgate_dead_letter_records_total', { topic: name, outcome });
    await waitFor(
      async () => ((await handled('checked')) + (await handled('skipped')) >= 5 ? true : undefined),
      60_000,
    );
    expect(await handled('checked')).toBe(1);
    expect(await handled('skipped')).toBe(4);
  });

  it('picks up a new event type without a restart and honours its own dead-letter topic', async () => {
    const name = uniqueName('dlq-custom');
    const deadLetterTopic = `${name}.invalid`;
    await declare(name, { deadLetterTopic });
    expect((await request(gw.url, 'GET', `/v1/catalog/event-types/${name}`)).body).toMatchObject({
      valueFormat: 'json',
      deadLetterTopic,
    });
    const [position] = await writer.send(name, [{ value: '{"id": 12}' }]);
    const letters = await waitFor(async () => {
      const dead = await request(gw.url, 'GET', `/v1/events/${name}/dead-letters`);
      return dead.body.records?.length > 0 ? dead.body : undefined;
    }, 60_000);
    expect(letters.topic).toBe(deadLetterTopic);
    expect(letters.records[0]).toMatchObject({ reason: 'SCHEMA_MISMATCH', source: { topic: name, ...position } });
    // Paging: the page cursor continues after the record; nothing more yet.
    const next = await request(
      gw.url,
      'GET',
      `/v1/events/${name}/dead-letters?after=${encodeURIComponent(letters.cursor)}`,
    );
    expect(next.body).toMatchObject({ records: [], hasMore: false });
  });

  it('refuses a bad value format or dead-letter topic when an event type is declared', async () => {
    const name = uniqueName('dlq-bad');
    const format = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: 's',
      owner: 'o',
      valueFormat: 'avro',
    });
    expect(format.status).toBe(400);
    expect(format.body.code).toBe('INVALID_REQUEST');
    const topic = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: 's',
      owner: 'o',
      deadLetterTopic: 'has spaces',
    });
    expect(topic.status).toBe(400);
    expect(topic.body.code).toBe('INVALID_REQUEST');
    // Nothing half written: no event type, and no topic either.
    expect((await request(gw.url, 'GET', `/v1/catalog/event-types/${name}`)).status).toBe(404);
    expect(await gw.gateway.runtime.services().eventLog.describeTopic(name)).toBeUndefined();
  });

  it('documents the options and the dead-letters endpoint in the OpenAPI description', async () => {
    const { body } = await request(gw.url, 'GET', '/openapi.json');
    const put = body.paths['/v1/catalog/event-types/{name}'].put;
    const properties = put.requestBody.content['application/json'].schema.properties;
    expect(properties.valueFormat.enum).toEqual(['json', 'confluent']);
    expect(properties.deadLetterTopic).toBeDefined();
    const deadLetters = body.paths['/v1/events/{eventType}/dead-letters'].get;
    expect(deadLetters.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['after', 'from', 'limit', 'eventType']),
    );
    expect(deadLetters.responses['200'].content['application/json'].schema.properties.records).toBeDefined();
  });
});

function key(position: DirectPosition): string {
  return `${position.partition}/${position.offset}`;
}
