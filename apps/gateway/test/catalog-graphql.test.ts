import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestGateway, type TestGateway } from './harness';

// The catalog over GraphQL: the same data, authorization and visibility as REST.

describe('catalog GraphQL API', () => {
  let gw: TestGateway;
  let partner: Record<string, string>;
  let outsider: Record<string, string>;
  const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await request(gw.url, 'POST', '/graphql', { query, variables }, { ...headers });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { data?: any; errors?: { message: string; extensions: { code: string } }[] };
  };

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    const app = await request(gw.url, 'POST', '/v1/admin/applications', { name: 'gql-partner' });
    const key = await request(gw.url, 'POST', '/v1/admin/applications/gql-partner/keys', { name: 'k' });
    partner = { authorization: `Bearer ${key.body.token}` };
    expect(app.status).toBe(201);
    await request(gw.url, 'POST', '/v1/admin/users', {
      email: 'out@gql.test',
      name: 'Out',
      password: 'a long passphrase',
    });
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email: 'out@gql.test', password: 'a long passphrase' },
      { authorization: '' },
    );
    outsider = { authorization: '', cookie: login.headers.get('set-cookie')!.split(';')[0]! };
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('writes the catalog with mutations and reads it back with every field', async () => {
    const domain = await gql(
      `mutation { putDomain(name: "shop", input: {displayName: "Shop", summary: "Buying things", description: "# Shop", ownerTeam: "team-shop"}) { name displayName description eventTypeCount } }`,
    );
    expect(domain.data.putDomain).toEqual({
      name: 'shop',
      displayName: 'Shop',
      description: '# Shop',
      eventTypeCount: 0,
    });
    const eventType = await gql(
      `mutation($input: EventTypeInput!) { putEventType(name: "shop.cart-abandoned", input: $input) { name domain version lifecycle visibility tags keyPath examples { name payload } } }`,
      {
        input: {
          summary: 'A cart was left',
          owner: 'team-shop',
          version: '2.1.0',
          lifecycle: 'ACTIVE',
          tags: ['cart'],
          keyPath: '/cartId',
          examples: [{ name: 'one', payload: { cartId: 'c-1' } }],
        },
      },
    );
    expect(eventType.errors).toBeUndefined();
    expect(eventType.data.putEventType).toEqual({
      name: 'shop.cart-abandoned',
      domain: 'shop',
      version: '2.1.0',
      lifecycle: 'ACTIVE',
      visibility: 'PUBLIC',
      tags: ['cart'],
      keyPath: '/cartId',
      examples: [{ name: 'one', payload: { cartId: 'c-1' } }],
    });
    const service = await gql(
      `mutation { putService(name: "cart-service", input: {displayName: "Cart", domain: "shop", ownerTeam: "team-shop", produces: ["shop.cart-abandoned"]}) { name produces { name } consumes { name } } }`,
    );
    expect(service.data.putService).toEqual({
      name: 'cart-service',
      produces: [{ name: 'shop.cart-abandoned' }],
      consumes: [],
    });
    await request(gw.url, 'POST', '/registry/subjects/shop.cart-abandoned-value/versions', {
      schemaType: 'JSON',
      schema: JSON.stringify({ type: 'object', properties: { cartId: { type: 'string' } } }),
    });
    const read = await gql(`{
      domains { name eventTypeCount serviceCount }
      domain(name: "shop") { eventTypes { name } services { name application } }
      services(domain: "shop") { name }
      service(name: "cart-service") { displayName }
      eventType(name: "shop.cart-abandoned") {
        producers { name } consumers { name }
        lineage { declared { producers { name } } observed { producers { name } consumers { name } } }
        history(limit: 10) { entityKind action actor { kind name } }
        versions { version schemaType }
      }
      eventTypes(domain: "shop", lifecycle: ACTIVE) { name }
    }`);
    expect(read.errors).toBeUndefined();
    expect(read.data.domains).toEqual([{ name: 'shop', eventTypeCount: 1, serviceCount: 1 }]);
    expect(read.data.domain).toEqual({
      eventTypes: [{ name: 'shop.cart-abandoned' }],
      services: [{ name: 'cart-service', application: null }],
    });
    expect(read.data.services).toEqual([{ name: 'cart-service' }]);
    expect(read.data.service).toEqual({ displayName: 'Cart' });
    expect(read.data.eventType.producers).toEqual([{ name: 'cart-service' }]);
    expect(read.data.eventType.lineage).toEqual({
      declared: { producers: [{ name: 'cart-service' }] },
      observed: { producers: [], consumers: [] },
    });
    expect(read.data.eventType.history[0]).toEqual({
      entityKind: 'schema',
      action: 'registered',
      actor: { kind: 'application', name: 'meshgate-bootstrap' },
    });
    expect(read.data.eventType.versions).toEqual([{ version: 1, schemaType: 'JSON' }]);
    expect(read.data.eventTypes).toEqual([{ name: 'shop.cart-abandoned' }]);
  });

  it('moves lifecycles and reports refused moves with extensions.code', async () => {
    const refused = await gql(
      `mutation { setLifecycle(name: "shop.cart-abandoned", lifecycle: RETIRED) { lifecycle } }`,
    );
    expect(refused.errors?.[0]?.extensions.code).toBe('INVALID_LIFECYCLE_TRANSITION');
    const moved = await gql(
      `mutation { setLifecycle(name: "shop.cart-abandoned", lifecycle: DEPRECATED, note: "Use shop.cart-left") { lifecycle lifecycleNote } }`,
    );
    expect(moved.data.setLifecycle).toEqual({ lifecycle: 'DEPRECATED', lifecycleNote: 'Use shop.cart-left' });
    const bad = await gql(
      `mutation { putEventType(name: "shop.x", input: {summary: "s", owner: "o", tags: ["Bad Tag"]}) { name } }`,
    );
    expect(bad.errors?.[0]?.extensions.code).toBe('INVALID_REQUEST');
  });

  it('searches what the caller may see, best match first', async () => {
    await gql(
      `mutation { putEventType(name: "shop.cart-emptied", input: {summary: "Someone emptied a cart", owner: "o"}) { name } }`,
    );
    await gql(
      `mutation { putEventType(name: "shop.hidden-cart", input: {summary: "cart", owner: "team-hidden", visibility: PRIVATE}) { name } }`,
    );
    const query = `{ search(query: "cart") { total items { name rank matched lifecycle } } }`;
    const found = await gql(query);
    expect(found.data.search.items.map((i: { name: string }) => i.name)).toEqual([
      'shop.cart-abandoned',
      'shop.cart-emptied',
      'shop.hidden-cart',
    ]);
    expect(found.data.search.items[0]).toMatchObject({ matched: expect.arrayContaining(['name', 'tags']) });
    const asOutsider = await gql(query, {}, outsider);
    expect(asOutsider.data.search.items.map((i: { name: string }) => i.name)).not.toContain('shop.hidden-cart');
    expect((await gql(`{ eventType(name: "shop.hidden-cart") { name } }`, {}, outsider)).data.eventType).toBeNull();
  });

  it('draws the lineage graph from declared lineage and observed traffic', async () => {
    const prisma = gw.gateway.runtime.services().db.prisma;
    const app = await prisma.application.findUniqueOrThrow({ where: { name: 'gql-partner' } });
    await prisma.observedLineage.create({
      data: {
        eventType: 'shop.cart-abandoned',
        principalKind: 'application',
        principalId: app.id,
        principalName: 'gql-partner',
        role: 'consumer',
        events: 42n,
        sessions: 2n,
        firstSeen: new Date('2026-01-01T00:00:00Z'),
        lastSeen: new Date('2026-01-02T00:00:00Z'),
      },
    });
    const graph = (
      await gql(
        `{ lineage(domain: "shop") { nodes { id kind } edges { from to kind declared observed events lastSeen } } }`,
      )
    ).data.lineage;
    expect(graph.nodes).toEqual(
      expect.arrayContaining([
        { id: 'domain:shop', kind: 'domain' },
        { id: 'service:cart-service', kind: 'service' },
        { id: 'event-type:shop.cart-abandoned', kind: 'event-type' },
        { id: `application:${app.id}`, kind: 'application' },
      ]),
    );
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        {
          from: 'service:cart-service',
          to: 'event-type:shop.cart-abandoned',
          kind: 'produces',
          declared: true,
          observed: false,
          events: null,
          lastSeen: null,
        },
        {
          from: `application:${app.id}`,
          to: 'event-type:shop.cart-abandoned',
          kind: 'consumes',
          declared: false,
          observed: true,
          events: 42,
          lastSeen: '2026-01-02T00:00:00.000Z',
        },
        {
          from: 'domain:shop',
          to: 'event-type:shop.cart-abandoned',
          kind: 'contains',
          declared: true,
          observed: false,
          events: null,
          lastSeen: null,
        },
      ]),
    );
    // Bound to a service, the application's traffic is drawn on the service.
    const feed = await request(gw.url, 'PUT', '/v1/catalog/services/partner-feed', {
      displayName: 'Feed',
      ownerTeam: 't',
      application: 'gql-partner',
    });
    expect(feed.status, JSON.stringify(feed.body)).toBe(201);
    const bound = (
      await gql(
        `{ lineage(domain: "shop") { edges { from kind observed } } eventType(name: "shop.cart-abandoned") { lineage { observed { consumers { name service events } } } } }`,
      )
    ).data;
    expect(bound.lineage.edges).toContainEqual({ from: 'service:partner-feed', kind: 'consumes', observed: true });
    expect(bound.eventType.lineage.observed.consumers).toEqual([
      { name: 'gql-partner', service: 'partner-feed', events: 42 },
    ]);
  });

  it('shows applications nothing without grants and refuses their writes', async () => {
    const read = await gql(
      `{ domains { name } domain(name: "shop") { name } services { name } service(name: "cart-service") { name } eventTypes { name } eventType(name: "shop.cart-abandoned") { name } search(query: "cart") { total } lineage { nodes { id } } }`,
      {},
      partner,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({
      domains: [],
      domain: null,
      services: [],
      service: null,
      eventTypes: [],
      eventType: null,
      search: { total: 0 },
      lineage: { nodes: [] },
    });
    const write = await gql(
      `mutation { putDomain(name: "shop", input: {displayName: "Mine", ownerTeam: "x"}) { name } }`,
      {},
      partner,
    );
    expect(write.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const lifecycle = await gql(
      `mutation { setLifecycle(name: "shop.cart-abandoned", lifecycle: ACTIVE) { name } }`,
      {},
      outsider,
    );
    expect(lifecycle.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });
});
