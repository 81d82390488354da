import { describe, expect, it } from 'vitest';
import { outlineJsonSchema } from './json-schema-outline';

describe('outlineJsonSchema', () => {
  it('pretty-prints and lists top-level fields with readable types', () => {
    const outline = outlineJsonSchema(
      JSON.stringify({
        title: 'OrderCreated',
        type: 'object',
        required: ['orderId'],
        properties: {
          orderId: { type: 'string', format: 'uuid', description: 'Order identifier.' },
          currency: { type: 'string', enum: ['EUR', 'USD'] },
          items: { type: 'array', items: { type: 'object' } },
          note: { type: ['string', 'null'] },
          customer: { $ref: '#/$defs/Customer' },
          anything: {},
        },
      }),
    );
    expect(outline.title).toBe('OrderCreated');
    expect(outline.pretty.split('\n')[1]).toBe('  "title": "OrderCreated",');
    expect(outline.fields).toEqual([
      { name: 'orderId', type: 'string (uuid)', required: true, description: 'Order identifier.' },
      { name: 'currency', type: '"EUR" | "USD"', required: false, description: null },
      { name: 'items', type: 'array of object', required: false, description: null },
      { name: 'note', type: 'string | null', required: false, description: null },
      { name: 'customer', type: 'Customer', required: false, description: null },
      { name: 'anything', type: 'any', required: false, description: null },
    ]);
  });

  it('shows a non-JSON schema as it is', () => {
    const proto = 'syntax = "proto3";\nmessage A { string id = 1; }';
    expect(outlineJsonSchema(proto)).toEqual({ pretty: proto, title: null, fields: [] });
  });

  it('has no fields for a schema that is not an object schema', () => {
    expect(outlineJsonSchema('{"type":"string"}').fields).toEqual([]);
    expect(outlineJsonSchema('true').fields).toEqual([]);
  });
});
