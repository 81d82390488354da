import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { adminConnectionParams, request, startTestGateway, uniqueName, waitFor, type TestGateway } from './harness';

// Typed GraphQL subscriptions generated from registered JSON Schemas, on the postgres event log.

const orderCreatedSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order Created',
  description: 'An order was placed.',
  type: 'object',
  required: ['orderId', 'status', 'total', 'customer'],
  properties: {
    orderId: { type: 'string', description: "The order's id." },
    status: { type: 'string', enum: ['pending', 'paid', 'shipped-out'] },
    total: { type: 'number' },
    quantity: { type: 'integer' },
    express: { type: 'boolean' },
    customer: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, email: { type: ['string', 'null'] } },
    },
    items: {
      type: 'array',
      items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer' } } },
    },
    tags: { type: 'array', items: { type: 'string' } },
    'order-ref': { type: 'string', description: 'The shop reference.' },
    channel: { type: 'string', enum: ['web', '1-click'] },
    meta: { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
    anything: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
};

const treeSchema = {
  type: 'object',
  required: ['root'],
  properties: { root: { $ref: '#/$defs/node' } },
  $defs: {
    node: {
      type: 'object',
      required: ['label'],
      properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
    },
  },
};

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

/** Renders an introspected type reference as SDL: `[OrderCreatedItems!]`, `String!`. */
function sdl(ref: TypeRef): string {
  if (ref.kind === 'NON_NULL') return `${sdl(ref.ofType!)}!`;
  if (ref.kind === 'LIST') return `[${sdl(ref.ofType!)}]`;
  return ref.name!;
}

const TYPE_REF = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

