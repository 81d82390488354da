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

/** What an event type written before the catalog fields (issue #6) reads as. */
const catalogDefaults = {
  domain: 'orders',
  version: '',
  lifecycle: 'active',
  lifecycleNote: null,
  visibility: 'public',
  tags: [],
  schemaVersion: null,
  keyPath: null,
  producers: [],
  consumers: [],
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
    // Older gateways send neither valueFormat nor examples: plain JSON, no examples.
    await expect(client.listEventTypes()).resolves.toEqual([
      { ...eventType, ...catalogDefaults, valueFormat: 'json', examples: [] },
    ]);
    expect(requests.at(-1)).toBe('/v1/catalog/event-types');
  });

  it('reads one event type and encodes its name in the path', async () => {
    // Optional fields may be missing; unknown fields are ignored.
    handler = (_req, res) => json(res, 200, { ...eventType, description: undefined, partitions: undefined, extra: 1 });
    const client = createGatewayClient({ baseUrl });
    await expect(client.getEventType('a b/c')).resolves.toEqual({
      ...eventType,
      ...catalogDefaults,
      partitions: null,
      valueFormat: 'json',
      examples: [],
    });
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
      references: [],
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

/** Reads a request's body, then answers with `answer(req, body)`. */
function withBody(answer: (req: IncomingMessage, body: unknown, res: ServerResponse) => void): Handler {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      answer(req, text ? (JSON.parse(text) as unknown) : undefined, res);
    });
  };
}

const accessRequest = {
  id: 'r1',
  requesterId: 'u2',
  applicationId: null,
  resourceKind: 'event-type',
  resourceName: 'orders.order-created',
  action: 'read',
  reason: 'Dashboards',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  decisionNote: null,
  grantId: null,
  createdAt: '2026-11-23T10:00:00.000Z',
};

