import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessDeniedPanel } from '../../../components/access-denied-panel';
import { ApiKeyActions } from '../../../components/api-key-actions';
import { EmptyState } from '../../../components/empty-state';
import { GatewayErrorPanel } from '../../../components/gateway-error-panel';
import { GrantTable } from '../../../components/grant-table';
import { IssueKeyForm } from '../../../components/issue-key-form';
import { KeyReveal } from '../../../components/key-reveal';
import { formatTimestamp } from '../../../lib/format-timestamp';
import { getGateway, redirectIfSignedOut } from '../../../lib/gateway';
import type { ApiKey, ApplicationDetail } from '../../../lib/gateway-client';
import { isForbidden, isGatewayError } from '../../../lib/gateway-error';
import { decodeRouteParam } from '../../../lib/route-param';

export async function generateMetadata(props: PageProps<'/applications/[name]'>): Promise<Metadata> {
  return { title: decodeRouteParam((await props.params).name) };
}

export default async function ApplicationPage(props: PageProps<'/applications/[name]'>) {
  const name = decodeRouteParam((await props.params).name);
  const path = `/applications/${encodeURIComponent(name)}`;
  let detail: ApplicationDetail;
  try {
    detail = await (await getGateway()).getMyApplication(name);
  } catch (error) {
    redirectIfSignedOut(error, path);
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <Breadcrumb name={name} />
        <header className="page-header">
          <h1 className="page-header__title page-header__title--code">{name}</h1>
        </header>
        {isForbidden(error) ? (
          <AccessDeniedPanel title="Not one of your applications" message={error.gatewayMessage}>
            <p>
              You manage the applications your teams own. <Link href="/applications">See yours</Link>.
            </p>
          </AccessDeniedPanel>
        ) : (
          <GatewayErrorPanel error={error} context="The application could not be loaded." />
        )}
      </>
    );
  }

  const created = (await props.searchParams).created === '1';
  const { application, keys, grants } = detail;
  const now = Date.now();
  const live = keys.filter((key) => isLive(key, now));
  const ended = keys.filter((key) => !isLive(key, now));
  return (
    <>
      <Breadcrumb name={application.name} />
      <header className="page-header">
        <h1 className="page-header__title page-header__title--code">{application.name}</h1>
        {application.description ? <p className="page-header__lede">{application.description}</p> : null}
      </header>
      {created ? (
        <p className="callout callout--success" role="status">
          Application created. Issue its first API key below.
        </p>
      ) : null}

      <section className="section" aria-labelledby="app-details-heading">
        <h2 id="app-details-heading" className="section__title">
          Details and quotas
        </h2>
        <dl className="details">
          <div>
            <dt>Team</dt>
            <dd>
              <span className="pill">{application.ownerTeam}</span>
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>{application.disabledAt ? <span className="badge badge--deny">Disabled</span> : 'Active'}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <time dateTime={application.createdAt}>{formatTimestamp(application.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Produce rate</dt>
            <dd>{quota(application.produceRatePerSecond, 'events/s')}</dd>
          </div>
          <div>
            <dt>Subscriptions</dt>
            <dd>{quota(application.maxSubscriptions, 'at once')}</dd>
          </div>
          <div>
            <dt>Connections</dt>
            <dd>{quota(application.maxConnections, 'at once')}</dd>
          </div>
        </dl>
        <p className="section__footer muted">Quotas are set by administrators.</p>
      </section>

      <section className="section" aria-labelledby="keys-heading">
        <h2 id="keys-heading" className="section__title">
          API keys
        </h2>
        <KeyReveal>
          {live.length === 0 ? (
            <p className="muted">No live keys. Issue one below.</p>
          ) : (
            <div className="table-frame">
              <table className="data-table data-table--stack">
                <caption className="visually-hidden">Live API keys of {application.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Key id</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {live.map((key) => (
                    <tr key={key.keyId}>
                      <th scope="row" data-label="Key">
                        {key.name}
                      </th>
                      <td data-label="Key id">
                        <code>{key.keyId}</code>
                      </td>
                      <td data-label="Created">
                        <time dateTime={key.createdAt}>{formatTimestamp(key.createdAt)}</time>
                      </td>
                      <td data-label="Expires">
                        {key.expiresAt ? (
                          <time dateTime={key.expiresAt}>{formatTimestamp(key.expiresAt)}</time>
                        ) : (
                          <span className="muted">never</span>
                        )}
                      </td>
                      <td data-label="Actions">
                        <ApiKeyActions application={application.name} keyId={key.keyId} keyName={key.name} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3 className="section__subtitle">Issue a key</h3>
          <IssueKeyForm application={application.name} />
        </KeyReveal>
        {ended.length > 0 ? (
          <details className="disclosure">
            <summary>Revoked and expired keys ({ended.length})</summary>
            <ul className="plain-list">
              {ended.map((key) => (
                <li key={key.keyId}>
                  {key.name} <code>{key.keyId}</code>{' '}
                  <span className="muted">
                    {key.revokedAt
                      ? `revoked ${formatTimestamp(key.revokedAt)}`
                      : `expired ${formatTimestamp(key.expiresAt ?? '')}`}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="section" aria-labelledby="app-grants-heading">
        <h2 id="app-grants-heading" className="section__title">
          Grants
        </h2>
        {grants.length === 0 ? (
          <EmptyState title="No grants yet" headingLevel={3}>
            <p>
              The application may not read or produce anything yet. Open an event type in the{' '}
              <Link href="/">catalog</Link> and request access for it; the owning team or an administrator decides.
            </p>
          </EmptyState>
        ) : (
          <GrantTable grants={grants} caption={`Grants of ${application.name}`} />
        )}
      </section>
    </>
  );
}

function isLive(key: ApiKey, now: number): boolean {
  return key.revokedAt === null && (key.expiresAt === null || Date.parse(key.expiresAt) > now);
}

function quota(value: number | null, unit: string): string {
  return value === null ? 'no limit' : `${value} ${unit}`;
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href="/applications">Your applications</Link>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}
