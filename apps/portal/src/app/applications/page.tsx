import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateApplicationForm } from '../../components/create-application-form';
import { EmptyState } from '../../components/empty-state';
import { GatewayErrorPanel } from '../../components/gateway-error-panel';
import { formatTimestamp } from '../../lib/format-timestamp';
import { getGateway, redirectIfSignedOut, requireMe } from '../../lib/gateway';
import type { ApplicationSummary, Me } from '../../lib/gateway-client';
import { isGatewayError } from '../../lib/gateway-error';

export const metadata: Metadata = { title: 'Your applications' };

const PATH = '/applications';

export default async function ApplicationsPage() {
  let me: Me;
  let applications: ApplicationSummary[];
  try {
    me = await requireMe(PATH);
    applications = await (await getGateway()).listMyApplications();
  } catch (error) {
    redirectIfSignedOut(error, PATH);
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <ApplicationsHeading />
        <GatewayErrorPanel error={error} context="Your applications could not be loaded." />
      </>
    );
  }

  return (
    <>
      <ApplicationsHeading />
      <section className="section" aria-labelledby="apps-heading">
        <h2 id="apps-heading" className="section__title">
          Applications of your teams
        </h2>
        {applications.length === 0 ? (
          <EmptyState title="No applications yet" headingLevel={3}>
            <p>
              {me.teams.length === 0
                ? 'You are in no team, and applications belong to teams. An administrator adds people to teams.'
                : 'None of your teams owns an application yet. Create one below.'}
            </p>
          </EmptyState>
        ) : (
          <div className="table-frame">
            <table className="data-table data-table--stack">
              <caption className="visually-hidden">Applications owned by your teams</caption>
              <thead>
                <tr>
                  <th scope="col">Application</th>
                  <th scope="col">Team</th>
                  <th scope="col">Live keys</th>
                  <th scope="col">Created</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {applications.map((application) => (
                  <tr key={application.id}>
                    <th scope="row" data-label="Application">
                      <Link href={`/applications/${encodeURIComponent(application.name)}`} className="event-link">
                        {application.name}
                      </Link>
                      {application.description ? (
                        <span className="data-table__text muted">{application.description}</span>
                      ) : null}
                    </th>
                    <td data-label="Team">{application.ownerTeam}</td>
                    <td data-label="Live keys">{application.activeKeys}</td>
                    <td data-label="Created">
                      <time dateTime={application.createdAt}>{formatTimestamp(application.createdAt)}</time>
                    </td>
                    <td data-label="Status">
                      {application.disabledAt ? <span className="badge badge--deny">Disabled</span> : 'Active'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="create-heading">
        <h2 id="create-heading" className="section__title">
          Create an application
        </h2>
        {me.teams.length === 0 ? (
          <p className="muted">
            Applications belong to a team; you are in none yet. An administrator adds people to teams.
          </p>
        ) : (
          <>
            <p className="section__lede">
              An application is a service or partner that calls Meshgate with its own API keys and grants. It starts
              with no access: grants come from the teams owning the data, or from an administrator.
            </p>
            <CreateApplicationForm teams={me.teams} />
          </>
        )}
      </section>
    </>
  );
}

function ApplicationsHeading() {
  return (
    <header className="page-header">
      <h1 className="page-header__title">Your applications</h1>
      <p className="page-header__lede">
        Services your teams run against Meshgate: their API keys, what they may read and produce, and their quotas.
      </p>
    </header>
  );
}
