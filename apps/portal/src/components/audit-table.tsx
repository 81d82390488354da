import Link from 'next/link';
import { auditHref, type AuditSearch } from '../lib/audit-filters';
import { formatTimestamp } from '../lib/format-timestamp';
import type { AuditEntry } from '../lib/gateway-client';
import { StatusBadge } from './status-badge';

/** Audit entries, read-only: time, actor, action, resource, decision, reason and source address. */
export function AuditTable({ entries, search }: { entries: readonly AuditEntry[]; search: AuditSearch }) {
  return (
    <div className="table-frame">
      <table className="data-table data-table--stack data-table--compact">
        <caption className="visually-hidden">Audit log entries</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Decision</th>
            <th scope="col">Reason</th>
            <th scope="col">Source IP</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td data-label="Time" className="nowrap">
                <time dateTime={entry.at}>{formatTimestamp(entry.at)}</time>
              </td>
              <td data-label="Actor">
                {entry.actor.name || entry.actor.id ? (
                  <>
                    <span className="audit-actor">{entry.actor.name ?? entry.actor.id}</span>{' '}
                    <span className="muted">{entry.actor.kind}</span>
                  </>
                ) : (
                  <span className="muted">{entry.actor.kind}</span>
                )}
                {entry.actor.id && entry.actor.id !== search.actor ? (
                  <>
                    {' '}
                    <Link href={auditHref({ ...search, actor: entry.actor.id, after: '' })} className="filter-link">
                      filter
                      {/* The visible word starts the accessible name (WCAG 2.5.3, label in name). */}
                      <span className="visually-hidden"> to entries by {entry.actor.name ?? entry.actor.id}</span>
                    </Link>
                  </>
                ) : null}
              </td>
              <td data-label="Action" className="nowrap">
                <code>{entry.action}</code>
              </td>
              <td data-label="Resource">
                {entry.resource ? (
                  <>
                    <span className="muted">{entry.resource.kind}</span> <code>{entry.resource.name}</code>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label="Decision">
                <StatusBadge value={entry.decision} />
              </td>
              <td data-label="Reason" className="data-table__text">
                {entry.reason ?? <span className="muted">—</span>}
                <EntryDetails details={entry.details} />
              </td>
              <td data-label="Source IP">
                {entry.sourceIp ? <code>{entry.sourceIp}</code> : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EntryDetails({ details }: { details: unknown }) {
  if (details === null || typeof details !== 'object' || Object.keys(details).length === 0) return null;
  return (
    <details className="disclosure disclosure--inline">
      <summary>Details</summary>
      <pre className="audit-details">{JSON.stringify(details, null, 2)}</pre>
    </details>
  );
}
