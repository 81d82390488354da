import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessRequestTable, RequestResource } from '../../components/access-request-table';
import { DecisionForm } from '../../components/decision-form';
import { EmptyState } from '../../components/empty-state';
import { GatewayErrorPanel } from '../../components/gateway-error-panel';
import { splitAccessRequests } from '../../lib/access';
import { formatTimestamp } from '../../lib/format-timestamp';
import { getGateway, redirectIfSignedOut, requireMe } from '../../lib/gateway';
import type { AccessRequest, Me, UserSummary } from '../../lib/gateway-client';
import { isGatewayError } from '../../lib/gateway-error';

export const metadata: Metadata = { title: 'Access requests' };

const PATH = '/access-requests';

export default async function AccessRequestsPage() {
  let me: Me;
  let requests: AccessRequest[];
  try {
    me = await requireMe(PATH);
    requests = await (await getGateway()).listAccessRequests();
  } catch (error) {
    redirectIfSignedOut(error, PATH);
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <AccessRequestsHeading />
        <GatewayErrorPanel error={error} context="The access requests could not be loaded." />
      </>
    );
  }

  const { mine, toDecide } = splitAccessRequests(requests, me.id);
  const pending = toDecide.filter((request) => request.status === 'pending');
  const decided = toDecide.filter((request) => request.status !== 'pending');
  const requesterName = await requesterNames(me, toDecide);

  return (
    <>
      <AccessRequestsHeading />

      {me.admin || toDecide.length > 0 ? (
        <section className="section" aria-labelledby="to-decide-heading">
          <h2 id="to-decide-heading" className="section__title">
            Waiting for your decision
          </h2>
          {pending.length === 0 ? (
            <p className="muted">Nothing is waiting for you.</p>
          ) : (
            <ul className="request-list" aria-label="Requests waiting for your decision">
              {pending.map((request) => {
                const summary = `${request.action} on ${request.resourceName} by ${requesterName(request)}`;
                return (
                  <li key={request.id} className="request-card" aria-label={summary}>
                    <div className="request-card__facts">
                      <p className="request-card__title">
                        <strong>{requesterName(request)}</strong> asks for <strong>{request.action}</strong> access to{' '}
                        <RequestResource request={request} />
                      </p>
                      <p className="request-card__reason">
                        <span className="visually-hidden">Reason: </span>
                        <q className="quote">{request.reason}</q>
                      </p>
                      <p className="muted request-card__meta">
                        Requested <time dateTime={request.createdAt}>{formatTimestamp(request.createdAt)}</time>
                      </p>
                    </div>
                    <DecisionForm requestId={request.id} summary={summary} />
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ) : null}

      <section className="section" aria-labelledby="mine-heading">
        <h2 id="mine-heading" className="section__title">
          Your requests
        </h2>
        {mine.length === 0 ? (
          <EmptyState title="You have not asked for access yet" headingLevel={3}>
            <p>
              Open an event type in the <Link href="/">catalog</Link> you cannot read yet and request access there.
            </p>
          </EmptyState>
        ) : (
          <AccessRequestTable requests={mine} caption="Your access requests" />
        )}
      </section>

      {decided.length > 0 ? (
        <section className="section" aria-labelledby="decided-heading">
          <h2 id="decided-heading" className="section__title">
            Decided requests
          </h2>
          <AccessRequestTable
            requests={decided}
            caption="Access requests decided by you or others"
            requesterName={requesterName}
          />
        </section>
      ) : null}
    </>
  );
}

/**
 * Names requesters by email where the caller may list accounts (administrators); others see
 * the requester's id, which is all an access request carries.
 */
async function requesterNames(me: Me, requests: readonly AccessRequest[]): Promise<(request: AccessRequest) => string> {
  let users: UserSummary[] = [];
  if (me.admin && requests.length > 0) {
    users = await (await getGateway()).listUsers().catch((error: unknown) => {
      redirectIfSignedOut(error, PATH);
      return [];
    });
  }
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return (request) => emails.get(request.requesterId) ?? `user ${request.requesterId}`;
}

function AccessRequestsHeading() {
  return (
    <header className="page-header">
      <h1 className="page-header__title">Access requests</h1>
      <p className="page-header__lede">
        What you asked for, and what waits for your decision: administrators and owners of the team that owns an event
        type decide. An approval creates the grant at once.
      </p>
    </header>
  );
}
