import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminBasicAuth, startTestGateway, uniqueName, type TestGateway } from './harness';

// An unmodified Confluent client (kafkajs's) against Meshgate's /registry.
describe('@kafkajs/confluent-schema-registry against Meshgate', () => {
  let gw: TestGateway;
  let client: SchemaRegistry;

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    client = new SchemaRegistry({ host: `${gw.url}/registry`, auth: adminBasicAuth });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('registers, fetches, encodes and decodes JSON Schema messages', async () => {
    const subject = uniqueName('client.json');
    const schema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['orderId', 'total'],
      properties: { orderId: { type: 'string' }, total: { type: 'number' } },
    });
    const { id } = await client.register({ type: SchemaType.JSON, schema }, { subject });
    expect(id).toBeGreaterThan(0);
    expect(await client.getLatestSchemaId(subject)).toBe(id);
    expect(await client.getRegistryId(subject, 1)).toBe(id);
    expect(await client.getRegistryIdBySchema(subject, { type: SchemaType.JSON, schema })).toBe(id);

    const encoded = await client.encode(id, { orderId: 'o-1', total: 9.5 });
    expect(encoded[0]).toBe(0); // Confluent wire format: magic byte, then the 4-byte id.
    expect(encoded.readInt32BE(1)).toBe(id);
    // A fresh client (empty cache) fetches the schema by id to decode.
    const fresh = new SchemaRegistry({ host: `${gw.url}/registry`, auth: adminBasicAuth });
    expect(await fresh.decode(encoded)).toEqual({ orderId: 'o-1', total: 9.5 });
    await expect(client.encode(id, { orderId: 1 })).rejects.toThrow();
  });

  it('registers, fetches, encodes and decodes Avro messages', async () => {
    const subject = uniqueName('client.avro');
    const schema = JSON.stringify({
      type: 'record',
      name: 'PaymentCaptured',
      namespace: 'com.example.payments',
      fields: [
        { name: 'paymentId', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    });
    const { id } = await client.register({ type: SchemaType.AVRO, schema }, { subject });
    const encoded = await client.encode(id, { paymentId: 'p-1', amount: 12.25, note: null });
    const fresh = new SchemaRegistry({ host: `${gw.url}/registry`, auth: adminBasicAuth });
    expect(await fresh.decode(encoded)).toEqual({ paymentId: 'p-1', amount: 12.25, note: null });

    // Evolution the client expects to pass under BACKWARD: a new optional field with a default.
    const evolved = JSON.stringify({
      type: 'record',
      name: 'PaymentCaptured',
      namespace: 'com.example.payments',
      fields: [
        { name: 'paymentId', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'currency', type: 'string', default: 'EUR' },
      ],
    });
    const second = await client.register({ type: SchemaType.AVRO, schema: evolved }, { subject });
    expect(second.id).not.toBe(id);
    // A field without a default is refused (409), and the client surfaces the error.
    const breaking = JSON.stringify({
      type: 'record',
      name: 'PaymentCaptured',
      namespace: 'com.example.payments',
      fields: [
        { name: 'paymentId', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'merchant', type: 'string' },
      ],
    });
    await expect(client.register({ type: SchemaType.AVRO, schema: breaking }, { subject })).rejects.toThrow(
      /incompatible/i,
    );
  });

  it('registers and round-trips Protobuf messages', async () => {
    const subject = uniqueName('client.proto');
    const schema =
      'syntax = "proto3";\npackage shop;\n\nmessage OrderShipped {\n  string orderId = 1;\n  string carrier = 2;\n}\n';
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema }, { subject });
    const encoded = await client.encode(id, { orderId: 'o-9', carrier: 'DHL' });
    const fresh = new SchemaRegistry({ host: `${gw.url}/registry`, auth: adminBasicAuth });
    expect(await fresh.decode(encoded)).toMatchObject({ orderId: 'o-9', carrier: 'DHL' });
  });
});
