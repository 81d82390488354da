import type { Route } from 'next';
import Link from 'next/link';
import type { Domain } from '../lib/gateway-catalog';

/** The catalog's domains as cards: name, summary, owner team and what is in them. */
export function DomainCards({ domains }: { domains: readonly Domain[] }) {
  return (
    <ul className="card-grid" aria-label="Domains">
      {domains.map((domain) => (
        <li key={domain.name} className="card">
          <h3 className="card__title">
            <Link href={`/domains/${encodeURIComponent(domain.name)}` as Route}>{domain.displayName}</Link>
          </h3>
          {domain.displayName !== domain.name ? <span className="card__name">{domain.name}</span> : null}
          <p className="card__summary">{domain.summary || <span className="muted">No summary yet.</span>}</p>
          <p className="card__meta">
            <span>
              Owner <strong>{domain.ownerTeam}</strong>
            </span>
            <span>{plural(domain.eventTypeCount, 'event type')}</span>
            <span>{plural(domain.serviceCount, 'service')}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
