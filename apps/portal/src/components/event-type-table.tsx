import Link from 'next/link';
import type { EventType } from '../lib/gateway-client';

/** The catalog listing: one row per event type; stacks into cards on narrow screens. */
export function EventTypeTable({ eventTypes }: { eventTypes: readonly EventType[] }) {
  return (
    <div className="table-frame">
      <table className="data-table data-table--stack">
        <caption className="visually-hidden">Event types in the catalog</caption>
        <thead>
          <tr>
            <th scope="col">Event type</th>
            <th scope="col">Summary</th>
            <th scope="col">Owner</th>
            <th scope="col">Topic</th>
            <th scope="col">Schema subject</th>
          </tr>
        </thead>
        <tbody>
          {eventTypes.map((eventType) => (
            <tr key={eventType.name}>
              <th scope="row" data-label="Event type">
                <Link href={`/event-types/${encodeURIComponent(eventType.name)}`} className="event-link">
                  {eventType.name}
                </Link>
              </th>
              <td data-label="Summary">{eventType.summary}</td>
              <td data-label="Owner">
                <span className="pill">{eventType.owner}</span>
              </td>
              <td data-label="Topic">
                <code>{eventType.topic}</code>
              </td>
              <td data-label="Schema subject">
                <code>{eventType.subject}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
