import { describe, expect, it } from 'vitest';
import { catalogQueryHref, EMPTY_QUERY, isActiveQuery, readCatalogQuery, searchFiltersOf } from './search-params';

describe('readCatalogQuery', () => {
  it('reads words, filters and the page from page parameters and URLSearchParams alike', () => {
    const expected = { q: 'order', domain: 'orders', owner: 'team-a', tag: 'pii', lifecycle: 'deprecated', page: 3 };
    const raw = { q: ' order ', domain: 'orders', owner: 'team-a', tag: 'pii', lifecycle: 'deprecated', page: '3' };
    expect(readCatalogQuery(raw)).toEqual(expected);
    expect(readCatalogQuery(new URLSearchParams(raw))).toEqual(expected);
  });

  it('falls back to no filter and the first page for malformed values', () => {
    expect(readCatalogQuery({ lifecycle: 'zombie', page: '-2' })).toEqual(EMPTY_QUERY);
    expect(readCatalogQuery({ page: '1.5' }).page).toBe(1);
    expect(readCatalogQuery({ q: ['first', 'second'] }).q).toBe('first');
    expect(readCatalogQuery({ q: 'x'.repeat(500) }).q).toHaveLength(200);
  });
});

describe('catalog query helpers', () => {
  it('says whether a query asks for anything', () => {
    expect(isActiveQuery(EMPTY_QUERY)).toBe(false);
    expect(isActiveQuery({ ...EMPTY_QUERY, page: 4 })).toBe(false);
    expect(isActiveQuery({ ...EMPTY_QUERY, tag: 'pii' })).toBe(true);
  });

  it('turns the page into limit and offset', () => {
    expect(searchFiltersOf({ ...EMPTY_QUERY, q: 'a', page: 3 })).toMatchObject({ q: 'a', limit: 20, offset: 40 });
  });

  it('writes the shortest URL of a query', () => {
    expect(catalogQueryHref(EMPTY_QUERY)).toBe('/');
    expect(catalogQueryHref({ ...EMPTY_QUERY, q: 'order created', lifecycle: 'active' })).toBe(
      '/?q=order+created&lifecycle=active',
    );
    expect(catalogQueryHref({ ...EMPTY_QUERY, page: 2 })).toBe('/?page=2');
    expect(catalogQueryHref({ ...EMPTY_QUERY, tag: 'a&b', page: 2 })).toBe('/?tag=a%26b&page=2');
  });
});
