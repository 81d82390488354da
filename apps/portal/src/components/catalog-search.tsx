'use client';

import type { Route } from 'next';
import Link from 'next/link';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LIFECYCLES, type SearchHit, type SearchResults } from '../lib/gateway-catalog';
import {
  catalogQueryHref,
  isActiveQuery,
  readCatalogQuery,
  SEARCH_PAGE_SIZE,
  type CatalogQuery,
} from '../lib/search-params';
import { LifecycleBadge, VisibilityBadge } from './lifecycle-badge';

/** Wait this long after the last keystroke before searching. */
const DEBOUNCE_MS = 200;

/** What the search shows: results, a failure, or nothing yet. */
export type SearchState =
  | { kind: 'idle' }
  | { kind: 'results'; query: CatalogQuery; results: SearchResults }
  | { kind: 'error'; message: string };

/**
 * The catalog search: a plain GET form (it works without JavaScript: the server renders the
 * results for `/?q=…`), enhanced to search as you type — debounced, through the portal's
 * `/api/catalog/search`, the URL kept in step with `history.replaceState` so it can be shared.
 * From the search box ↓ moves into the results, ↑/↓ move between them, Enter opens one, Esc goes
 * back to the box. A polite live region announces how many results came back.
 */
export function CatalogSearch({
  initialQuery,
  initialState,
  domains,
}: {
  initialQuery: CatalogQuery;
  initialState: SearchState;
  /** Domain names for the domain filter. */
  domains: readonly { name: string; displayName: string }[];
}) {
  const [query, setQuery] = useState(initialQuery);
  const [state, setState] = useState<SearchState>(initialState);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<AbortController | undefined>(undefined);
  const hintId = useId();

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      inFlight.current?.abort();
    },
    [],
  );

  async function run(next: CatalogQuery): Promise<void> {
    inFlight.current?.abort();
    window.history.replaceState(window.history.state, '', catalogQueryHref(next));
    if (!isActiveQuery(next)) {
      setPending(false);
      setState({ kind: 'idle' });
      return;
    }
    const controller = new AbortController();
    inFlight.current = controller;
    setPending(true);
    try {
      const href = catalogQueryHref(next);
      const search = href.startsWith('/?') ? href.slice(1) : '';
      const response = await fetch(`/api/catalog/search${search}`, {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
      const body = (await response.json().catch(() => null)) as
        (SearchResults & { code?: undefined }) | { code: string; message: string } | null;
      if (controller.signal.aborted) return;
      if (response.status === 401) {
        window.location.assign(`/login?next=${encodeURIComponent(href)}`);
        return;
      }
      if (!response.ok || !body || body.code !== undefined) {
        const message = body && 'message' in body ? body.message : `The search failed (HTTP ${response.status}).`;
        setState({ kind: 'error', message });
      } else {
        setState({ kind: 'results', query: next, results: body });
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({
        kind: 'error',
        message: `The search failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      if (inFlight.current === controller) setPending(false);
    }
  }

  function update(change: Partial<CatalogQuery>, immediately = false): void {
    // A new search starts on its first page.
    const next = { ...query, ...change, page: change.page ?? 1 };
    setQuery(next);
    clearTimeout(timer.current);
    if (immediately) void run(next);
    else timer.current = setTimeout(() => void run(next), DEBOUNCE_MS);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    clearTimeout(timer.current);
    void run(readCatalogQuery(new URLSearchParams(formDataOf(event.currentTarget))));
  }

  function resultLinks(): HTMLAnchorElement[] {
    return Array.from(listRef.current?.querySelectorAll<HTMLAnchorElement>('a.search-result__link') ?? []);
  }

  function onInputKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'ArrowDown') {
      const firstLink = resultLinks()[0];
      if (firstLink) {
        event.preventDefault();
        firstLink.focus();
      }
    } else if (event.key === 'Escape' && query.q) {
      event.preventDefault();
      update({ q: '' }, true);
    }
  }

  function onResultsKeyDown(event: KeyboardEvent<HTMLOListElement>): void {
    const links = resultLinks();
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    let target: HTMLElement | undefined;
    if (event.key === 'ArrowDown') target = links[Math.min(index + 1, links.length - 1)];
    else if (event.key === 'ArrowUp') target = index === 0 ? (inputRef.current ?? undefined) : links[index - 1];
    else if (event.key === 'Home') target = links[0];
    else if (event.key === 'End') target = links.at(-1);
    else if (event.key === 'Escape') target = inputRef.current ?? undefined;
    if (!target) return;
    event.preventDefault();
    target.focus();
  }

  const results = state.kind === 'results' ? state.results : null;
  const shownQuery = state.kind === 'results' ? state.query : query;
  return (
    <>
      <form
        ref={formRef}
        method="get"
        action="/"
        role="search"
        aria-label="Search the catalog"
        className="search"
        onSubmit={onSubmit}
      >
        <label htmlFor="catalog-search" className="field__label">
          Search event types
        </label>
        <div className="search__row">
          <input
            ref={inputRef}
            id="catalog-search"
            name="q"
            type="search"
            className="input search__input"
            value={query.q}
            onChange={(event) => update({ q: event.target.value })}
            onKeyDown={onInputKeyDown}
            placeholder="Names, summaries, tags, descriptions, schema fields…"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            aria-describedby={hintId}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <p id={hintId} className="search__hint">
          Results update as you type. Press ↓ to move into the results, Enter to open one, Esc to come back.
        </p>
        <div className="search__filters">
          <div className="field">
            <label htmlFor="filter-domain" className="field__label">
              Domain
            </label>
            <select
              id="filter-domain"
              name="domain"
              className="input"
              value={query.domain}
              onChange={(event) => update({ domain: event.target.value }, true)}
            >
              <option value="">Any domain</option>
              {domains.map((domain) => (
                <option key={domain.name} value={domain.name}>
                  {domain.displayName === domain.name ? domain.name : `${domain.displayName} (${domain.name})`}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-owner" className="field__label">
              Owner team
            </label>
            <input
              id="filter-owner"
              name="owner"
              className="input"
              value={query.owner}
              onChange={(event) => update({ owner: event.target.value })}
              placeholder="e.g. team-orders"
              autoComplete="off"
              maxLength={200}
            />
          </div>
          <div className="field">
            <label htmlFor="filter-tag" className="field__label">
              Tag
            </label>
            <input
              id="filter-tag"
              name="tag"
              className="input"
              value={query.tag}
              onChange={(event) => update({ tag: event.target.value })}
              placeholder="e.g. pii"
              autoComplete="off"
              maxLength={50}
            />
          </div>
          <div className="field">
            <label htmlFor="filter-lifecycle" className="field__label">
              Lifecycle
            </label>
            <select
              id="filter-lifecycle"
              name="lifecycle"
              className="input"
              value={query.lifecycle}
              onChange={(event) => update({ lifecycle: event.target.value }, true)}
            >
              <option value="">Any stage</option>
              {LIFECYCLES.map((lifecycle) => (
                <option key={lifecycle} value={lifecycle}>
                  {lifecycle}
                </option>
              ))}
            </select>
          </div>
        </div>
      </form>

      {/* Always in the page, so screen readers announce its changes (a live region that appears is not heard). */}
      <p className="search__status" role="status" aria-live="polite" aria-busy={pending}>
        {statusText(state, shownQuery)}
      </p>
      <section aria-labelledby="results-heading" hidden={state.kind === 'idle'}>
        <h2 id="results-heading" className="visually-hidden">
          Search results
        </h2>
        {results && results.items.length > 0 ? (
          <>
            <ol ref={listRef} className="search-results" aria-label="Search results" onKeyDown={onResultsKeyDown}>
              {results.items.map((hit) => (
                <SearchResultItem key={hit.name} hit={hit} />
              ))}
            </ol>
            <Pager query={shownQuery} total={results.total} onPage={(page) => update({ page }, true)} />
          </>
        ) : null}
      </section>
    </>
  );
}

function formDataOf(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value;
  return values;
}

/** The status line (also what screen readers hear after each search). */
function statusText(state: SearchState, query: CatalogQuery): string {
  if (state.kind === 'idle') return '';
  if (state.kind === 'error') return state.message;
  const { total, items } = state.results;
  const what = query.q ? ` for “${query.q}”` : '';
  if (total === 0) return `No event types found${what}.`;
  const first = (query.page - 1) * SEARCH_PAGE_SIZE + 1;
  const range = total > items.length ? ` (showing ${first}–${first + items.length - 1})` : '';
  return `${total === 1 ? '1 event type' : `${total} event types`} found${what}${range}.`;
}

const MATCHED_LABELS: Readonly<Record<string, string>> = {
  name: 'name',
  summary: 'summary',
  tags: 'tags',
  description: 'description',
  fields: 'schema fields',
};

function SearchResultItem({ hit }: { hit: SearchHit }) {
  return (
    <li className="search-result">
      <h3 className="search-result__title">
        <Link
          href={`/event-types/${encodeURIComponent(hit.name)}` as Route}
          className="event-link search-result__link"
          prefetch={false}
        >
          {hit.name}
        </Link>
        <LifecycleBadge lifecycle={hit.lifecycle} />
        <VisibilityBadge visibility={hit.visibility} />
      </h3>
      <p className="search-result__summary">{hit.summary}</p>
      <div className="search-result__meta">
        <span>
          Domain <strong>{hit.domain}</strong>
        </span>
        <span>
          Owner <strong>{hit.owner}</strong>
        </span>
        {hit.tags.length > 0 ? (
          <span>
            Tags{' '}
            {hit.tags.map((tag) => (
              <span key={tag} className="tag">
                {tag}
              </span>
            ))}
          </span>
        ) : null}
        {hit.matched.length > 0 ? (
          <span className="search-result__matched">
            Matched in {hit.matched.map((part) => MATCHED_LABELS[part] ?? part).join(', ')}
            {hit.matchedFields.length > 0 ? (
              <>
                {': '}
                {hit.matchedFields.slice(0, 5).map((field, index) => (
                  <span key={field}>
                    {index > 0 ? ', ' : null}
                    <code>{field}</code>
                  </span>
                ))}
              </>
            ) : null}
          </span>
        ) : null}
      </div>
    </li>
  );
}

function Pager({ query, total, onPage }: { query: CatalogQuery; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
  if (pages === 1) return null;
  const link = (page: number, text: string) => (
    <a
      href={catalogQueryHref({ ...query, page })}
      className="button button--secondary button--compact"
      onClick={(event) => {
        event.preventDefault();
        onPage(page);
      }}
    >
      {text}
    </a>
  );
  return (
    <nav className="pager pager--split" aria-label="Search result pages">
      <span className="muted">
        Page {query.page} of {pages}
      </span>
      <span className="pager">
        {query.page > 1 ? link(query.page - 1, 'Previous page') : null}
        {query.page < pages ? link(query.page + 1, 'Next page') : null}
      </span>
    </nav>
  );
}
