import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { run } from '@meshgate/cli';
import { TEST_TOKEN, adminConnectionParams, request, startTestGateway, type TestGateway } from './harness';

// The catalog's REST API against the real stack (PostgreSQL, the embedded event log): domains,
// services, extended event types, lifecycle (and what it does to produce and subscriptions),
// key paths, pinned schema versions, history, schema diffs — and who may see and change what.

// A closed content model: adding an optional property (v2) is a backward-compatible change.
const orderSchemaV1 = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId'],
  properties: { orderId: { type: 'string' }, total: { type: 'number' } },
};
const orderSchemaV2 = {
  ...orderSchemaV1,
  properties: { ...orderSchemaV1.properties, currency: { type: 'string' } },
};

describe('catalog REST API', () => {
  let gw: TestGateway;
  const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(gw.url, method, path, body, headers);
  /** Credentials (Authorization header or session cookie) by caller. */
  const creds: Record<string, Record<string, string>> = {};
  const as = (who: string, method: string, path: string, body?: unknown) =>
    request(gw.url, method, path, body, { ...creds[who]! });

  async function makeApp(name: string, grants: Record<string, unknown>[]): Promise<Record<string, string>> {
    expect((await admin('POST', '/v1/admin/applications', { name })).status).toBe(201);
    for (const grant of grants) {
      const created = await admin('POST', '/v1/admin/grants', {
        subjectKind: 'application',
        subjectId: name,
        ...grant,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const key = await admin('POST', `/v1/admin/applications/${name}/keys`, { name: 'k' });
    return { authorization: `Bearer ${key.body.token}` };
  }

  async function makeUser(email: string, teams: string[], grants: Record<string, unknown>[] = []) {
    expect((await admin('POST', '/v1/admin/users', { email, name: email, password: 'a long passphrase' })).status).toBe(
      201,
    );
    for (const team of teams) {
      expect((await admin('POST', `/v1/admin/teams/${team}/members`, { user: email })).status).toBe(200);
    }
    for (const grant of grants) {
      const user = (await admin('GET', '/v1/admin/users')).body.users.find((u: { email: string }) => u.email === email);
      expect(
        (await admin('POST', '/v1/admin/grants', { subjectKind: 'user', subjectId: user.id, ...grant })).status,
      ).toBe(201);
    }
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email, password: 'a long passphrase' },
      { authorization: '' },
    );
    expect(login.status).toBe(200);
    return { authorization: '', cookie: login.headers.get('set-cookie')!.split(';')[0]! };
  }

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    for (const team of ['team-orders', 'team-vault']) {
      expect((await admin('POST', '/v1/admin/teams', { id: team })).status).toBe(201);
    }
    expect(
      (
        await admin('PUT', '/v1/catalog/domains/orders', {
          displayName: 'Orders',
          summary: 'Order lifecycle events',
          description: '# Orders\n\nEverything about **orders**.',
          ownerTeam: 'team-orders',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin('PUT', '/v1/catalog/services/order-service', {
          displayName: 'Order service',
          domain: 'orders',
          ownerTeam: 'team-orders',
        })
      ).status,
    ).toBe(201);
    const created = await admin('PUT', '/v1/catalog/event-types/orders.order-created', {
      summary: 'An order was placed',
      owner: 'team-orders',
      tags: ['orders', 'checkout'],
      version: '1.2.0',
      keyPath: '/orderId',
      producers: ['order-service'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(
      (
        await admin('POST', '/registry/subjects/orders.order-created-value/versions', {
          schemaType: 'JSON',
          schema: JSON.stringify(orderSchemaV1),
        })
      ).status,
    ).toBe(200);
    // A private event type owned by team-vault.
    expect(
      (
        await admin('PUT', '/v1/catalog/event-types/vault.secret-moved', {
          summary: 'Secret',
          owner: 'team-vault',
          visibility: 'private',
        })
      ).status,
    ).toBe(201);
    creds.member = await makeUser('member@vault.test', ['team-vault']);
    creds.outsider = await makeUser('outsider@other.test', []);
    creds.granted = await makeUser(
      'granted@other.test',
      [],
      [{ resourceKind: 'event-type', resourceName: 'vault.secret-moved', action: 'read' }],
    );
    creds.ungranted = await makeApp('cat-ungranted', []);
    creds.ordersReader = await makeApp('cat-orders-reader', [
      { resourceKind: 'domain', resourceName: 'orders', action: 'read' },
    ]);
    creds.ordersManager = await makeApp('cat-orders-manager', [
      { resourceKind: 'domain', resourceName: 'orders', action: 'manage-catalog' },
    ]);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('creates and reads extended event types with their declared producers', async () => {
    const got = await admin('GET', '/v1/catalog/event-types/orders.order-created');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      name: 'orders.order-created',
      domain: 'orders',
      version: '1.2.0',
      lifecycle: 'active',
      visibility: 'public',
      tags: ['orders', 'checkout'],
      keyPath: '/orderId',
      schemaVersion: null,
      examples: [],
      producers: ['order-service'],
      consumers: [],
    });
    expect(got.headers.get('deprecation')).toBeNull();
    // The old PUT body (summary + owner only) still works and keeps the catalog fields.
    const replaced = await admin('PUT', '/v1/catalog/event-types/orders.order-created', {
      summary: 'An order was placed',
      owner: 'team-orders',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      tags: ['orders', 'checkout'],
      keyPath: '/orderId',
      producers: ['order-service'],
    });
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const name = 'orders.order-created';
    const base = { summary: 'An order was placed', owner: 'team-orders' };
    const badExample = await admin('PUT', `/v1/catalog/event-types/${name}`, {
      ...base,
      examples: [
        { name: 'ok', payload: { orderId: 'o-1' } },
        { name: 'broken', payload: { orderId: 42 } },
      ],
    });
    expect(badExample).toMatchObject({
      status: 400,
      body: { code: 'INVALID_EXAMPLE', details: { index: 1, name: 'broken', pointer: '/orderId' } },
    });
    const badTag = await admin('PUT', `/v1/catalog/event-types/${name}`, { ...base, tags: ['Has Space'] });
    expect(badTag).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    const badKeyPath = await admin('PUT', `/v1/catalog/event-types/${name}`, { ...base, keyPath: 'orderId' });
    expect(badKeyPath).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    const unknownService = await admin('PUT', `/v1/catalog/event-types/${name}`, { ...base, consumers: ['ghost'] });
    expect(unknownService).toMatchObject({ status: 404, body: { code: 'SERVICE_NOT_FOUND' } });
    const unknownPin = await admin('PUT', `/v1/catalog/event-types/${name}`, { ...base, schemaVersion: 9 });
    expect(unknownPin).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    const after = await admin('GET', `/v1/catalog/event-types/${name}`);
    expect(after.body).toMatchObject({ examples: [], consumers: [], schemaVersion: null });
    const good = await admin('PUT', `/v1/catalog/event-types/${name}`, {
      ...base,
      examples: [{ name: 'small order', summary: 'One item', payload: { orderId: 'o-1', total: 9.5 } }],
    });
    expect(good.status).toBe(200);
    expect(good.body.examples).toEqual([
      { name: 'small order', summary: 'One item', payload: { orderId: 'o-1', total: 9.5 } },
    ]);
  });

  it('filters the list by domain, owner, tag, lifecycle and text', async () => {
    await admin('PUT', '/v1/catalog/event-types/orders.order-draft', {
      summary: 'A draft order',
      owner: 'team-drafts',
      lifecycle: 'draft',
    });
    const names = async (query: string) =>
      ((await admin('GET', `/v1/catalog/event-types?${query}`)).body.items as { name: string }[]).map((i) => i.name);
    expect(await names('domain=orders')).toEqual(['orders.order-created', 'orders.order-draft']);
    expect(await names('owner=team-drafts')).toEqual(['orders.order-draft']);
    expect(await names('tag=checkout')).toEqual(['orders.order-created']);
    expect(await names('lifecycle=draft')).toEqual(['orders.order-draft']);
    expect(await names('q=DRAFT')).toEqual(['orders.order-draft']);
    expect((await admin('GET', '/v1/catalog/event-types?lifecycle=gone')).status).toBe(400);
  });

  it('manages domains: counts, contents, markdown, and no deletion while not empty', async () => {
    const list = await admin('GET', '/v1/catalog/domains');
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ name: 'orders', displayName: 'Orders', eventTypeCount: 2, serviceCount: 1 }),
    );
    const one = await admin('GET', '/v1/catalog/domains/orders');
    expect(one.body).toMatchObject({
      description: '# Orders\n\nEverything about **orders**.',
      ownerTeam: 'team-orders',
      eventTypes: [
        expect.objectContaining({ name: 'orders.order-created', tags: ['orders', 'checkout'] }),
        expect.anything(),
      ],
      services: [expect.objectContaining({ name: 'order-service', produces: ['orders.order-created'] })],
    });
    expect(await admin('DELETE', '/v1/catalog/domains/orders')).toMatchObject({
      status: 409,
      body: { code: 'DOMAIN_NOT_EMPTY' },
    });
    expect((await admin('PUT', '/v1/catalog/domains/empty', { displayName: 'Empty', ownerTeam: 't' })).status).toBe(
      201,
    );
    expect((await admin('PUT', '/v1/catalog/domains/empty', { displayName: 'Empty', ownerTeam: 't' })).status).toBe(
      200,
    );
    expect((await admin('DELETE', '/v1/catalog/domains/empty')).status).toBe(200);
    expect(await admin('GET', '/v1/catalog/domains/empty')).toMatchObject({
      status: 404,
      body: { code: 'DOMAIN_NOT_FOUND' },
    });
    expect(await admin('PUT', '/v1/catalog/domains/empty', { displayName: 'x' })).toMatchObject({ status: 400 });
  });

  it('manages services and their declared lineage', async () => {
    const put = await admin('PUT', '/v1/catalog/services/billing', {
      displayName: 'Billing',
      summary: 'Invoices orders',
      domain: 'orders',
      ownerTeam: 'team-orders',
      repository: 'https://git.example/billing',
      application: 'cat-orders-reader',
      consumes: ['orders.order-created'],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body).toMatchObject({
      application: 'cat-orders-reader',
      consumes: ['orders.order-created'],
      produces: [],
    });
    expect((await admin('GET', '/v1/catalog/event-types/orders.order-created')).body.consumers).toEqual(['billing']);
    expect(
      (await admin('GET', '/v1/catalog/services?domain=orders')).body.items.map((s: { name: string }) => s.name),
    ).toEqual(['billing', 'order-service']);
    expect(
      await admin('PUT', '/v1/catalog/services/x', { displayName: 'X', ownerTeam: 't', domain: 'nowhere' }),
    ).toMatchObject({
      status: 404,
      body: { code: 'DOMAIN_NOT_FOUND' },
    });
    expect(
      await admin('PUT', '/v1/catalog/services/x', { displayName: 'X', ownerTeam: 't', produces: ['nope.nope'] }),
    ).toMatchObject({
      status: 404,
      body: { code: 'EVENT_TYPE_NOT_FOUND' },
    });
    expect((await admin('GET', '/v1/catalog/services/x')).status).toBe(404);
    expect((await admin('DELETE', '/v1/catalog/services/billing')).status).toBe(200);
    expect((await admin('GET', '/v1/catalog/event-types/orders.order-created')).body.consumers).toEqual([]);
  });

  it('uses keyPath as the record key and the pinned schema version on produce', async () => {
    const name = 'orders.order-created';
    const produced = await admin('POST', `/v1/events/${name}`, { orderId: 'o-77', total: 1 });
    expect(produced.status, JSON.stringify(produced.body)).toBe(202);
    const keyed = await admin('POST', `/v1/events/${name}`, { orderId: 'o-78' }, { 'meshgate-key': 'explicit' });
    expect(keyed.status).toBe(202);
    const page = await admin('GET', `/v1/events/${name}?from=earliest`);
    const keys = (page.body.events as { key: string; data: { orderId: string } }[]).map((e) => [e.data.orderId, e.key]);
    expect(keys).toEqual(
      expect.arrayContaining([
        ['o-77', 'o-77'],
        ['o-78', 'explicit'],
      ]),
    );

    await admin('POST', `/registry/subjects/${name}-value/versions`, {
      schemaType: 'JSON',
      schema: JSON.stringify(orderSchemaV2),
    });
    expect((await admin('POST', `/v1/events/${name}`, { orderId: 'o-1' })).body.schemaVersion).toBe(2);
    const pinned = await admin('PUT', `/v1/catalog/event-types/${name}`, {
      summary: 'An order was placed',
      owner: 'team-orders',
      schemaVersion: 1,
    });
    expect(pinned.body.schemaVersion).toBe(1);
    expect((await admin('POST', `/v1/events/${name}`, { orderId: 'o-2' })).body.schemaVersion).toBe(1);
    expect(
      (await admin('POST', `/v1/events/${name}?schemaVersion=latest`, { orderId: 'o-3' })).body.schemaVersion,
    ).toBe(2);
    await admin('PUT', `/v1/catalog/event-types/${name}`, {
      summary: 'An order was placed',
      owner: 'team-orders',
      schemaVersion: null,
    });
  });

  it('diffs schema versions with the compatibility engine', async () => {
    const name = 'orders.order-created';
    const diff = await admin('GET', `/v1/catalog/event-types/${name}/schema-diff`);
    expect(diff.status, JSON.stringify(diff.body)).toBe(200);
    expect(diff.body).toMatchObject({
      subject: `${name}-value`,
      from: { version: 1, schema: JSON.stringify(orderSchemaV1) },
      to: { version: 2 },
      compatible: true,
      level: 'BACKWARD',
      messages: [],
    });
    // Register an incompatible v3 with checks off, then compare under BACKWARD again.
    await admin('PUT', `/registry/config/${name}-value`, { compatibility: 'NONE' });
    const v3 = { type: 'object', required: ['orderId'], properties: { orderId: { type: 'integer' } } };
    expect(
      (
        await admin('POST', `/registry/subjects/${name}-value/versions`, {
          schemaType: 'JSON',
          schema: JSON.stringify(v3),
        })
      ).status,
    ).toBe(200);
    await admin('PUT', `/registry/config/${name}-value`, { compatibility: 'BACKWARD' });
    const broken = await admin('GET', `/v1/catalog/event-types/${name}/schema-diff?from=2&to=3`);
    expect(broken.body).toMatchObject({
      from: { version: 2 },
      to: { version: 3 },
      compatible: false,
      level: 'BACKWARD',
    });
    expect(broken.body.messages.join(' ')).toMatch(/orderId/);
    expect((await admin('GET', `/v1/catalog/event-types/${name}/schema-diff?from=1&to=9`)).body.code).toBe(
      'VERSION_NOT_FOUND',
    );
    expect((await admin('GET', '/v1/catalog/event-types/orders.order-draft/schema-diff')).body.code).toBe(
      'SCHEMA_NOT_FOUND',
    );
    // Back to v2 as the latest, which produce accepts, for the tests that follow.
    expect((await admin('DELETE', `/registry/subjects/${name}-value/versions/3`)).status).toBe(200);
  });

  it('moves through the lifecycle: deprecated is announced, retired refuses produce and new subscriptions', async () => {
    const name = 'orders.order-created';
    expect(await admin('POST', `/v1/catalog/event-types/${name}/lifecycle`, { lifecycle: 'retired' })).toMatchObject({
      status: 409,
      body: { code: 'INVALID_LIFECYCLE_TRANSITION' },
    });
    const deprecated = await admin('POST', `/v1/catalog/event-types/${name}/lifecycle`, {
      lifecycle: 'deprecated',
      note: 'Use orders.order-placed — until 2027-06',
    });
    expect(deprecated.body).toMatchObject({
      lifecycle: 'deprecated',
      lifecycleNote: 'Use orders.order-placed — until 2027-06',
    });
    const read = await admin('GET', `/v1/catalog/event-types/${name}`);
    expect(read.headers.get('deprecation')).toBe('true');
    expect(read.headers.get('link')).toBe(`</v1/catalog/event-types/${name}>; rel="deprecation"`);
    expect(read.headers.get('meshgate-lifecycle-note')).toBe('Use orders.order-placed %E2%80%94 until 2027-06');
    const produced = await admin('POST', `/v1/events/${name}`, { orderId: 'o-9' });
    expect(produced.status).toBe(202);
    expect(produced.headers.get('deprecation')).toBe('true');
    const controller = new AbortController();
    const stream = await fetch(`${gw.url}/v1/events/${name}/stream`, {
      headers: { authorization: adminConnectionParams.authorization },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('deprecation')).toBe('true');
    controller.abort();

    expect(
      (await admin('POST', `/v1/catalog/event-types/${name}/lifecycle`, { lifecycle: 'retired', note: 'Gone.' }))
        .status,
    ).toBe(200);
    expect(await admin('POST', `/v1/events/${name}`, { orderId: 'o-10' })).toMatchObject({
      status: 410,
      body: { code: 'EVENT_TYPE_RETIRED' },
    });
    for (const accept of ['text/event-stream', 'application/x-ndjson']) {
      const refused = await admin('GET', `/v1/events/${name}/stream`, undefined, { accept });
      expect(refused).toMatchObject({ status: 410, body: { code: 'EVENT_TYPE_RETIRED' } });
    }
    const mutation = await admin('POST', '/graphql', {
      query: 'mutation($t: String!) { produce(type: $t, data: {orderId: "x"}) { cursor } }',
      variables: { t: name },
    });
    expect(mutation.body.errors[0].extensions.code).toBe('EVENT_TYPE_RETIRED');
    const client = createClient({
      url: `${gw.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: adminConnectionParams,
    });
    // A subscription that cannot start answers with one result holding the error.
    const subscriptionError = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: 'subscription($t: String!) { events(type: $t) { cursor } }', variables: { t: name } },
        { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve(undefined) },
      ),
    );
    await client.dispose();
    expect(subscriptionError).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'EVENT_TYPE_RETIRED' }) }),
    ]);
    // Fetching what was produced still works, marked as retired.
    const fetched = await admin('GET', `/v1/events/${name}?from=earliest&limit=1`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('deprecation')).toBe('true');
    expect(await admin('POST', `/v1/catalog/event-types/${name}/lifecycle`, { lifecycle: 'active' })).toMatchObject({
      status: 409,
      body: { code: 'INVALID_LIFECYCLE_TRANSITION' },
    });
  });

  it('keeps the history of an event type and of its schema, newest first, with actors', async () => {
    const name = 'orders.order-created';
    const history = await admin('GET', `/v1/catalog/event-types/${name}/history`);
    expect(history.status).toBe(200);
    const items = history.body.items as {
      id: string;
      entityKind: string;
      action: string;
      actor: { kind: string; name: string };
    }[];
    expect(items[0]).toMatchObject({
      entityKind: 'event-type',
      action: 'lifecycle',
      actor: { kind: 'application', name: 'meshgate-bootstrap' },
    });
    expect(items.map((i) => `${i.entityKind}:${i.action}`)).toEqual(
      expect.arrayContaining(['event-type:created', 'event-type:updated', 'schema:registered']),
    );
    expect(items.at(-1)).toMatchObject({ entityKind: 'event-type', action: 'created' });
    const page = await admin('GET', `/v1/catalog/event-types/${name}/history?limit=2&before=${items[1]!.id}`);
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([items[2]!.id, items[3]!.id]);
    const changes = await admin('GET', '/v1/catalog/changes?entityKind=domain');
    expect(changes.body.items.map((i: { entityName: string }) => i.entityName)).toEqual(
      expect.arrayContaining(['orders', 'vault']),
    );
    expect((await admin('GET', '/v1/catalog/changes?entityKind=nope')).status).toBe(400);
  });

  it('shows private event types only to the owner team, grant holders and administrators', async () => {
    const name = 'vault.secret-moved';
    for (const who of ['member', 'granted']) {
      expect((await as(who, 'GET', `/v1/catalog/event-types/${name}`)).status).toBe(200);
      expect(
        (await as(who, 'GET', '/v1/catalog/event-types')).body.items.map((i: { name: string }) => i.name),
      ).toContain(name);
    }
    // An outsider gets the answer an unknown name gets: 404, nothing revealed.
    const hidden = await as('outsider', 'GET', `/v1/catalog/event-types/${name}`);
    const unknown = await as('outsider', 'GET', '/v1/catalog/event-types/vault.no-such-thing');
    expect(hidden).toMatchObject({ status: 404, body: { code: 'EVENT_TYPE_NOT_FOUND' } });
    expect(unknown.status).toBe(404);
    expect(hidden.body.message).toBe(`Event type '${name}' not found.`);
    expect((await as('outsider', 'GET', `/v1/catalog/event-types/${name}/history`)).status).toBe(404);
    expect((await as('outsider', 'GET', `/v1/catalog/event-types/${name}/schema-diff`)).status).toBe(404);
    const outsiderList = await as('outsider', 'GET', '/v1/catalog/event-types');
    expect(outsiderList.body.items.map((i: { name: string }) => i.name)).not.toContain(name);
    expect(outsiderList.body.items.map((i: { name: string }) => i.name)).toContain('orders.order-created');
    const domain = await as('outsider', 'GET', '/v1/catalog/domains/vault');
    expect(domain.body).toMatchObject({ eventTypes: [], eventTypeCount: 0 });
    const changes = await as('outsider', 'GET', '/v1/catalog/changes?limit=500');
    expect(changes.body.items.some((i: { entityName: string }) => i.entityName === name)).toBe(false);
    expect(
      (await as('member', 'GET', '/v1/catalog/changes?limit=500')).body.items.some(
        (i: { entityName: string }) => i.entityName === name,
      ),
    ).toBe(true);
    const graphql = await as('outsider', 'POST', '/graphql', {
      query: `{ eventType(name: "${name}") { name } eventTypes { name } }`,
    });
    expect(graphql.body.data.eventType).toBeNull();
    expect(graphql.body.data.eventTypes.map((e: { name: string }) => e.name)).not.toContain(name);
  });

  it('shows applications only what their grants cover', async () => {
    for (const path of [
      '/v1/catalog/event-types',
      '/v1/catalog/domains',
      '/v1/catalog/services',
      '/v1/catalog/changes',
    ]) {
      const listed = await as('ungranted', 'GET', path);
      expect(listed, path).toMatchObject({ status: 200, body: { items: [] } });
    }
    for (const path of [
      '/v1/catalog/event-types/orders.order-created',
      '/v1/catalog/event-types/orders.no-such-thing',
      '/v1/catalog/event-types/orders.order-created/history',
      '/v1/catalog/domains/orders',
      '/v1/catalog/domains/no-such-domain',
      '/v1/catalog/services/order-service',
    ]) {
      expect(await as('ungranted', 'GET', path), path).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    }
    const reader = await as('ordersReader', 'GET', '/v1/catalog/event-types');
    expect(reader.body.items.map((i: { name: string }) => i.name)).toEqual([
      'orders.order-created',
      'orders.order-draft',
    ]);
    expect(
      (await as('ordersReader', 'GET', '/v1/catalog/domains')).body.items.map((d: { name: string }) => d.name),
    ).toEqual(['orders']);
    expect(
      (await as('ordersReader', 'GET', '/v1/catalog/services')).body.items.map((s: { name: string }) => s.name),
    ).toEqual(['order-service']);
    expect((await as('ordersReader', 'GET', '/v1/catalog/event-types/vault.secret-moved')).status).toBe(403);
    const changes = (await as('ordersReader', 'GET', '/v1/catalog/changes?limit=500')).body.items as {
      entityName: string;
    }[];
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.some((c) => c.entityName.startsWith('orders.'))).toBe(true);
    expect(changes.some((c) => c.entityName.startsWith('vault'))).toBe(false);
  });

  it('lets only holders of manage-catalog write, each on what the grant covers', async () => {
    const body = { summary: 's', owner: 'team-orders' };
    expect((await as('outsider', 'PUT', '/v1/catalog/event-types/orders.by-outsider', body)).status).toBe(403);
    expect((await as('ordersReader', 'PUT', '/v1/catalog/event-types/orders.by-reader', body)).status).toBe(403);
    expect(
      (
        await as('ordersReader', 'POST', '/v1/catalog/event-types/orders.order-draft/lifecycle', {
          lifecycle: 'active',
        })
      ).status,
    ).toBe(403);
    expect(
      (await as('member', 'PUT', '/v1/catalog/domains/vault', { displayName: 'Vault', ownerTeam: 'team-vault' }))
        .status,
    ).toBe(403);
    expect(
      (await as('outsider', 'PUT', '/v1/catalog/services/rogue', { displayName: 'Rogue', ownerTeam: 't' })).status,
    ).toBe(403);
    expect((await as('ordersManager', 'PUT', '/v1/catalog/event-types/orders.by-manager', body)).status).toBe(201);
    expect(
      (
        await as('ordersManager', 'POST', '/v1/catalog/event-types/orders.order-draft/lifecycle', {
          lifecycle: 'active',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await as('ordersManager', 'PUT', '/v1/catalog/domains/orders', {
          displayName: 'Orders!',
          ownerTeam: 'team-orders',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await as('ordersManager', 'PUT', '/v1/catalog/services/fulfil', {
          displayName: 'F',
          ownerTeam: 't',
          domain: 'orders',
        })
      ).status,
    ).toBe(201);
    expect(
      (await as('ordersManager', 'PUT', '/v1/catalog/services/loose', { displayName: 'L', ownerTeam: 't' })).status,
    ).toBe(403);
    expect((await as('ordersManager', 'PUT', '/v1/catalog/event-types/vault.by-manager', body)).status).toBe(403);
    const deleteVault = await as('ordersManager', 'DELETE', '/v1/catalog/domains/vault');
    expect(deleteVault.status, JSON.stringify(deleteVault.body)).toBe(403);
    expect((await request(gw.url, 'GET', '/v1/catalog/domains', undefined, { authorization: '' })).status).toBe(401);
    // Writes are audited and recorded with their actor.
    const history = await admin('GET', '/v1/catalog/changes?entityKind=service&entityName=fulfil');
    expect(history.body.items[0]).toMatchObject({
      action: 'created',
      actor: { kind: 'application', name: 'cat-orders-manager' },
    });
  });

  it('records schema registrations made through the registry API with their actor', async () => {
    const subject = 'vault.secret-moved-value';
    await admin('POST', `/registry/subjects/${subject}/versions`, {
      schemaType: 'JSON',
      schema: JSON.stringify(orderSchemaV1),
    });
    await admin('DELETE', `/registry/subjects/${subject}/versions/1`);
    const rows = (await admin('GET', `/v1/catalog/changes?entityKind=schema&entityName=${subject}`)).body.items;
    expect(rows).toMatchObject([
      { action: 'deleted', before: { versions: [1], eventTypes: ['vault.secret-moved'] } },
      {
        action: 'registered',
        after: { version: 1, schemaType: 'JSON' },
        actor: { kind: 'application', name: 'meshgate-bootstrap' },
      },
    ]);
    expect(
      (await as('outsider', 'GET', `/v1/catalog/changes?entityKind=schema&entityName=${subject}`)).body.items,
    ).toEqual([]);
  });

  const paymentsYaml = `
apiVersion: meshgate/v1
domains:
  - name: payments
    displayName: Payments
    description: "# Payments\\n\\nMoney **in**."
    owner: team-payments
services:
  - name: payment-service
    domain: payments
    owner: team-payments
    produces: [payments.payment-captured]
eventTypes:
  - name: payments.payment-captured
    summary: A payment was captured
    owner: team-payments
    tags: [payments]
    keyPath: /paymentId
    examples:
      - name: card
        payload: { paymentId: p-1, amount: 10 }
    schema:
      type: JSON
      definition:
        type: object
        required: [paymentId, amount]
        properties:
          paymentId: { type: string }
          amount: { type: number }
`;
  const yaml = { 'content-type': 'application/yaml' };

  it('applies a catalog document: dry run, all of it (topic and schema included), then nothing', async () => {
    const plan = await admin('POST', '/v1/catalog/apply?dryRun=true', paymentsYaml, yaml);
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.dryRun).toBe(true);
    expect(plan.body.changes.map((c: { kind: string; action: string }) => `${c.kind}:${c.action}`)).toEqual([
      'domain:create',
      'event-type:create',
      'schema:create',
      'service:create',
    ]);
    expect((await admin('GET', '/v1/catalog/domains/payments')).status).toBe(404);
    const applied = await admin('POST', '/v1/catalog/apply', paymentsYaml, yaml);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.dryRun).toBe(false);
    // The topic and the schema exist: produce works at once, keyed by keyPath.
    const produced = await admin('POST', '/v1/events/payments.payment-captured', { paymentId: 'p-9', amount: 3 });
    expect(produced.status, JSON.stringify(produced.body)).toBe(202);
    expect((await admin('GET', '/v1/catalog/event-types/payments.payment-captured')).body).toMatchObject({
      producers: ['payment-service'],
      examples: [{ name: 'card', payload: { paymentId: 'p-1', amount: 10 } }],
    });
    const again = await admin('POST', '/v1/catalog/apply', paymentsYaml, yaml);
    expect(again.body.changes.every((c: { action: string }) => c.action === 'unchanged')).toBe(true);
    // JSON bodies work too.
    const asJson = await admin('POST', '/v1/catalog/apply?dryRun=true', {
      apiVersion: 'meshgate/v1',
      domains: [{ name: 'payments', displayName: 'Payments!', owner: 'team-payments' }],
    });
    expect(asJson.body.changes[0]).toMatchObject({
      action: 'update',
      diff: expect.arrayContaining([{ path: '/displayName', before: 'Payments', after: 'Payments!' }]),
    });
  });

  it('refuses bad documents and unauthorized entries, writing nothing', async () => {
    const bad = await admin(
      'POST',
      '/v1/catalog/apply',
      paymentsYaml.replace('tags: [payments]', 'tags: [Pay Ments]'),
      yaml,
    );
    expect(bad).toMatchObject({
      status: 400,
      body: {
        code: 'INVALID_CATALOG_DOCUMENT',
        details: { errors: [expect.objectContaining({ path: '/eventTypes/0/tags/0', line: 17 })] },
      },
    });
    const refusedExample = await admin(
      'POST',
      '/v1/catalog/apply',
      paymentsYaml.replace('displayName: Payments', 'displayName: Changed').replace('amount: 10 }', 'amount: ten }'),
      yaml,
    );
    expect(refusedExample).toMatchObject({
      status: 400,
      body: { code: 'INVALID_EXAMPLE', details: { documentPath: '/eventTypes/0', pointer: '/amount' } },
    });
    expect((await admin('GET', '/v1/catalog/domains/payments')).body.displayName).toBe('Payments');
    // Manage-catalog on orders does not cover payments, not even to see a dry run.
    const refused = await request(gw.url, 'POST', '/v1/catalog/apply?dryRun=true', paymentsYaml, {
      ...creds.ordersManager!,
      ...yaml,
    });
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const pruneDryRun = await admin('POST', '/v1/catalog/apply?dryRun=true&prune=true', paymentsYaml, yaml);
    expect(
      pruneDryRun.body.changes
        .filter((c: { action: string }) => c.action === 'delete')
        .map((c: { name: string }) => c.name),
    ).toEqual(expect.arrayContaining(['order-service', 'orders.order-created', 'vault.secret-moved']));
    expect((await admin('GET', '/v1/catalog/event-types/orders.order-created')).status).toBe(200);
  });

  it('runs `meshgate catalog apply` against the gateway', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-catalog-cli-'));
    try {
      await writeFile(
        path.join(dir, 'catalog.yaml'),
        paymentsYaml.replace('summary: A payment was captured', 'summary: A payment was captured (v2)'),
      );
      const meshgate = async (...args: string[]) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        let out = '';
        let err = '';
        stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        const code = await run(args, {
          stdout,
          stderr,
          cwd: dir,
          env: { MESHGATE_URL: gw.url, MESHGATE_TOKEN: TEST_TOKEN },
        });
        return { code, out, err };
      };
      const plan = await meshgate('catalog', 'apply', '-f', 'catalog.yaml', '--dry-run', '--detailed-exit-code');
      expect(plan).toMatchObject({ code: 1, err: '' });
      expect(plan.out).toContain('~ event-type payments.payment-captured: update');
      expect(plan.out).toContain('/summary: "A payment was captured" → "A payment was captured (v2)"');
      expect(plan.out).toContain('Dry run: 0 to create, 1 to update, 0 to delete, 3 unchanged. Nothing was changed.');
      expect((await meshgate('catalog', 'apply', '-f', 'catalog.yaml')).code).toBe(0);
      expect((await admin('GET', '/v1/catalog/event-types/payments.payment-captured')).body.summary).toBe(
        'A payment was captured (v2)',
      );
      const clean = await meshgate('catalog', 'apply', '-f', 'catalog.yaml', '--detailed-exit-code');
      expect(clean).toMatchObject({ code: 0 });
      expect(clean.out).toContain('Applied: 0 created, 0 updated, 0 deleted, 4 unchanged.');
      await writeFile(path.join(dir, 'broken.yaml'), 'apiVersion: meshgate/v1\neventTypes:\n  - name: x.y\n');
      const broken = await meshgate('catalog', 'apply', '-f', 'broken.yaml');
      expect(broken.code).toBe(2);
      expect(broken.err).toContain('broken.yaml:3:5: /eventTypes/0/summary:');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describes every catalog route in the OpenAPI document', async () => {
    const doc = (await request(gw.url, 'GET', '/openapi.json', undefined, { authorization: '' })).body;
    for (const path of [
      '/v1/catalog/event-types/{name}/lifecycle',
      '/v1/catalog/event-types/{name}/history',
      '/v1/catalog/event-types/{name}/schema-diff',
      '/v1/catalog/apply',
      '/v1/catalog/domains/{name}',
      '/v1/catalog/services/{name}',
      '/v1/catalog/changes',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/v1/catalog/event-types/{name}'].put.tags).toEqual(['catalog']);
  });
});
