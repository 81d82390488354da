import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient } from './gateway-client';
import { GatewayError, GatewayErrorCode } from './gateway-error';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const eventType = {
  name: 'orders.order-created',
  summary: 'A customer placed an order.',
  description: null,
  owner: 'team-orders',
  topic: 'orders.order-created',
  subject: 'orders.order-created-value',
  partitions: 3,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

// A real HTTP server on a free port; each test swaps the handler.
let handler: Handler = (_req, res) => json(res, 500, {});
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('createGatewayClient', () => {
  it('lists event types', async () => {
    handler = (_req, res) => json(res, 200, { items: [eventType] });
    const client = createGatewayClient({ baseUrl: `${baseUrl}/` });
    await expect(client.listEventTypes()).resolves.toEqual([eventType]);
    expect(requests.at(-1)).toBe('/v1/catalog/event-types');
  });

  it('reads one event type and encodes its name in the path', async () => {
    // Optional fields may be missing; unknown fields are ignored.
    handler = (_req, res) => json(res, 200, { ...eventType, description: undefined, partitions: undefined, extra: 1 });
    const client = createGatewayClient({ baseUrl });
    await expect(client.getEventType('a b/c')).resolves.toEqual({ ...eventType, partitions: null });
    expect(requests.at(-1)).toBe('/v1/catalog/event-types/a%20b%2Fc');
  });

  it('returns null only for the catalog not-found code', async () => {
    const client = createGatewayClient({ baseUrl });
    handler = (_req, res) => json(res, 404, { code: 'EVENT_TYPE_NOT_FOUND', message: 'nope' });
    await expect(client.getEventType('nope')).resolves.toBeNull();

    // A 404 without the code (e.g. an unknown route on an older gateway) is not "not found".
    handler = (_req, res) => json(res, 404, { message: 'Route GET:/v1/x not found' });
    const error = await gatewayError(client.getEventType('nope'));
    expect(error.code).toBe(GatewayErrorCode.UnexpectedStatus);
    expect(error.status).toBe(404);
  });

  it('reads the latest schema, and null when the subject has none', async () => {
    const client = createGatewayClient({ baseUrl });
    handler = (_req, res) =>
      json(
        res,
        200,
        { subject: 's-value', version: 3, id: 7, schemaType: 'JSON', schema: '{"type":"object"}' },
        'application/vnd.schemaregistry.v1+json',
      );
    await expect(client.getLatestSchema('s-value')).resolves.toEqual({
      subject: 's-value',
      version: 3,
      id: 7,
      schemaType: 'JSON',
      schema: '{"type":"object"}',
    });
    expect(requests.at(-1)).toBe('/registry/subjects/s-value/versions/latest');

    handler = (_req, res) => json(res, 404, { error_code: 40401, message: "Subject 's' not found." });
    await expect(client.getLatestSchema('s-value')).resolves.toBeNull();
  });

  it('defaults schemaType to AVRO as Confluent omits it', async () => {
    handler = (_req, res) => json(res, 200, { subject: 's', version: 1, id: 1, schema: '{}' });
    const client = createGatewayClient({ baseUrl });
    await expect(client.getLatestSchema('s')).resolves.toMatchObject({ schemaType: 'AVRO' });
  });

  it('reports 5xx with the status and the gateway message', async () => {
    handler = (_req, res) => json(res, 503, { code: 'NOT_READY', message: 'database unreachable' });
    const error = await gatewayError(createGatewayClient({ baseUrl }).listEventTypes());
    expect(error.code).toBe(GatewayErrorCode.UnexpectedStatus);
    expect(error.status).toBe(503);
    expect(error.message).toContain('database unreachable');
    expect(error.url).toBe(`${baseUrl}/v1/catalog/event-types`);
  });

  it('rejects bodies that are not the documented shape', async () => {
    const client = createGatewayClient({ baseUrl });
    handler = (_req, res) => json(res, 200, { items: [{ ...eventType, owner: 42 }] });
    const error = await gatewayError(client.listEventTypes());
    expect(error.code).toBe(GatewayErrorCode.BadResponse);
    expect(error.message).toContain('items[0].owner');

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('not json');
    };
    expect((await gatewayError(client.listEventTypes())).code).toBe(GatewayErrorCode.BadResponse);
  });

  it('reports an unreachable gateway with the underlying reason', async () => {
    // Take a free port, then close it so nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const error = await gatewayError(createGatewayClient({ baseUrl: `http://127.0.0.1:${port}` }).listEventTypes());
    expect(error.code).toBe(GatewayErrorCode.Unreachable);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('gives up after the timeout', async () => {
    handler = () => {
      // Never answer.
    };
    const client = createGatewayClient({ baseUrl, timeoutMs: 100 });
    const error = await gatewayError(client.listEventTypes());
    expect(error.code).toBe(GatewayErrorCode.Unreachable);
    expect(error.message).toBe('No response within 100 ms');
  });
});
