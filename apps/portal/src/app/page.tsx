import type { Metadata } from 'next';
import Link from 'next/link';
import { AsyncApiLinks } from '../components/asyncapi-links';
import { CatalogSearch, type SearchState } from '../components/catalog-search';
import { DomainCards } from '../components/domain-cards';
import { EmptyState } from '../components/empty-state';
import { GatewayErrorPanel } from '../components/gateway-error-panel';
import { gatewayFailure, getGateway } from '../lib/gateway';
import type { Domain } from '../lib/gateway-catalog';
import { describeGatewayFailure, isGatewayError } from '../lib/gateway-error';
import { catalogQueryHref, isActiveQuery, readCatalogQuery, searchFiltersOf } from '../lib/search-params';

export const metadata: Metadata = { title: { absolute: 'Catalog · Meshgate' } };

/**
 * The home page: the catalog search (server-rendered results for `/?q=…`, so links to a search
 * work without JavaScript) and the domains as cards.
 */
export default async function HomePage(props: PageProps<'/'>) {
  const query = readCatalogQuery(await props.searchParams);
  const here = catalogQueryHref(query);
  const gateway = await getGateway();
  const [domains, results] = await Promise.all([
    gateway.listDomains().catch(gatewayFailure(here)),
    isActiveQuery(query) ? gateway.searchCatalog(searchFiltersOf(query)).catch(gatewayFailure(here)) : null,
  ]);
  const searchState: SearchState =
    results === null
      ? { kind: 'idle' }
      : isGatewayError(results)
        ? { kind: 'error', message: `The search failed: ${describeGatewayFailure(results)}` }
        : { kind: 'results', query, results };
  const sortedDomains = isGatewayError(domains) ? [] : domains.toSorted(byName);

  return (
    <>
      <header className="page-header">
        <h1 className="page-header__title">Event catalog</h1>
        <p className="page-header__lede">
          Find the events your organisation publishes: who owns them, who produces and consumes them, and the schema
          they must match.
        </p>
      </header>

      <CatalogSearch
        initialQuery={query}
        initialState={searchState}
        domains={sortedDomains.map(({ name, displayName }) => ({ name, displayName }))}
      />

      <div className="section-heading">
        <h2 id="domains-heading">Domains</h2>
        <span className="downloads">
          <Link href="/event-types">All event types</Link>
          <span aria-hidden="true">·</span>
          <Link href="/lineage">Lineage graph</Link>
          <span aria-hidden="true">·</span>
          <AsyncApiLinks />
        </span>
      </div>
      {isGatewayError(domains) ? (
        <GatewayErrorPanel error={domains} context="The catalog's domains could not be loaded." />
      ) : sortedDomains.length === 0 ? (
        <EmptyState title="No domains yet">
          <p>
            A domain appears with its first event type: declare one with{' '}
            <code>PUT /v1/catalog/event-types/&#123;domain&#125;.&#123;name&#125;</code>, or apply a catalog document
            with <code>meshgate catalog apply -f catalog.yaml</code>.
          </p>
        </EmptyState>
      ) : (
        <DomainCards domains={sortedDomains} />
      )}
    </>
  );
}

function byName(a: Domain, b: Domain): number {
  return a.displayName.localeCompare(b.displayName) || a.name.localeCompare(b.name);
}
