import { describe, expect, it } from 'vitest';
import { compileFilter } from './compile-filter';
import { filterFromJson, filterToJson } from './filter-json';
import { type FilterField, type FilterInput, type FilterNode, type FilterScalar } from './filter-node';
import { formatFilter } from './format-filter';
import { parseFilter } from './parse-filter';

/** The same filters in both forms; the corpus for round trips and equivalence. */
const CORPUS: Array<[string, unknown]> = [
  [
    'region == "EU" && total >= 100 && (status in ["paid", "shipped"] || !(test == true))',
    {
      and: [
        { field: 'region', eq: 'EU' },
        { field: 'total', gte: 100 },
        { or: [{ field: 'status', in: ['paid', 'shipped'] }, { not: { field: 'test', eq: true } }] },
      ],
    },
  ],
  ['a != null', { field: 'a', ne: null }],
  [
    'a > 1 || a < -1',
    {
      or: [
        { field: 'a', gt: 1 },
        { field: 'a', lt: -1 },
      ],
    },
  ],
  [
    'a >= "m" && a <= "p"',
    {
      and: [
        { field: 'a', gte: 'm' },
        { field: 'a', lte: 'p' },
      ],
    },
  ],
  ['status not in ["cancelled"]', { field: 'status', nin: ['cancelled'] }],
  ['exists(customer.email)', { field: 'customer.email', exists: true }],
  ['!exists(customer.email)', { field: 'customer.email', exists: false }],
  ['!(exists(customer.email))', { not: { field: 'customer.email', exists: true } }],
  [
    'contains(tags, "vip") || contains(name, "Ltd")',
    {
      or: [
        { field: 'tags', contains: 'vip' },
        { field: 'name', contains: 'Ltd' },
      ],
    },
  ],
  ['items.0.sku == "A-1"', { field: 'items.0.sku', eq: 'A-1' }],
  ['a\\.b.c == 1', { field: 'a\\.b.c', eq: 1 }],
  ['first\\ name == "Ada"', { field: 'first name', eq: 'Ada' }],
  ['\\$key == "x"', { field: '\\$key', eq: 'x' }],
  [
    '$key == "order-7" || $key == null',
    {
      or: [
        { field: '$key', eq: 'order-7' },
        { field: '$key', eq: null },
      ],
    },
  ],
  ['$partition in [0, 1]', { field: '$partition', in: [0, 1] }],
  ['$timestamp >= "2024-05-01T00:00:00Z"', { field: '$timestamp', gte: '2024-05-01T00:00:00Z' }],
  [
    '(a == 1 && b == 1) && c == 1',
    {
      and: [
        {
          and: [
            { field: 'a', eq: 1 },
            { field: 'b', eq: 1 },
          ],
        },
        { field: 'c', eq: 1 },
      ],
    },
  ],
  [
    '(a == 1 || b == 1) || c == 1',
    {
      or: [
        {
          or: [
            { field: 'a', eq: 1 },
            { field: 'b', eq: 1 },
          ],
        },
        { field: 'c', eq: 1 },
      ],
    },
  ],
  [
    'a == 1 && b == 1 || c == 1',
    {
      or: [
        {
          and: [
            { field: 'a', eq: 1 },
            { field: 'b', eq: 1 },
          ],
        },
        { field: 'c', eq: 1 },
      ],
    },
  ],
  ['!(!(a == "q\\"uote\\n"))', { not: { not: { field: 'a', eq: 'q"uote\n' } } }],
];

const EVENTS: FilterInput[] = [
  {
    data: { region: 'EU', total: 150, status: 'paid', test: true, a: 2, tags: ['vip'], items: [{ sku: 'A-1' }] },
    key: 'order-7',
    partition: 0,
    timestamp: new Date('2024-05-02T00:00:00Z'),
  },
  {
    data: { region: 'EU', total: 99, status: 'new', test: false, a: 'n', name: 'Acme Ltd', customer: { email: 'x@y' } },
    key: null,
    partition: 2,
    timestamp: new Date('2024-04-30T00:00:00Z'),
  },
  {
    data: { region: 'US', total: 500, status: 'cancelled', a: null, 'a.b': { c: 1 }, 'first name': 'Ada', $key: 'x' },
    key: 'other',
    partition: 1,
  },
  { data: { a: 1, b: 1, c: 0 } },
  { data: { a: 1, b: 1, c: 1 } },
  { data: { a: 0, b: 1, c: 1 } },
  { data: { a: 'q"uote\n' } },
  { data: null },
];

