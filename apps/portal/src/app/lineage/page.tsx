import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '../../components/empty-state';
import { GatewayErrorPanel } from '../../components/gateway-error-panel';
import { LineageGraphView } from '../../components/lineage-graph';
import { gatewayFailure, getGateway } from '../../lib/gateway';
import { isGatewayError } from '../../lib/gateway-error';

export const metadata: Metadata = { title: 'Lineage' };

/** The lineage graph of the whole catalog, or of one domain (`?domain=`), with its edges as a table. */
export default async function LineagePage(props: PageProps<'/lineage'>) {
  const raw = (await props.searchParams).domain;
  const domain = (Array.isArray(raw) ? raw[0] : raw)?.trim() || undefined;
  const path = domain ? `/lineage?domain=${encodeURIComponent(domain)}` : '/lineage';
  const failure = gatewayFailure(path);
  const gateway = await getGateway();
  const [domains, graph] = await Promise.all([
    gateway.listDomains().catch(failure),
    gateway.getLineageGraph(domain).catch(failure),
  ]);
  const domainList = isGatewayError(domains) ? [] : domains.toSorted((a, b) => a.name.localeCompare(b.name));
  const shown = domain ? domainList.find((item) => item.name === domain) : undefined;

  return (
    <>
      <header className="page-header">
        <h1 className="page-header__title">Lineage</h1>
        <p className="page-header__lede">
          Who produces and who consumes each event type: services declared in the catalog, and applications the gateway
          has seen producing and subscribing. Select a node to open its page.
        </p>
      </header>

      <form method="get" action="/lineage" className="inline-form" aria-label="Lineage of one domain">
        <label htmlFor="lineage-domain" className="field__label">
          Domain
        </label>
        <select id="lineage-domain" name="domain" defaultValue={domain ?? ''} className="input input--inline">
          <option value="">Whole catalog</option>
          {domainList.map((item) => (
            <option key={item.name} value={item.name}>
              {item.displayName === item.name ? item.name : `${item.displayName} (${item.name})`}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--compact">
          Show
        </button>
        {shown ? (
          <Link href={`/domains/${encodeURIComponent(shown.name)}`}>Open the {shown.displayName} domain</Link>
        ) : null}
      </form>

      <section className="section" aria-labelledby="graph-heading">
        <h2 id="graph-heading" className="section__title">
          {shown ? `${shown.displayName} domain` : domain ? `Domain ${domain}` : 'Whole catalog'}
        </h2>
        {isGatewayError(graph) ? (
          <GatewayErrorPanel
            error={graph}
            context={
              graph.gatewayCode === 'DOMAIN_NOT_FOUND'
                ? `There is no domain named ${domain ?? ''}.`
                : 'The lineage graph could not be loaded.'
            }
          />
        ) : graph.nodes.filter((node) => node.kind !== 'domain').length === 0 ? (
          <EmptyState title="Nothing to draw yet" headingLevel={3}>
            <p>
              Declare services with the event types they produce and consume (<code>PUT /v1/catalog/services/…</code>
              or a catalog document), or produce and subscribe through the gateway: the graph fills in.
            </p>
          </EmptyState>
        ) : (
          <LineageGraphView
            graph={graph}
            caption={shown ? `Lineage of the ${shown.displayName} domain` : 'Lineage of the whole catalog'}
            idPrefix="catalog-lineage"
          />
        )}
      </section>
    </>
  );
}
