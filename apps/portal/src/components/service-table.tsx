import type { Route } from 'next';
import Link from 'next/link';
import type { CatalogService } from '../lib/gateway-catalog';

/** Catalog services, one row each: name, summary, owner, what they are declared to produce and consume. */
export function ServiceTable({ services, caption }: { services: readonly CatalogService[]; caption: string }) {
  return (
    <div className="table-frame">
      <table className="data-table data-table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Summary</th>
            <th scope="col">Owner</th>
            <th scope="col">Produces</th>
            <th scope="col">Consumes</th>
          </tr>
        </thead>
        <tbody>
          {services.map((service) => (
            <tr key={service.name}>
              <th scope="row" data-label="Service">
                <Link href={`/services/${encodeURIComponent(service.name)}` as Route}>{service.displayName}</Link>
                {service.displayName !== service.name ? (
                  <>
                    <br />
                    <code>{service.name}</code>
                  </>
                ) : null}
              </th>
              <td data-label="Summary">{service.summary || <span className="muted">—</span>}</td>
              <td data-label="Owner">
                <span className="pill">{service.ownerTeam}</span>
              </td>
              <td data-label="Produces">
                <EventTypeLinks names={service.produces} />
              </td>
              <td data-label="Consumes">
                <EventTypeLinks names={service.consumes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Event type names as links, one per line; a dash when there are none. */
export function EventTypeLinks({ names }: { names: readonly string[] }) {
  if (names.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="link-list">
      {names.toSorted().map((name) => (
        <li key={name}>
          <Link href={`/event-types/${encodeURIComponent(name)}` as Route} className="event-link">
            {name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
