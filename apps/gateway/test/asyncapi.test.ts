import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncApiErrors, readAsyncApiText } from '@meshgate/catalog';
import { demoCatalog } from '../src/seed/demo';
import { request, startTestGateway, type TestGateway } from './harness';

const SR = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

describe('AsyncAPI export, conversion and import (real PostgreSQL)', () => {
  let gw: TestGateway;
  let appAuth: Record<string, string>;

  const get = (path: string, headers: Record<string, string> = {}) => request(gw.url, 'GET', path, undefined, headers);

  beforeAll(async () => {
    gw = await startTestGateway('postgres', {
      seedDemo: true,
      portalUrl: 'http://portal.test:3000',
    });
    const { pool } = gw.gateway.runtime.services().db;
    // A domain of the test's own (the demo's content may change): an Avro event type, private,
    // and a JSON one, with declared lineage written as the catalog stores it.
    for (const [name, description] of [
      ['refunds.refund-issued', 'Issued by the **refund service**.'],
      ['refunds.refund-requested', 'A customer asked for money back.'],
    ] as const) {
      const put = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
        summary: `${name} happened.`,
        owner: 'team-refunds',
        description,
      });
      expect(put.status).toBe(201);
    }
    const avro = await request(
      gw.url,
      'POST',
      '/registry/subjects/refunds.refund-issued-value/versions',
      {
        schemaType: 'AVRO',
        schema: JSON.stringify({
          type: 'record',
          name: 'RefundIssued',
          fields: [
            { name: 'refundId', type: 'string' },
            { name: 'amount', type: 'double' },
          ],
        }),
      },
      SR,
    );
    expect(avro.status, JSON.stringify(avro.body)).toBe(200);
    const json = await request(
      gw.url,
      'POST',
      '/registry/subjects/refunds.refund-requested-value/versions',
      { schemaType: 'JSON', schema: JSON.stringify({ type: 'object', properties: { requestId: { type: 'string' } } }) },
      SR,
    );
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    await pool.query(
      `UPDATE event_types SET visibility = 'private', tags = ARRAY['finance'], key_path = '/refundId' WHERE name = 'refunds.refund-issued'`,
    );
    await pool.query(
      `INSERT INTO catalog_services (name, display_name, summary, owner_team, domain, updated_at)
       VALUES ('refund-service', 'Refund service', 'Pays money back.', 'team-refunds', 'refunds', now()),
              ('support-desk', 'Support desk', '', 'team-support', NULL, now())`,
    );
    await pool.query(
      `INSERT INTO catalog_declared_lineage (event_type, service, role) VALUES
         ('refunds.refund-issued', 'refund-service', 'producer'),
         ('refunds.refund-requested', 'support-desk', 'producer'),
         ('refunds.refund-requested', 'refund-service', 'consumer')`,
    );
    // An application that may read one (public) refunds event type only.
    await request(gw.url, 'POST', '/v1/admin/applications', { name: 'asyncapi-app' });
    await request(gw.url, 'POST', '/v1/admin/grants', {
      subjectKind: 'application',
      subjectId: 'asyncapi-app',
      resourceKind: 'event-type',
      resourceName: 'refunds.refund-requested',
      action: 'read',
    });
    const key = await request(gw.url, 'POST', '/v1/admin/applications/asyncapi-app/keys', { name: 'k' });
    appAuth = { authorization: `Bearer ${key.body.token}` };
    await gw.gateway.runtime.services().access.reload();
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('exports the seeded demo as AsyncAPI 3.0 that @asyncapi/parser accepts without errors', async () => {
    const response = await get('/v1/catalog/asyncapi');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/yaml');
    expect(await asyncApiErrors(response.body as string)).toEqual([]);
    const document = readAsyncApiText(response.body as string) as Record<string, any>;
    expect(document.asyncapi).toBe('3.0.0');
    // The whole demo is in it (a seed that failed would leave an export with nothing to check).
    const demoNames = (demoCatalog(3).eventTypes ?? []).map((entry) => entry.name);
    expect(demoNames.length).toBeGreaterThan(5);
    expect(Object.keys(document.channels)).toEqual(expect.arrayContaining(demoNames));
    expect(document.servers.meshgate).toMatchObject({ host: new URL(gw.url).host, protocol: 'http' });
    expect(document.channels['orders.order-created']).toMatchObject({
      address: 'orders.order-created',
      bindings: { kafka: { topic: 'orders.order-created' } },
      externalDocs: { url: 'http://portal.test:3000/event-types/orders.order-created' },
    });
    expect(document.components.messages['orders.order-created'].payload).toMatchObject({
      schemaFormat: 'application/schema+json;version=draft-07',
      schema: { type: 'object' },
    });
  });

  it('exports one domain: channels, Avro and JSON payloads, operations per declared producer and consumer', async () => {
    const response = await get('/v1/catalog/asyncapi?domain=refunds&format=json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await asyncApiErrors(response.body)).toEqual([]);
    const document = response.body as Record<string, any>;
    expect(document.info.title).toBe('refunds events');
    expect(Object.keys(document.channels).sort()).toEqual(['refunds.refund-issued', 'refunds.refund-requested']);
    expect(document.channels['refunds.refund-issued']).toMatchObject({
      address: 'refunds.refund-issued',
      bindings: { kafka: { topic: 'refunds.refund-issued', partitions: 3 } },
      'x-meshgate': { owner: 'team-refunds', visibility: 'private', lifecycle: 'active' },
    });
    expect(document.components.messages['refunds.refund-issued']).toMatchObject({
      payload: {
        schemaFormat: 'application/vnd.apache.avro;version=1.9.0',
        schema: { type: 'record', name: 'RefundIssued' },
      },
      tags: [{ name: 'finance' }],
      'x-meshgate': { keyPath: '/refundId' },
    });
    expect(document.components.messages['refunds.refund-requested'].payload).toEqual({
      schemaFormat: 'application/schema+json;version=draft-07',
      schema: { type: 'object', properties: { requestId: { type: 'string' } } },
    });
    expect(Object.keys(document.operations).sort()).toEqual([
      'refund-service.receive.refunds.refund-requested',
      'refund-service.send.refunds.refund-issued',
      'support-desk.send.refunds.refund-requested',
    ]);
    expect(document.operations['refund-service.receive.refunds.refund-requested']).toMatchObject({
      action: 'receive',
      channel: { $ref: '#/channels/refunds.refund-requested' },
      messages: [{ $ref: '#/channels/refunds.refund-requested/messages/refunds.refund-requested' }],
    });
    const unknown = await get('/v1/catalog/asyncapi?domain=nothing-here&format=json');
    expect(unknown.status).toBe(200);
    expect(unknown.body.channels).toEqual({});
    expect((await get('/v1/catalog/asyncapi?format=xml')).body.code).toBe('INVALID_REQUEST');
  });

  it('shows only what the caller may see', async () => {
    const app = await get('/v1/catalog/asyncapi?format=json', appAuth);
    expect(app.status).toBe(200);
    expect(Object.keys(app.body.channels)).toEqual(['refunds.refund-requested']);
    // Only the services declared on what it sees, and only their operations there.
    expect(app.body['x-meshgate'].services.map((s: { name: string }) => s.name)).toEqual([
      'refund-service',
      'support-desk',
    ]);
    expect(Object.keys(app.body.operations).sort()).toEqual([
      'refund-service.receive.refunds.refund-requested',
      'support-desk.send.refunds.refund-requested',
    ]);

    await request(gw.url, 'POST', '/v1/admin/users', {
      email: 'dev@asyncapi.test',
      name: 'Dev',
      password: 'a long passphrase',
    });
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email: 'dev@asyncapi.test', password: 'a long passphrase' },
      { authorization: '' },
    );
    const user = { authorization: '', cookie: login.headers.get('set-cookie')!.split(';')[0]! };
    const seen = await get('/v1/catalog/asyncapi?domain=refunds&format=json', user);
    expect(Object.keys(seen.body.channels)).toEqual(['refunds.refund-requested']);
  });

  it('converts its own export back into the catalog it came from', async () => {
    const exported = await get('/v1/catalog/asyncapi?domain=refunds');
    const converted = await request(
      gw.url,
      'POST',
      '/v1/catalog/asyncapi/convert?format=json',
      exported.body as string,
      { 'content-type': 'application/yaml' },
    );
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body.eventTypes.find((e: { name: string }) => e.name === 'refunds.refund-issued')).toEqual({
      name: 'refunds.refund-issued',
      summary: 'refunds.refund-issued happened.',
      description: 'Issued by the **refund service**.',
      owner: 'team-refunds',
      version: '1.0.0',
      lifecycle: 'active',
      visibility: 'private',
      tags: ['finance'],
      topic: 'refunds.refund-issued',
      subject: 'refunds.refund-issued-value',
      partitions: 3,
      valueFormat: 'json',
      keyPath: '/refundId',
      schema: {
        type: 'AVRO',
        definition: {
          type: 'record',
          name: 'RefundIssued',
          fields: [
            { name: 'refundId', type: 'string' },
            { name: 'amount', type: 'double' },
          ],
        },
      },
    });
    expect(converted.body.services).toEqual([
      {
        name: 'refund-service',
        displayName: 'Refund service',
        summary: 'Pays money back.',
        domain: 'refunds',
        owner: 'team-refunds',
        produces: ['refunds.refund-issued'],
        consumes: ['refunds.refund-requested'],
      },
      {
        name: 'support-desk',
        displayName: 'Support desk',
        owner: 'team-support',
        produces: ['refunds.refund-requested'],
        consumes: [],
      },
    ]);
    // The JSON form converts the same, and the YAML answer is the same document.
    const fromJson = await request(
      gw.url,
      'POST',
      '/v1/catalog/asyncapi/convert?format=json',
      readAsyncApiText(exported.body as string),
    );
    expect(fromJson.body).toEqual(converted.body);
    const asYaml = await request(gw.url, 'POST', '/v1/catalog/asyncapi/convert', exported.body as string, {
      'content-type': 'text/yaml',
    });
    expect(asYaml.headers.get('content-type')).toContain('application/yaml');
    expect(readAsyncApiText(asYaml.body as string)).toEqual(converted.body);
  });

  it('converts third-party documents and refuses bad ones with INVALID_ASYNCAPI_DOCUMENT', async () => {
    const document = [
      'asyncapi: 2.6.0',
      'info: {title: Shop, version: 1.0.0}',
      'channels:',
      '  shop.cart-abandoned:',
      '    subscribe:',
      '      message:',
      '        summary: A cart was left.',
      '        payload: {type: object, properties: {cartId: {type: string}}}',
    ].join('\n');
    const converted = await request(
      gw.url,
      'POST',
      '/v1/catalog/asyncapi/convert?owner=team-shop&format=json',
      document,
      {
        'content-type': 'application/yaml',
      },
    );
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body).toMatchObject({
      apiVersion: 'meshgate/v1',
      services: [{ name: 'shop', owner: 'team-shop', produces: ['shop.cart-abandoned'] }],
      eventTypes: [{ name: 'shop.cart-abandoned', summary: 'A cart was left.', owner: 'team-shop' }],
    });
    const unowned = await request(gw.url, 'POST', '/v1/catalog/asyncapi/convert', document, {
      'content-type': 'application/yaml',
    });
    expect(unowned.status).toBe(400);
    expect(unowned.body).toMatchObject({
      code: 'INVALID_ASYNCAPI_DOCUMENT',
      details: {
        problems: [
          { path: '/channels/shop.cart-abandoned', message: expect.stringContaining('no owner') },
          { path: '/info', message: expect.stringContaining("no owner for the service 'shop'") },
        ],
      },
    });
    const invalid = await request(gw.url, 'POST', '/v1/catalog/asyncapi/convert', 'asyncapi: 3.0.0\ninfo: {title: x}', {
      'content-type': 'application/yaml',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_ASYNCAPI_DOCUMENT');
    expect(invalid.body.details.problems.length).toBeGreaterThan(0);
    const garbage = await request(gw.url, 'POST', '/v1/catalog/asyncapi/convert', '{{{', {
      'content-type': 'text/plain',
    });
    expect(garbage.body.code).toBe('INVALID_ASYNCAPI_DOCUMENT');
  });

  it('documents the routes in /openapi.json', async () => {
    const openapi = await get('/openapi.json', { authorization: '' });
    expect(openapi.status).toBe(200);
    expect(openapi.body.paths['/v1/catalog/asyncapi'].get).toMatchObject({
      tags: ['catalog'],
      responses: { 200: { content: { 'application/yaml': expect.anything(), 'application/json': expect.anything() } } },
    });
    expect(openapi.body.paths['/v1/catalog/asyncapi/convert'].post.summary).toContain('CatalogDocument');
    expect(openapi.body.paths['/v1/catalog/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'domain', 'owner', 'tag', 'lifecycle', 'limit', 'offset']),
    );
  });

  /** An application's AsyncAPI 2.6 document (subscribe = it produces, publish = it consumes). */
  const loyalty26 = [
    'asyncapi: 2.6.0',
    'info: {title: Loyalty, version: 1.0.0, description: Points for purchases.}',
    'channels:',
    '  loyalty.points-earned:',
    '    description: A customer earned points with a purchase.',
    '    subscribe:',
    '      message:',
    '        summary: Points were earned.',
    '        tags: [{name: rewards}]',
    '        payload:',
    '          type: object',
    '          required: [customerId, points]',
    '          properties: {customerId: {type: string}, points: {type: integer}}',
    '        examples:',
    '          - name: ten points',
    '            payload: {customerId: c-1, points: 10}',
    '  loyalty.points-redeemed:',
    '    publish:',
    '      message:',
    '        summary: Points were spent.',
    '        payload: {type: object, properties: {customerId: {type: string}}}',
  ].join('\n');

  /** An AsyncAPI 3.0 document with Meshgate extensions (owner, lifecycle, visibility). */
  const reviews30 = (channels: Record<string, unknown> = {}) => ({
    asyncapi: '3.0.0',
    info: { title: 'Reviews', version: '2.0.0' },
    'x-meshgate': { owner: 'team-reviews' },
    channels: {
      reviewPosted: {
        address: 'reviews.review-posted',
        summary: 'A customer posted a review.',
        bindings: { kafka: { partitions: 2 } },
        messages: {
          posted: {
            payload: {
              type: 'object',
              properties: { reviewId: { type: 'string' }, stars: { type: 'integer', minimum: 1, maximum: 5 } },
            },
          },
        },
        'x-meshgate': { lifecycle: 'active', visibility: 'private' },
      },
      ...channels,
    },
    operations: { postReview: { action: 'send', channel: { $ref: '#/channels/reviewPosted' } } },
  });

  const importYaml = (query: string, body: string, headers: Record<string, string> = {}) =>
    request(gw.url, 'POST', `/v1/catalog/asyncapi${query}`, body, { 'content-type': 'application/yaml', ...headers });
  type Change = { kind: string; name: string; action: string };
  const actions = (changes: Change[]) => changes.map((c) => `${c.kind} ${c.name} ${c.action}`).sort();

  it('imports an AsyncAPI 2.6 document through apply: a dry run writes nothing, then entries, schemas and lineage exist', async () => {
    const dry = await importYaml('?dryRun=true&owner=team-loyalty', loyalty26);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.document).toMatchObject({ apiVersion: 'meshgate/v1', services: [{ name: 'loyalty' }] });
    expect(actions(dry.body.changes)).toEqual([
      'event-type loyalty.points-earned create',
      'event-type loyalty.points-redeemed create',
      'schema loyalty.points-earned-value create',
      'schema loyalty.points-redeemed-value create',
      'service loyalty create',
    ]);
    expect((await get('/v1/catalog/event-types/loyalty.points-earned')).body.code).toBe('EVENT_TYPE_NOT_FOUND');
    expect((await get('/v1/catalog/services/loyalty')).body.code).toBe('SERVICE_NOT_FOUND');
    expect((await get('/registry/subjects/loyalty.points-earned-value/versions', SR)).status).toBe(404);
    expect((await get('/v1/catalog/changes?entityName=loyalty.points-earned')).body.items).toEqual([]);

    const real = await importYaml('?owner=team-loyalty', loyalty26);
    expect(real.status, JSON.stringify(real.body)).toBe(200);
    expect(real.body.dryRun).toBe(false);
    expect(actions(real.body.changes)).toEqual(actions(dry.body.changes));
    const earned = await get('/v1/catalog/event-types/loyalty.points-earned');
    expect(earned.status).toBe(200);
    expect(earned.body).toMatchObject({
      summary: 'Points were earned.',
      description: 'A customer earned points with a purchase.',
      owner: 'team-loyalty',
      domain: 'loyalty',
      topic: 'loyalty.points-earned',
      tags: ['rewards'],
      examples: [{ name: 'ten points', payload: { customerId: 'c-1', points: 10 } }],
      producers: ['loyalty'],
    });
    expect((await get('/v1/catalog/services/loyalty')).body).toMatchObject({
      ownerTeam: 'team-loyalty',
      produces: ['loyalty.points-earned'],
      consumes: ['loyalty.points-redeemed'],
    });
    const schema = await get('/registry/subjects/loyalty.points-earned-value/versions/latest', SR);
    expect(JSON.parse(schema.body.schema)).toMatchObject({ required: ['customerId', 'points'] });
    // Written like every catalog write: change history with the caller, and an audit entry.
    const history = await get('/v1/catalog/event-types/loyalty.points-earned/history');
    expect(history.body.items).toContainEqual(
      expect.objectContaining({ action: 'created', actor: expect.objectContaining({ name: 'meshgate-bootstrap' }) }),
    );
    const audit = await get('/v1/audit?action=catalog.apply');
    expect(audit.body.entries[0]).toMatchObject({ action: 'catalog.apply', decision: 'allow' });

    const again = await importYaml('?owner=team-loyalty', loyalty26);
    expect(again.body.changes.length).toBe(real.body.changes.length);
    expect(again.body.changes.every((change: Change) => change.action === 'unchanged')).toBe(true);
  });

  it('imports an AsyncAPI 3.0 document (JSON) with Meshgate extensions; a second import reports it unchanged', async () => {
    const real = await request(gw.url, 'POST', '/v1/catalog/asyncapi', reviews30());
    expect(real.status, JSON.stringify(real.body)).toBe(200);
    expect(actions(real.body.changes)).toEqual([
      'event-type reviews.review-posted create',
      'schema reviews.review-posted-value create',
      'service reviews create',
    ]);
    expect((await get('/v1/catalog/event-types/reviews.review-posted')).body).toMatchObject({
      summary: 'A customer posted a review.',
      owner: 'team-reviews',
      partitions: 2,
      lifecycle: 'active',
      visibility: 'private',
      producers: ['reviews'],
    });
    const again = await request(gw.url, 'POST', '/v1/catalog/asyncapi', reviews30());
    expect(actions(again.body.changes)).toEqual([
      'event-type reviews.review-posted unchanged',
      'schema reviews.review-posted-value unchanged',
      'service reviews unchanged',
    ]);
  });

  it('imports all or nothing, only for callers who may write every entry', async () => {
    const extra = {
      reviewFlagged: {
        address: 'reviews.review-flagged',
        messages: { flagged: { payload: { type: 'object' } } },
      },
    };
    // An illegal lifecycle move on one entry refuses the whole import: the new entry is not written either.
    const refused = reviews30(extra);
    (refused.channels.reviewPosted as { 'x-meshgate': Record<string, string> })['x-meshgate'].lifecycle = 'draft';
    const moved = await request(gw.url, 'POST', '/v1/catalog/asyncapi', refused);
    expect(moved.status, JSON.stringify(moved.body)).toBe(409);
    expect(moved.body.code).toBe('INVALID_LIFECYCLE_TRANSITION');
    expect((await get('/v1/catalog/event-types/reviews.review-flagged')).status).toBe(404);
    // An application without manage-catalog: FORBIDDEN, dry run or not, and nothing written.
    for (const query of ['?dryRun=true', '']) {
      const denied = await request(gw.url, 'POST', `/v1/catalog/asyncapi${query}`, reviews30(extra), appAuth);
      expect(denied.status, JSON.stringify(denied.body)).toBe(403);
      expect(denied.body.code).toBe('FORBIDDEN');
    }
    expect((await get('/v1/catalog/event-types/reviews.review-flagged')).status).toBe(404);
    // A document that does not convert (no owner for its entries) never reaches apply.
    const bad = await importYaml('', loyalty26);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_ASYNCAPI_DOCUMENT');
  });
});
