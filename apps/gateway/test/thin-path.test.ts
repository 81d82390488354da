import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeCursor } from '@meshgate/core';
import {
  withAuth,
  adminConnectionParams,
  adapters,
  openSse,
  request,
  startTestGateway,
  uniqueName,
  waitFor,
  type TestGateway,
} from './harness';

const orderSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['orderId', 'total'],
  properties: {
    orderId: { type: 'string' },
    total: { type: 'number', minimum: 0 },
    items: { type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } },
  },
};

describe.each(adapters)('thin path on the %s event log', (adapter) => {
  let gw: TestGateway;
  let eventType: string;

  beforeAll(async () => {
    gw = await startTestGateway(adapter, { bodyLimit: 4096 });
    eventType = uniqueName('orders.created');
    const put = await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, {
      summary: 'An order was created',
      owner: 'team-orders',
    });
    expect(put.status).toBe(201);
    const registered = await request(
      gw.url,
      'POST',
      `/registry/subjects/${eventType}-value/versions`,
      { schema: JSON.stringify(orderSchema), schemaType: 'JSON' },
      {
        'content-type': 'application/vnd.schemaregistry.v1+json',
      },
    );
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ id: expect.any(Number) });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('declares the event type with Confluent TopicNameStrategy defaults', async () => {
    const got = await request(gw.url, 'GET', `/v1/catalog/event-types/${eventType}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      name: eventType,
      topic: eventType,
      subject: `${eventType}-value`,
      owner: 'team-orders',
    });
    const list = await request(gw.url, 'GET', '/v1/catalog/event-types');
    expect(list.body.items.map((i: { name: string }) => i.name)).toContain(eventType);
    const latest = await request(gw.url, 'GET', `/registry/subjects/${eventType}-value/versions/latest`);
    expect(latest.status).toBe(200);
    expect(latest.headers.get('content-type')).toContain('application/vnd.schemaregistry.v1+json');
    expect(latest.body).toMatchObject({ subject: `${eventType}-value`, version: 1, schemaType: 'JSON' });
    expect(JSON.parse(latest.body.schema)).toEqual(orderSchema);
  });

  it('produces a valid event and streams it over SSE with the cursor as id', async () => {
    const sse = await openSse(`${gw.url}/v1/events/${eventType}/stream`);
    try {
      expect(sse.response.status).toBe(200);
      expect(sse.response.headers.get('content-type')).toContain('text/event-stream');
      await waitFor(() => (sse.comments.includes('connected') ? true : undefined), 5000, 'SSE connect comment');
      const produced = await request(gw.url, 'POST', `/v1/events/${eventType}`, { orderId: 'o-1', total: 12.5 });
      expect(produced.status).toBe(202);
      expect(produced.body).toMatchObject({
        cursor: expect.any(String),
        partition: expect.any(Number),
        offset: expect.any(Number),
        schemaId: expect.any(Number),
      });
      const message = await waitFor(() => sse.messages[0], 15_000, 'SSE event');
      const envelope = JSON.parse(message.data);
      expect(envelope).toMatchObject({
        type: eventType,
        data: { orderId: 'o-1', total: 12.5 },
        partition: produced.body.partition,
        offset: produced.body.offset,
      });
      expect(message.id).toBe(envelope.cursor);
      // The stream's cursor names every partition, past the delivered record in its own.
      const positions = decodeCursor(message.id!);
      expect(positions.size).toBe(3);
      expect(positions.get(produced.body.partition)).toBe(produced.body.offset + 1);
    } finally {
      await sse.close();
    }
  });

  it('rejects an invalid event with every ajv error and appends nothing', async () => {
    const before = await gw.gateway.runtime.services().eventLog.offsets(eventType);
    const rejected = await request(gw.url, 'POST', `/v1/events/${eventType}`, { total: -1, items: [{}] });
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('EVENT_VALIDATION_FAILED');
    expect(rejected.body.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/orderId', rule: 'required' }),
        expect.objectContaining({ path: '/total', rule: 'minimum' }),
        expect.objectContaining({ path: '/items/0/sku', rule: 'required' }),
      ]),
    );
    const after = await gw.gateway.runtime.services().eventLog.offsets(eventType);
    expect(after).toEqual(before);
  });

  it('resumes an SSE stream from Last-Event-ID with no loss and no duplicate', async () => {
    const first = await openSse(`${gw.url}/v1/events/${eventType}/stream`);
    let cursor: string;
    try {
      await waitFor(() => (first.comments.includes('connected') ? true : undefined), 5000, 'connect');
      await request(gw.url, 'POST', `/v1/events/${eventType}`, { orderId: 'r-1', total: 1 });
      const message = await waitFor(() => first.messages[0], 15_000, 'first event');
      cursor = message.id!;
    } finally {
      await first.close();
    }
    // Produced while nobody listens.
    for (const id of ['r-2', 'r-3', 'r-4']) {
      expect((await request(gw.url, 'POST', `/v1/events/${eventType}`, { orderId: id, total: 1 })).status).toBe(202);
    }
    const resumed = await openSse(`${gw.url}/v1/events/${eventType}/stream`, { 'last-event-id': cursor });
    try {
      await waitFor(() => (resumed.messages.length >= 3 ? true : undefined), 15_000, 'resumed events');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ids = resumed.messages.map((m) => JSON.parse(m.data).data.orderId).sort();
      expect(ids).toEqual(['r-2', 'r-3', 'r-4']);
    } finally {
      await resumed.close();
    }
  });

  it('streams NDJSON when asked and replays from earliest', async () => {
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/v1/events/${eventType}/stream?from=earliest`, {
      headers: withAuth({ accept: 'application/x-ndjson' }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines: unknown[] = [];
    const reading = (async () => {
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += Buffer.from(chunk).toString('utf8');
          const parts = buffer.split('\n');
          buffer = parts.pop() ?? '';
          for (const part of parts) if (part) lines.push(JSON.parse(part));
        }
      } catch {
        // aborted
      }
    })();
    await waitFor(() => (lines.length >= 5 ? true : undefined), 15_000, 'NDJSON replay');
    controller.abort();
    await reading;
    expect(lines.every((l) => typeof (l as { cursor: unknown }).cursor === 'string')).toBe(true);
  });

  it('filters an SSE stream with the compact filter language, and rejects a bad filter with INVALID_FILTER', async () => {
    const filter = encodeURIComponent('total >= 100 && orderId != "skip"');
    const sse = await openSse(`${gw.url}/v1/events/${eventType}/stream?filter=${filter}`);
    try {
      await waitFor(() => (sse.comments.includes('connected') ? true : undefined), 5000, 'connect');
      for (const [orderId, total] of [
        ['f-small', 5],
        ['skip', 500],
        ['f-big', 150],
      ] as const) {
        expect((await request(gw.url, 'POST', `/v1/events/${eventType}`, { orderId, total })).status).toBe(202);
      }
      const message = await waitFor(() => sse.messages[0], 15_000, 'filtered event');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sse.messages.map((m) => JSON.parse(m.data).data.orderId)).toEqual(['f-big']);
      expect(message.id).toBeTruthy();
    } finally {
      await sse.close();
    }
    const bad = await request(gw.url, 'GET', `/v1/events/${eventType}/stream?filter=${encodeURIComponent('total >=')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_FILTER');
    expect(bad.body.message).toMatch(/column/);
  });

  it('delivers the event over a graphql-ws subscription too', async () => {
    const client = createClient({
      url: `${gw.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: adminConnectionParams,
      retryAttempts: 0,
    });
    const received: Array<{ data: unknown; cursor: string }> = [];
    let error: unknown;
    const subscribed = new Promise<void>((resolve) => {
      client.on('connected', () => resolve());
    });
    const dispose = client.subscribe<{ events: { data: unknown; cursor: string } }>(
      {
        query: `subscription($type: String!) { events(type: $type) { type cursor data partition offset } }`,
        variables: { type: eventType },
      },
      {
        next: (value) => value.data && received.push(value.data.events),
        error: (e) => (error = e),
        complete: () => undefined,
      },
    );
    try {
      await subscribed;
      // The subscription opens its reader asynchronously; produce until it sees one.
      await waitFor(
        async () => {
          if (received.length > 0) return true;
          await request(gw.url, 'POST', `/v1/events/${eventType}`, { orderId: 'g-1', total: 3 });
          await new Promise((resolve) => setTimeout(resolve, 400));
          return received.length > 0 ? true : undefined;
        },
        20_000,
        'GraphQL event',
      );
      expect(error).toBeUndefined();
      expect(received[0]).toMatchObject({ data: { orderId: 'g-1', total: 3 }, cursor: expect.any(String) });
    } finally {
      dispose();
      await client.dispose();
    }
  });

  it('answers GraphQL queries over HTTP', async () => {
    const result = await request(gw.url, 'POST', '/graphql', {
      query: `query($n: String!) { eventType(name: $n) { name subject schema { version schemaType } } }`,
      variables: { n: eventType },
    });
    expect(result.status).toBe(200);
    expect(result.body.data.eventType).toEqual({
      name: eventType,
      subject: `${eventType}-value`,
      schema: { version: 1, schemaType: 'JSON' },
    });
  });

  it('reports ready with both dependencies and exposes Prometheus metrics', async () => {
    const ready = await request(gw.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: { ok: true }, 'event-log': expect.objectContaining({ ok: true }) });
    const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      new RegExp(`meshgate_events_produced_total\\{event_type="${eventType.replace(/\./g, '\\.')}"\\} \\d+`),
    );
    // Earlier streams opened the topic's shared reader, kept for a grace period after the last subscriber.
    expect(metrics).toMatch(/meshgate_hub_readers\{kind="live"\} [1-9]/);
    expect((await request(gw.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
  });
});
