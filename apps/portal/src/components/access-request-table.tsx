import Link from 'next/link';
import { resourceKindLabel } from '../lib/access';
import { formatTimestamp } from '../lib/format-timestamp';
import type { AccessRequest } from '../lib/gateway-client';
import { StatusBadge } from './status-badge';

/** Access requests with their status and outcome; `requesterName` adds a "Requested by" column. */
export function AccessRequestTable({
  requests,
  caption,
  requesterName,
}: {
  requests: readonly AccessRequest[];
  caption: string;
  requesterName?: (request: AccessRequest) => string;
}) {
  return (
    <div className="table-frame">
      <table className="data-table data-table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Access</th>
            {requesterName ? <th scope="col">Requested by</th> : null}
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Decision</th>
            <th scope="col">Requested</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => (
            <tr key={request.id}>
              <th scope="row" data-label="Resource">
                <RequestResource request={request} />
              </th>
              <td data-label="Access">{request.action}</td>
              {requesterName ? <td data-label="Requested by">{requesterName(request)}</td> : null}
              <td data-label="Reason" className="data-table__text">
                {request.reason}
              </td>
              <td data-label="Status">
                <StatusBadge value={request.status} />
              </td>
              <td data-label="Decision" className="data-table__text">
                {request.decidedBy ? (
                  <>
                    {request.decidedBy}
                    {request.decidedAt ? (
                      <>
                        {' '}
                        <span className="muted">
                          on <time dateTime={request.decidedAt}>{formatTimestamp(request.decidedAt)}</time>
                        </span>
                      </>
                    ) : null}
                    {request.decisionNote ? <q className="quote">{request.decisionNote}</q> : null}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label="Requested">
                <time dateTime={request.createdAt}>{formatTimestamp(request.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The resource of a request, linked to the event type page when it is one. */
export function RequestResource({ request }: { request: Pick<AccessRequest, 'resourceKind' | 'resourceName'> }) {
  return (
    <>
      <span className="muted">{resourceKindLabel(request.resourceKind)}</span>{' '}
      {request.resourceKind === 'event-type' ? (
        <Link href={`/event-types/${encodeURIComponent(request.resourceName)}`} className="event-link">
          {request.resourceName}
        </Link>
      ) : (
        <code>{request.resourceName}</code>
      )}
    </>
  );
}