describe('createGatewayClient with a session', () => {
  it('sends the session token as the gateway’s cookie, and no cookie without one', async () => {
    let cookie: string | undefined;
    handler = (req, res) => {
      cookie = req.headers.cookie;
      json(res, 200, { items: [] });
    };
    await createGatewayClient({ baseUrl, sessionToken: 'abc.def' }).listEventTypes();
    expect(cookie).toBe('meshgate_session=abc.def');
    await createGatewayClient({ baseUrl }).listEventTypes();
    expect(cookie).toBeUndefined();
  });

  it('signs in with a JSON body and returns the token', async () => {
    let seen: { method?: string; type?: string; body?: unknown } = {};
    handler = withBody((req, body, res) => {
      seen = { method: req.method, type: req.headers['content-type'], body };
      json(res, 200, {
        user: { id: 'u1', email: 'admin@meshgate.local', teams: [] },
        expiresAt: '2026-11-24T10:00:00.000Z',
        token: 'tok',
      });
    });
    await expect(createGatewayClient({ baseUrl }).signIn('admin@meshgate.local', 'pw')).resolves.toEqual({
      user: { id: 'u1', email: 'admin@meshgate.local', teams: [] },
      expiresAt: '2026-11-24T10:00:00.000Z',
      token: 'tok',
    });
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      body: { email: 'admin@meshgate.local', password: 'pw' },
    });
    expect(requests.at(-1)).toBe('/v1/auth/login');
  });

  it('reports 401 and 403 with their own codes and the gateway’s message', async () => {
    const client = createGatewayClient({ baseUrl });
    handler = (_req, res) => json(res, 401, { code: 'UNAUTHENTICATED', message: 'Wrong email or password.' });
    const unauthenticated = await gatewayError(client.signIn('a@b.c', 'nope'));
    expect(unauthenticated.code).toBe(GatewayErrorCode.Unauthenticated);
    expect(unauthenticated.gatewayCode).toBe('UNAUTHENTICATED');
    expect(unauthenticated.gatewayMessage).toBe('Wrong email or password.');

    handler = (_req, res) => json(res, 403, { code: 'FORBIDDEN', message: 'Your credentials do not allow admin.' });
    const forbidden = await gatewayError(client.queryAudit());
    expect(forbidden.code).toBe(GatewayErrorCode.Forbidden);
    expect(forbidden.status).toBe(403);

    // Confluent-style 401 under /registry.
    handler = (_req, res) => json(res, 401, { error_code: 40101, message: 'Unauthorized' });
    expect((await gatewayError(client.getLatestSchema('s'))).code).toBe(GatewayErrorCode.Unauthenticated);

    handler = (_req, res) => json(res, 409, { code: 'CONFLICT', message: 'Already decided.' });
    const conflict = await gatewayError(client.decideAccessRequest('r1', { approve: true }));
    expect(conflict.code).toBe(GatewayErrorCode.UnexpectedStatus);
    expect(conflict.gatewayCode).toBe('CONFLICT');
    expect(conflict.gatewayMessage).toBe('Already decided.');
  });

  it('signs out with a POST', async () => {
    let method: string | undefined;
    handler = (req, res) => {
      method = req.method;
      json(res, 200, { signedOut: true });
    };
    await createGatewayClient({ baseUrl, sessionToken: 't' }).signOut();
    expect(method).toBe('POST');
    expect(requests.at(-1)).toBe('/v1/auth/logout');
  });

  it('reads the caller and their grants', async () => {
    const grant = {
      id: 'g1',
      subjectKind: 'team',
      subjectId: 'team-orders',
      resourceKind: 'domain',
      resourceName: 'orders',
      action: 'read',
      unmask: ['pii'],
      rowFilter: 'region == "EU"',
      expiresAt: null,
    };
    handler = (_req, res) =>
      json(res, 200, {
        kind: 'user',
        id: 'u1',
        name: 'dev@example.com',
        teams: ['team-orders'],
        via: 'session',
        credentialId: null,
        expiresAt: null,
        admin: false,
        grants: [{ ...grant, createdBy: 'admin' }],
      });
    await expect(createGatewayClient({ baseUrl }).getMe()).resolves.toEqual({
      kind: 'user',
      id: 'u1',
      name: 'dev@example.com',
      teams: ['team-orders'],
      via: 'session',
      admin: false,
      grants: [grant],
    });
    expect(requests.at(-1)).toBe('/v1/me');
  });

  it('names the offending field of a malformed answer', async () => {
    handler = (_req, res) =>
      json(res, 200, { kind: 'user', id: 'u1', name: 'n', teams: [], via: 'session', admin: 'yes', grants: [] });
    const error = await gatewayError(createGatewayClient({ baseUrl }).getMe());
    expect(error.code).toBe(GatewayErrorCode.BadResponse);
    expect(error.message).toContain('$.admin is not a boolean');
  });

  it('queries the audit log with only the set filters', async () => {
    const entry = {
      id: '12',
      at: '2026-11-23T10:00:00.000Z',
      actor: { kind: 'anonymous', id: null, name: 'a@b.c' },
      action: 'auth.login',
      resource: null,
      decision: 'deny',
      reason: 'Wrong email or password.',
      sourceIp: '127.0.0.1',
      details: {},
    };
    handler = (_req, res) => json(res, 200, { entries: [entry], next: '12' });
    const client = createGatewayClient({ baseUrl });
    await expect(client.queryAudit({ action: 'auth.', decision: 'deny', actor: '', limit: 50 })).resolves.toEqual({
      entries: [entry],
      next: '12',
    });
    expect(requests.at(-1)).toBe('/v1/audit?action=auth.&decision=deny&limit=50');

    handler = (_req, res) => json(res, 200, { entries: [], next: null });
    await expect(client.queryAudit()).resolves.toEqual({ entries: [], next: null });
    expect(requests.at(-1)).toBe('/v1/audit');
  });

  it('creates, lists and decides access requests', async () => {
    const client = createGatewayClient({ baseUrl, sessionToken: 't' });
    let body: unknown;
    handler = withBody((_req, received, res) => {
      body = received;
      json(res, 201, accessRequest);
    });
    const input = {
      resourceKind: 'event-type',
      resourceName: 'orders.order-created',
      action: 'read',
      reason: 'Dashboards',
    } as const;
    await expect(client.requestAccess(input)).resolves.toEqual(accessRequest);
    expect(body).toEqual(input);
    expect(requests.at(-1)).toBe('/v1/access-requests');

    handler = (_req, res) => json(res, 200, { requests: [accessRequest] });
    await expect(client.listAccessRequests('pending')).resolves.toEqual([accessRequest]);
    expect(requests.at(-1)).toBe('/v1/access-requests?status=pending');

    const approved = { ...accessRequest, status: 'approved', decidedBy: 'admin@meshgate.local', grantId: 'g9' };
    handler = withBody((_req, received, res) => {
      body = received;
      json(res, 200, approved);
    });
    await expect(client.decideAccessRequest('r/1', { approve: true, note: 'ok' })).resolves.toEqual(approved);
    expect(body).toEqual({ approve: true, note: 'ok' });
    expect(requests.at(-1)).toBe('/v1/access-requests/r%2F1/decision');

    await client.decideAccessRequest('r1', { approve: false, note: '' });
    expect(body).toEqual({ approve: false });
  });

  it('lists users for administrators', async () => {
    handler = (_req, res) =>
      json(res, 200, { users: [{ id: 'u1', email: 'a@b.c', name: 'A', admin: true, teams: [], createdAt: 'x' }] });
    await expect(createGatewayClient({ baseUrl }).listUsers()).resolves.toEqual([
      { id: 'u1', email: 'a@b.c', name: 'A' },
    ]);
    expect(requests.at(-1)).toBe('/v1/admin/users');
  });

  it('reads an event type’s value format and examples', async () => {
    const examples = [
      { name: 'small', summary: 'One item', payload: { orderId: 'o-1' } },
      { name: 'bare', payload: 7 },
    ];
    handler = (_req, res) => json(res, 200, { ...eventType, valueFormat: 'confluent', examples });
    await expect(createGatewayClient({ baseUrl }).getEventType('x')).resolves.toMatchObject({
      valueFormat: 'confluent',
      examples: [
        { name: 'small', summary: 'One item', payload: { orderId: 'o-1' } },
        { name: 'bare', summary: null, payload: 7 },
      ],
    });
    handler = (_req, res) => json(res, 200, { ...eventType, examples: [{ summary: 'no name' }] });
    const error = await gatewayError(createGatewayClient({ baseUrl }).getEventType('x'));
    expect(error.message).toContain('$.examples[0] is not {name, payload}');
  });

  it('lists a subject’s versions, reads one with its references, and [] / null when absent', async () => {
    const client = createGatewayClient({ baseUrl });
    handler = (_req, res) => json(res, 200, [3, 1, 2], 'application/vnd.schemaregistry.v1+json');
    await expect(client.listSchemaVersions('s/v')).resolves.toEqual([1, 2, 3]);
    expect(requests.at(-1)).toBe('/registry/subjects/s%2Fv/versions');

    const reference = { name: 'common.json', subject: 'common-value', version: 2 };
    handler = (_req, res) =>
      json(res, 200, { subject: 's', version: 2, id: 9, schemaType: 'JSON', schema: '{}', references: [reference] });
    await expect(client.getSchemaVersion('s', 2)).resolves.toMatchObject({ version: 2, references: [reference] });
    expect(requests.at(-1)).toBe('/registry/subjects/s/versions/2');

    handler = (_req, res) => json(res, 404, { error_code: 40401, message: 'Subject not found.' });
    await expect(client.listSchemaVersions('s')).resolves.toEqual([]);
    handler = (_req, res) => json(res, 404, { error_code: 40402, message: 'Version not found.' });
    await expect(client.getSchemaVersion('s', 5)).resolves.toBeNull();
  });

  it('asks the registry for a verbose compatibility verdict against one version', async () => {
    let body: unknown;
    let contentType: string | undefined;
    handler = withBody((req, received, res) => {
      body = received;
      contentType = req.headers['content-type'];
      json(res, 200, {
        is_compatible: false,
        messages: ['…'],
        compatibilityLevel: 'BACKWARD',
        incompatibilities: [
          {
            path: '#/required',
            rule: 'REQUIRED_PROPERTY_ADDED',
            message: "Property 'customerId' became required.",
            fix: 'Give it a default.',
            direction: 'backward',
            version: 2,
          },
        ],
      });
    });
    const client = createGatewayClient({ baseUrl });
    const candidate = { schemaType: 'JSON', schema: '{"type":"object"}', references: [] };
    await expect(client.checkCompatibility('s-value', 2, candidate)).resolves.toEqual({
      compatible: false,
      level: 'BACKWARD',
      incompatibilities: [
        {
          path: '#/required',
          rule: 'REQUIRED_PROPERTY_ADDED',
          message: "Property 'customerId' became required.",
          fix: 'Give it a default.',
          direction: 'backward',
        },
      ],
    });
    expect(requests.at(-1)).toBe('/registry/compatibility/subjects/s-value/versions/2?verbose=true');
    expect(contentType).toBe('application/vnd.schemaregistry.v1+json');
    expect(body).toEqual({ schemaType: 'JSON', schema: '{"type":"object"}' });

    // A plain Confluent registry: only messages.
    handler = (_req, res) => json(res, 200, { is_compatible: false, messages: ['Found incompatible change'] });
    await expect(client.checkCompatibility('s-value', 1, candidate)).resolves.toEqual({
      compatible: false,
      level: 'unknown',
      incompatibilities: [
        { path: '', rule: 'INCOMPATIBLE', message: 'Found incompatible change', fix: null, direction: null },
      ],
    });
  });

  it('runs GraphQL over HTTP and forwards raw bodies for the explorer', async () => {
    let body: unknown;
    handler = withBody((_req, received, res) => {
      body = received;
      json(res, 200, { data: { a: 1 }, errors: [{ message: 'partial', extensions: { code: 'FORBIDDEN' } }] });
    });
    const client = createGatewayClient({ baseUrl, sessionToken: 't' });
    await expect(client.graphql('{ a }', { x: 1 })).resolves.toEqual({
      data: { a: 1 },
      errors: [{ message: 'partial', code: 'FORBIDDEN' }],
    });
    expect(body).toEqual({ query: '{ a }', variables: { x: 1 } });

    handler = (_req, res) => json(res, 400, { errors: [{ message: 'Syntax Error' }] });
    await expect(client.forwardGraphQL('{"query":"{"}')).resolves.toEqual({
      status: 400,
      body: JSON.stringify({ errors: [{ message: 'Syntax Error' }] }),
    });
    expect(requests.at(-1)).toBe('/graphql');
  });

  it('manages the caller’s applications and their keys', async () => {
    const application = {
      id: 'a1',
      name: 'billing',
      description: null,
      ownerTeam: 'team-a',
      jwtSubject: null,
      produceRatePerSecond: 10,
      maxSubscriptions: null,
      maxConnections: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      disabledAt: null,
    };
    const { jwtSubject: _jwtSubject, ...read } = application;
    const key = {
      keyId: 'mgk_abcdefghijkl',
      name: 'prod',
      applicationId: 'a1',
      userId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      revokedAt: null,
    };
    const readKey = { keyId: key.keyId, name: 'prod', createdAt: key.createdAt, expiresAt: null, revokedAt: null };
    const client = createGatewayClient({ baseUrl });
    let body: unknown;

    handler = (_req, res) => json(res, 200, { applications: [{ ...application, activeKeys: 2 }] });
    await expect(client.listMyApplications()).resolves.toEqual([{ ...read, activeKeys: 2 }]);
    expect(requests.at(-1)).toBe('/v1/me/applications');

    handler = withBody((_req, received, res) => {
      body = received;
      json(res, 201, application);
    });
    await expect(client.createMyApplication({ name: 'billing', ownerTeam: 'team-a' })).resolves.toEqual(read);
    expect(body).toEqual({ name: 'billing', ownerTeam: 'team-a' });

    handler = (_req, res) => json(res, 200, { application, keys: [key], grants: [] });
    await expect(client.getMyApplication('bill ing')).resolves.toEqual({
      application: read,
      keys: [readKey],
      grants: [],
    });
    expect(requests.at(-1)).toBe('/v1/me/applications/bill%20ing');

    handler = withBody((_req, received, res) => {
      body = received;
      json(res, 201, { ...key, token: 'mgk_abcdefghijkl.secret', secret: 'secret' });
    });
    await expect(client.issueApiKey('billing', { name: 'prod' })).resolves.toEqual({
      ...readKey,
      token: 'mgk_abcdefghijkl.secret',
    });
    expect(body).toEqual({ name: 'prod' });
    await client.rotateApiKey('billing', key.keyId, 3600);
    expect(body).toEqual({ graceSeconds: 3600 });
    expect(requests.at(-1)).toBe(`/v1/me/applications/billing/keys/${key.keyId}/rotate`);

    handler = (_req, res) => json(res, 200, { ...key, revokedAt: '2026-01-02T00:00:00.000Z' });
    await expect(client.revokeApiKey('billing', key.keyId)).resolves.toMatchObject({
      revokedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(requests.at(-1)).toBe(`/v1/me/applications/billing/keys/${key.keyId}/revoke`);
  });
});

