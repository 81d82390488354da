import { describe, expect, it } from 'vitest';
import { compileFilter } from './compile-filter';
import { filterFromJson } from './filter-json';
import { type FilterInput } from './filter-node';
import { parseFilter } from './parse-filter';

const matches = (filter: string, event: FilterInput): boolean => compileFilter(parseFilter(filter))(event);
const on = (data: unknown): FilterInput => ({ data });

// Payload values of every JSON type, plus a missing field.
const VALUES: Record<string, unknown> = {
  num: 5,
  str: 'm',
  true: true,
  false: false,
  null: null,
  arr: [1, 'x', null],
  obj: { a: 1 },
};
const KINDS = [...Object.keys(VALUES), 'missing'] as const;
const payload = (kind: string) => on(kind === 'missing' ? {} : { v: VALUES[kind] });

/** Which kinds of payload value match the filter; one row of a truth table. */
function truthRow(filter: string): string[] {
  const predicate = compileFilter(parseFilter(filter));
  return KINDS.filter((kind) => predicate(payload(kind)));
}

describe('compileFilter: truth tables over every payload type and a missing field', () => {
  it.each<[string, string[]]>([
    ['v == 5', ['num']],
    ['v == "m"', ['str']],
    ['v == true', ['true']],
    ['v == false', ['false']],
    ['v == null', ['null']],
    ['v == "5"', []],
    ['v != 5', ['str', 'true', 'false', 'null', 'arr', 'obj', 'missing']],
    ['v != null', ['num', 'str', 'true', 'false', 'arr', 'obj', 'missing']],
    ['v > 4', ['num']],
    ['v > 5', []],
    ['v >= 5', ['num']],
    ['v < 6', ['num']],
    ['v < 5', []],
    ['v <= 5', ['num']],
    ['v > "a"', ['str']],
    ['v > "m"', []],
    ['v >= "m"', ['str']],
    ['v < "n"', ['str']],
    ['v <= "m"', ['str']],
    ['v < "5"', []],
    ['v in [5, "m"]', ['num', 'str']],
    ['v in [null, false]', ['false', 'null']],
    ['v in ["5"]', []],
    ['v not in [5, "m"]', ['true', 'false', 'null', 'arr', 'obj', 'missing']],
    ['exists(v)', ['num', 'str', 'true', 'false', 'null', 'arr', 'obj']],
    ['!exists(v)', ['missing']],
    ['contains(v, "m")', ['str']],
    ['contains(v, "x")', ['arr']],
    ['contains(v, "")', ['str']],
    ['contains(v, 1)', ['arr']],
    ['contains(v, null)', ['arr']],
    ['contains(v, 5)', []],
    ['!(v == 5)', ['str', 'true', 'false', 'null', 'arr', 'obj', 'missing']],
    ['!(v > 4)', ['str', 'true', 'false', 'null', 'arr', 'obj', 'missing']],
    ['!(exists(v))', ['missing']],
  ])('%s', (filter, expected) => {
    expect(truthRow(filter)).toEqual(expected);
  });

  it('compares strings by UTF-16 code units, so ISO timestamps order by time', () => {
    expect(matches('at >= "2024-05-01T00:00:00Z"', on({ at: '2024-05-01T10:00:00.000Z' }))).toBe(true);
    expect(matches('at >= "2024-05-01T00:00:00Z"', on({ at: '2024-04-30T23:59:59.999Z' }))).toBe(false);
    expect(matches('a < "b"', on({ a: 'B' }))).toBe(true); // uppercase sorts first
    expect(matches('a > "z"', on({ a: 'é' }))).toBe(true);
  });

  it('compares numbers numerically, whatever their spelling', () => {
    expect(matches('a == 1e2', on({ a: 100 }))).toBe(true);
    expect(matches('a == 0.1', on({ a: 0.1 }))).toBe(true);
    expect(matches('a > -1', on({ a: -0.5 }))).toBe(true);
    expect(matches('a == 0', on({ a: -0 }))).toBe(true);
  });
});