describe('typed GraphQL schema on the postgres event log', () => {
  let gw: TestGateway;
  let prefix: string;
  const clients: Client[] = [];

  async function graphql(query: string, variables: Record<string, unknown> = {}) {
    const result = await request(gw.url, 'POST', '/graphql', { query, variables });
    expect(result.status).toBe(200);
    return result.body as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  }

  async function introspectType(name: string) {
    const result = await graphql(
      `query($n: String!) { __type(name: $n) { name kind description
        fields { name description type { ${TYPE_REF} } }
        enumValues { name description } } }`,
      { n: name },
    );
    const type = result.data?.__type as
      | {
          name: string;
          kind: string;
          description: string | null;
          fields: Array<{ name: string; description: string | null; type: TypeRef }> | null;
          enumValues: Array<{ name: string; description: string | null }> | null;
        }
      | null
      | undefined;
    if (!type) return undefined;
    const fields = Object.fromEntries((type.fields ?? []).map((field) => [field.name, sdl(field.type)]));
    return { ...type, shape: fields };
  }

  async function subscriptionFields() {
    const result = await graphql(`{ __schema { subscriptionType { fields { name type { ${TYPE_REF} }
      args { name defaultValue type { ${TYPE_REF} } } } } } }`);
    const fields = result.data.__schema.subscriptionType.fields as Array<{
      name: string;
      type: TypeRef;
      args: Array<{ name: string; defaultValue: string | null; type: TypeRef }>;
    }>;
    return new Map(fields.map((field) => [field.name, field]));
  }

  async function declare(name: string, schema: unknown, compatibility?: 'NONE') {
    const put = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: `Events of ${name}`,
      owner: 'team-graphql',
    });
    expect([200, 201]).toContain(put.status);
    if (compatibility) {
      const config = await request(gw.url, 'PUT', `/registry/config/${name}-value`, { compatibility });
      expect(config.status).toBe(200);
    }
    await register(name, schema);
  }

  async function register(name: string, schema: unknown) {
    const registered = await request(gw.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schema: JSON.stringify(schema),
      schemaType: 'JSON',
    });
    expect(registered.status).toBe(200);
  }

  async function produce(name: string, data: unknown) {
    const produced = await request(gw.url, 'POST', `/v1/events/${name}`, data);
    expect(produced.status).toBeLessThan(300);
  }

  /** Opens a graphql-ws subscription and collects what it receives. */
  function subscribe(query: string, variables: Record<string, unknown> = {}) {
    const client = createClient({
      url: `${gw.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: adminConnectionParams,
      retryAttempts: 0,
    });
    clients.push(client);
    const results: Array<{ data?: any; errors?: any[] }> = [];
    const errors: unknown[] = [];
    let completed = false;
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => results.push(value as { data?: any; errors?: any[] }),
        error: (error) => errors.push(error),
        complete: () => (completed = true),
      },
    );
    return {
      results,
      errors,
      get completed() {
        return completed;
      },
      dispose,
    };
  }

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    prefix = uniqueName('shop');
    await declare(`${prefix}.order-created`, orderCreatedSchema);
    await declare(`${prefix}.tree-built`, treeSchema);
    await declare(`${prefix}.odd-thing`, {
      oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'string' }],
    });
    await waitFor(async () => ((await introspectType('OrderCreated')) ? true : undefined), 10_000, 'typed schema');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await gw?.stop();
  });

  it('generates payload, nested, enum and list types from the JSON Schema', async () => {
    const payload = await introspectType('OrderCreated');
    expect(payload).toMatchObject({ kind: 'OBJECT', description: 'An order was placed.' });
    expect(payload!.shape).toEqual({
      orderId: 'String!',
      status: 'OrderCreatedStatus!',
      total: 'Float!',
      quantity: 'Int',
      express: 'Boolean',
      customer: 'OrderCreatedCustomer!',
      items: '[OrderCreatedItems!]',
      tags: '[String!]',
      order_ref: 'String',
      channel: 'String',
      meta: 'JSON',
      anything: 'JSON',
    });
    const fields = new Map(payload!.fields!.map((field) => [field.name, field]));
    expect(fields.get('orderId')!.description).toBe("The order's id.");
    expect(fields.get('order_ref')!.description).toBe('The shop reference.\n\nOriginal name: `order-ref`.');

    const status = await introspectType('OrderCreatedStatus');
    expect(status!.kind).toBe('ENUM');
    expect(status!.enumValues).toEqual([
      { name: 'pending', description: null },
      { name: 'paid', description: null },
      { name: 'shipped_out', description: 'Original value: `shipped-out`.' },
    ]);
    expect((await introspectType('OrderCreatedCustomer'))!.shape).toEqual({ id: 'String!', email: 'String' });
    expect((await introspectType('OrderCreatedItems'))!.shape).toEqual({ sku: 'String!', qty: 'Int' });
    expect((await introspectType('OrderCreatedDelivery'))!.shape).toEqual({
      cursor: 'String!',
      partition: 'Int!',
      offset: 'String!',
      time: 'String!',
      key: 'String',
      data: 'OrderCreated!',
    });

    const subscription = (await subscriptionFields()).get('orderCreated');
    expect(subscription).toBeDefined();
    expect(sdl(subscription!.type)).toBe('OrderCreatedDelivery!');
    expect(subscription!.args.map((arg) => [arg.name, sdl(arg.type), arg.defaultValue])).toEqual([
      ['after', 'String', null],
      ['from', 'StartPosition', 'LATEST'],
      ['filter', 'JSON', null],
    ]);
  });

  it('turns local $ref cycles into a recursive type', async () => {
    expect((await introspectType('TreeBuilt'))!.shape).toEqual({ root: 'Node!' });
    expect((await introspectType('Node'))!.shape).toEqual({ label: 'String!', children: '[Node!]' });
  });

  it('falls back to JSON for a schema it cannot type, and still delivers its events', async () => {
    expect((await introspectType('OddThingDelivery'))!.shape).toMatchObject({ data: 'JSON!' });
    const name = `${prefix}.odd-thing`;
    const sub = subscribe(`subscription { oddThing(from: EARLIEST) { data offset } }`);
    await produce(name, { a: 'untyped' });
    await waitFor(() => (sub.results.length > 0 ? true : undefined), 15_000, 'odd event');
    expect(sub.errors).toEqual([]);
    expect(sub.results[0]!.data.oddThing).toMatchObject({ data: { a: 'untyped' }, offset: expect.any(String) });
    sub.dispose();
  });

  it('delivers produced events to a typed subscription with typed data', async () => {
    const name = `${prefix}.order-created`;
    const sub = subscribe(`subscription {
      orderCreated(from: EARLIEST) {
        cursor partition offset time key
        data { orderId status total quantity customer { id email } items { sku qty } tags order_ref channel meta }
      }
    }`);
    await produce(name, {
      orderId: 'o-1',
      status: 'shipped-out',
      total: 12.5,
      quantity: 2,
      customer: { id: 'c-1' },
      items: [{ sku: 'A', qty: 1 }],
      tags: ['gift'],
      'order-ref': 'R-1',
      channel: '1-click',
      meta: { 'x-source': 'test' },
    });
    await waitFor(() => (sub.results.length > 0 ? true : undefined), 15_000, 'typed event');
    expect(sub.errors).toEqual([]);
    const [first] = sub.results;
    expect(first!.errors).toBeUndefined();
    expect(first!.data.orderCreated).toMatchObject({
      cursor: expect.any(String),
      partition: expect.any(Number),
      offset: expect.any(String),
      time: expect.any(String),
      data: {
        orderId: 'o-1',
        status: 'shipped_out',
        total: 12.5,
        quantity: 2,
        customer: { id: 'c-1', email: null },
        items: [{ sku: 'A', qty: 1 }],
        tags: ['gift'],
        order_ref: 'R-1',
        channel: '1-click',
        meta: { 'x-source': 'test' },
      },
    });
    sub.dispose();
  });

  it('applies a filter on typed and generic subscriptions and rejects an invalid one', async () => {
    const name = `${prefix}.order-created`;
    const filter = { field: 'total', gt: 100 };
    const typed = subscribe(
      `subscription($f: JSON) { orderCreated(from: EARLIEST, filter: $f) { data { orderId total } } }`,
      { f: filter },
    );
    const generic = subscribe(
      `subscription($t: String!, $f: JSON) { events(type: $t, from: EARLIEST, filter: $f) { data } }`,
      { t: name, f: filter },
    );
    await produce(name, { orderId: 'small', status: 'paid', total: 5, customer: { id: 'c' } });
    await produce(name, { orderId: 'big', status: 'paid', total: 500, customer: { id: 'c' } });
    await waitFor(
      () => (typed.results.length > 0 && generic.results.length > 0 ? true : undefined),
      15_000,
      'filtered events',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(typed.results.map((r) => r.data.orderCreated.data.orderId)).toEqual(['big']);
    expect(generic.results.map((r) => (r.data.events.data as { orderId: string }).orderId)).toEqual(['big']);
    typed.dispose();
    generic.dispose();

    for (const query of [
      `subscription { orderCreated(filter: { field: "total", between: [1, 2] }) { offset } }`,
      `subscription { events(type: "${name}", filter: { nope: true }) { offset } }`,
    ]) {
      const invalid = subscribe(query);
      await waitFor(() => (invalid.completed || invalid.errors.length > 0 ? true : undefined), 10_000, 'rejection');
      expect(invalid.results[0]?.errors?.[0]?.extensions?.code).toBe('INVALID_FILTER');
    }
  });

  it('follows a new schema version without a restart; open subscriptions keep running', async () => {
    const name = `${prefix}.payment-captured`;
    await declare(name, { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } }, 'NONE');
    await waitFor(
      async () => ((await subscriptionFields()).has('paymentCaptured') ? true : undefined),
      5_000,
      'the new event type',
    );
    const before = subscribe(`subscription { paymentCaptured(from: EARLIEST) { data { amount } } }`);

    const registeredAt = Date.now();
    await register(name, {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
    });
    await waitFor(
      async () => (await introspectType('PaymentCaptured'))?.shape.currency === 'PaymentCapturedCurrency' || undefined,
      5_000,
      'the new field',
    );
    expect(Date.now() - registeredAt).toBeLessThan(3_000);

    const after = subscribe(`subscription { paymentCaptured(from: EARLIEST) { data { amount currency } } }`);
    await produce(name, { amount: 9.5, currency: 'EUR' });
    await waitFor(
      () => (before.results.length > 0 && after.results.length > 0 ? true : undefined),
      15_000,
      'events on both schemas',
    );
    expect(before.errors).toEqual([]);
    expect(after.errors).toEqual([]);
    expect(before.results[0]!.data.paymentCaptured.data).toEqual({ amount: 9.5 });
    expect(after.results[0]!.data.paymentCaptured.data).toEqual({ amount: 9.5, currency: 'EUR' });
    before.dispose();
    after.dispose();
  });

  it('adds a typed field for a new event type, using the full name on a clash', async () => {
    const otherPrefix = uniqueName('billing');
    const name = `${otherPrefix}.order-created`;
    await declare(name, {
      title: 'Billing order',
      type: 'object',
      properties: { invoice: { type: 'string' } },
    });
    // `billing.<id>.order-created` clashes with `orderCreated`, so it takes its full name.
    const id = otherPrefix.split('.')[1]!;
    const fieldName = `billing${id.charAt(0).toUpperCase()}${id.slice(1)}OrderCreated`;
    const fields = await waitFor(
      async () => {
        const current = await subscriptionFields();
        return [...current.keys()].some((key) => key.endsWith('OrderCreated') && key !== 'orderCreated')
          ? current
          : undefined;
      },
      5_000,
      'the clashing event type',
    );
    expect(fields.has('orderCreated')).toBe(true);
    const clashing = fields.get(fieldName);
    expect(clashing && sdl(clashing.type)).toBe('BillingOrderDelivery!');
    expect((await introspectType('BillingOrder'))!.shape).toEqual({ invoice: 'String' });
  });

  it('keeps the generic API', async () => {
    const result = await graphql(`
      {
        eventTypes {
          name
          schema {
            version
            schemaType
          }
        }
      }
    `);
    const names = (result.data.eventTypes as Array<{ name: string }>).map((eventType) => eventType.name);
    expect(names).toContain(`${prefix}.order-created`);
    const produced = await graphql(
      `
        mutation ($t: String!, $d: JSON!) {
          produce(type: $t, data: $d) {
            cursor
            schemaVersion
          }
        }
      `,
      { t: `${prefix}.tree-built`, d: { root: { label: 'a', children: [{ label: 'b' }] } } },
    );
    expect(produced.errors).toBeUndefined();
    expect(produced.data.produce).toMatchObject({ cursor: expect.any(String), schemaVersion: 1 });
  });
});