describe('createGatewayClient, the catalog', () => {
  const service = {
    name: 'checkout-service',
    displayName: 'Checkout service',
    summary: 'Takes orders.',
    domain: 'orders',
    ownerTeam: 'team-orders',
    applicationId: 'app-1',
    repository: null,
  };

  it('reads the catalog fields of an event type', async () => {
    const catalog = {
      domain: 'orders',
      version: '2.0.0',
      lifecycle: 'deprecated',
      lifecycleNote: 'Use v2',
      visibility: 'private',
      tags: ['orders', 'pii'],
      schemaVersion: 2,
      keyPath: '/orderId',
      producers: ['checkout-service'],
      consumers: [],
    };
    handler = (_req, res) => json(res, 200, { ...eventType, ...catalog });
    const client = createGatewayClient({ baseUrl });
    await expect(client.getEventType('orders.order-created')).resolves.toMatchObject(catalog);
    handler = (_req, res) => json(res, 200, { ...eventType, tags: 'pii' });
    const error = await gatewayError(client.getEventType('orders.order-created'));
    expect(error.message).toContain('$.tags is not an array');
  });

  it('searches with only the set filters and reads the hits', async () => {
    const hit = {
      name: 'orders.order-created',
      summary: 'A customer placed an order.',
      domain: 'orders',
      owner: 'team-orders',
      tags: ['orders'],
      lifecycle: 'active',
      visibility: 'public',
      rank: 0.75,
      matched: ['name', 'fields'],
      matchedFields: ['orderId'],
    };
    handler = (_req, res) => json(res, 200, { items: [hit], total: 1, tookMs: 1.5 });
    const client = createGatewayClient({ baseUrl });
    await expect(
      client.searchCatalog({ q: ' order ', domain: '', lifecycle: 'active', limit: 20, offset: 0 }),
    ).resolves.toEqual({ items: [hit], total: 1, tookMs: 1.5 });
    expect(requests.at(-1)).toBe('/v1/catalog/search?q=order&lifecycle=active&limit=20');
  });

  it('lists domains, reads one, and null for an unknown one', async () => {
    const domain = {
      name: 'orders',
      displayName: 'Orders',
      summary: 'From checkout to a completed order.',
      description: '# Orders',
      ownerTeam: 'team-orders',
      eventTypeCount: 1,
      serviceCount: 1,
      createdAt: '2026-11-24T00:00:00.000Z',
      updatedAt: '2026-11-24T00:00:00.000Z',
    };
    const client = createGatewayClient({ baseUrl });
    handler = (_req, res) => json(res, 200, { items: [domain] });
    await expect(client.listDomains()).resolves.toEqual([domain]);
    const detail = {
      ...domain,
      eventTypes: [
        {
          name: 'orders.order-created',
          summary: 'A customer placed an order.',
          owner: 'team-orders',
          version: '1.0.0',
          lifecycle: 'active',
          visibility: 'public',
          tags: [],
        },
      ],
      services: [
        {
          name: 'checkout-service',
          displayName: 'Checkout service',
          summary: 'Takes orders.',
          description: null,
          domain: 'orders',
          ownerTeam: 'team-orders',
          application: null,
          repository: 'https://git.example/checkout',
          produces: ['orders.order-created'],
          consumes: [],
        },
      ],
    };
    handler = (_req, res) => json(res, 200, { ...detail, createdAt: undefined, extra: true });
    await expect(gatewayError(client.getDomain('orders'))).resolves.toMatchObject({
      code: GatewayErrorCode.BadResponse,
    });
    handler = (_req, res) => json(res, 200, detail);
    await expect(client.getDomain('orders')).resolves.toEqual(detail);
    expect(requests.at(-1)).toBe('/v1/catalog/domains/orders');
    handler = (_req, res) => json(res, 404, { code: 'DOMAIN_NOT_FOUND', message: 'no' });
    await expect(client.getDomain('nope')).resolves.toBeNull();
  });

  it('reads lineage, impact, the graph and the history', async () => {
    const client = createGatewayClient({ baseUrl });
    const observed = {
      principalKind: 'application',
      principalId: 'app-1',
      name: 'checkout',
      service: 'checkout-service',
      events: 12,
      sessions: 3,
      firstSeen: '2026-11-24T00:00:00.000Z',
      lastSeen: '2026-11-24T01:00:00.000Z',
    };
    handler = (_req, res) =>
      json(res, 200, {
        declared: { producers: [service], consumers: [] },
        observed: { producers: [observed], consumers: [] },
      });
    await expect(client.getEventTypeLineage('orders.order-created')).resolves.toEqual({
      declared: { producers: [service], consumers: [] },
      observed: { producers: [observed], consumers: [] },
    });
    expect(requests.at(-1)).toBe('/v1/catalog/event-types/orders.order-created/lineage');

    const consumer = {
      kind: 'observed',
      service: null,
      principal: { kind: 'user', id: 'u', name: 'a@b' },
      events: 2,
      lastSeen: null,
    };
    handler = (_req, res) => json(res, 200, { eventType: 'x', subject: 'x-value', consumers: [consumer] });
    await expect(client.getImpact('x')).resolves.toEqual([consumer]);

    const graph = {
      nodes: [{ id: 'domain:orders', kind: 'domain', name: 'orders', label: 'Orders' }],
      edges: [
        {
          from: 'service:a',
          to: 'event-type:b',
          kind: 'produces',
          declared: false,
          observed: true,
          events: 5,
          lastSeen: '2026-11-24T01:00:00.000Z',
        },
        { from: 'domain:orders', to: 'event-type:b', kind: 'contains', declared: true, observed: false },
      ],
    };
    handler = (_req, res) => json(res, 200, graph);
    await expect(client.getLineageGraph('orders')).resolves.toEqual({
      nodes: graph.nodes,
      edges: [graph.edges[0], { ...graph.edges[1], events: null, lastSeen: null }],
    });
    expect(requests.at(-1)).toBe('/v1/catalog/lineage?domain=orders');

    const change = {
      id: '7',
      at: '2026-11-24T01:00:00.000Z',
      entityKind: 'event-type',
      entityName: 'x',
      action: 'created',
      actor: { kind: 'user', id: 'u', name: 'a@b' },
      before: null,
      after: { name: 'x' },
    };
    handler = (_req, res) => json(res, 200, { items: [change] });
    await expect(client.getEventTypeHistory('x', { limit: 20, before: '9' })).resolves.toEqual([change]);
    expect(requests.at(-1)).toBe('/v1/catalog/event-types/x/history?limit=20&before=9');
  });

  it('checks a proposed schema: posts its text, reads the verdict and the consumers', async () => {
    let posted: unknown;
    handler = (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        posted = JSON.parse(body);
        json(res, 200, {
          eventType: 'x',
          subject: 'x-value',
          consumers: [],
          compatibility: {
            compatible: false,
            level: 'BACKWARD',
            messages: ['orderId: type changed'],
            incompatibilities: [
              {
                path: '/properties/orderId',
                rule: 'TYPE_CHANGED',
                message: 'type changed',
                fix: 'keep it a string',
                version: 1,
              },
            ],
          },
        });
      });
    };
    const client = createGatewayClient({ baseUrl });
    await expect(client.checkSchemaImpact('x', '{"type":"object"}')).resolves.toEqual({
      consumers: [],
      compatibility: {
        compatible: false,
        level: 'BACKWARD',
        incompatibilities: [
          { path: '/properties/orderId', rule: 'TYPE_CHANGED', message: 'type changed', fix: 'keep it a string' },
        ],
      },
    });
    expect(posted).toEqual({ schema: '{"type":"object"}' });
    expect(requests.at(-1)).toBe('/v1/catalog/event-types/x/impact');
  });

  it('downloads AsyncAPI as text, and reports the gateway’s error', async () => {
    const client = createGatewayClient({ baseUrl, sessionToken: 'tok' });
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/yaml; charset=utf-8' });
      res.end('asyncapi: 3.0.0\n');
    };
    await expect(client.getAsyncApi({ domain: 'orders', format: 'yaml' })).resolves.toEqual({
      contentType: 'application/yaml; charset=utf-8',
      body: 'asyncapi: 3.0.0\n',
    });
    expect(requests.at(-1)).toBe('/v1/catalog/asyncapi?format=yaml&domain=orders');
    handler = (_req, res) => json(res, 403, { code: 'FORBIDDEN', message: 'no' });
    await expect(gatewayError(client.getAsyncApi({ format: 'json' }))).resolves.toMatchObject({
      code: GatewayErrorCode.Forbidden,
      gatewayMessage: 'no',
    });
  });
});
