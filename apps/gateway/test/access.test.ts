import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import WebSocket from 'ws';
import { openSse, request, startTestGateway, uniqueName, waitFor, type TestGateway } from './harness';

/** A raw graphql-transport-ws client: what arrives, and how the socket closed. */
interface WsProbe {
  messages: { id?: string; type: string; payload?: any }[];
  closed: Promise<{ code: number; reason: string }>;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  close(): void;
}

function openWs(url: string, authorization: string | undefined): Promise<WsProbe> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: WsProbe['messages'] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.once('close', (code, reason) => done({ code, reason: reason.toString() })),
    );
    const probe: WsProbe = {
      messages,
      closed,
      subscribe: (id, query, variables) =>
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
      close: () => socket.close(),
    };
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} })),
    );
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as WsProbe['messages'][number];
      messages.push(message);
      if (message.type === 'connection_ack') resolve(probe);
    });
    socket.once('error', reject);
    void closed.then(() => resolve(probe));
  });
}

const schema = {
  type: 'object',
  required: ['orderId', 'region', 'email'],
  properties: {
    orderId: { type: 'string' },
    region: { type: 'string', enum: ['EU', 'US'] },
    email: { type: 'string', 'x-meshgate-pii': true },
    total: { type: 'number' },
  },
};

describe('access policies on every surface', () => {
  let gw: TestGateway;
  let jwks: http.Server;
  let signingKey: CryptoKey;
  const eventType = uniqueName('acc');
  const otherType = uniqueName('accother');
  const missingType = uniqueName('accmissing');
  /** Authorization header values by credential kind. */
  const creds: Record<string, string | undefined> = {};
  const appIds: Record<string, string> = {};
  const keyIds: Record<string, string> = {};

  const admin = (method: string, path: string, body?: unknown) => request(gw.url, method, path, body);
  const as = (kind: string) => ({ authorization: creds[kind] ?? '' });

  async function makeApp(name: string, grants: Record<string, unknown>[], keyOptions: Record<string, unknown> = {}) {
    const app = await admin('POST', '/v1/admin/applications', { name });
    expect(app.status).toBe(201);
    appIds[name] = app.body.id;
    for (const grant of grants) {
      const created = await admin('POST', '/v1/admin/grants', {
        subjectKind: 'application',
        subjectId: name,
        ...grant,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const key = await admin('POST', `/v1/admin/applications/${name}/keys`, { name: 'k', ...keyOptions });
    expect(key.status).toBe(201);
    keyIds[name] = key.body.keyId;
    return `Bearer ${key.body.token}`;
  }

  beforeAll(async () => {
    // A JWKS the gateway trusts, served over HTTP like an identity provider's.
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256' };
    jwks = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    gw = await startTestGateway('postgres', {
      access: {
        jwt: {
          jwks: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
          issuer: 'https://idp.test',
          audience: 'meshgate',
        },
      },
    });
    for (const name of [eventType, otherType]) {
      expect((await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'team-acc' })).status).toBe(
        201,
      );
      const registered = await admin('POST', `/registry/subjects/${name}-value/versions`, {
        schemaType: 'JSON',
        schema: JSON.stringify(schema),
      });
      expect(registered.status).toBe(200);
    }
    creds.none = undefined;
    creds.malformed = 'Bearer mgk_broken.key';
    creds.ungranted = await makeApp('acc-ungranted', []);
    creds.other = await makeApp('acc-other', [{ resourceKind: 'event-type', resourceName: otherType, action: 'read' }]);
    creds.readonly = await makeApp('acc-readonly', [
      { resourceKind: 'event-type', resourceName: eventType, action: 'read' },
    ]);
    creds.producer = await makeApp('acc-producer', [
      { resourceKind: 'event-type', resourceName: eventType, action: 'produce' },
      { resourceKind: 'event-type', resourceName: eventType, action: 'read', unmask: ['pii'] },
    ]);
    creds.partner = await makeApp('acc-partner', [
      { resourceKind: 'domain', resourceName: eventType.split('.')[0], action: 'read', rowFilter: 'region == "EU"' },
    ]);
    creds.revoked = await makeApp('acc-revoked', [{ resourceKind: 'all', action: 'read' }]);
    await admin('POST', `/v1/admin/keys/${keyIds['acc-revoked']}/revoke`);
    creds.expired = await makeApp('acc-expired', [{ resourceKind: 'all', action: 'read' }], {
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    // A JWT application.
    await admin('POST', '/v1/admin/applications', { name: 'acc-jwt', jwtSubject: 'svc-jwt' });
    await admin('POST', '/v1/admin/grants', {
      subjectKind: 'application',
      subjectId: 'acc-jwt',
      resourceKind: 'event-type',
      resourceName: eventType,
      action: 'read',
    });
    await new Promise((resolve) => setTimeout(resolve, 1600)); // let the expiring key expire

    // Events: two EU, one US.
    for (const [orderId, region] of [
      ['o-1', 'EU'],
      ['o-2', 'US'],
      ['o-3', 'EU'],
    ]) {
      const produced = await request(
        gw.url,
        'POST',
        `/v1/events/${eventType}`,
        { orderId, region, email: `${orderId}@example.com` },
        as('producer'),
      );
      expect(produced.status, JSON.stringify(produced.body)).toBe(202);
    }
  });

  afterAll(async () => {
    await gw?.stop();
    await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
  });

  // ---- the denial matrix -----------------------------------------------------------------------

  type Surface = { name: string; call: (kind: string, type: string) => Promise<{ status: number; body: any }> };
  const surfaces: Surface[] = [
    {
      name: 'REST produce',
      call: (k, t) => request(gw.url, 'POST', `/v1/events/${t}`, { orderId: 'x', region: 'EU', email: 'e' }, as(k)),
    },
    { name: 'SSE', call: (k, t) => streamStatus(`/v1/events/${t}/stream`, k, 'text/event-stream') },
    { name: 'NDJSON', call: (k, t) => streamStatus(`/v1/events/${t}/stream`, k, 'application/x-ndjson') },
    { name: 'fetch', call: (k, t) => request(gw.url, 'GET', `/v1/events/${t}?from=earliest`, undefined, as(k)) },
    {
      name: 'registry write',
      call: (k, t) =>
        request(
          gw.url,
          'POST',
          `/registry/subjects/${t}-value/versions`,
          { schemaType: 'JSON', schema: JSON.stringify(schema) },
          as(k),
        ),
    },
    {
      name: 'catalog write',
      call: (k, t) =>
        request(gw.url, 'PUT', `/v1/catalog/event-types/${t}`, { summary: 's', owner: 'team-acc' }, as(k)),
    },
    { name: 'admin API', call: (k) => request(gw.url, 'GET', '/v1/admin/applications', undefined, as(k)) },
  ];

  async function streamStatus(path: string, kind: string, accept: string): Promise<{ status: number; body: any }> {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept };
    if (creds[kind]) headers.authorization = creds[kind]!;
    const response = await fetch(`${gw.url}${path}?from=earliest`, { headers, signal: controller.signal });
    const body = response.status === 200 ? undefined : await response.json();
    controller.abort();
    return { status: response.status, body };
  }

  const unauthenticated = ['none', 'malformed', 'expired', 'revoked'];
  const forbidden = ['ungranted', 'other'];

  for (const surface of surfaces) {
    for (const kind of unauthenticated) {
      it(`${surface.name}: ${kind} credentials → 401 UNAUTHENTICATED`, async () => {
        const { status, body } = await surface.call(kind, eventType);
        expect(status).toBe(401);
        expect(body.code).toBe('UNAUTHENTICATED');
      });
    }
    for (const kind of forbidden) {
      it(`${surface.name}: ${kind} → 403 FORBIDDEN, the same for an event type that does not exist`, async () => {
        const existing = await surface.call(kind, eventType);
        const missing = await surface.call(kind, missingType);
        expect(existing.status).toBe(403);
        expect(existing.body.code).toBe('FORBIDDEN');
        expect(missing.status).toBe(403);
        expect(JSON.stringify(missing.body).replaceAll(missingType, 'X')).toBe(
          JSON.stringify(existing.body).replaceAll(eventType, 'X'),
        );
      });
    }
  }

  it('read-only: reads on every read surface, and is refused every write', async () => {
    for (const surface of surfaces) {
      const { status } = await surface.call('readonly', eventType);
      const read = ['SSE', 'NDJSON', 'fetch'].includes(surface.name);
      expect(status, surface.name).toBe(read ? 200 : 403);
    }
  });

  it('registry errors keep Confluent’s shape: 40101 and 40301', async () => {
    const none = await request(
      gw.url,
      'POST',
      `/registry/subjects/${eventType}-value/versions`,
      { schema: '{}' },
      as('none'),
    );
    expect(none.body).toMatchObject({ error_code: 40101, code: 'UNAUTHENTICATED' });
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const denied = await request(
      gw.url,
      'POST',
      `/registry/subjects/${eventType}-value/versions`,
      { schema: '{}' },
      as('readonly'),
    );
    expect(denied.body).toMatchObject({ error_code: 40301, code: 'FORBIDDEN' });
    // Reads stay open to any valid credential (Confluent deserializers fetch schemas by id).
    expect(
      (
        await request(
          gw.url,
          'GET',
          `/registry/subjects/${eventType}-value/versions/latest`,
          undefined,
          as('ungranted'),
        )
      ).status,
    ).toBe(200);
  });

  it('GraphQL queries: no credentials → 401; applications see only event types they hold a grant on', async () => {
    const query = { query: `{ eventTypes { name } eventType(name: "${eventType}") { name } }` };
    expect((await request(gw.url, 'POST', '/graphql', query, as('none'))).status).toBe(401);
    const other = await request(gw.url, 'POST', '/graphql', query, as('other'));
    expect(other.body.data.eventType).toBeNull();
    expect(other.body.data.eventTypes.map((e: { name: string }) => e.name)).toEqual([otherType]);
    const reader = await request(gw.url, 'POST', '/graphql', query, as('readonly'));
    expect(reader.body.data.eventType).toEqual({ name: eventType });
    const produce = await request(
      gw.url,
      'POST',
      '/graphql',
      {
        query: `mutation { produce(type: "${eventType}", data: {orderId: "g", region: "EU", email: "e"}) { cursor } }`,
      },
      as('readonly'),
    );
    expect(produce.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('graphql-ws: bad credentials close the socket with 4403; ungranted subscriptions get FORBIDDEN', async () => {
    for (const kind of unauthenticated) {
      const probe = await openWs(gw.url, creds[kind]);
      expect((await probe.closed).code, kind).toBe(4403);
    }
    for (const kind of forbidden) {
      const probe = await openWs(gw.url, creds[kind]);
      probe.subscribe('1', `subscription { events(type: "${eventType}", from: EARLIEST) { cursor } }`);
      probe.subscribe('2', `subscription { events(type: "${missingType}", from: EARLIEST) { cursor } }`);
      // The operation fails as it starts: a `next` carrying the error, then `complete`.
      await waitFor(() => (probe.messages.filter((m) => m.type === 'complete').length === 2 ? true : undefined), 5000);
      const failed = probe.messages.filter((m) => m.type === 'next');
      expect(failed.map((m) => m.payload.errors[0].extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(failed[1]!.payload.errors[0].message.replace(missingType, 'X')).toBe(
        failed[0]!.payload.errors[0].message.replace(eventType, 'X'),
      );
      probe.close();
    }
  });

  it('accepts a valid JWT for its application, and refuses an expired or foreign one', async () => {
    const sign = (exp: number | string, issuer = 'https://idp.test') =>
      new SignJWT({ sub: 'svc-jwt' })
        .setProtectedHeader({ alg: 'ES256', kid: 'test' })
        .setIssuer(issuer)
        .setAudience('meshgate')
        .setExpirationTime(exp)
        .sign(signingKey);
    const ok = await request(gw.url, 'GET', `/v1/events/${eventType}?from=earliest`, undefined, {
      authorization: `Bearer ${await sign('5m')}`,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.events).toHaveLength(3);
    const expired = await request(gw.url, 'GET', `/v1/events/${eventType}`, undefined, {
      authorization: `Bearer ${await sign(Math.floor(Date.now() / 1000) - 600)}`,
    });
    expect(expired).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED', message: 'The token has expired.' },
    });
    const foreign = await request(gw.url, 'GET', `/v1/events/${eventType}`, undefined, {
      authorization: `Bearer ${await sign('5m', 'https://evil.test')}`,
    });
    expect(foreign.status).toBe(401);
  });

  it('accepts API keys as HTTP Basic credentials (Confluent clients)', async () => {
    const created = await admin('POST', `/v1/admin/applications/acc-readonly/keys`, { name: 'basic' });
    const basic = `Basic ${Buffer.from(`${created.body.keyId}:${created.body.secret}`).toString('base64')}`;
    expect((await request(gw.url, 'GET', '/registry/subjects', undefined, { authorization: basic })).status).toBe(200);
  });

  // ---- masking and row filters on the wire -------------------------------------------------------

  it('masks fields and applies the grant’s row filter on SSE, NDJSON, fetch and GraphQL alike', async () => {
    const fetched = await request(gw.url, 'GET', `/v1/events/${eventType}?from=earliest`, undefined, as('partner'));
    const byOrder = (a: { orderId: string }, b: { orderId: string }) => a.orderId.localeCompare(b.orderId);
    expect(fetched.body.events.map((e: { data: { orderId: string } }) => e.data).sort(byOrder)).toEqual([
      { orderId: 'o-1', region: 'EU' },
      { orderId: 'o-3', region: 'EU' },
    ]);
    const full = await request(gw.url, 'GET', `/v1/events/${eventType}?from=earliest`, undefined, as('producer'));
    expect(full.body.events.map((e: { data: { email: string } }) => e.data.email).sort()).toEqual([
      'o-1@example.com',
      'o-2@example.com',
      'o-3@example.com',
    ]);

    const sse = await openSse(`${gw.url}/v1/events/${eventType}/stream?from=earliest`, as('partner'));
    await waitFor(() => (sse.messages.length >= 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sse.messages.map((m) => JSON.parse(m.data).data).sort(byOrder)).toEqual([
      { orderId: 'o-1', region: 'EU' },
      { orderId: 'o-3', region: 'EU' },
    ]);
    await sse.close();

    const controller = new AbortController();
    const ndjson = await fetch(`${gw.url}/v1/events/${eventType}/stream?from=earliest`, {
      headers: { authorization: creds.partner!, accept: 'application/x-ndjson' },
      signal: controller.signal,
    });
    const text = await readSome(ndjson);
    controller.abort();
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).data)
        .sort(byOrder),
    ).toEqual([
      { orderId: 'o-1', region: 'EU' },
      { orderId: 'o-3', region: 'EU' },
    ]);

    // GraphQL: the generic subscription carries the masked JSON; the typed field is nullable and null.
    const probe = await openWs(gw.url, creds.partner);
    probe.subscribe('g', `subscription($t: String!) { events(type: $t, from: EARLIEST) { data } }`, { t: eventType });
    await waitFor(() =>
      probe.messages.filter((m) => m.id === 'g' && m.type === 'next').length >= 2 ? true : undefined,
    );
    expect(
      probe.messages
        .filter((m) => m.id === 'g' && m.type === 'next')
        .map((m) => m.payload.data.events.data)
        .sort(byOrder),
    ).toEqual([
      { orderId: 'o-1', region: 'EU' },
      { orderId: 'o-3', region: 'EU' },
    ]);
    probe.close();
  });

  it('refuses to produce outside the producer’s row filter', async () => {
    await admin('POST', '/v1/admin/grants', {
      subjectKind: 'application',
      subjectId: 'acc-partner',
      resourceKind: 'event-type',
      resourceName: eventType,
      action: 'produce',
      rowFilter: 'region == "EU"',
    });
    await waitFor(async () => {
      const eu = await request(
        gw.url,
        'POST',
        `/v1/events/${eventType}`,
        { orderId: 'p-1', region: 'EU', email: 'p' },
        as('partner'),
      );
      return eu.status === 202 ? true : undefined;
    });
    const batch = await request(
      gw.url,
      'POST',
      `/v1/events/${eventType}`,
      `${JSON.stringify({ orderId: 'p-2', region: 'EU', email: 'p' })}\n${JSON.stringify({ orderId: 'p-3', region: 'US', email: 'p' })}\n`,
      { ...as('partner'), 'content-type': 'application/x-ndjson' },
    );
    expect(batch.status).toBe(403);
    expect(batch.body).toMatchObject({ code: 'FORBIDDEN', details: { index: 1 } });
  });

  // ---- revocation, quotas, audit -----------------------------------------------------------------

  it('revoking a key ends its live SSE and graphql-ws streams within a second, with ACCESS_REVOKED', async () => {
    const token = await makeApp(uniqueName('acc-live').replace('.', '-'), [
      { resourceKind: 'event-type', resourceName: eventType, action: 'read' },
    ]);
    const name = Object.keys(keyIds).at(-1)!;
    const sse = await openSse(`${gw.url}/v1/events/${eventType}/stream`, { authorization: token });
    const probe = await openWs(gw.url, token);
    probe.subscribe('live', `subscription($t: String!) { events(type: $t) { cursor } }`, { t: eventType });
    await waitFor(() => (sse.comments.length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const revokedAt = Date.now();
    expect((await admin('POST', `/v1/admin/keys/${keyIds[name]}/revoke`)).status).toBe(200);
    await waitFor(() => (sse.messages.some((m) => m.event === 'error') ? true : undefined), 3000);
    const sseAfter = Date.now() - revokedAt;
    await waitFor(() => (probe.messages.some((m) => m.type === 'error') ? true : undefined), 3000);
    const wsAfter = Date.now() - revokedAt;
    expect(JSON.parse(sse.messages.find((m) => m.event === 'error')!.data).code).toBe('ACCESS_REVOKED');
    expect(probe.messages.find((m) => m.type === 'error')!.payload[0].extensions.code).toBe('ACCESS_REVOKED');
    expect(sseAfter).toBeLessThan(1000);
    expect(wsAfter).toBeLessThan(1000);
    await sse.close();
    probe.close();
  });

  it('revoking a grant ends the streams it allowed', async () => {
    const token = await makeApp(uniqueName('acc-grant').replace('.', '-'), []);
    const name = Object.keys(keyIds).at(-1)!;
    const grant = await admin('POST', '/v1/admin/grants', {
      subjectKind: 'application',
      subjectId: name,
      resourceKind: 'event-type',
      resourceName: eventType,
      action: 'read',
    });
    const sse = await waitFor(async () => {
      const stream = await openSse(`${gw.url}/v1/events/${eventType}/stream`, { authorization: token });
      if (stream.response.status === 200) return stream;
      await stream.close();
      return undefined;
    });
    const revokedAt = Date.now();
    await admin('DELETE', `/v1/admin/grants/${grant.body.id}`);
    await waitFor(() => (sse.messages.some((m) => m.event === 'error') ? true : undefined), 3000);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    await sse.close();
  });

  it('enforces produce-rate and subscription quotas with 429 and Retry-After, and connections with 4429', async () => {
    const token = await makeApp('acc-quota', [
      { resourceKind: 'event-type', resourceName: eventType, action: 'produce' },
      { resourceKind: 'event-type', resourceName: eventType, action: 'read' },
    ]);
    await admin('PATCH', '/v1/admin/applications/acc-quota', {
      produceRatePerSecond: 2,
      maxSubscriptions: 1,
      maxConnections: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const event = { orderId: 'q', region: 'EU', email: 'q' };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i += 1) {
      const produced = await request(gw.url, 'POST', `/v1/events/${eventType}`, event, { authorization: token });
      statuses.push(produced.status);
      if (produced.status === 429) retryAfter = produced.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const first = await openSse(`${gw.url}/v1/events/${eventType}/stream`, { authorization: token });
    expect(first.response.status).toBe(200);
    const second = await openSse(`${gw.url}/v1/events/${eventType}/stream`, { authorization: token });
    expect(second.response.status).toBe(429);
    expect(second.response.headers.get('retry-after')).toBeTruthy();
    await second.close();
    // The SSE stream holds the one connection: a graphql-ws socket is refused with 4429.
    const probe = await openWs(gw.url, token);
    expect((await probe.closed).code).toBe(4429);
    await first.close();
  });

  it('audits denials, stream opens, writes and grant changes — and the log cannot be changed through the product', async () => {
    const denied = await admin('GET', '/v1/audit?decision=deny&limit=1000');
    expect(denied.status).toBe(200);
    const actions = new Set(denied.body.entries.map((e: { action: string }) => e.action));
    for (const action of [
      'auth.denied',
      'event.produce',
      'stream.open',
      'schema.register',
      'catalog.put',
      'application.list',
    ]) {
      expect(actions, action).toContain(action);
    }
    const opens = await admin('GET', `/v1/audit?action=stream.open&decision=allow&resource=${eventType}`);
    expect(opens.body.entries.length).toBeGreaterThan(0);
    expect(opens.body.entries[0]).toMatchObject({
      actor: { kind: 'application' },
      resource: { kind: 'event-type', name: eventType },
    });
    const changes = await admin('GET', '/v1/audit?action=grant.&limit=1000');
    expect(changes.body.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['grant.create', 'grant.revoke']),
    );
    const revoked = await admin('GET', '/v1/audit?action=stream.revoked');
    expect(revoked.body.entries.length).toBeGreaterThan(0);
    expect((await request(gw.url, 'GET', '/v1/audit', undefined, as('readonly'))).status).toBe(403);
    // No route edits or deletes entries.
    expect((await admin('DELETE', '/v1/audit')).status).toBe(404);
  });

  it('signs users in with a session cookie and tells them who they are', async () => {
    await admin('POST', '/v1/admin/users', { email: 'dev@acc.test', name: 'Dev', password: 'a long passphrase' });
    const wrong = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email: 'dev@acc.test', password: 'nope' },
      { authorization: '' },
    );
    expect(wrong).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email: 'dev@acc.test', password: 'a long passphrase' },
      { authorization: '' },
    );
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toContain('HttpOnly');
    const me = await request(gw.url, 'GET', '/v1/me', undefined, { authorization: '', cookie });
    expect(me.body).toMatchObject({ kind: 'user', name: 'dev@acc.test', admin: false });
    // Users browse the whole catalog (to find events and ask for access), but cannot read streams.
    expect(
      (await request(gw.url, 'GET', `/v1/catalog/event-types/${eventType}`, undefined, { authorization: '', cookie }))
        .status,
    ).toBe(200);
    expect(
      (await request(gw.url, 'GET', `/v1/events/${eventType}`, undefined, { authorization: '', cookie })).status,
    ).toBe(403);
    // Access request → approval by an administrator → the grant works.
    const asked = await request(
      gw.url,
      'POST',
      '/v1/access-requests',
      { resourceKind: 'event-type', resourceName: eventType, action: 'read', reason: 'dashboards' },
      { authorization: '', cookie },
    );
    expect(asked.status).toBe(201);
    const decided = await admin('POST', `/v1/access-requests/${asked.body.id}/decision`, { approve: true, note: 'ok' });
    expect(decided.body.status).toBe('approved');
    await waitFor(async () =>
      (await request(gw.url, 'GET', `/v1/events/${eventType}`, undefined, { authorization: '', cookie })).status === 200
        ? true
        : undefined,
    );
    await request(gw.url, 'POST', '/v1/auth/logout', undefined, { authorization: '', cookie });
    expect((await request(gw.url, 'GET', '/v1/me', undefined, { authorization: '', cookie })).status).toBe(401);
  });
});

async function readSome(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  let text = '';
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && text.split('\n').filter(Boolean).length < 2) {
    const { value, done } = await Promise.race([
      reader.read(),
      new Promise<{ value: undefined; done: true }>((resolve) =>
        setTimeout(() => resolve({ value: undefined, done: true }), 500),
      ),
    ]);
    if (value) text += Buffer.from(value).toString('utf8');
    if (done) break;
  }
  reader.releaseLock();
  return text;
}
