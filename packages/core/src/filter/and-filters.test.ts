import { describe, expect, it } from 'vitest';
import { andFilters } from './and-filters';
import { compileFilter } from './compile-filter';
import { formatFilter } from './format-filter';
import { parseFilter } from './parse-filter';

describe('andFilters', () => {
  const grant = parseFilter('region == "EU"');
  const subscriber = parseFilter('total >= 100 || vip == true');

  it('ANDs a grant row filter with a subscriber filter', () => {
    const combined = andFilters(grant, subscriber);
    expect(formatFilter(combined)).toBe('region == "EU" && (total >= 100 || vip == true)');
    const predicate = compileFilter(combined);
    expect(predicate({ data: { region: 'EU', total: 150 } })).toBe(true);
    expect(predicate({ data: { region: 'US', total: 150 } })).toBe(false);
    expect(predicate({ data: { region: 'EU', total: 50 } })).toBe(false);
  });

  it('cannot be widened by the subscriber: an `or` stays inside the AND', () => {
    const sneaky = parseFilter('region == "US" || true == true || exists(region)');
    const predicate = compileFilter(andFilters(grant, sneaky));
    expect(predicate({ data: { region: 'US' } })).toBe(false);
    expect(predicate({ data: { region: 'EU' } })).toBe(true);
  });

  it('flattens nested ands and skips absent filters', () => {
    const a = parseFilter('a == 1 && b == 1');
    expect(formatFilter(andFilters(a, undefined, parseFilter('c == 1'), null))).toBe('a == 1 && b == 1 && c == 1');
    expect(andFilters(grant, undefined)).toBe(grant);
    expect(andFilters(undefined, subscriber)).toBe(subscriber);
    expect(andFilters()).toBeUndefined();
    expect(andFilters(undefined, null)).toBeUndefined();
  });

  it('does not change its inputs', () => {
    const a = parseFilter('a == 1 && b == 1');
    const copy = structuredClone(a);
    andFilters(a, parseFilter('c == 1'));
    expect(a).toEqual(copy);
  });
});
