import { describe, expect, it } from 'vitest';
import { sampleEvent } from './sample-event';

describe('sampleEvent', () => {
  it('fills every required property with a value of its type, and leaves optional ones out', () => {
    const schema = {
      type: 'object',
      required: ['orderId', 'total', 'items', 'placedAt', 'region', 'customer', 'express'],
      properties: {
        orderId: { type: 'string', format: 'uuid' },
        total: { type: 'number', minimum: 0 },
        items: { type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } },
        placedAt: { type: 'string', format: 'date-time' },
        region: { type: 'string', enum: ['EU', 'US'] },
        customer: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } },
        express: { type: 'boolean' },
        note: { type: 'string' },
      },
    };
    expect(sampleEvent(JSON.stringify(schema))).toEqual({
      orderId: '00000000-0000-4000-8000-000000000000',
      total: 0,
      items: [{ sku: 'string' }],
      placedAt: '2026-01-01T12:00:00Z',
      region: 'EU',
      customer: { email: 'someone@example.com' },
      express: true,
    });
  });

  it('prefers the schema’s own examples, const and default', () => {
    expect(sampleEvent(JSON.stringify({ type: 'object', examples: [{ a: 1 }] }))).toEqual({ a: 1 });
    expect(
      sampleEvent(
        JSON.stringify({
          type: 'object',
          required: ['kind', 'count'],
          properties: { kind: { const: 'created' }, count: { type: 'integer', default: 7 } },
        }),
      ),
    ).toEqual({ kind: 'created', count: 7 });
  });

  it('answers {} for text that is not JSON, and null for parts it cannot type', () => {
    expect(sampleEvent('not json')).toEqual({});
    expect(sampleEvent('{}')).toEqual({});
    expect(
      sampleEvent(JSON.stringify({ type: 'object', required: ['x'], properties: { x: { $ref: '#/$defs/x' } } })),
    ).toEqual({ x: null });
  });
});
