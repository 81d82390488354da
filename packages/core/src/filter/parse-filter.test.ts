import { describe, expect, it } from 'vitest';
import { isMeshgateError } from '../errors';
import { type FilterField, type FilterNode } from './filter-node';
import { parseFilter } from './parse-filter';

const data = (...path: string[]): FilterField => ({ kind: 'data', path });
const eq = (field: string, value: string | number | boolean | null): FilterNode => ({
  op: 'eq',
  field: data(...field.split('.')),
  value,
});

function parseError(text: string): { message: string; column: unknown } {
  try {
    parseFilter(text);
  } catch (error) {
    if (!isMeshgateError(error)) throw error;
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.status).toBe(400);
    return { message: error.message, column: (error.details as { column?: number }).column };
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseFilter: valid input', () => {
  it('parses the example from the documentation', () => {
    expect(parseFilter('region == "EU" && total >= 100 && (status in ["paid","shipped"] || !(test == true))')).toEqual({
      op: 'and',
      nodes: [
        eq('region', 'EU'),
        { op: 'gte', field: data('total'), value: 100 },
        {
          op: 'or',
          nodes: [
            { op: 'in', field: data('status'), values: ['paid', 'shipped'] },
            { op: 'not', node: eq('test', true) },
          ],
        },
      ],
    });
  });

  it.each<[string, FilterNode]>([
    ['a == 1', eq('a', 1)],
    ['a==1', eq('a', 1)],
    ['  \ta\n==\r\n1  ', eq('a', 1)],
    ['a != "x"', { op: 'ne', field: data('a'), value: 'x' }],
    ['a < 1', { op: 'lt', field: data('a'), value: 1 }],
    ['a <= 1', { op: 'lte', field: data('a'), value: 1 }],
    ['a > 1', { op: 'gt', field: data('a'), value: 1 }],
    ['a >= "2024-05-01T00:00:00Z"', { op: 'gte', field: data('a'), value: '2024-05-01T00:00:00Z' }],
    ['a == true', eq('a', true)],
    ['a == false', eq('a', false)],
    ['a == null', eq('a', null)],
    ['a == -1.5e3', eq('a', -1500)],
    ['a == 0.25', eq('a', 0.25)],
    ['a == 1E+2', eq('a', 100)],
    ['a == -0', eq('a', 0)],
    ['a in [1]', { op: 'in', field: data('a'), values: [1] }],
    ['a in[ 1 , "x" ,true,null ]', { op: 'in', field: data('a'), values: [1, 'x', true, null] }],
    ['a not in ["x"]', { op: 'nin', field: data('a'), values: ['x'] }],
    ['a not  in ["x"]', { op: 'nin', field: data('a'), values: ['x'] }],
    ['exists(a.b)', { op: 'exists', field: data('a', 'b'), value: true }],
    ['exists ( a )', { op: 'exists', field: data('a'), value: true }],
    ['!exists(a)', { op: 'exists', field: data('a'), value: false }],
    ['! exists(a)', { op: 'exists', field: data('a'), value: false }],
    ['!(exists(a))', { op: 'not', node: { op: 'exists', field: data('a'), value: true } }],
    ['contains(tags, "vip")', { op: 'contains', field: data('tags'), value: 'vip' }],
    ['contains( tags ,7 )', { op: 'contains', field: data('tags'), value: 7 }],
    ['exists == 1', eq('exists', 1)],
    ['contains != 1', { op: 'ne', field: data('contains'), value: 1 }],
    ['in == 1', eq('in', 1)],
    ['true == 1', eq('true', 1)],
    ['not == 1', eq('not', 1)],
    ['customer.address.country == "DE"', eq('customer.address.country', 'DE')],
    ['items.0.sku == "A-1"', eq('items.0.sku', 'A-1')],
    ['order-id == 1', eq('order-id', 1)],
    ['a_b.C9 == 1', eq('a_b.C9', 1)],
    ['prix\\€ == 1', { op: 'eq', field: data('prix€'), value: 1 }],
    ['größe == 1', eq('größe', 1)],
    ['a\\.b.c == 1', { op: 'eq', field: data('a.b', 'c'), value: 1 }],
    ['first\\ name == "Ada"', { op: 'eq', field: data('first name'), value: 'Ada' }],
    ['a\\\\b == 1', { op: 'eq', field: data('a\\b'), value: 1 }],
    ['\\$key == 1', { op: 'eq', field: data('$key'), value: 1 }],
    ['a.$b == 1', { op: 'eq', field: data('a', '$b'), value: 1 }],
    ['$key == "k"', { op: 'eq', field: { kind: 'meta', name: 'key' }, value: 'k' }],
    ['$key == null', { op: 'eq', field: { kind: 'meta', name: 'key' }, value: null }],
    ['$partition in [0, 2]', { op: 'in', field: { kind: 'meta', name: 'partition' }, values: [0, 2] }],
    ['$timestamp >= "2024-05-01"', { op: 'gte', field: { kind: 'meta', name: 'timestamp' }, value: '2024-05-01' }],
    ['$timestamp < 1714521600000', { op: 'lt', field: { kind: 'meta', name: 'timestamp' }, value: 1714521600000 }],
    ['exists($key)', { op: 'exists', field: { kind: 'meta', name: 'key' }, value: true }],
    ['a == "q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"', eq('a', 'q"\\/\b\f\n\r\té😀')],
    ['a == "ünï 😀"', eq('a', 'ünï 😀')],
    ['a == ""', eq('a', '')],
    ['((a == 1))', eq('a', 1)],
  ])('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it('gives ! the tightest binding, then &&, then ||', () => {
    const [a, b, c, d] = [eq('a', 1), eq('b', 1), eq('c', 1), eq('d', 1)];
    expect(parseFilter('a == 1 || b == 1 && c == 1')).toEqual({ op: 'or', nodes: [a, { op: 'and', nodes: [b, c] }] });
    expect(parseFilter('a == 1 && b == 1 || c == 1')).toEqual({ op: 'or', nodes: [{ op: 'and', nodes: [a, b] }, c] });
    expect(parseFilter('a == 1 && b == 1 || c == 1 && d == 1')).toEqual({
      op: 'or',
      nodes: [
        { op: 'and', nodes: [a, b] },
        { op: 'and', nodes: [c, d] },
      ],
    });
    expect(parseFilter('!a == 1 && b == 1')).toEqual({ op: 'and', nodes: [{ op: 'not', node: a }, b] });
    expect(parseFilter('!(a == 1 && b == 1)')).toEqual({ op: 'not', node: { op: 'and', nodes: [a, b] } });
    expect(parseFilter('!!a == 1')).toEqual({ op: 'not', node: { op: 'not', node: a } });
    expect(parseFilter('(a == 1 || b == 1) && c == 1')).toEqual({
      op: 'and',
      nodes: [{ op: 'or', nodes: [a, b] }, c],
    });
  });

  it('keeps chains flat and parenthesised groups nested', () => {
    const [a, b, c] = [eq('a', 1), eq('b', 1), eq('c', 1)];
    expect(parseFilter('a == 1 && b == 1 && c == 1')).toEqual({ op: 'and', nodes: [a, b, c] });
    expect(parseFilter('(a == 1 && b == 1) && c == 1')).toEqual({
      op: 'and',
      nodes: [{ op: 'and', nodes: [a, b] }, c],
    });
    expect(parseFilter('a == 1 || b == 1 || c == 1')).toEqual({ op: 'or', nodes: [a, b, c] });
  });
});

