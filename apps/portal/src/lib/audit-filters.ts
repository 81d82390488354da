import type { AuditFilters } from './gateway-client';

/** The audit page's filters, as they appear in its query string. */
export type AuditSearch = Required<Pick<AuditFilters, 'actor' | 'action' | 'resource'>> & {
  /** `''` for both decisions. */
  decision: '' | 'allow' | 'deny';
  /** `''` for the first page. */
  after: string;
};

/** Longest filter value taken from the query string (the gateway's own limits are similar). */
const MAX_LENGTH = 300;

type SearchParams = Readonly<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value[0] : value;
  return (text ?? '').trim().slice(0, MAX_LENGTH);
}

/**
 * Reads the audit page's query string: text filters trimmed, an unknown `decision` read as
 * "both" and an `after` that is not an entry id dropped, so a hand-edited URL still shows a page.
 */
export function parseAuditSearch(params: SearchParams): AuditSearch {
  const decision = first(params.decision);
  const after = first(params.after);
  return {
    actor: first(params.actor),
    action: first(params.action),
    resource: first(params.resource),
    decision: decision === 'allow' || decision === 'deny' ? decision : '',
    after: /^\d{1,19}$/.test(after) ? after : '',
  };
}

/**
 * The gateway query for a parsed audit search (empty filters left out). Pages have the
 * gateway's default size (100): the gateway reads `limit` from the query string uncoerced and
 * refuses it as "not an integer".
 */
export function auditFiltersOf(search: AuditSearch): AuditFilters {
  return {
    ...(search.actor ? { actor: search.actor } : {}),
    ...(search.action ? { action: search.action } : {}),
    ...(search.resource ? { resource: search.resource } : {}),
    ...(search.decision ? { decision: search.decision } : {}),
    ...(search.after ? { after: search.after } : {}),
  };
}

/** The audit page's URL for these filters (empty ones left out). */
export function auditHref(search: Partial<AuditSearch>): '/audit' | `/audit?${string}` {
  const query = new URLSearchParams();
  for (const key of ['actor', 'action', 'resource', 'decision', 'after'] as const) {
    const value = search[key];
    if (value) query.set(key, value);
  }
  return query.size > 0 ? `/audit?${query}` : '/audit';
}

/** Whether any filter (besides the page) is set. */
export function hasAuditFilters(search: AuditSearch): boolean {
  return Boolean(search.actor || search.action || search.resource || search.decision);
}
