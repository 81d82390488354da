import type { Route } from 'next';
import Link from 'next/link';
import { formatTimestamp } from '../lib/format-timestamp';
import type { LineageParty, PartyStatus } from '../lib/lineage-parties';

const STATUS: Readonly<Record<PartyStatus, { label: string; className: string; help: string }>> = {
  'declared-and-observed': {
    label: 'Declared and observed',
    className: 'badge badge--seen',
    help: 'Listed in the catalog and seen by the gateway.',
  },
  'observed-only': {
    label: 'Observed only',
    className: 'badge badge--observed-only',
    help: 'Seen by the gateway, but not declared in the catalog.',
  },
  'declared-never-seen': {
    label: 'Declared, never seen',
    className: 'badge badge--never-seen',
    help: 'Listed in the catalog, but the gateway has not seen it yet.',
  },
};

/**
 * The producers (or consumers) of an event type: declared services joined with what the gateway
 * observed — counts, first and last seen — and which are only observed or never seen, in words
 * as well as badges.
 */
export function LineagePartyTable({
  parties,
  role,
}: {
  parties: readonly LineageParty[];
  role: 'producer' | 'consumer';
}) {
  const noun = role === 'producer' ? 'Producers' : 'Consumers';
  return (
    <div className="table-frame" tabIndex={0} role="region" aria-label={`${noun} (table; scrolls)`}>
      <table className="data-table data-table--compact">
        <caption className="visually-hidden">{noun}</caption>
        <thead>
          <tr>
            <th scope="col">{role === 'producer' ? 'Producer' : 'Consumer'}</th>
            <th scope="col">Status</th>
            <th scope="col">Events</th>
            <th scope="col">{role === 'producer' ? 'Produce requests' : 'Subscriptions'}</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {parties.map((party) => {
            const status = STATUS[party.status];
            return (
              <tr key={party.key}>
                <th scope="row">
                  <PartyName party={party} />
                </th>
                <td>
                  <span className={status.className} title={status.help}>
                    {status.label}
                  </span>
                </td>
                <td>{party.observed.length > 0 ? party.events.toLocaleString('en') : '—'}</td>
                <td>{party.observed.length > 0 ? party.sessions.toLocaleString('en') : '—'}</td>
                <td>
                  {party.firstSeen ? (
                    <time dateTime={party.firstSeen}>{formatTimestamp(party.firstSeen)}</time>
                  ) : (
                    'never'
                  )}
                </td>
                <td>
                  {party.lastSeen ? <time dateTime={party.lastSeen}>{formatTimestamp(party.lastSeen)}</time> : 'never'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PartyName({ party }: { party: LineageParty }) {
  if (party.service) {
    const seenAs = party.observed.map((entry) => entry.name).join(', ');
    return (
      <span className="party-status">
        <Link href={`/services/${encodeURIComponent(party.service.name)}` as Route}>{party.service.displayName}</Link>
        <span className="muted">
          service <code>{party.service.name}</code>
          {seenAs ? <> · seen as {seenAs}</> : null}
        </span>
      </span>
    );
  }
  const entry = party.observed[0];
  return (
    <span className="party-status">
      <span>{entry?.name ?? party.key}</span>
      <span className="muted">
        {entry?.principalKind === 'user' ? 'user' : 'application'}
        {party.boundService ? (
          <>
            {' '}
            of service{' '}
            <Link href={`/services/${encodeURIComponent(party.boundService)}` as Route}>{party.boundService}</Link>
          </>
        ) : null}
      </span>
    </span>
  );
}
