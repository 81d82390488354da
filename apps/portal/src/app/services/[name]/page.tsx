import type { Metadata, Route } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { GatewayErrorPanel } from '../../../components/gateway-error-panel';
import { LineageGraphView } from '../../../components/lineage-graph';
import { MarkdownText } from '../../../components/markdown-text';
import { EventTypeLinks } from '../../../components/service-table';
import { gatewayFailure, getGateway, redirectIfSignedOut } from '../../../lib/gateway';
import type { CatalogService } from '../../../lib/gateway-catalog';
import { isGatewayError } from '../../../lib/gateway-error';
import { lineageAround } from '../../../lib/lineage-subgraph';
import { decodeRouteParam } from '../../../lib/route-param';

const getServiceOnce = cache(async (name: string) => (await getGateway()).getService(name));

export async function generateMetadata(props: PageProps<'/services/[name]'>): Promise<Metadata> {
  const name = decodeRouteParam((await props.params).name);
  const service = await getServiceOnce(name).catch(() => undefined);
  return { title: service === null ? 'Service not found' : `${service?.displayName ?? name} (service)` };
}

/** A catalog service: what it is, who owns it, what it produces and consumes, and its lineage. */
export default async function ServicePage(props: PageProps<'/services/[name]'>) {
  const name = decodeRouteParam((await props.params).name);
  const path = `/services/${encodeURIComponent(name)}`;
  let service: CatalogService | null;
  try {
    service = await getServiceOnce(name);
  } catch (error) {
    redirectIfSignedOut(error, path);
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <header className="page-header">
          <h1 className="page-header__title">{name}</h1>
        </header>
        <GatewayErrorPanel error={error} context="This service could not be loaded." />
      </>
    );
  }
  if (!service) notFound();

  const graph = await (await getGateway()).getLineageGraph().catch(gatewayFailure(path));

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link href="/">Catalog</Link>
          </li>
          {service.domain ? (
            <li>
              <Link href={`/domains/${encodeURIComponent(service.domain)}` as Route}>{service.domain}</Link>
            </li>
          ) : null}
          <li aria-current="page">{service.name}</li>
        </ol>
      </nav>
      <header className="page-header">
        <h1 className="page-header__title">{service.displayName}</h1>
        <p className="page-header__meta">
          Service <code>{service.name}</code>
        </p>
        {service.summary ? <p className="page-header__lede">{service.summary}</p> : null}
      </header>

      <section className="section" aria-labelledby="details-heading">
        <h2 id="details-heading" className="section__title">
          Details
        </h2>
        <dl className="details">
          <div>
            <dt>Owner team</dt>
            <dd>
              <span className="pill">{service.ownerTeam}</span>
            </dd>
          </div>
          <div>
            <dt>Domain</dt>
            <dd>
              {service.domain ? (
                <Link href={`/domains/${encodeURIComponent(service.domain)}` as Route}>{service.domain}</Link>
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Authenticates as</dt>
            <dd>
              {service.application ? (
                <code>{service.application}</code>
              ) : (
                <span className="muted">no application bound</span>
              )}
            </dd>
          </div>
          {service.repository && /^https?:\/\//i.test(service.repository) ? (
            <div>
              <dt>Repository</dt>
              <dd>
                <a href={service.repository} rel="noreferrer noopener">
                  {service.repository}
                </a>
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Produces</dt>
            <dd>
              <EventTypeLinks names={service.produces} />
            </dd>
          </div>
          <div>
            <dt>Consumes</dt>
            <dd>
              <EventTypeLinks names={service.consumes} />
            </dd>
          </div>
        </dl>
        {service.description ? (
          <div className="section__body">
            <MarkdownText source={service.description} />
          </div>
        ) : null}
      </section>

      <section className="section" aria-labelledby="lineage-heading">
        <h2 id="lineage-heading" className="section__title">
          Lineage
        </h2>
        {isGatewayError(graph) ? (
          <GatewayErrorPanel error={graph} context="The lineage graph could not be loaded." />
        ) : (
          <LineageGraphView
            graph={lineageAround(graph, `service:${service.name}`)}
            caption={`What ${service.displayName} produces and consumes`}
            highlight={`service:${service.name}`}
            idPrefix="service-lineage"
          />
        )}
      </section>
    </>
  );
}
