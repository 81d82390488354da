import { InputError } from '@meshgate/core';
import type { Pool } from '@meshgate/db';
import type { CatalogScope } from '../catalog-scope';
import { parseSearchTerms } from './search-terms';

/** Where a hit matched: the parts of the search document that contain a searched word. */
export type SearchMatch = 'name' | 'summary' | 'tags' | 'description' | 'fields';

/** One search hit. */
export interface SearchHit {
  name: string;
  summary: string;
  domain: string;
  owner: string;
  tags: string[];
  lifecycle: string;
  visibility: string;
  /** Relevance (higher first); 0 when no text was searched. */
  rank: number;
  /** Which parts matched at least one searched word. */
  matched: SearchMatch[];
  /** Field paths of the latest schema that matched (`customer.address.city`), at most 20. */
  matchedFields: string[];
}

/** What to search for; every filter narrows the result. */
export interface SearchParams {
  /** Free text; every word must match (as a prefix). Empty or absent: every visible entry, by name. */
  text?: string | undefined;
  domain?: string | undefined;
  owner?: string | undefined;
  tag?: string | undefined;
  lifecycle?: string | undefined;
  /** Page size; default 20, at most 100. */
  limit?: number | undefined;
  /** Hits to skip; default 0. */
  offset?: number | undefined;
}

/** A page of hits, the number of hits in all and the time PostgreSQL took. */
export interface SearchResult {
  items: SearchHit[];
  total: number;
  /** Milliseconds spent in the query (round trip to PostgreSQL included). */
  tookMs: number;
}

/** Default page size of {@link CatalogSearch.search}. */
export const DEFAULT_SEARCH_LIMIT = 20;
/** Largest page size of {@link CatalogSearch.search}. */
export const MAX_SEARCH_LIMIT = 100;

interface HitRow {
  name: string;
  summary: string;
  domain: string;
  owner: string;
  tags: string[] | null;
  lifecycle: string;
  visibility: string;
  rank: number;
  total: string;
  matched: SearchMatch[];
  fields: string[];
}

// Weights D, C, B, A for ts_rank: a name match (A) ranks above any number of description (C) hits.
const RANK_WEIGHTS = '{0.05,0.2,0.4,1.0}';

/** The queries for some words, built by the catalog_search migration's SQL function (English stems). */
const QUERY_SQL = `SELECT catalog_search_query($1::text[])::text AS all_words,
                          catalog_search_query($1::text[], true)::text AS any_word`;

/*
 * `matches`: the visible, filtered hits with their rank, from the search documents alone (they
 * carry copies of the filtered columns); materialized, so the window count and the sort work on
 * narrow rows in memory. `page`: one page of them. Then the page's columns and where each hit
 * matched: weight-restricted copies of the any-word query for the name (A), description (C) and
 * fields (D), the summary and tags (which share B) apart. The queries arrive as constants, so
 * the planner sees them (GIN index or scan by selectivity) and nothing is rebuilt per row.
 * $1 every word, $2 any word, $3–$5 any word on A, C, D (all null without words), $6 the text
 * for the exact-name bonus; $7–$12 the scope; $13–$16 filters; $17 limit (null: every hit), $18 offset.
 */
const SEARCH_SQL = `
WITH matches AS MATERIALIZED (
  SELECT s.event_type AS name,
         CASE WHEN $1::tsquery IS NULL THEN 0::real
              ELSE ts_rank('${RANK_WEIGHTS}', s.document, $1::tsquery)
                   + CASE WHEN lower(s.event_type) = $6::text THEN 1 ELSE 0 END
         END AS rank
  FROM catalog_search_documents s
  WHERE ($1::tsquery IS NULL OR s.document @@ $1::tsquery)
    AND ($7 OR ($8 AND s.visibility = 'public') OR s.owner = ANY($9::text[]) OR s.domain = ANY($10::text[])
         OR s.event_type = ANY($11::text[]) OR s.subject = ANY($12::text[]))
    AND ($13::text IS NULL OR s.domain = $13)
    AND ($14::text IS NULL OR s.owner = $14)
    AND ($15::text IS NULL OR s.tags @> ARRAY[$15::text])
    AND ($16::text IS NULL OR s.lifecycle = $16)
), page AS (
  SELECT name, rank, count(*) OVER () AS total FROM matches ORDER BY rank DESC, name LIMIT $17 OFFSET $18
)
SELECT e.name, e.summary, e.domain, e.owner, e.tags, e.lifecycle, e.visibility, p.rank, p.total, s.fields,
       CASE WHEN $2::tsquery IS NULL THEN ARRAY[]::text[] ELSE array_remove(ARRAY[
         CASE WHEN s.document @@ $3::tsquery THEN 'name' END,
         CASE WHEN to_tsvector('english', e.summary) @@ $2::tsquery THEN 'summary' END,
         CASE WHEN to_tsvector('simple', array_to_string(e.tags, ' ')) @@ $2::tsquery THEN 'tags' END,
         CASE WHEN s.document @@ $4::tsquery THEN 'description' END,
         CASE WHEN s.document @@ $5::tsquery THEN 'fields' END
       ], NULL) END AS matched
FROM page p
JOIN event_types e ON e.name = p.name
JOIN catalog_search_documents s ON s.event_type = p.name
ORDER BY p.rank DESC, p.name`;

