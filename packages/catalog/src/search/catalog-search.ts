import { InputError } from '@meshgate/core';
import type { Pool } from '@meshgate/db';
import { lifecycles } from '../event-types';
import type { CatalogScope } from './catalog-scope';
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
  matched_fields: string[];
}

// Weights D, C, B, A for ts_rank: a name match (A) ranks above any number of description (C) hits.
const RANK_WEIGHTS = '{0.05,0.2,0.4,1.0}';

/*
 * One statement: the visible, filtered matches ranked in `hits` (the GIN index answers
 * `document @@ query`; the count is a window over them), then `matched` computed for the page
 * only. $1 words, $2 the text for the exact-name bonus; $3–$8 the scope; $9–$12 filters;
 * $13 limit, $14 offset.
 */
const SEARCH_SQL = `
WITH hits AS (
  SELECT e.name, e.summary, e.domain, e.owner, e.tags, e.lifecycle, e.visibility,
         s.fields, s.document,
         CASE WHEN cardinality($1::text[]) = 0 THEN 0::real
              ELSE ts_rank('${RANK_WEIGHTS}', s.document, catalog_search_query($1::text[]))
                   + CASE WHEN lower(e.name) = $2 THEN 1 ELSE 0 END
         END AS rank,
         count(*) OVER () AS total
  FROM catalog_search_documents s
  JOIN event_types e ON e.name = s.event_type
  WHERE (cardinality($1::text[]) = 0 OR s.document @@ catalog_search_query($1::text[]))
    AND ($3 OR ($4 AND e.visibility = 'public') OR e.owner = ANY($5::text[]) OR e.domain = ANY($6::text[])
         OR e.name = ANY($7::text[]) OR e.subject = ANY($8::text[]))
    AND ($9::text IS NULL OR e.domain = $9)
    AND ($10::text IS NULL OR e.owner = $10)
    AND ($11::text IS NULL OR e.tags @> ARRAY[$11::text])
    AND ($12::text IS NULL OR e.lifecycle = $12)
  ORDER BY rank DESC, e.name
  LIMIT $13 OFFSET $14
)
SELECT h.name, h.summary, h.domain, h.owner, h.tags, h.lifecycle, h.visibility, h.rank, h.total,
       CASE WHEN cardinality($1::text[]) = 0 THEN ARRAY[]::text[] ELSE array_remove(ARRAY[
         CASE WHEN h.document @@ catalog_search_query($1::text[], true, 'A') THEN 'name' END,
         CASE WHEN catalog_search_prose(h.summary, 'B') @@ catalog_search_query($1::text[], true) THEN 'summary' END,
         CASE WHEN catalog_search_words(catalog_search_name_words(coalesce(h.tags, ARRAY[]::text[])), 'B')
                   @@ catalog_search_query($1::text[], true) THEN 'tags' END,
         CASE WHEN h.document @@ catalog_search_query($1::text[], true, 'C') THEN 'description' END,
         CASE WHEN h.document @@ catalog_search_query($1::text[], true, 'D') THEN 'fields' END
       ], NULL) END AS matched,
       CASE WHEN cardinality($1::text[]) = 0 THEN ARRAY[]::text[] ELSE ARRAY(
         SELECT f FROM unnest(h.fields) AS f
         WHERE catalog_search_words(catalog_search_field_words(ARRAY[f]), 'D') @@ catalog_search_query($1::text[], true)
         ORDER BY f LIMIT 20
       ) END AS matched_fields
FROM hits h
ORDER BY h.rank DESC, h.name`;

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

  /** Searches; throws INVALID_REQUEST for an unknown lifecycle or an out-of-range page. */
  async search(params: SearchParams, scope: CatalogScope): Promise<SearchResult> {
    const words = parseSearchTerms(params.text);
    const limit = params.limit ?? DEFAULT_SEARCH_LIMIT;
    const offset = params.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new InputError(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}.`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw new InputError('offset must be a non-negative integer.');
    if (params.lifecycle !== undefined && !(lifecycles as readonly string[]).includes(params.lifecycle)) {
      throw new InputError(`Unknown lifecycle '${params.lifecycle}': use ${lifecycles.join(', ')}.`);
    }
    const started = performance.now();
    const { rows } = await this.pool.query<HitRow>(SEARCH_SQL, [
      words,
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
        matchedFields: row.matched_fields,
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
