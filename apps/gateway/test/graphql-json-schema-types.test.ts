import { GraphQLObjectType, GraphQLSchema, GraphQLString, printType, validateSchema } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import type { EventType } from '@meshgate/catalog';
import { jsonSchemaToGraphQL } from '../src/graphql/json-schema-types';
import { NameScope, toFieldName, toPropertyFieldName, toTypeName } from '../src/graphql/names';
import { JsonScalar } from '../src/graphql/schema';
import { buildTypedSchema, type TypedSchemaDependencies } from '../src/graphql/typed-schema';

/** Converts a schema and prints every generated type as SDL, checking the result is a valid schema. */
function convert(schema: unknown, rootName = 'Root') {
  const typeNames = new NameScope(['JSON', 'Query']);
  const fallbacks: string[] = [];
  const converted = jsonSchemaToGraphQL(schema, rootName, {
    typeNames,
    json: JsonScalar,
    onFallback: (path, reason) => fallbacks.push(`${path}: ${reason}`),
  });
  const graphql = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { root: { type: converted.type } } }),
  });
  expect(validateSchema(graphql)).toEqual([]);
  const types = Object.values(graphql.getTypeMap())
    .filter(
      (type) => !type.name.startsWith('__') && !['Query', 'String', 'Boolean', 'Int', 'Float'].includes(type.name),
    )
    .map((type) => printType(type))
    .join('\n\n');
  return { converted, types, fallbacks };
}

describe('GraphQL names for event types and JSON properties', () => {
  it('derives type, field and property names', () => {
    expect(toTypeName('order-created')).toBe('OrderCreated');
    expect(toTypeName('Order Created')).toBe('OrderCreated');
    expect(toTypeName('orderCreated')).toBe('OrderCreated');
    expect(toTypeName('3d-model')).toBe('_3dModel');
    expect(toTypeName('---')).toBe('Event');
    expect(toFieldName('payment-captured')).toBe('paymentCaptured');
    expect(toFieldName('payments.payment-captured')).toBe('paymentsPaymentCaptured');
    expect(toPropertyFieldName('orderId')).toBe('orderId');
    expect(toPropertyFieldName('order-id')).toBe('order_id');
    expect(toPropertyFieldName('1st')).toBe('_1st');
    expect(toPropertyFieldName('__proto')).toBe('field__proto');
    expect(toPropertyFieldName('')).toBe('_');
  });

  it('numbers names that are taken', () => {
    const scope = new NameScope(['Event']);
    expect(scope.claim('Event')).toBe('Event2');
    expect(scope.claim('Event')).toBe('Event3');
    const fork = scope.fork();
    expect(fork.claim('Order')).toBe('Order');
    expect(scope.isFree('Order')).toBe(true);
    scope.adopt(fork);
    expect(scope.isFree('Order')).toBe(false);
  });
});

