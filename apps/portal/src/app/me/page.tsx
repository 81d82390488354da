import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '../../components/empty-state';
import { GatewayErrorPanel } from '../../components/gateway-error-panel';
import { GrantTable } from '../../components/grant-table';
import { requireMe } from '../../lib/gateway';
import type { Me } from '../../lib/gateway-client';
import { isGatewayError } from '../../lib/gateway-error';

export const metadata: Metadata = { title: 'Your access' };

const VIA_LABELS: Readonly<Record<string, string>> = {
  session: 'the portal (email and password)',
  'api-key': 'an API key',
  jwt: 'a JSON Web Token',
  password: 'email and password',
};

export default async function YourAccessPage() {
  let me: Me;
  try {
    me = await requireMe('/me');
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <YourAccessHeading />
        <GatewayErrorPanel error={error} context="Your access could not be loaded." />
      </>
    );
  }

  return (
    <>
      <YourAccessHeading />

      <section className="section" aria-labelledby="identity-heading">
        <h2 id="identity-heading" className="section__title">
          Who you are
        </h2>
        <dl className="details">
          <div>
            <dt>Signed in as</dt>
            <dd>{me.name}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{me.admin ? <span className="badge badge--admin">Administrator</span> : 'Member'}</dd>
          </div>
          <div>
            <dt>Signed in with</dt>
            <dd>{VIA_LABELS[me.via] ?? me.via}</dd>
          </div>
        </dl>
      </section>

      <section className="section" aria-labelledby="teams-heading">
        <h2 id="teams-heading" className="section__title">
          Teams
        </h2>
        {me.teams.length === 0 ? (
          <p className="muted">You are not in any team. Administrators add people to teams.</p>
        ) : (
          <ul className="facts" aria-label="Your teams">
            {me.teams.map((team) => (
              <li key={team}>
                <strong>{team}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="grants-heading">
        <h2 id="grants-heading" className="section__title">
          Grants
        </h2>
        {me.admin ? (
          <p className="section__lede">
            As an administrator you may do everything, with or without grants. The grants below are what you hold
            besides.
          </p>
        ) : null}
        {me.grants.length === 0 ? (
          <EmptyState title="No grants yet" headingLevel={3}>
            <p>
              You hold no grants of your own or through a team. Open an event type in the <Link href="/">catalog</Link>{' '}
              and request access; the owning team or an administrator decides.
            </p>
          </EmptyState>
        ) : (
          <GrantTable grants={me.grants} caption="Your grants" />
        )}
        <p className="section__footer">
          <Link href="/access-requests">Your access requests</Link>
        </p>
      </section>
    </>
  );
}

function YourAccessHeading() {
  return (
    <header className="page-header">
      <h1 className="page-header__title">Your access</h1>
      <p className="page-header__lede">
        Your teams and the grants that decide what you may read, produce and change — yours and your teams&apos;.
      </p>
    </header>
  );
}
