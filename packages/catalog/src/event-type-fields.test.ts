import { describe, expect, it } from 'vitest';
import { keyFromPayload, normaliseExamples, normaliseTags, readJsonPointer } from './event-type-fields';
import { assertLifecycleTransition, assertNotRetired } from './lifecycle';

describe('event type fields', () => {
  it('reads JSON pointers, with ~0/~1 escapes and array indexes', () => {
    const data = { order: { id: 'o-1', 'a/b': 1, 'c~d': 2, lines: [{ sku: 's1' }] } };
    expect(readJsonPointer(data, '/order/id')).toBe('o-1');
    expect(readJsonPointer(data, '/order/a~1b')).toBe(1);
    expect(readJsonPointer(data, '/order/c~0d')).toBe(2);
    expect(readJsonPointer(data, '/order/lines/0/sku')).toBe('s1');
    expect(readJsonPointer(data, '/order/lines/01')).toBeUndefined();
    expect(readJsonPointer(data, '/order/missing')).toBeUndefined();
    expect(readJsonPointer(data, '/order/id/deeper')).toBeUndefined();
    expect(readJsonPointer({ toString: 1 }, '/constructor')).toBeUndefined();
  });

  it('derives record keys from payload fields', () => {
    expect(keyFromPayload({ id: 'k' }, '/id')).toBe('k');
    expect(keyFromPayload({ id: 42 }, '/id')).toBe('42');
    expect(keyFromPayload({ id: true }, '/id')).toBe('true');
    expect(keyFromPayload({ id: { a: 1 } }, '/id')).toBe('{"a":1}');
    expect(keyFromPayload({ id: null }, '/id')).toBeUndefined();
    expect(keyFromPayload({}, '/id')).toBeUndefined();
  });

  it('checks tags and drops duplicates', () => {
    expect(normaliseTags(['orders', 'checkout', 'orders'])).toEqual(['orders', 'checkout']);
    expect(() => normaliseTags(['Orders'])).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => normaliseTags(['-x'])).toThrow(/tags\/0/);
    expect(() => normaliseTags(['a'.repeat(51)])).toThrow(/Invalid tag/);
  });

  it('checks the shape of examples', () => {
    expect(normaliseExamples([{ name: 'n', payload: { a: 1 } }])).toEqual([{ name: 'n', payload: { a: 1 } }]);
    expect(() => normaliseExamples([{ name: '', payload: 1 }])).toThrow(/needs a name/);
    expect(() => normaliseExamples([{ name: 'n' }])).toThrow(/needs a payload/);
    expect(() => normaliseExamples(['x'])).toThrow(/must be an object/);
  });
});

describe('lifecycle', () => {
  it('allows draft → active → deprecated → retired and deprecated → active only', () => {
    for (const [from, to] of [
      ['draft', 'active'],
      ['active', 'deprecated'],
      ['deprecated', 'retired'],
      ['deprecated', 'active'],
      ['active', 'active'],
    ] as const) {
      expect(() => assertLifecycleTransition('x.y', from, to)).not.toThrow();
    }
    for (const [from, to] of [
      ['draft', 'deprecated'],
      ['active', 'retired'],
      ['active', 'draft'],
      ['retired', 'active'],
      ['retired', 'deprecated'],
    ] as const) {
      expect(() => assertLifecycleTransition('x.y', from, to)).toThrow(
        expect.objectContaining({ code: 'INVALID_LIFECYCLE_TRANSITION', status: 409 }),
      );
    }
  });

  it('refuses produce and subscriptions on retired event types with 410', () => {
    expect(() =>
      assertNotRetired({ name: 'a.b', lifecycle: 'deprecated', lifecycleNote: null }, 'produce'),
    ).not.toThrow();
    expect(() =>
      assertNotRetired({ name: 'a.b', lifecycle: 'retired', lifecycleNote: 'Use a.c.' }, 'subscribe'),
    ).toThrow(
      expect.objectContaining({
        code: 'EVENT_TYPE_RETIRED',
        status: 410,
        message: expect.stringContaining('Use a.c.'),
      }),
    );
  });
});
