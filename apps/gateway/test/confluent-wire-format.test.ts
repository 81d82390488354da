import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDirectWriter, type DirectWriter } from './direct-writes';
import {
  adminBasicAuth,
  openSse,
  request,
  startTestGateway,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type TestGateway,
} from './harness';

// Confluent's wire format both ways, checked with the unmodified Confluent client
// (@kafkajs/confluent-schema-registry) reading and writing Kafka directly.
describe('Confluent wire format on Kafka', { timeout: 120_000 }, () => {
  let gw: TestGateway;
  let client: SchemaRegistry;
  let writer: DirectWriter;
  const kafka = new Kafka({ clientId: 'confluent-wire-test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    gw = await startTestGateway('kafka');
    client = new SchemaRegistry({ host: `${gw.url}/registry`, auth: adminBasicAuth });
    writer = await openDirectWriter('kafka', gw.db.url);
  });
  afterAll(async () => {
    await writer?.close();
    await gw?.stop();
  });

  const schema = JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['orderId', 'total'],
    properties: { orderId: { type: 'string' }, total: { type: 'number' } },
  });

  async function declare(name: string, valueFormat?: string): Promise<number> {
    const put = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: 's',
      owner: 'o',
      partitions: 1,
      ...(valueFormat ? { valueFormat } : {}),
    });
    expect(put.status).toBe(201);
    expect(put.body.valueFormat).toBe(valueFormat ?? 'json');
    const { id } = await client.register({ type: SchemaType.JSON, schema }, { subject: `${name}-value` });
    return id;
  }

  /** Reads the topic's first `count` raw messages with a plain kafkajs consumer. */
  async function readRaw(topic: string, count: number) {
    const consumer = kafka.consumer({ groupId: uniqueName('raw-reader'), maxWaitTimeInMs: 250 });
    const messages: Array<{ value: Buffer | null; headers: Record<string, string> }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(message.headers ?? {})) headers[key] = String(value);
          messages.push({ value: message.value, headers });
        },
      });
      await waitFor(() => (messages.length >= count ? true : undefined), 30_000, 'raw messages');
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }

  it('writes Confluent framing for a `confluent` event type, which the Confluent client decodes from Kafka', async () => {
    const name = uniqueName('wire.out');
    const id = await declare(name, 'confluent');
    const event = { orderId: 'o-1', total: 12.5 };
    const produced = await request(gw.url, 'POST', `/v1/events/${name}`, event);
    expect(produced.status).toBe(202);
    expect(produced.body).toMatchObject({ schemaId: id, cursor: expect.any(String), offset: 0 });

    const [message] = await readRaw(name, 1);
    expect(message!.value![0]).toBe(0);
    expect(message!.value!.readInt32BE(1)).toBe(id);
    expect(message!.headers['meshgate-schema-id']).toBe(String(id));
    // A fresh client (empty cache) fetches the schema by id from Meshgate's registry to decode.
    const fresh = new SchemaRegistry({ host: `${gw.url}/registry`, auth: adminBasicAuth });
    expect(await fresh.decode(message!.value!)).toEqual(event);

    // Meshgate's own readers decode it too, whatever the framing.
    const page = await request(gw.url, 'GET', `/v1/events/${name}?from=earliest`);
    expect(page.body.events).toEqual([expect.objectContaining({ data: event, cursor: produced.body.cursor })]);
  });

  it('keeps plain JSON for a `json` event type', async () => {
    const name = uniqueName('wire.plain');
    await declare(name);
    expect((await request(gw.url, 'POST', `/v1/events/${name}`, { orderId: 'o-2', total: 1 })).status).toBe(202);
    const [message] = await readRaw(name, 1);
    expect(JSON.parse(message!.value!.toString('utf8'))).toEqual({ orderId: 'o-2', total: 1 });
  });

  it('delivers over SSE a record the Confluent client encoded and kafkajs produced directly', async () => {
    const name = uniqueName('wire.in');
    const id = await declare(name);
    const sse = await openSse(`${gw.url}/v1/events/${name}/stream?from=earliest`);
    const event = { orderId: 'o-3', total: 99 };
    const encoded = await client.encode(id, event);
    // The client refuses to encode an invalid event; a hand-framed one goes to the dead letters.
    await expect(client.encode(id, { orderId: 3 })).rejects.toThrow();
    const invalid = Buffer.concat([encoded.subarray(0, 5), Buffer.from(JSON.stringify({ orderId: 3 }))]);
    await writer.send(name, [{ value: invalid }, { key: 'o-3', value: encoded }]);

    await waitFor(() => (sse.messages.some((m) => m.id !== undefined) ? true : undefined), 30_000, 'the SSE event');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const frames = sse.messages.filter((m) => m.id !== undefined && m.event === undefined);
    expect(frames.map((m) => JSON.parse(m.data))).toEqual([
      expect.objectContaining({ type: name, key: 'o-3', offset: 1, data: event }),
    ]);
    await sse.close();
    const letters = await waitFor(async () => {
      const dead = await request(gw.url, 'GET', `/v1/events/${name}/dead-letters`);
      return dead.body.records?.length > 0 ? dead.body.records : undefined;
    }, 60_000);
    expect(letters[0]).toMatchObject({ reason: 'SCHEMA_MISMATCH', schemaId: id, data: { orderId: 3 } });
  });
});
