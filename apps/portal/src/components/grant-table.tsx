import { resourceKindLabel } from '../lib/access';
import { describeAction } from '../lib/access-actions';
import { formatTimestamp } from '../lib/format-timestamp';
import type { Grant } from '../lib/gateway-client';

/** The grants someone holds: what, which access, with which view (unmasked classes, row filter), and until when. */
export function GrantTable({ grants, caption }: { grants: readonly Grant[]; caption: string }) {
  return (
    <div className="table-frame">
      <table className="data-table data-table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Access</th>
            <th scope="col">Unmasked</th>
            <th scope="col">Row filter</th>
            <th scope="col">Held by</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {grants.map((grant) => (
            <tr key={grant.id}>
              <th scope="row" data-label="Resource">
                <span className="muted">{resourceKindLabel(grant.resourceKind)}</span>{' '}
                {grant.resourceKind === 'all' ? null : <code>{grant.resourceName}</code>}
              </th>
              <td data-label="Access">{describeAction(grant.action)}</td>
              <td data-label="Unmasked">
                {grant.unmask.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  grant.unmask.map((cls) => (
                    <span key={cls} className="pill pill--spaced">
                      {cls === '*' ? 'all classes' : cls}
                    </span>
                  ))
                )}
              </td>
              <td data-label="Row filter">
                {grant.rowFilter ? <code>{grant.rowFilter}</code> : <span className="muted">every event</span>}
              </td>
              <td data-label="Held by">
                {grant.subjectKind === 'team'
                  ? `team ${grant.subjectId}`
                  : grant.subjectKind === 'application'
                    ? 'the application'
                    : 'you'}
              </td>
              <td data-label="Expires">
                {grant.expiresAt ? (
                  <time dateTime={grant.expiresAt}>{formatTimestamp(grant.expiresAt)}</time>
                ) : (
                  <span className="muted">never</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
