import { describe, expect, it } from 'vitest';
import { isMeshgateError } from '../errors';
import { filterFromJson, filterToJson } from './filter-json';
import { type FilterNode } from './filter-node';

function jsonError(value: unknown): { message: string; pointer: unknown } {
  try {
    filterFromJson(value);
  } catch (error) {
    if (!isMeshgateError(error)) throw error;
    expect(error.code).toBe('INVALID_FILTER');
    return { message: error.message, pointer: (error.details as { pointer?: string }).pointer };
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('filterFromJson', () => {
  it('reads the documentation example', () => {
    const json = JSON.parse(
      '{"and":[{"field":"region","eq":"EU"},{"field":"total","gte":100},{"or":[{"field":"status","in":["paid","shipped"]},{"not":{"field":"test","eq":true}}]}]}',
    ) as unknown;
    expect(filterFromJson(json)).toEqual({
      op: 'and',
      nodes: [
        { op: 'eq', field: { kind: 'data', path: ['region'] }, value: 'EU' },
        { op: 'gte', field: { kind: 'data', path: ['total'] }, value: 100 },
        {
          op: 'or',
          nodes: [
            { op: 'in', field: { kind: 'data', path: ['status'] }, values: ['paid', 'shipped'] },
            { op: 'not', node: { op: 'eq', field: { kind: 'data', path: ['test'] }, value: true } },
          ],
        },
      ],
    });
  });

  it.each<[unknown, FilterNode]>([
    [
      { field: 'a.b\\.c.0', ne: null },
      { op: 'ne', field: { kind: 'data', path: ['a', 'b.c', '0'] }, value: null },
    ],
    [
      { field: 'first name', eq: 'Ada' },
      { op: 'eq', field: { kind: 'data', path: ['first name'] }, value: 'Ada' },
    ],
    [
      { field: 'a\\\\b', eq: 1 },
      { op: 'eq', field: { kind: 'data', path: ['a\\b'] }, value: 1 },
    ],
    [
      { field: '\\$key', eq: 1 },
      { op: 'eq', field: { kind: 'data', path: ['$key'] }, value: 1 },
    ],
    [
      { field: '$key', eq: 'k' },
      { op: 'eq', field: { kind: 'meta', name: 'key' }, value: 'k' },
    ],
    [
      { field: '$partition', nin: [1] },
      { op: 'nin', field: { kind: 'meta', name: 'partition' }, values: [1] },
    ],
    [
      { field: '$timestamp', lt: '2024-05-01T00:00:00+02:00' },
      { op: 'lt', field: { kind: 'meta', name: 'timestamp' }, value: '2024-05-01T00:00:00+02:00' },
    ],
    [
      { field: 'x', exists: false },
      { op: 'exists', field: { kind: 'data', path: ['x'] }, value: false },
    ],
    [
      { field: 'tags', contains: 'vip' },
      { op: 'contains', field: { kind: 'data', path: ['tags'] }, value: 'vip' },
    ],
    [
      { field: 'a', eq: -0 },
      { op: 'eq', field: { kind: 'data', path: ['a'] }, value: 0 },
    ],
    [{ and: [{ field: 'a', eq: 1 }] }, { op: 'eq', field: { kind: 'data', path: ['a'] }, value: 1 }],
    [
      { or: [{ not: { field: 'a', lte: 'm' } }] },
      { op: 'not', node: { op: 'lte', field: { kind: 'data', path: ['a'] }, value: 'm' } },
    ],
  ])('%j', (json, expected) => {
    expect(filterFromJson(json)).toEqual(expected);
  });

  it('accepts objects without a prototype (GraphQL input values)', () => {
    const node = Object.assign(Object.create(null) as object, { field: 'a', eq: 1 });
    expect(filterFromJson(node)).toEqual({ op: 'eq', field: { kind: 'data', path: ['a'] }, value: 1 });
  });

  it('copies list values so the AST does not alias the input', () => {
    const values = ['a'];
    const node = filterFromJson({ field: 'x', in: values });
    values.push('b');
    expect(node).toEqual({ op: 'in', field: { kind: 'data', path: ['x'] }, values: ['a'] });
  });

  it.each<[unknown, string, string]>([
    [null, '', 'expected a filter object (and, or, not, or a field condition), found null'],
    ['a == 1', '', 'expected a filter object (and, or, not, or a field condition), found "a == 1"'],
    [[], '', 'expected a filter object (and, or, not, or a field condition), found an array'],
    [{}, '', "expected exactly one of 'and', 'or', 'not', or a 'field' with an operator, found an empty object"],
    [
      { and: [], or: [] },
      '',
      "expected exactly one of 'and', 'or', 'not', or a 'field' with an operator, found 'and', 'or'",
    ],
    [{ all: [] }, '', "unknown key 'all'; expected 'and', 'or', 'not' or 'field'"],
    [{ eq: 1 }, '', "unknown key 'eq'; expected 'and', 'or', 'not' or 'field' ('eq' needs a 'field' beside it)"],
    [{ and: [] }, '/and', "'and' needs a non-empty array of filters, found an array"],
    [{ or: {} }, '/or', "'or' needs a non-empty array of filters, found an object"],
    [{ not: [] }, '/not', 'expected a filter object (and, or, not, or a field condition), found an array'],
    [
      { and: [{ field: 'a', eq: 1 }, 7] },
      '/and/1',
      'expected a filter object (and, or, not, or a field condition), found 7',
    ],
    [
      { field: 'a' },
      '',
      "expected an operator beside 'field' (one of eq, ne, gt, gte, lt, lte, in, nin, exists, contains)",
    ],
    [
      { field: 'a', eq: 1, lt: 2 },
      '',
      "a condition has exactly one operator, found 'eq' and 'lt' (combine conditions with 'and')",
    ],
    [
      { field: 'a', equals: 1 },
      '/equals',
      "unknown operator 'equals'; expected one of eq, ne, gt, gte, lt, lte, in, nin, exists, contains",
    ],
    [
      { field: 'a', 'x/y~': 1 },
      '/x~1y~0',
      "unknown operator 'x/y~'; expected one of eq, ne, gt, gte, lt, lte, in, nin, exists, contains",
    ],
    [{ field: 7, eq: 1 }, '/field', "'field' must be a string, found 7"],
    [{ field: '', eq: 1 }, '/field', 'the field is empty'],
    [
      { field: 'a..b', eq: 1 },
      '/field',
      'the field has an empty segment (two dots in a row, or a leading or trailing dot)',
    ],
    [{ field: 'a\\', eq: 1 }, '/field', 'the field ends with a lone backslash (write \\\\ for a backslash)'],
    [
      { field: '$foo', eq: 1 },
      '/field',
      "unknown meta field '$foo' (expected $key, $timestamp or $partition; write '\\$foo' for a payload field)",
    ],
    [{ field: '$key.a', eq: 1 }, '/field', "the meta field '$key' has no sub-fields"],
    [{ field: 'a', eq: { x: 1 } }, '/eq', 'expected a string, number, boolean or null, found an object'],
    [{ field: 'a', eq: [1] }, '/eq', 'expected a string, number, boolean or null, found an array'],
    [{ field: 'a', gt: true }, '/gt', "'gt' compares with a number or a string, found true"],
    [{ field: 'a', in: 'paid' }, '/in', `'in' needs an array of values, found "paid"`],
    [{ field: 'a', nin: [] }, '/nin', "'nin' needs at least one value"],
    [{ field: 'a', in: [1, [2]] }, '/in/1', 'expected a string, number, boolean or null, found an array'],
    [{ field: '$partition', in: [1, 'x'] }, '/in/1', `'in' on $partition needs a number, found "x"`],
    [{ field: 'a', exists: 'yes' }, '/exists', `'exists' needs true or false, found "yes"`],
    [{ field: 'a', contains: { a: 1 } }, '/contains', 'expected a string, number, boolean or null, found an object'],
    [
      { field: '$timestamp', gte: 'today' },
      '/gte',
      `'gte' on $timestamp needs an ISO 8601 timestamp (e.g. "2024-05-01T12:00:00Z") or epoch milliseconds, found "today"`,
    ],
    [{ field: '$key', contains: 1 }, '/contains', "'contains' on $key needs a string, found 1"],
    [{ field: 'a', eq: 'x'.repeat(1025) }, '/eq', 'a string literal is longer than 1024 characters'],
    [{ and: [{ or: [{ not: { field: 'a', eq: Number.NaN } }] }] }, '/and/0/or/0/not/eq', 'a number must be finite'],
  ])('%j → %s', (json, pointer, message) => {
    expect(jsonError(json)).toEqual({ message: `at ${pointer === '' ? 'the root' : pointer}: ${message}`, pointer });
  });

  it('limits depth', () => {
    const nest = (n: number): unknown => (n === 1 ? { field: 'a', eq: 1 } : { not: nest(n - 1) });
    expect(() => filterFromJson(nest(32))).not.toThrow();
    const error = jsonError(nest(33));
    expect(error.message).toBe(`at ${'/not'.repeat(32)}: the filter nests deeper than 32 levels`);
    // Deeper than the stack would allow: rejected before recursing further.
    let deep: unknown = { field: 'a', eq: 1 };
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    expect(() => filterFromJson(deep)).toThrow('nests deeper than 32 levels');
  });

  it('limits the number of nodes, counting list values', () => {
    const and = (n: number) => ({ and: Array.from({ length: n }, (_, i) => ({ field: `f${i}`, eq: i })) });
    expect(() => filterFromJson(and(499))).not.toThrow();
    expect(jsonError(and(500)).message).toMatch(/^at \/and\/499: the filter has more than 500 nodes/);
    const list = (n: number) => ({ field: 'a', in: Array.from({ length: n }, (_, i) => i) });
    expect(() => filterFromJson(list(499))).not.toThrow();
    expect(jsonError(list(500)).message).toMatch(/^at the root: the filter has more than 500 nodes/);
  });
});

describe('filterToJson', () => {
  it('writes the JSON form that reads back to the same AST', () => {
    const json = {
      and: [
        { field: 'a.b\\.c', eq: 'x' },
        { field: '\\$key', ne: 1 },
        { field: '$timestamp', gte: '2024-05-01' },
        {
          or: [{ field: 'tags', contains: 'vip' }, { not: { field: 'n', in: [1, 2] } }, { field: 'z', exists: false }],
        },
        { field: 'q', nin: [null] },
      ],
    };
    const node = filterFromJson(json);
    expect(filterToJson(node)).toEqual(json);
    expect(filterFromJson(JSON.parse(JSON.stringify(filterToJson(node))))).toEqual(node);
  });
});
