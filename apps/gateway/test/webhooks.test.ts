import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/app';
import { createLogger } from '../src/logger';
import { TEST_TOKEN, request, startTestGateway, uniqueName, waitFor, type TestGateway } from './harness';

/** One request a receiver got, with its signature checked. */
interface Received {
  deliveryId: string;
  webhookId: string;
  event: string;
  attempt: number;
  signatureValid: boolean;
  /** The signature's timestamp, unix seconds. */
  timestamp: number;
  body: any;
}

/**
 * A webhook receiver as an integrator writes one: it checks `Meshgate-Signature` (HMAC-SHA256
 * of "<t>.<raw body>" with the webhook secret, timestamp within 5 minutes) and answers with the
 * status `answer` picks (401 for a bad signature).
 */
class Receiver {
  readonly received: Received[] = [];
  secret = '';
  private readonly server: http.Server;

  constructor(private readonly answer: (attempt: number) => number = () => 200) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = String(req.headers['meshgate-signature'] ?? '');
        const timestamp = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
        const given = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
        const expected = createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex');
        const fresh = Math.abs(Date.now() / 1000 - timestamp) <= 300;
        const signatureValid =
          fresh && given.length === 64 && timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
        const attempt = Number(req.headers['meshgate-attempt']);
        this.received.push({
          deliveryId: String(req.headers['meshgate-delivery-id']),
          webhookId: String(req.headers['meshgate-webhook-id']),
          event: String(req.headers['meshgate-event']),
          attempt,
          signatureValid,
          timestamp,
          body: JSON.parse(raw),
        });
        res.writeHead(signatureValid ? this.answer(this.received.length) : 401).end('receiver says hello');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('webhooks on catalog changes', () => {
  let gw: TestGateway;
  const receivers: Receiver[] = [];
  const admin = (method: string, route: string, body?: unknown) => request(gw.url, method, route, body);

  /** A running receiver and a webhook pointing at it. */
  async function hook(events: string[] | undefined, answer?: (attempt: number) => number) {
    const receiver = new Receiver(answer);
    receivers.push(receiver);
    const url = await receiver.start();
    const created = await admin('POST', '/v1/catalog/webhooks', { url, ...(events ? { events } : {}) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    receiver.secret = created.body.secret;
    return { receiver, id: created.body.id as string, url };
  }

  async function deliveries(id: string) {
    const answer = await admin('GET', `/v1/catalog/webhooks/${id}/deliveries`);
    expect(answer.status).toBe(200);
    return answer.body.items as any[];
  }

  /** Inserts a change as a catalog writer does (for kinds no route writes yet, e.g. schema registrations). */
  async function insertChange(kind: string, name: string, action: string): Promise<void> {
    const client = new pg.Client({ connectionString: gw.db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO catalog_changes (entity_kind, entity_name, action, actor_kind, actor_name, after)
         VALUES ($1, $2, $3, 'user', 'dev@example.com', '{"version": 2}')`,
        [kind, name, action],
      );
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    gw = await startTestGateway('postgres', {
      webhooks: { backoffMs: 50, maxBackoffMs: 200, maxAttempts: 4, pollMs: 200 },
    });
  });

  afterAll(async () => {
    for (const receiver of receivers) await receiver.stop();
    await gw?.stop();
  });

  it('retries a failing receiver with backoff until it answers 2xx: 3 attempts, delivered', async () => {
    const { receiver, id } = await hook(['event-type.*'], (n) => (n <= 2 ? 500 : 204));
    const name = uniqueName('wh');
    expect(
      (await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 'Hooked', owner: 'team-wh' })).status,
    ).toBe(201);
    const [delivery] = await waitFor(
      async () => {
        const items = await deliveries(id);
        return items[0]?.status === 'delivered' ? items : undefined;
      },
      10_000,
      'the delivery to succeed',
    );
    expect(delivery).toMatchObject({
      event: 'event-type.created',
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 204,
    });
    expect(delivery.lastError).toBeNull();
    expect(delivery.deliveredAt).toEqual(expect.any(String));
    expect(delivery.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 204]);
    expect(delivery.log[0].error).toBe('HTTP 500: receiver says hello');
    const times = delivery.log.map((a: { at: string }) => Date.parse(a.at));
    expect(times[1]).toBeGreaterThanOrEqual(times[0]);
    expect(times[2]).toBeGreaterThanOrEqual(times[1]);

    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.map((r) => r.attempt)).toEqual([1, 2, 3]);
    for (const got of receiver.received) {
      expect(got).toMatchObject({
        deliveryId: delivery.id,
        webhookId: id,
        event: 'event-type.created',
        signatureValid: true,
      });
    }
    const body = receiver.received[2]!.body;
    expect(body).toEqual({
      id: delivery.id,
      event: 'event-type.created',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      change: {
        id: delivery.changeId,
        entityKind: 'event-type',
        entityName: name,
        action: 'created',
        actor: expect.objectContaining({ kind: expect.any(String) }),
        before: null,
        after: expect.objectContaining({ name, summary: 'Hooked', owner: 'team-wh', topic: name }),
      },
    });
    await admin('DELETE', `/v1/catalog/webhooks/${id}`);
  });

  it('gives up after the last attempt: failed, every attempt logged', async () => {
    const { receiver, id } = await hook(['event-type.*'], () => 503);
    const name = uniqueName('wh');
    await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 'Nobody listens', owner: 'team-wh' });
    const [delivery] = await waitFor(
      async () => {
        const items = await deliveries(id);
        return items[0]?.status === 'failed' ? items : undefined;
      },
      15_000,
      'the delivery to fail',
    );
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, lastStatusCode: 503, nextAttemptAt: null });
    expect(delivery.lastError).toMatch(/^HTTP 503/);
    expect(delivery.log.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const webhook = await admin('GET', `/v1/catalog/webhooks/${id}`);
    expect(webhook.body.deliveries).toEqual({ pending: 0, delivered: 0, failed: 1 });
    await admin('DELETE', `/v1/catalog/webhooks/${id}`);
  });

  it('delivers only the changes a webhook selects: schema.* gets schema changes only', async () => {
    const schemas = await hook(['schema.*']);
    const everything = await hook(undefined);
    const name = uniqueName('wh');
    await insertChange('schema', `${name}-value`, 'registered');
    await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'team-wh' });
    await insertChange('domain', 'wh', 'updated');
    await waitFor(
      () => (everything.receiver.received.length >= 3 ? true : undefined),
      10_000,
      'three deliveries to the catch-all webhook',
    );
    expect(everything.receiver.received.map((r) => r.event).sort()).toEqual([
      'domain.updated',
      'event-type.created',
      'schema.registered',
    ]);
    // Enqueued in the writers' transactions: the schema webhook's queue is already complete.
    const queued = await deliveries(schemas.id);
    expect(queued.map((d) => d.event)).toEqual(['schema.registered']);
    await waitFor(() => (schemas.receiver.received.length >= 1 ? true : undefined), 10_000, 'the schema delivery');
    expect(schemas.receiver.received[0]!.body.change).toMatchObject({
      entityKind: 'schema',
      entityName: `${name}-value`,
      action: 'registered',
      actor: { kind: 'user', id: null, name: 'dev@example.com' },
      after: { version: 2 },
    });
    await admin('DELETE', `/v1/catalog/webhooks/${schemas.id}`);
    await admin('DELETE', `/v1/catalog/webhooks/${everything.id}`);
  });

  it('manages webhooks: secret shown once, validation, pause, ping, delete, administrators only', async () => {
    const { receiver, id, url } = await hook(['event-type.deleted', '*.lifecycle']);
    const count = async () => ((await admin('GET', '/v1/catalog/webhooks')).body.items as unknown[]).length;
    const webhooks = await count();
    const one = await admin('GET', `/v1/catalog/webhooks/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id,
      url,
      description: '',
      events: ['event-type.deleted', '*.lifecycle'],
      active: true,
      createdAt: expect.any(String),
      createdBy: 'meshgate-bootstrap',
      deliveries: { pending: 0, delivered: 0, failed: 0 },
    });
    expect(one.body.secret).toBeUndefined();
    expect((await admin('GET', '/v1/catalog/webhooks')).body.items.map((w: { id: string }) => w.id)).toContain(id);

    for (const [body, message] of [
      [{ url: 'ftp://example.com/x' }, /http or https/],
      [{ url: 'not a url' }, /not an absolute URL/],
      [{ url, events: ['schema.renamed'] }, /events\[0\].*unknown action/],
      [{ url, events: [] }, /events/],
      [{ url, secret: 'mine' }, /additional properties/],
    ] as const) {
      const refused = await admin('POST', '/v1/catalog/webhooks', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.code).toBe('INVALID_REQUEST');
      expect(refused.body.message).toMatch(message);
    }
    const badPatch = await admin('PATCH', `/v1/catalog/webhooks/${id}`, { events: ['nope'] });
    expect(badPatch.status).toBe(400);
    expect(await count()).toBe(webhooks); // nothing half written
    for (const missing of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const notFound = await admin('GET', `/v1/catalog/webhooks/${missing}`);
      expect(notFound.status).toBe(404);
      expect(notFound.body.code).toBe('WEBHOOK_NOT_FOUND');
    }

    // Paused: changes are not queued for it.
    const paused = await admin('PATCH', `/v1/catalog/webhooks/${id}`, { active: false, description: 'paused' });
    expect(paused.body).toMatchObject({ active: false, description: 'paused' });
    const name = uniqueName('wh');
    await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'team-wh' });
    await admin('DELETE', `/v1/catalog/event-types/${name}`);
    expect(await deliveries(id)).toEqual([]);
    await admin('PATCH', `/v1/catalog/webhooks/${id}`, { active: true });
    await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'team-wh' });
    await admin('DELETE', `/v1/catalog/event-types/${name}`);
    await waitFor(() => (receiver.received.length >= 1 ? true : undefined), 10_000, 'the deletion');
    expect(receiver.received.map((r) => r.event)).toEqual(['event-type.deleted']);
    expect(receiver.received[0]!.body.change).toMatchObject({ before: expect.objectContaining({ name }), after: null });

    // Ping: one signed attempt now, in the log.
    const ping = await admin('POST', `/v1/catalog/webhooks/${id}/ping`);
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ event: 'ping', status: 'delivered', attempts: 1, changeId: null });
    expect(ping.body.log).toEqual([
      { attempt: 1, at: expect.any(String), statusCode: 200, error: null, durationMs: expect.any(Number) },
    ]);
    expect(receiver.received.at(-1)).toMatchObject({ event: 'ping', signatureValid: true });
    expect(receiver.received.at(-1)!.body).toMatchObject({ id: ping.body.id, event: 'ping', webhook: { id, url } });

    // A ping to nowhere fails at once (not retried) and says why.
    await receiver.stop();
    const unreachable = await admin('POST', `/v1/catalog/webhooks/${id}/ping`);
    expect(unreachable.body).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
    expect(unreachable.body.lastError).toMatch(/fetch failed|ECONNREFUSED/);

    // Administrators only.
    await admin('POST', '/v1/admin/applications', { name: 'wh-app' });
    const key = await admin('POST', '/v1/admin/applications/wh-app/keys', { name: 'k' });
    // A new headers object per call: the request helper adds content-type to the one it gets.
    const app = () => ({ authorization: `Bearer ${key.body.token}` });
    for (const [method, route] of [
      ['GET', '/v1/catalog/webhooks'],
      ['POST', '/v1/catalog/webhooks'],
      ['GET', `/v1/catalog/webhooks/${id}/deliveries`],
      ['POST', `/v1/catalog/webhooks/${id}/ping`],
      ['DELETE', `/v1/catalog/webhooks/${id}`],
    ] as const) {
      const denied = await request(gw.url, method, route, method === 'POST' ? { url } : undefined, app());
      expect(denied.status, `${method} ${route} ${JSON.stringify(denied.body)}`).toBe(403);
      expect(denied.body.code).toBe('FORBIDDEN');
    }
    const anonymous = await request(gw.url, 'GET', '/v1/catalog/webhooks', undefined, { authorization: '' });
    expect(anonymous.status).toBe(401);

    const deleted = await admin('DELETE', `/v1/catalog/webhooks/${id}`);
    expect(deleted.status).toBe(200);
    expect((await admin('GET', `/v1/catalog/webhooks/${id}`)).status).toBe(404);
    expect((await admin('GET', `/v1/catalog/webhooks/${id}/deliveries`)).status).toBe(404);
  });

  it('shares the work between instances: every delivery sent once (FOR UPDATE SKIP LOCKED)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-wh-'));
    let second: Gateway | undefined;
    try {
      second = await createGateway({
        port: 0,
        dataDir: dir,
        databaseUrl: gw.db.url,
        seedDemo: false,
        webhooks: { backoffMs: 50, maxBackoffMs: 200, maxAttempts: 4, pollMs: 200 },
        logger: createLogger('silent', false),
        access: { bootstrapToken: TEST_TOKEN },
      });
      await second.runtime.ready();
      const { receiver, id } = await hook(['schema.*']);
      const client = new pg.Client({ connectionString: gw.db.url });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO catalog_changes (entity_kind, entity_name, action, actor_kind)
           SELECT 'schema', 'many-' || n || '-value', 'registered', 'system' FROM generate_series(1, 40) AS n`,
        );
      } finally {
        await client.end();
      }
      await waitFor(
        async () =>
          (await admin('GET', `/v1/catalog/webhooks/${id}`)).body.deliveries.delivered === 40 ? true : undefined,
        20_000,
        'forty deliveries',
      );
      expect(receiver.received).toHaveLength(40);
      expect(new Set(receiver.received.map((r) => r.deliveryId)).size).toBe(40);
      expect(receiver.received.every((r) => r.attempt === 1 && r.signatureValid)).toBe(true);
    } finally {
      await second?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
