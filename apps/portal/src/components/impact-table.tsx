import type { Route } from 'next';
import Link from 'next/link';
import { formatTimestamp } from '../lib/format-timestamp';
import type { ImpactedConsumer } from '../lib/gateway-catalog';

/** Who a change to an event type would affect: every declared consumer and every observed one nobody declared. */
export function ImpactTable({ consumers }: { consumers: readonly ImpactedConsumer[] }) {
  return (
    <div className="table-frame" tabIndex={0} role="region" aria-label="Affected consumers (table; scrolls)">
      <table className="data-table data-table--compact">
        <caption className="visually-hidden">Consumers a change would affect</caption>
        <thead>
          <tr>
            <th scope="col">Consumer</th>
            <th scope="col">Known from</th>
            <th scope="col">Owner team</th>
            <th scope="col">Events delivered</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {consumers.map((consumer, index) => (
            <tr key={`${consumer.service?.name ?? consumer.principal?.id ?? ''}:${index}`}>
              <th scope="row">
                {consumer.service ? (
                  <Link href={`/services/${encodeURIComponent(consumer.service.name)}` as Route}>
                    {consumer.service.displayName}
                  </Link>
                ) : (
                  <span>{consumer.principal?.name ?? 'unknown'}</span>
                )}
                {consumer.principal && consumer.service ? (
                  <span className="muted"> (seen as {consumer.principal.name})</span>
                ) : null}
              </th>
              <td>
                {consumer.kind === 'declared' ? (
                  'the catalog'
                ) : (
                  <span className="badge badge--observed-only">Observed only</span>
                )}
              </td>
              <td>{consumer.service?.ownerTeam ?? <span className="muted">—</span>}</td>
              <td>{consumer.events.toLocaleString('en')}</td>
              <td>
                {consumer.lastSeen ? (
                  <time dateTime={consumer.lastSeen}>{formatTimestamp(consumer.lastSeen)}</time>
                ) : (
                  'never'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
