import { LIFECYCLES, searchQueryString, type SearchFilters } from './gateway-catalog';

/** Hits per page of the catalog search. */
export const SEARCH_PAGE_SIZE = 20;

/** Longest search text the portal forwards (the gateway's own limit is larger). */
export const MAX_SEARCH_TEXT = 200;

/** Query parameters as Next.js hands them to pages, or a URLSearchParams (route handlers, the browser). */
export type QueryInput = Record<string, string | string[] | undefined> | URLSearchParams;

/** The catalog search a URL asks for: words, filters and page (1-based). */
export interface CatalogQuery {
  q: string;
  domain: string;
  owner: string;
  tag: string;
  /** One of the lifecycle stages, or '' for any. */
  lifecycle: string;
  page: number;
}

/** The empty query: no words, no filters, the first page. */
export const EMPTY_QUERY: CatalogQuery = { q: '', domain: '', owner: '', tag: '', lifecycle: '', page: 1 };

function first(input: QueryInput, key: string): string {
  const raw = input instanceof URLSearchParams ? input.get(key) : input[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (value ?? '').trim();
}

/**
 * Reads `?q=&domain=&owner=&tag=&lifecycle=&page=` leniently: anything malformed (an unknown
 * lifecycle, a page that is not a positive integer, over-long text) falls back to "no filter" /
 * the first page, or is cut, rather than failing the page.
 */
export function readCatalogQuery(input: QueryInput): CatalogQuery {
  const lifecycle = first(input, 'lifecycle');
  const page = Number(first(input, 'page'));
  return {
    q: first(input, 'q').slice(0, MAX_SEARCH_TEXT),
    domain: first(input, 'domain').slice(0, 100),
    owner: first(input, 'owner').slice(0, 200),
    tag: first(input, 'tag').slice(0, 50),
    lifecycle: (LIFECYCLES as readonly string[]).includes(lifecycle) ? lifecycle : '',
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** Whether the query asks for anything (words or a filter): only then does the home page search. */
export function isActiveQuery(query: CatalogQuery): boolean {
  return Boolean(query.q || query.domain || query.owner || query.tag || query.lifecycle);
}

/** The gateway search parameters of a query (its page as limit and offset). */
export function searchFiltersOf(query: CatalogQuery): SearchFilters {
  return {
    q: query.q,
    domain: query.domain,
    owner: query.owner,
    tag: query.tag,
    lifecycle: query.lifecycle,
    limit: SEARCH_PAGE_SIZE,
    offset: (query.page - 1) * SEARCH_PAGE_SIZE,
  };
}

/** The portal URL of a query (`/?q=…`), leaving out what is empty and the first page. */
export function catalogQueryHref(query: CatalogQuery): string {
  const search = searchQueryString({ ...query, limit: undefined, offset: undefined });
  const page = query.page > 1 ? `${search ? '&' : ''}page=${query.page}` : '';
  return search || page ? `/?${search}${page}` : '/';
}