describe('compileFilter: paths', () => {
  const order = {
    customer: { address: { country: 'DE' }, 'first name': 'Ada', 'a.b': 1, $key: 'literal' },
    items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2' }],
    matrix: [
      [1, 2],
      [3, 4],
    ],
    '10': 'ten',
    tags: ['vip', 'eu'],
  };

  it.each<[string, boolean]>([
    ['customer.address.country == "DE"', true],
    ['customer.address.city == "Berlin"', false],
    ['customer.address.country.x == "DE"', false],
    ['customer\\.address == 1', false],
    ['customer.first\\ name == "Ada"', true],
    ['customer.a\\.b == 1', true],
    ['customer.\\$key == "literal"', true],
    ['items.0.sku == "A-1"', true],
    ['items.1.sku == "B-2"', true],
    ['items.1.qty == 2', false],
    ['items.1.qty != 2', true],
    ['items.2.sku == "A-1"', false],
    ['items.01.sku == "B-2"', false],
    ['items.-1.sku == "B-2"', false],
    ['items.length == 2', false],
    ['matrix.1.0 == 3', true],
    ['10 == "ten"', true],
    ['tags.0 == "vip"', true],
    ['contains(tags, "eu")', true],
    ['contains(tags, "e")', false],
    ['contains(customer.address.country, "E")', true],
    ['exists(items.1)', true],
    ['exists(items.5)', false],
    ['constructor == 1', false],
    ['exists(constructor)', false],
    ['exists(__proto__)', false],
    ['exists(toString)', false],
    ['customer.hasOwnProperty != 1', true],
    ['tags.constructor != 1', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, on(order))).toBe(expected);
  });

  it('treats a non-object payload as having no fields', () => {
    for (const data of [null, undefined, 7, 'text', true, [1]]) {
      expect(matches('a == 1', on(data))).toBe(false);
      expect(matches('a != 1', on(data))).toBe(true);
      expect(matches('exists(a)', on(data))).toBe(false);
    }
    expect(matches('0 == 1', on([1]))).toBe(true); // an array payload is addressed by index
  });

  it('reads objects without a prototype', () => {
    const data = Object.assign(Object.create(null) as object, { a: { b: 1 } });
    expect(matches('a.b == 1', on(data))).toBe(true);
  });

  it('walks long paths', () => {
    const path = Array.from({ length: 32 }, (_, i) => `k${i}`);
    let data: unknown = 'leaf';
    for (const key of [...path].reverse()) data = { [key]: data };
    expect(matches(`${path.join('.')} == "leaf"`, on(data))).toBe(true);
    expect(matches(`${path.slice(0, 31).join('.')}.nope == "leaf"`, on(data))).toBe(false);
    expect(matches('k0.k1.k2 == 1', on({ k0: { k1: null } }))).toBe(false);
  });
});

describe('compileFilter: meta fields', () => {
  const at = new Date('2024-05-01T12:00:00.000Z');
  const event: FilterInput = { data: {}, key: 'order-7', timestamp: at, partition: 3 };

  it.each<[string, boolean]>([
    ['$key == "order-7"', true],
    ['$key != "order-7"', false],
    ['$key >= "order-"', true],
    ['contains($key, "der")', true],
    ['$key in ["a", "order-7"]', true],
    ['$key == null', false],
    ['exists($key)', true],
    ['$partition == 3', true],
    ['$partition in [0, 1]', false],
    ['$partition not in [0, 1]', true],
    ['$partition >= 3 && $partition < 4', true],
    ['$timestamp == "2024-05-01T12:00:00Z"', true],
    ['$timestamp == "2024-05-01T14:00:00+02:00"', true],
    ['$timestamp >= "2024-05-01"', true],
    ['$timestamp < "2024-05-01T12:00Z"', false],
    ['$timestamp <= "2024-05-01T12:00:00.000Z"', true],
    ['$timestamp > "2024-05-01T11:59:59.999Z"', true],
    ['$timestamp == 1714564800000', true],
    ['$timestamp in ["2024-05-01T12:00:00Z", "2024-01-01"]', true],
    ['$timestamp < "2024-05-02"', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, event)).toBe(expected);
  });

  it('accepts a timestamp as a Date, epoch milliseconds or an ISO string', () => {
    for (const timestamp of [at, at.getTime(), at.toISOString(), '2024-05-01T14:00:00+02:00']) {
      expect(matches('$timestamp == "2024-05-01T12:00:00Z"', { data: {}, timestamp })).toBe(true);
    }
  });

  it('treats an absent, invalid or keyless metadata field by the missing-field rules', () => {
    expect(matches('$key == null', { data: {}, key: null })).toBe(true);
    expect(matches('exists($key)', { data: {}, key: null })).toBe(true);
    expect(matches('exists($key)', { data: {} })).toBe(false);
    expect(matches('$key != "a"', { data: {} })).toBe(true);
    expect(matches('exists($partition)', { data: {} })).toBe(false);
    expect(matches('$timestamp > 0', { data: {} })).toBe(false);
    expect(matches('$timestamp > 0', { data: {}, timestamp: new Date(Number.NaN) })).toBe(false);
    expect(matches('exists($timestamp)', { data: {}, timestamp: 'not a date' })).toBe(false);
  });

  it('reads a binary key as UTF-8', () => {
    expect(matches('$key == "schlüssel"', { data: {}, key: Buffer.from('schlüssel') })).toBe(true);
    expect(matches('$key == "k"', { data: {}, key: new Uint8Array([0x6b]) })).toBe(true);
  });

  it('keeps a payload field named like a meta field apart from it', () => {
    const event2: FilterInput = { data: { $key: 'payload' }, key: 'record' };
    expect(matches('$key == "record"', event2)).toBe(true);
    expect(matches('\\$key == "payload"', event2)).toBe(true);
  });
});

