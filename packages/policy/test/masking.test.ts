import { describe, expect, it } from 'vitest';
import { createMasker, sensitiveFields } from '../src/masking';

const schema = {
  type: 'object',
  $defs: {
    address: {
      type: 'object',
      properties: { street: { type: 'string', 'x-meshgate-pii': true }, country: { type: 'string' } },
    },
  },
  properties: {
    orderId: { type: 'string' },
    email: { type: 'string', 'x-meshgate-pii': true },
    card: { type: 'string', 'x-meshgate-sensitive': ['financial', 'pii'] },
    total: { type: 'number', 'x-meshgate-sensitive': 'financial' },
    shipping: { $ref: '#/$defs/address' },
    contacts: {
      type: 'array',
      items: { type: 'object', properties: { phone: { type: 'string', 'x-meshgate-pii': true } } },
    },
  },
};

const event = {
  orderId: 'o-1',
  email: 'ada@example.com',
  card: '4111',
  total: 12.5,
  shipping: { street: '1 Main St', country: 'NL' },
  contacts: [{ phone: '+31', name: 'Ada' }, { name: 'Bob' }],
};

describe('masking', () => {
  it('lists sensitive fields with their classes, through $ref and array items', () => {
    expect(sensitiveFields(schema)).toEqual([
      { pointer: '/email', classes: ['pii'] },
      { pointer: '/card', classes: ['financial', 'pii'] },
      { pointer: '/total', classes: ['financial'] },
      { pointer: '/shipping/street', classes: ['pii'] },
      { pointer: '/contacts/*/phone', classes: ['pii'] },
    ]);
    expect(sensitiveFields({ type: 'object', properties: { a: { type: 'string' } } })).toEqual([]);
  });

  it('removes every field whose classes the reader may not see, without touching the input', () => {
    const frozen = structuredClone(event);
    const masked = createMasker(schema, new Set())(event);
    expect(masked).toEqual({
      orderId: 'o-1',
      shipping: { country: 'NL' },
      contacts: [{ name: 'Ada' }, { name: 'Bob' }],
    });
    expect(event).toEqual(frozen);
  });

  it('shows a field only when every class of it is unmasked', () => {
    expect(createMasker(schema, new Set(['pii']))(event)).toEqual({
      orderId: 'o-1',
      email: 'ada@example.com',
      shipping: { street: '1 Main St', country: 'NL' },
      contacts: event.contacts,
    });
    expect(createMasker(schema, new Set(['financial']))(event)).toMatchObject({ total: 12.5 });
    expect(createMasker(schema, new Set(['financial']))(event)).not.toHaveProperty('card');
  });

  it('is the identity (same object) for readers who see everything or schemas without sensitive fields', () => {
    expect(createMasker(schema, new Set(['*']))(event)).toBe(event);
    expect(createMasker(schema, new Set(['financial', 'pii']))(event)).toBe(event);
    expect(createMasker({ type: 'object' }, new Set())(event)).toBe(event);
  });

  it('leaves values of unexpected shapes alone', () => {
    const masker = createMasker(schema, new Set());
    expect(masker('text')).toBe('text');
    expect(masker(null)).toBe(null);
    expect(masker({ contacts: 'not an array' })).toEqual({ contacts: 'not an array' });
  });
});
