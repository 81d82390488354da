import { describe, expect, it } from 'vitest';
import type { GraphQLResult } from './gateway-client';
import { findTypedSubscription, type IntrospectedType, type TypeRef } from './typed-subscription';

const named = (kind: string, name: string): TypeRef => ({ kind, name, ofType: null });
const nonNull = (type: TypeRef): TypeRef => ({ kind: 'NON_NULL', name: null, ofType: type });
const list = (type: TypeRef): TypeRef => ({ kind: 'LIST', name: null, ofType: type });
const field = (name: string, type: TypeRef, args: { name: string; type: TypeRef }[] = []) => ({ name, type, args });

/** The part of a gateway schema the lookup reads: subscription fields and a few object types. */
const TYPES: Record<string, IntrospectedType> = {
  OrderCreatedDelivery: {
    name: 'OrderCreatedDelivery',
    kind: 'OBJECT',
    fields: [
      field('cursor', nonNull(named('SCALAR', 'String'))),
      field('data', nonNull(named('OBJECT', 'OrderCreated'))),
      field('withArgs', named('SCALAR', 'String'), [{ name: 'x', type: nonNull(named('SCALAR', 'Int')) }]),
    ],
  },
  OrderCreated: {
    name: 'OrderCreated',
    kind: 'OBJECT',
    fields: [
      field('orderId', nonNull(named('SCALAR', 'String'))),
      field('currency', named('ENUM', 'Currency')),
      field('items', list(nonNull(named('OBJECT', 'OrderCreatedItems')))),
      field('extra', named('SCALAR', 'JSON')),
    ],
  },
  OrderCreatedItems: { name: 'OrderCreatedItems', kind: 'OBJECT', fields: [field('sku', named('SCALAR', 'String'))] },
};

function fakeGateway(): { run: (query: string) => Promise<GraphQLResult>; queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    run: async (query) => {
      queries.push(query);
      if (query.includes('__schema')) {
        return {
          data: {
            __schema: {
              subscriptionType: {
                fields: [
                  { name: 'events', description: 'Events of one type', type: nonNull(named('OBJECT', 'Event')) },
                  {
                    name: 'orderCreated',
                    description: 'A customer ordered.\n\nEvents of `orders.order-created`, from a cursor …',
                    type: nonNull(named('OBJECT', 'OrderCreatedDelivery')),
                  },
                ],
              },
            },
          },
          errors: [],
        };
      }
      const data: Record<string, unknown> = {};
      for (const match of query.matchAll(/(t\d+): __type\(name: "(\w+)"\)/g))
        data[match[1]!] = TYPES[match[2]!] ?? null;
      return { data, errors: [] };
    },
  };
}

describe('findTypedSubscription', () => {
  it('finds the event type’s field by its description and selects every leaf, nested objects too', async () => {
    const gateway = fakeGateway();
    await expect(findTypedSubscription(gateway.run, 'orders.order-created')).resolves.toEqual({
      field: 'orderCreated',
      document: [
        'subscription {',
        '  orderCreated(from: LATEST) {',
        '    cursor',
        '    data {',
        '      orderId',
        '      currency',
        '      items {',
        '        sku',
        '      }',
        '      extra',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    // One query for the fields, then one per level of nesting.
    expect(gateway.queries).toHaveLength(4);
  });

  it('answers null for an event type without a typed subscription', async () => {
    await expect(findTypedSubscription(fakeGateway().run, 'orders.order')).resolves.toBeNull();
  });
});