describe('compileFilter: and, or, not', () => {
  const bools = [false, true];
  it.each([
    ['a == 1 || b == 1 && c == 1', (a: boolean, b: boolean, c: boolean) => a || (b && c)],
    ['a == 1 && b == 1 || c == 1', (a: boolean, b: boolean, c: boolean) => (a && b) || c],
    ['(a == 1 || b == 1) && c == 1', (a: boolean, b: boolean, c: boolean) => (a || b) && c],
    ['!a == 1 && b == 1', (a: boolean, b: boolean) => !a && b],
    ['!(a == 1 && b == 1) || c == 1', (a: boolean, b: boolean, c: boolean) => !(a && b) || c],
    ['!a == 1 || !b == 1 || !c == 1', (a: boolean, b: boolean, c: boolean) => !a || !b || !c],
    ['a == 1 && b == 1 && c == 1', (a: boolean, b: boolean, c: boolean) => a && b && c],
    ['!!a == 1', (a: boolean) => a],
  ])('%s', (filter, expected) => {
    const predicate = compileFilter(parseFilter(filter));
    for (const a of bools)
      for (const b of bools)
        for (const c of bools) {
          const event = on({ a: a ? 1 : 0, b: b ? 1 : 0, c: c ? 1 : 0 });
          expect(predicate(event), JSON.stringify({ a, b, c })).toBe(expected(a, b, c));
        }
  });

  it('evaluates single-element groups from the JSON form', () => {
    const predicate = compileFilter({
      op: 'or',
      nodes: [{ op: 'exists', field: { kind: 'data', path: ['a'] }, value: true }],
    });
    expect(predicate(on({ a: 1 }))).toBe(true);
    expect(predicate(on({}))).toBe(false);
    expect(compileFilter({ op: 'and', nodes: [] })(on({}))).toBe(true);
    expect(compileFilter({ op: 'or', nodes: [] })(on({}))).toBe(false);
  });

  it('never throws at evaluation time, whatever the payload', () => {
    const predicate = compileFilter(
      parseFilter('a.b.0 > 1 || a.b < "x" || contains(a, "q") || a in [1] || a.b.c not in [2] || exists(a.b.c.d)'),
    );
    const payloads = [
      null,
      undefined,
      0,
      '',
      'str',
      [],
      [[]],
      {},
      { a: null },
      { a: [] },
      { a: { b: [null] } },
      { a: 'q' },
    ];
    for (const data of payloads) expect(() => predicate(on(data))).not.toThrow();
  });
});

describe('compileFilter: volume', () => {
  it('compiles once and evaluates 100k events', () => {
    const predicate = compileFilter(
      filterFromJson({
        and: [
          { field: 'region', eq: 'EU' },
          { field: 'total', gte: 100 },
          { or: [{ field: 'status', in: ['paid', 'shipped'] }, { not: { field: 'test', eq: true } }] },
          { field: 'customer.address.country', ne: 'XX' },
        ],
      }),
    );
    const statuses = ['paid', 'shipped', 'new', 'cancelled'];
    let matched = 0;
    let expected = 0;
    for (let i = 0; i < 100_000; i++) {
      const data = {
        region: i % 3 === 0 ? 'EU' : 'US',
        total: i % 250,
        status: statuses[i % 4],
        test: i % 5 === 0,
        customer: { address: { country: i % 7 === 0 ? 'XX' : 'DE' } },
      };
      if (predicate({ data, key: `k${i}`, partition: i % 4, timestamp: i })) matched++;
      const statusOk = data.status === 'paid' || data.status === 'shipped' || !data.test;
      if (data.region === 'EU' && data.total >= 100 && statusOk && data.customer.address.country !== 'XX') expected++;
    }
    expect(matched).toBe(expected);
    expect(matched).toBeGreaterThan(0);
  });
});
