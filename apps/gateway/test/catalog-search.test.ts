import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestGateway, type TestGateway } from './harness';

const SR = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

interface Fixture {
  name: string;
  summary: string;
  owner: string;
  description?: string;
  tags?: string[];
  visibility?: 'public' | 'private';
  lifecycle?: string;
  schema?: { type: 'JSON' | 'AVRO' | 'PROTOBUF'; definition: unknown };
}

const fixtures: Fixture[] = [
  {
    name: 'orders.order-created',
    summary: 'A customer placed an order.',
    owner: 'team-orders',
    description: 'Emitted by the order service once the **total** is known.',
    tags: ['checkout', 'core'],
    schema: {
      type: 'JSON',
      definition: {
        type: 'object',
        properties: {
          orderId: { type: 'string' },
          customer: { type: 'object', properties: { address: { type: 'object', properties: { postalCode: {} } } } },
          items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
        },
      },
    },
  },
  {
    name: 'orders.order-shipped',
    summary: 'An order left the warehouse.',
    owner: 'team-fulfilment',
    description: 'The carrier picked the parcel up.',
    lifecycle: 'deprecated',
    schema: {
      type: 'JSON',
      definition: { type: 'object', properties: { orderId: {}, carrier: {} }, additionalProperties: false },
    },
  },
  {
    name: 'payments.refund-issued',
    summary: 'Money went back to a customer.',
    owner: 'team-payments',
    tags: ['finance'],
    schema: {
      type: 'AVRO',
      definition: {
        type: 'record',
        name: 'RefundIssued',
        fields: [
          { name: 'refundId', type: 'string' },
          {
            name: 'lines',
            type: {
              type: 'array',
              items: { type: 'record', name: 'Line', fields: [{ name: 'unitPrice', type: 'double' }] },
            },
          },
        ],
      },
    },
  },
  {
    name: 'billing.invoice-sent',
    summary: 'An invoice was sent.',
    owner: 'team-billing',
    // Many mentions of a word in the description must not outrank one mention in a name.
    description: 'Refund notes: a refund, a refund, refunds everywhere. Refund policy applies.',
    tags: ['finance'],
  },
  {
    name: 'hr.salary-changed',
    summary: 'An employee salary changed.',
    owner: 'team-hr',
    visibility: 'private',
    schema: { type: 'JSON', definition: { type: 'object', properties: { employeeId: {}, grossSalary: {} } } },
  },
];