/**
 * Full-text search over the catalog's event types: names (whole and split on `.`, `-`, `_`),
 * summaries, tags, markdown descriptions and the field names of each subject's latest schema,
 * weighted in that order, every word matched as a prefix (as-you-type), filtered by domain,
 * owner, tag and lifecycle, and limited to what the caller's {@link CatalogScope} sees — all in
 * one SQL statement over the GIN-indexed documents the `catalog_search` migration's triggers
 * keep current.
 */
export class CatalogSearch {
  constructor(private readonly pool: Pool) {}

  /** Searches; throws INVALID_REQUEST for an out-of-range page (an unknown filter value just matches nothing). */
  async search(params: SearchParams, scope: CatalogScope): Promise<SearchResult> {
    const limit = params.limit ?? DEFAULT_SEARCH_LIMIT;
    const offset = params.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new InputError(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}.`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw new InputError('offset must be a non-negative integer.');
    return this.run(params, scope, limit, offset);
  }

  /**
   * Every hit at once, best first (no paging): for lists that show all of them, such as the
   * event type list's `?q=`. Same matching, ranking and scope as {@link search}.
   */
  async searchAll(params: Omit<SearchParams, 'limit' | 'offset'>, scope: CatalogScope): Promise<SearchResult> {
    return this.run(params, scope, null, 0);
  }

  private async run(
    params: SearchParams,
    scope: CatalogScope,
    limit: number | null,
    offset: number,
  ): Promise<SearchResult> {
    const words = parseSearchTerms(params.text);
    const started = performance.now();
    let allWords: string | null = null;
    let anyWord: string | null = null;
    if (words.length > 0) {
      const built = await this.pool.query<{ all_words: string; any_word: string }>(QUERY_SQL, [words]);
      allWords = built.rows[0]?.all_words || null;
      anyWord = built.rows[0]?.any_word || null;
    }
    const { rows } = await this.pool.query<HitRow>(SEARCH_SQL, [
      allWords,
      anyWord,
      anyWord && withWeight(anyWord, 'A'),
      anyWord && withWeight(anyWord, 'C'),
      anyWord && withWeight(anyWord, 'D'),
      (params.text ?? '').trim().toLowerCase(),
      scope.all,
      scope.publicEntries,
      scope.teams,
      scope.domains,
      scope.eventTypes,
      scope.subjects,
      params.domain ?? null,
      params.owner ?? null,
      params.tag ?? null,
      params.lifecycle ?? null,
      limit,
      offset,
    ]);
    const tookMs = performance.now() - started;
    const total = rows[0] ? Number(rows[0].total) : offset > 0 ? await this.count(params, scope) : 0;
    const prefixes = anyWord ? queryPrefixes(anyWord) : [];
    return {
      items: rows.map((row) => ({
        name: row.name,
        summary: row.summary,
        domain: row.domain,
        owner: row.owner,
        tags: row.tags ?? [],
        lifecycle: row.lifecycle,
        visibility: row.visibility,
        rank: Number(row.rank),
        matched: row.matched,
        matchedFields: matchingFields(row.fields, prefixes),
      })),
      total,
      tookMs: Math.round(tookMs * 100) / 100,
    };
  }

  // A page past the end has no row to carry the window count: the first page has.
  private async count(params: SearchParams, scope: CatalogScope): Promise<number> {
    return (await this.search({ ...params, limit: 1, offset: 0 }, scope)).total;
  }
}

/** A prefix query restricted to one weight (`'order':*` → `'order':*A`); lexemes never hold quotes here. */
function withWeight(query: string, weight: 'A' | 'B' | 'C' | 'D'): string {
  return query.replaceAll("':*", `':*${weight}`);
}

/** The lexemes of a tsquery's text (`'captur':* | 'order':*A` → captur, order). */
function queryPrefixes(query: string): string[] {
  return [...query.matchAll(/'((?:[^']|'')*)':\*/g)].map((match) => match[1]!.replaceAll("''", "'"));
}

/**
 * The field paths (at most 20, sorted) one of whose words — as the search document holds them:
 * the last name of the path, whole and split on separators and camelCase humps — starts with
 * one of `prefixes`. Done here for the page's hits rather than per field in SQL.
 */
function matchingFields(fields: readonly string[], prefixes: readonly string[]): string[] {
  if (prefixes.length === 0) return [];
  return fields
    .filter((path) => fieldWords(path).some((word) => prefixes.some((prefix) => word.startsWith(prefix))))
    .sort()
    .slice(0, 20);
}

// The twin of catalog_search_field_words for one path (see the catalog_search migration).
function fieldWords(path: string): string[] {
  const leaf = path.replaceAll('[]', '').replace(/^.*\./, '');
  return [
    leaf.toLowerCase(),
    ...leaf
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .split(/[._\s-]+/)
      .map((word) => word.toLowerCase()),
  ].filter((word) => word !== '');
}