describe('formatFilter', () => {
  it.each(CORPUS.map(([text]) => text))('%s formats back to itself', (text) => {
    expect(formatFilter(parseFilter(text))).toBe(text);
  });

  it('escapes field characters the compact form does not allow bare', () => {
    const node: FilterNode = {
      op: 'eq',
      field: { kind: 'data', path: ['a b', 'c.d', 'e\\f', '€', '(x)', 'ü'] },
      value: 1,
    };
    expect(formatFilter(node)).toBe('a\\ b.c\\.d.e\\\\f.\\€.\\(x\\).ü == 1');
    expect(parseFilter(formatFilter(node))).toEqual(node);
  });

  it('writes literals with escapes the parser reads', () => {
    const node: FilterNode = {
      op: 'in',
      field: { kind: 'data', path: ['a'] },
      values: ['\u0000\t"\\/é😀\u2028', 1e21, 5e-7, -1.5, true, null],
    };
    expect(parseFilter(formatFilter(node))).toEqual(node);
  });
});

describe('the two forms', () => {
  it.each(CORPUS)('%s is the same AST as its JSON form', (text, json) => {
    const fromText = parseFilter(text);
    expect(filterFromJson(json)).toEqual(fromText);
    expect(filterToJson(fromText)).toEqual(json);
  });

  it.each(CORPUS)('%s evaluates alike from both forms', (text, json) => {
    const a = compileFilter(parseFilter(text));
    const b = compileFilter(filterFromJson(json));
    for (const event of EVENTS) expect(a(event)).toBe(b(event));
  });

  it('the corpus is not trivially true or false', () => {
    for (const [text] of CORPUS) {
      const predicate = compileFilter(parseFilter(text));
      const results = new Set(EVENTS.map((event) => predicate(event)));
      expect(results.size, text).toBe(2);
    }
  });
});

describe('round trips on generated filters', () => {
  // A small seeded generator (mulberry32), so a failure reproduces.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function generate(next: () => number, depth: number): FilterNode {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const segment = () =>
      pick(['a', 'b', 'items', '0', '12', 'first name', 'a.b', '$x', 'ü', '-', 'x\\y', '(', 'in', 'not', 'exists']);
    const field = (): FilterField =>
      next() < 0.15
        ? { kind: 'meta', name: pick(['key', 'partition'] as const) }
        : { kind: 'data', path: Array.from({ length: 1 + Math.floor(next() * 3) }, segment) };
    const scalar = (f: FilterField): FilterScalar => {
      if (f.kind === 'meta') return f.name === 'key' ? pick(['k', 'order-7']) : pick([0, 1, 7]);
      return pick<FilterScalar>(['', 'x', 'q"\\', 'é😀', 0, 1, -2.5, 1e21, true, false, null]);
    };
    const roll = next();
    if (depth > 1 && roll < 0.35) {
      const op = pick(['and', 'or'] as const);
      return { op, nodes: Array.from({ length: 2 + Math.floor(next() * 3) }, () => generate(next, depth - 1)) };
    }
    if (depth > 1 && roll < 0.45) return { op: 'not', node: generate(next, depth - 1) };
    const f = field();
    const kind = pick(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'exists', 'contains'] as const);
    switch (kind) {
      case 'in':
      case 'nin':
        return { op: kind, field: f, values: Array.from({ length: 1 + Math.floor(next() * 3) }, () => scalar(f)) };
      case 'exists':
        return { op: kind, field: f, value: next() < 0.5 };
      case 'contains':
        return f.kind === 'meta' && f.name === 'partition'
          ? { op: 'eq', field: f, value: 1 }
          : { op: kind, field: f, value: f.kind === 'meta' ? 'k' : scalar(f) };
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const value = scalar(f);
        return { op: kind, field: f, value: typeof value === 'number' || typeof value === 'string' ? value : 1 };
      }
      default:
        return { op: kind, field: f, value: scalar(f) };
    }
  }

  it('parse(format(node)) and fromJson(toJson(node)) return the node, for 2000 generated filters', () => {
    const next = random(20240501);
    for (let i = 0; i < 2000; i++) {
      const node = generate(next, 1 + Math.floor(next() * 5));
      const text = formatFilter(node);
      expect(parseFilter(text), text).toEqual(node);
      expect(filterFromJson(JSON.parse(JSON.stringify(filterToJson(node)))), text).toEqual(node);
    }
  });
});