describe('catalog search (real PostgreSQL)', () => {
  let gw: TestGateway;
  const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(gw.url, method, path, body, headers);
  const search = async (query: string, headers: Record<string, string> = {}) => {
    const response = await request(gw.url, 'GET', `/v1/catalog/search?${query}`, undefined, headers);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as {
      items: Array<{
        name: string;
        rank: number;
        matched: string[];
        matchedFields: string[];
        lifecycle: string;
        visibility: string;
      }>;
      total: number;
      tookMs: number;
    };
  };
  const names = async (query: string, headers: Record<string, string> = {}) =>
    (await search(query, headers)).items.map((item) => item.name);
  /** A portal user with no teams or grants, signed in: its session cookie. */
  const signIn = async (email: string) => {
    await admin('POST', '/v1/admin/users', { email, name: email, password: 'a long passphrase' });
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email, password: 'a long passphrase' },
      { authorization: '' },
    );
    return { authorization: '', cookie: login.headers.get('set-cookie')!.split(';')[0]! };
  };
  const register = (subject: string, type: string, definition: unknown) =>
    request(
      gw.url,
      'POST',
      `/registry/subjects/${subject}/versions`,
      {
        schemaType: type,
        schema: typeof definition === 'string' ? definition : JSON.stringify(definition),
      },
      SR,
    );

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    for (const fixture of fixtures) {
      const put = await admin('PUT', `/v1/catalog/event-types/${fixture.name}`, {
        summary: fixture.summary,
        owner: fixture.owner,
        ...(fixture.description ? { description: fixture.description } : {}),
        tags: fixture.tags ?? [],
        visibility: fixture.visibility ?? 'public',
        lifecycle: fixture.lifecycle ?? 'active',
      });
      expect(put.status, JSON.stringify(put.body)).toBe(201);
      if (fixture.schema) {
        const registered = await register(`${fixture.name}-value`, fixture.schema.type, fixture.schema.definition);
        expect(registered.status, JSON.stringify(registered.body)).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('ranks a name match above description matches', async () => {
    const result = await search('q=refund');
    expect(result.items.map((item) => item.name)).toEqual(['payments.refund-issued', 'billing.invoice-sent']);
    expect(result.items[0]!.rank).toBeGreaterThan(result.items[1]!.rank);
    expect(result.items[0]!.matched).toContain('name');
    expect(result.items[1]!.matched).toEqual(['description']);
    expect(result.total).toBe(2);
    expect(result.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('matches words as prefixes, names whole and split on . - _', async () => {
    expect(await names('q=ord')).toEqual(expect.arrayContaining(['orders.order-created', 'orders.order-shipped']));
    expect((await names('q=orders.order-cr'))[0]).toBe('orders.order-created');
    expect(await names('q=order-created')).toEqual(['orders.order-created']);
    expect(await names('q=created')).toEqual(['orders.order-created']);
    // Every word must match: two words narrow.
    expect(await names('q=order%20warehouse')).toEqual(['orders.order-shipped']);
    // English stems in prose: "placing" finds "placed".
    expect(await names('q=placing')).toEqual(['orders.order-created']);
    // tsquery syntax in the text is plain text here.
    expect(await names(`q=${encodeURIComponent("ord:* & | ! ( ' \\")}`)).toEqual(
      expect.arrayContaining(['orders.order-created']),
    );
    expect(await names('q=zzzz')).toEqual([]);
  });

  it('finds field names of the latest schema at any depth (JSON Schema and Avro)', async () => {
    const postal = await search('q=postal');
    expect(postal.items.map((item) => item.name)).toEqual(['orders.order-created']);
    expect(postal.items[0]).toMatchObject({ matched: ['fields'], matchedFields: ['customer.address.postalCode'] });
    expect((await search('q=sku')).items[0]).toMatchObject({ matchedFields: ['items[].sku'] });
    const avro = await search('q=unitprice');
    expect(avro.items[0]).toMatchObject({ name: 'payments.refund-issued', matchedFields: ['lines[].unitPrice'] });
    // camelCase humps are words of their own.
    expect(await names('q=price')).toEqual(['payments.refund-issued']);
  });

  it('filters by domain, owner, tag and lifecycle, and pages', async () => {
    expect(await names('domain=orders')).toEqual(['orders.order-created', 'orders.order-shipped']);
    expect(await names('q=order&owner=team-fulfilment')).toEqual(['orders.order-shipped']);
    expect(await names('tag=finance')).toEqual(['billing.invoice-sent', 'payments.refund-issued']);
    expect(await names('lifecycle=deprecated')).toEqual(['orders.order-shipped']);
    expect(await names('q=refund&tag=finance&domain=billing')).toEqual(['billing.invoice-sent']);
    const tagged = await search('q=finance');
    expect(tagged.items.every((item) => item.matched.includes('tags'))).toBe(true);
    const page = await search('limit=2&offset=1');
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(fixtures.length);
    const past = await search('limit=2&offset=50');
    expect(past).toMatchObject({ items: [], total: fixtures.length });
  });

  it('answers the event type list’s ?q= and GraphQL search with the same hits as /search, for each caller', async () => {
    const reader = await signIn('reader@search.test');
    const gql = async (query: string, headers: Record<string, string>) => {
      const response = await request(gw.url, 'POST', '/graphql', { query }, headers);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as { data?: any; errors?: Array<{ extensions: { code: string } }> };
    };
    for (const headers of [{}, reader]) {
      for (const q of ['refund', 'ord', 'order warehouse', 'finance', 'salary', 'postal', 'zzzz']) {
        const rest = await search(`q=${encodeURIComponent(q)}&limit=100`, headers);
        const list = await request(
          gw.url,
          'GET',
          `/v1/catalog/event-types?q=${encodeURIComponent(q)}`,
          undefined,
          headers,
        );
        expect(list.status, JSON.stringify(list.body)).toBe(200);
        expect(
          list.body.items.map((item: { name: string }) => item.name),
          q,
        ).toEqual(rest.items.map((i) => i.name));
        const graph = await gql(
          `{ search(query: ${JSON.stringify(q)}, limit: 100) { total items { name rank matched matchedFields lifecycle visibility } } }`,
          headers,
        );
        expect(graph.errors, q).toBeUndefined();
        expect(graph.data.search.total, q).toBe(rest.total);
        expect(graph.data.search.items, q).toEqual(
          rest.items.map((item) => ({
            name: item.name,
            rank: item.rank,
            matched: item.matched,
            matchedFields: item.matchedFields,
            lifecycle: item.lifecycle.toUpperCase(),
            visibility: item.visibility.toUpperCase(),
          })),
        );
      }
    }
    // The private entry is found by the administrator only, through all three.
    expect(await names('q=salary')).toEqual(['hr.salary-changed']);
    expect(await names('q=salary', reader)).toEqual([]);
    // The list keeps its filters and its item shape; bad input is refused as on /search.
    const filtered = await request(gw.url, 'GET', '/v1/catalog/event-types?q=refund&tag=finance&domain=billing');
    expect(filtered.body.items).toEqual([
      expect.objectContaining({ name: 'billing.invoice-sent', owner: 'team-billing', producers: [], consumers: [] }),
    ]);
    const tooLong = await request(gw.url, 'GET', `/v1/catalog/event-types?q=${'x'.repeat(201)}`);
    expect(tooLong.body.code).toBe('INVALID_REQUEST');
    const badLimit = await gql('{ search(query: "order", limit: 0) { total } }', {});
    expect(badLimit.errors?.[0]?.extensions.code).toBe('INVALID_REQUEST');
    const paged = await gql('{ search(query: "", limit: 2, offset: 1) { total items { name } } }', {});
    expect(paged.data.search.items.map((i: { name: string }) => i.name)).toEqual(
      (await names('limit=2&offset=1')).slice(0, 2),
    );
  });

  it('keeps documents current: schema registrations, soft deletes, edits and removals', async () => {
    expect(await names('q=warehouseCode')).toEqual([]);
    const v2 = await register('orders.order-shipped-value', 'JSON', {
      type: 'object',
      properties: { orderId: {}, carrier: {}, warehouseCode: { type: 'string' } },
      additionalProperties: false,
    });
    expect(v2.status).toBe(200);
    expect((await search('q=warehousecode')).items[0]).toMatchObject({
      name: 'orders.order-shipped',
      matchedFields: ['warehouseCode'],
    });
    // Soft-deleting the latest version makes the previous one the latest again.
    const deleted = await request(gw.url, 'DELETE', '/registry/subjects/orders.order-shipped-value/versions/2');
    expect(deleted.status).toBe(200);
    expect(await names('q=warehouseCode')).toEqual([]);

    const edited = await admin('PUT', '/v1/catalog/event-types/orders.order-shipped', {
      summary: 'A parcel was handed to the courier.',
      owner: 'team-fulfilment',
    });
    expect(edited.status).toBe(200);
    expect(await names('q=courier')).toEqual(['orders.order-shipped']);
    expect(await names('q=warehouse')).toEqual([]);

    await admin('PUT', '/v1/catalog/event-types/orders.temporary', { summary: 'Short-lived', owner: 'team-orders' });
    expect(await names('q=temporary')).toEqual(['orders.temporary']);
    expect((await admin('DELETE', '/v1/catalog/event-types/orders.temporary')).status).toBe(200);
    expect(await names('q=temporary')).toEqual([]);
  });

  it('shows private entries only to their owner team, grant holders and administrators', async () => {
    expect(await names('q=salary')).toEqual(['hr.salary-changed']); // administrator

    const dev = await signIn('dev@search.test');
    expect(await names('q=salary', dev)).toEqual([]);
    expect((await search('', dev)).total).toBe(fixtures.length - 1);
    // Joining the owner team reveals it.
    expect((await admin('POST', '/v1/admin/teams', { id: 'team-hr' })).status).toBe(201);
    expect((await admin('POST', '/v1/admin/teams/team-hr/members', { user: 'dev@search.test' })).status).toBe(200);
    expect(await names('q=salary', dev)).toEqual(['hr.salary-changed']);

    // Applications see only what their grants cover, private entries included.
    expect((await admin('POST', '/v1/admin/applications', { name: 'search-app' })).status).toBe(201);
    const key = await admin('POST', '/v1/admin/applications/search-app/keys', { name: 'k' });
    const app = { authorization: `Bearer ${key.body.token}` };
    expect(await names('', app)).toEqual([]);
    for (const grant of [
      { resourceKind: 'domain', resourceName: 'payments', action: 'read' },
      { resourceKind: 'event-type', resourceName: 'hr.salary-changed', action: 'read' },
      { resourceKind: 'subject', resourceName: 'orders.order-created-value', action: 'register-schema' },
    ]) {
      const created = await admin('POST', '/v1/admin/grants', {
        subjectKind: 'application',
        subjectId: 'search-app',
        ...grant,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    await gw.gateway.runtime.services().access.reload();
    expect(await names('', app)).toEqual(['hr.salary-changed', 'orders.order-created', 'payments.refund-issued']);
    expect(await names('q=salary', app)).toEqual(['hr.salary-changed']);
  });

  it('refuses bad parameters with INVALID_REQUEST', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'offset=-1',
      'lifecycle=gone',
      'unknown=1',
      `q=${'x'.repeat(201)}`,
    ]) {
      const response = await request(gw.url, 'GET', `/v1/catalog/search?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.code, query).toBe('INVALID_REQUEST');
    }
  });
});