describe('parseFilter: invalid input', () => {
  it.each<[string, number, string]>([
    ['', 1, 'expected a condition, found end of input'],
    ['   ', 4, 'expected a condition, found end of input'],
    ['total >=', 9, "expected a value after '>=', found end of input"],
    ['region == "EU" && total >=', 27, "expected a value after '>=', found end of input"],
    ['region == "EU" &&', 18, "expected a condition after '&&', found end of input"],
    ['a == 1 ||', 10, "expected a condition after '||', found end of input"],
    ['a == 1 || || b == 2', 11, "expected a condition after '||', found '||'"],
    ['!', 2, "expected a condition after '!', found end of input"],
    ['(', 2, "expected a condition after '(', found end of input"],
    ['()', 2, "expected a condition after '(', found ')'"],
    ['(a == 1', 8, "expected '&&', '||' or ')', found end of input"],
    ['a == 1)', 7, "expected '&&', '||' or end of input, found ')' (unmatched ')')"],
    ['a == 1 b == 2', 8, "expected '&&', '||' or end of input, found 'b'"],
    ['a == 1 and b == 2', 8, "expected '&&', '||' or end of input, found 'and' (use '&&')"],
    ['a == 1 or b == 2', 8, "expected '&&', '||' or end of input, found 'or' (use '||')"],
    ['a == 1 & b == 2', 8, "expected '&&', '||' or end of input, found '&' (use '&&')"],
    ['a == 1 | b == 2', 8, "expected '&&', '||' or end of input, found '|' (use '||')"],
    ['a', 2, "expected an operator (==, !=, <, <=, >, >=, in, not in) after 'a', found end of input"],
    ['a = 1', 3, "expected an operator (==, !=, <, <=, >, >=, in, not in) after 'a', found '=' (use '==' to compare)"],
    ['a === 1', 5, "expected a value after '==', found '='"],
    ['a <> 1', 4, "expected a value after '<', found '>'"],
    ['a ~ 1', 3, "expected an operator (==, !=, <, <=, >, >=, in, not in) after 'a', found '~'"],
    [
      'a == EU',
      6,
      "expected a value after '==', found 'EU' (strings need double quotes; a filter compares a field with a literal)",
    ],
    ["a == 'EU'", 6, "expected a value after '==', found ''' (strings use double quotes)"],
    [
      'a == b.c',
      6,
      "expected a value after '==', found 'b' (strings need double quotes; a filter compares a field with a literal)",
    ],
    ['a == -', 6, "expected a value after '==', found '-'"],
    ['a == .5', 6, "expected a value after '==', found '.'"],
    ['a == 01', 6, "'01' is not a number"],
    ['a == 1.', 6, "'1.' is not a number"],
    ['a == 1x', 6, "'1x' is not a number"],
    ['a == 1e999', 6, 'the number 1e999 is out of range'],
    ['a == +1', 6, "expected a value after '==', found '+'"],
    [
      'a == truth',
      6,
      "expected a value after '==', found 'truth' (strings need double quotes; a filter compares a field with a literal)",
    ],
    ['a == "abc', 10, "expected '\"' to close the string opened at column 6, found end of input"],
    [
      'a == "a\\qb"',
      9,
      "expected an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX) after '\\', found 'qb'",
    ],
    ['a == "\\u12"', 9, "expected four hex digits after '\\u', found '12'"],
    ['a == "x\ny"', 8, 'the control character U+000A must be escaped in a string'],
    ['a in 1', 6, "expected '[' after 'in', found '1'"],
    ['a in []', 7, "expected a value ('in' needs at least one), found ']'"],
    ['a in [1,]', 9, "expected a value after ',', found ']'"],
    ['a in [1 2]', 9, "expected ',' or ']' in the list, found '2'"],
    ['a in [1', 8, "expected ',' or ']' in the list, found end of input"],
    ['a in [[1]]', 7, "expected a value after '[', found '['"],
    ['a not 1', 7, "expected 'in' after 'not', found '1'"],
    ['a not in "x"', 10, "expected '[' after 'not in', found '\"x\"'"],
    ['exists()', 8, "expected a field after 'exists(', found ')'"],
    ['exists(a', 9, "expected ')' after the field, found end of input"],
    ['exists(a == 1)', 10, "expected ')' after the field, found '=='"],
    ['contains(a)', 11, "expected ',' after the field, found ')'"],
    ['contains(a, )', 13, "expected a value after ',', found ')'"],
    ['contains(a, "x"', 16, "expected ')' after the value, found end of input"],
    ['a..b == 1', 1, 'the field has an empty segment (two dots in a row, or a leading or trailing dot)'],
    ['a. == 1', 1, 'the field has an empty segment (two dots in a row, or a leading or trailing dot)'],
    ['.a == 1', 1, "expected a condition, found '.'"],
    ['a\\', 3, "expected a character after '\\' in the field, found end of input"],
    [
      '$nope == 1',
      1,
      "unknown meta field '$nope' (expected $key, $timestamp or $partition; write '\\$nope' for a payload field)",
    ],
    ['$key.x == 1', 5, "the meta field '$key' has no sub-fields"],
    ['$partition == "0"', 15, `'==' on $partition needs a number, found "0"`],
    ['$partition in [1, "2"]', 19, `'in' on $partition needs a number, found "2"`],
    ['contains($partition, 1)', 22, "'contains' does not apply to $partition (a number)"],
    ['contains($timestamp, "2024")', 22, "'contains' does not apply to $timestamp"],
    ['$key > 1', 8, "'>' on $key needs a string, found 1"],
    ['$key == 1', 9, "'==' on $key needs a string or null, found 1"],
    [
      '$timestamp > "yesterday"',
      14,
      `'>' on $timestamp needs an ISO 8601 timestamp (e.g. "2024-05-01T12:00:00Z") or epoch milliseconds, found "yesterday"`,
    ],
    [
      '$timestamp > "2024-05-01T12:00:00"',
      14,
      `'>' on $timestamp needs an ISO 8601 timestamp (e.g. "2024-05-01T12:00:00Z") or epoch milliseconds, found "2024-05-01T12:00:00"`,
    ],
    ['a > true', 5, "'>' compares with a number or a string, found true"],
    ['a <= null', 6, "'<=' compares with a number or a string, found null"],
    ['!= 1', 1, "expected a condition, found '!='"],
    ['a == 1 && && b == 1', 11, "expected a condition after '&&', found '&&'"],
  ])('%j → column %i', (text, column, message) => {
    expect(parseError(text)).toEqual({ message: `at column ${column}: ${message}`, column });
  });

  it('rejects a string longer than the literal limit, at its opening quote', () => {
    expect(parseError(`a == "${'x'.repeat(1025)}"`)).toEqual({
      message: 'at column 6: a string literal is longer than 1024 characters',
      column: 6,
    });
    expect(() => parseFilter(`a == "${'x'.repeat(1024)}"`)).not.toThrow();
  });

  it('rejects text longer than the limit before parsing it', () => {
    expect(parseError(`a == "${'x'.repeat(9000)}"`).message).toBe('the filter is longer than 8192 characters');
  });

  it('rejects a non-string', () => {
    expect(() => parseFilter(42 as unknown as string)).toThrow('the filter must be a string');
  });

  it('limits nesting depth, for parentheses and ! as well as the AST', () => {
    const nested = (n: number) => `${'('.repeat(n)}a == 1${')'.repeat(n)}`;
    expect(() => parseFilter(nested(32))).not.toThrow();
    expect(parseError(nested(33))).toEqual({
      message: 'at column 33: the filter nests deeper than 32 levels',
      column: 33,
    });
    expect(() => parseFilter(`${'!'.repeat(31)}a == 1`)).not.toThrow();
    expect(parseError(`${'!'.repeat(32)}a == 1`).message).toBe('at column 1: the filter nests deeper than 32 levels');
    // Alternating groups: each level adds an `or` and an `and` node but only one pair of parentheses.
    let text = 'a == 1';
    for (let i = 0; i < 16; i++) text = `b == 1 && (c == 1 || ${text})`;
    expect(parseError(text).message).toMatch(/the filter nests deeper than 32 levels$/);
    expect(() => parseFilter('('.repeat(8000))).toThrow('nests deeper than 32 levels');
  });

  it('limits the number of nodes, counting list values', () => {
    const conditions = (n: number) => Array.from({ length: n }, (_, i) => `f${i} == ${i}`).join(' && ');
    expect(() => parseFilter(conditions(499))).not.toThrow(); // 499 conditions and one `and`
    expect(parseError(conditions(500)).message).toMatch(/^at column 1: the filter has more than 500 nodes/);
    const list = (n: number) => `a in [${Array.from({ length: n }, (_, i) => i).join(',')}]`;
    expect(() => parseFilter(list(499))).not.toThrow();
    expect(parseError(list(500)).message).toMatch(/^at column \d+: the filter has more than 500 nodes/);
  });

  it('limits path segments and their length', () => {
    expect(() => parseFilter(`${Array.from({ length: 32 }, () => 'a').join('.')} == 1`)).not.toThrow();
    expect(parseError(`${Array.from({ length: 33 }, () => 'a').join('.')} == 1`).message).toBe(
      'at column 1: the field has more than 32 segments',
    );
    expect(parseError(`x.${'a'.repeat(257)} == 1`).message).toBe(
      'at column 1: a field segment is longer than 256 characters',
    );
  });
});
