import type { FastifyInstance } from 'fastify';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, MAX_SEARCH_TEXT, lifecycles } from '@meshgate/catalog';
import { CatalogViewer } from '../../auth/catalog-visibility';
import type { Runtime } from '../../runtime';

/** Query string of `GET /v1/catalog/search` (strings: ajv does not coerce here). */
interface SearchQuery {
  q?: string;
  domain?: string;
  owner?: string;
  tag?: string;
  lifecycle?: string;
  limit?: string;
  offset?: string;
}

/** The query-string schema of search (shared with `?q=` on the event type list). */
export const searchQuerystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: {
      type: 'string',
      maxLength: MAX_SEARCH_TEXT,
      description:
        'Words to find in names (whole or split on `.`, `-`, `_`), summaries, tags, descriptions and field names of the latest schema; every word must match, as a prefix (`ord` finds `orders.order-created`). Empty: every visible event type, by name.',
    },
    domain: { type: 'string', maxLength: 200, description: 'Only this domain.' },
    owner: { type: 'string', maxLength: 200, description: 'Only this owner team.' },
    tag: { type: 'string', maxLength: 50, description: 'Only event types with this tag.' },
    lifecycle: { type: 'string', enum: [...lifecycles], description: 'Only this lifecycle stage.' },
    limit: {
      type: 'string',
      pattern: '^[0-9]{1,3}$',
      description: `Hits per page; default ${DEFAULT_SEARCH_LIMIT}, at most ${MAX_SEARCH_LIMIT}.`,
    },
    offset: { type: 'string', pattern: '^[0-9]{1,6}$', description: 'Hits to skip; default 0.' },
  },
} as const;

const hitSchema = {
  type: 'object',
  required: [
    'name',
    'summary',
    'domain',
    'owner',
    'tags',
    'lifecycle',
    'visibility',
    'rank',
    'matched',
    'matchedFields',
  ],
  properties: {
    name: { type: 'string' },
    summary: { type: 'string' },
    domain: { type: 'string' },
    owner: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    lifecycle: { type: 'string', enum: [...lifecycles] },
    visibility: { type: 'string', enum: ['public', 'private'] },
    rank: { type: 'number', description: 'Relevance, higher first (a name match outranks description matches).' },
    matched: {
      type: 'array',
      items: { type: 'string', enum: ['name', 'summary', 'tags', 'description', 'fields'] },
      description: 'Parts of the entry that contain at least one searched word.',
    },
    matchedFields: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Field paths of the latest schema that matched (`customer.address.city`, `items[].sku`), at most 20.',
    },
  },
} as const;

/** The response schema of search. */
const searchResponse = {
  type: 'object',
  required: ['items', 'total', 'tookMs'],
  properties: {
    items: { type: 'array', items: hitSchema },
    total: { type: 'integer', description: 'Hits in all (every page).' },
    tookMs: { type: 'number', description: 'Time spent in PostgreSQL, milliseconds.' },
  },
} as const;

/** `GET /v1/catalog/search`: ranked full-text search over the event types the caller may see. */
export function registerSearchRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get<{ Querystring: SearchQuery }>(
    '/v1/catalog/search',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Search event types',
        description:
          'Full-text search over names, summaries, tags, markdown descriptions and the field names of each subject’s latest schema, weighted in that order and ranked; every word matches as a prefix. Private event types appear only for their owner team, grant holders and administrators; applications find only event types they hold a grant on.',
        querystring: searchQuerystring,
        response: { 200: searchResponse },
      },
    },
    async (request) => {
      const { search, access } = runtime.services();
      return search.search(searchParamsOf(request.query), new CatalogViewer(access, request.principal).scope);
    },
  );
}

/** The domain's search parameters from a validated query string. */
function searchParamsOf(query: SearchQuery) {
  return {
    text: query.q,
    domain: query.domain,
    owner: query.owner,
    tag: query.tag,
    lifecycle: query.lifecycle,
    limit: query.limit === undefined ? undefined : Number(query.limit),
    offset: query.offset === undefined ? undefined : Number(query.offset),
  };
}
