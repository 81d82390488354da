/**
 * Which catalog entries a caller may see, in a form both memory and SQL can apply. The gateway
 * works it out from the caller's teams and grants in one place (`CatalogViewer`, see the
 * README's "Visibility"); the catalog's readers filter with it — in the query (search) or in
 * memory with {@link scopeAllows} — rather than each restating the rule.
 *
 * An entry is visible when `all` is set, or when it is public and `publicEntries` is set, or
 * when its owner is one of `teams`, or when a grant covers its domain, name or schema subject.
 */
export interface CatalogScope {
  /** Everything (administrators, holders of a grant on `all`). */
  all: boolean;
  /** Public entries (portal users and, with a public catalog, anonymous readers). */
  publicEntries: boolean;
  /** Owner teams whose entries are visible whatever their visibility (the caller's teams). */
  teams: readonly string[];
  /** Domains covered by a live grant of the caller. */
  domains: readonly string[];
  /** Event types covered by a live grant of the caller. */
  eventTypes: readonly string[];
  /** Schema subjects covered by a live grant of the caller. */
  subjects: readonly string[];
}

/** The scope that sees every entry. */
export const fullCatalogScope: CatalogScope = Object.freeze({
  all: true,
  publicEntries: true,
  teams: [],
  domains: [],
  eventTypes: [],
  subjects: [],
});

/** The fields of an event type a scope looks at. */
export interface ScopedEntry {
  name: string;
  domain: string;
  owner: string;
  subject: string;
  visibility: string;
}

/** Whether `scope` sees `entry`: the rule above in memory (CatalogSearch holds its SQL twin). */
export function scopeAllows(scope: CatalogScope, entry: ScopedEntry): boolean {
  return (
    scope.all ||
    (scope.publicEntries && entry.visibility === 'public') ||
    scope.teams.includes(entry.owner) ||
    scope.domains.includes(entry.domain) ||
    scope.eventTypes.includes(entry.name) ||
    scope.subjects.includes(entry.subject)
  );
}
