import type { Metadata, Route } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { AsyncApiLinks } from '../../../components/asyncapi-links';
import { EmptyState } from '../../../components/empty-state';
import { EventTypeTable } from '../../../components/event-type-table';
import { GatewayErrorPanel } from '../../../components/gateway-error-panel';
import { LineageGraphView } from '../../../components/lineage-graph';
import { MarkdownText } from '../../../components/markdown-text';
import { ServiceTable } from '../../../components/service-table';
import { formatTimestamp } from '../../../lib/format-timestamp';
import { gatewayFailure, getGateway, redirectIfSignedOut } from '../../../lib/gateway';
import type { DomainDetail } from '../../../lib/gateway-catalog';
import { isGatewayError } from '../../../lib/gateway-error';
import { decodeRouteParam } from '../../../lib/route-param';

/** One gateway read per request, shared by `generateMetadata` and the page. */
const getDomainOnce = cache(async (name: string) => (await getGateway()).getDomain(name));

export async function generateMetadata(props: PageProps<'/domains/[name]'>): Promise<Metadata> {
  const name = decodeRouteParam((await props.params).name);
  const domain = await getDomainOnce(name).catch(() => undefined);
  return { title: domain === null ? 'Domain not found' : `${domain?.displayName ?? name} (domain)` };
}

/** A domain: what it is about (markdown), its owner, event types, services and lineage graph. */
export default async function DomainPage(props: PageProps<'/domains/[name]'>) {
  const name = decodeRouteParam((await props.params).name);
  const path = `/domains/${encodeURIComponent(name)}`;
  let domain: DomainDetail | null;
  try {
    domain = await getDomainOnce(name);
  } catch (error) {
    redirectIfSignedOut(error, path);
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <Breadcrumb name={name} />
        <header className="page-header">
          <h1 className="page-header__title">{name}</h1>
        </header>
        <GatewayErrorPanel error={error} context="This domain could not be loaded." />
      </>
    );
  }
  if (!domain) notFound();

  const graph = await (await getGateway()).getLineageGraph(domain.name).catch(gatewayFailure(path));
  const eventTypes = domain.eventTypes.toSorted((a, b) => a.name.localeCompare(b.name));
  const services = domain.services.toSorted((a, b) => a.name.localeCompare(b.name));

  return (
    <>
      <Breadcrumb name={domain.displayName} />
      <header className="page-header">
        <h1 className="page-header__title">{domain.displayName}</h1>
        <p className="page-header__meta">
          Domain <code>{domain.name}</code>
        </p>
        {domain.summary ? <p className="page-header__lede">{domain.summary}</p> : null}
      </header>

      <nav aria-label="On this page" className="page-toc">
        <ul>
          <li>
            <a href="#about-heading">About</a>
          </li>
          <li>
            <a href="#event-types-heading">Event types ({eventTypes.length})</a>
          </li>
          <li>
            <a href="#services-heading">Services ({services.length})</a>
          </li>
          <li>
            <a href="#lineage-heading">Lineage</a>
          </li>
        </ul>
      </nav>

      <section className="section" aria-labelledby="about-heading">
        <h2 id="about-heading" className="section__title">
          About
        </h2>
        <dl className="details">
          <div>
            <dt>Owner team</dt>
            <dd>
              <span className="pill">{domain.ownerTeam}</span>
            </dd>
          </div>
          <div>
            <dt>Event types</dt>
            <dd>{eventTypes.length}</dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>{services.length}</dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>
              <time dateTime={domain.updatedAt}>{formatTimestamp(domain.updatedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Download</dt>
            <dd>
              <AsyncApiLinks domain={domain.name} />
            </dd>
          </div>
        </dl>
        {domain.description ? (
          <div className="section__body">
            <MarkdownText source={domain.description} />
          </div>
        ) : null}
      </section>

      <section className="section" aria-labelledby="event-types-heading">
        <h2 id="event-types-heading" className="section__title">
          Event types
        </h2>
        {eventTypes.length === 0 ? (
          <p className="muted">No event types in this domain that you may see.</p>
        ) : (
          <EventTypeTable eventTypes={eventTypes} caption={`Event types of the ${domain.name} domain`} />
        )}
        <p className="section__footer">
          <Link href={`/?domain=${encodeURIComponent(domain.name)}` as Route}>Search within this domain</Link>
        </p>
      </section>

      <section className="section" aria-labelledby="services-heading">
        <h2 id="services-heading" className="section__title">
          Services
        </h2>
        {services.length === 0 ? (
          <p className="muted">No services belong to this domain yet.</p>
        ) : (
          <ServiceTable services={services} caption={`Services of the ${domain.name} domain`} />
        )}
      </section>

      <section className="section" aria-labelledby="lineage-heading">
        <h2 id="lineage-heading" className="section__title">
          Lineage
        </h2>
        <p className="section__lede">
          This domain&apos;s event types, the services and applications that produce and consume them — declared in the
          catalog, observed by the gateway, or both. <Link href="/lineage">See the whole catalog</Link>.
        </p>
        {isGatewayError(graph) ? (
          <GatewayErrorPanel error={graph} context="The lineage graph could not be loaded." />
        ) : graph.nodes.length <= 1 ? (
          <EmptyState title="Nothing to draw yet" headingLevel={3}>
            <p>
              Declare producers and consumers of this domain&apos;s event types, or produce and subscribe through the
              gateway.
            </p>
          </EmptyState>
        ) : (
          <LineageGraphView
            graph={graph}
            caption={`Lineage of the ${domain.displayName} domain`}
            highlight={`domain:${domain.name}`}
            idPrefix="domain-lineage"
          />
        )}
      </section>
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href="/">Catalog</Link>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}