describe('JSON Schema to GraphQL types', () => {
  it('merges allOf objects, renames clashing fields and widens unbounded-range integers', () => {
    const { types, fallbacks } = convert({
      allOf: [
        { type: 'object', required: ['a-b'], properties: { 'a-b': { type: 'string' } } },
        {
          type: 'object',
          properties: {
            a_b: { type: 'integer', maximum: 10 },
            big: { type: 'integer', maximum: 2 ** 40 },
            kind: { enum: ['x', 'y', null] },
            size: { enum: [1, 2, 3] },
          },
        },
      ],
    });
    expect(types).toContain('a_b: String!');
    expect(types).toContain('a_b_2: Int');
    expect(types).toContain('big: Float');
    expect(types).toContain('kind: RootKind');
    expect(types).toContain('size: Int');
    expect(fallbacks).toEqual([]);
  });

  it('uses String for enums whose values are not GraphQL names, and JSON for what cannot be typed', () => {
    const { types, fallbacks } = convert({
      type: 'object',
      properties: {
        clash: { type: 'string', enum: ['a-b', 'a.b'] },
        reserved: { type: 'string', enum: ['true', 'false'] },
        tuple: { type: 'array', items: [{ type: 'string' }] },
        mixed: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        optional: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        free: { type: 'object' },
        external: { $ref: 'other.json#/Thing' },
        missing: { $ref: '#/definitions/nope' },
      },
    });
    expect(types).toContain('clash: String');
    expect(types).toContain('reserved: String');
    expect(types).toContain('tuple: JSON');
    expect(types).toContain('mixed: JSON');
    expect(types).toContain('optional: String');
    expect(types).toContain('free: JSON');
    expect(types).toContain('external: JSON');
    expect(types).toContain('missing: JSON');
    expect(fallbacks).toHaveLength(5);
  });

  it('reuses one type per $ref target and names nested types from titles', () => {
    const { types } = convert({
      type: 'object',
      properties: {
        billing: { $ref: '#/definitions/address' },
        shipping: { $ref: '#/definitions/address' },
        contact: { title: 'Contact person', type: 'object', properties: { name: { type: 'string' } } },
      },
      definitions: {
        address: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
      },
    });
    expect(types).toContain('billing: Address');
    expect(types).toContain('shipping: Address');
    expect(types).toContain('contact: ContactPerson');
    expect(types).not.toContain('Address2');
  });

  it('stops at the depth limit and for a schema that is not an object', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i += 1) deep = { type: 'object', properties: { next: deep } };
    expect(convert(deep).fallbacks.some((f) => f.includes('deeper than 32'))).toBe(true);
    expect(convert({ type: 'string' }).converted.type).toBe(GraphQLString);
    expect(convert(true).converted.type).toBe(JsonScalar);
  });
});

describe('the typed schema', () => {
  function source(name: string, schema: string, createdAt: number) {
    const eventType: EventType = {
      name,
      summary: `Events of ${name}`,
      description: null,
      owner: 'team',
      topic: name,
      subject: `${name}-value`,
      partitions: 1,
      valueFormat: 'json',
      deadLetterTopic: null,
      domain: name.split('.')[0]!,
      version: '1.0.0',
      lifecycle: 'active',
      lifecycleNote: null,
      visibility: 'public',
      tags: [],
      schemaVersion: null,
      keyPath: null,
      examples: [],
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
    };
    return {
      eventType,
      schema: {
        subject: `${name}-value`,
        version: 1,
        id: 1,
        schemaType: 'JSON' as const,
        schema,
        references: [],
        deleted: false,
      },
    };
  }

  it('falls back to JSON with a warning for a schema it cannot read, keeping the other event types typed', () => {
    const warn = vi.fn();
    const dependencies = {
      runtime: {},
      metrics: {},
      logger: { warn, debug: vi.fn(), error: vi.fn() },
      genericResolvers: {},
    } as unknown as TypedSchemaDependencies;
    const built = buildTypedSchema(
      [
        source('a.order-created', '{"type":"object","properties":{"id":{"type":"string"}}}', 1),
        source('b.order-created', '{not json', 2),
        source('events', '{"type":"object","properties":{"x":{"type":"string"}}}', 3),
      ],
      dependencies,
    );
    expect(built).toBeDefined();
    expect(built!.sdl).toContain(
      'orderCreated(after: String, from: StartPosition = LATEST, filter: JSON): OrderCreatedDelivery!',
    );
    expect(built!.sdl).toContain(
      'bOrderCreated(after: String, from: StartPosition = LATEST, filter: JSON): OrderCreatedDelivery2!',
    );
    expect(built!.sdl).toMatch(/type OrderCreatedDelivery2 \{[^}]*data: JSON!/);
    // `events` is the generic subscription's name, so the event type takes a numbered one.
    expect(built!.sdl).toContain('events2(');
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatchObject({ eventType: 'b.order-created' });
  });
});
