import type { Route } from 'next';
import Link from 'next/link';
import type { EventTypeSummary } from '../lib/gateway-catalog';
import type { EventType } from '../lib/gateway-client';
import { LifecycleBadge, VisibilityBadge } from './lifecycle-badge';
import { TagList } from './tag-list';

/**
 * A list of event types, one row each: name, summary, lifecycle, owner, tags and (for full
 * entries) the topic and schema subject. Stacks into cards on narrow screens.
 */
export function EventTypeTable({
  eventTypes,
  caption = 'Event types in the catalog',
}: {
  eventTypes: readonly (EventType | EventTypeSummary)[];
  caption?: string;
}) {
  const full = eventTypes.every((eventType): eventType is EventType => 'subject' in eventType);
  return (
    <div className="table-frame">
      <table className="data-table data-table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Event type</th>
            <th scope="col">Summary</th>
            <th scope="col">Lifecycle</th>
            <th scope="col">Owner</th>
            <th scope="col">Tags</th>
            {full ? (
              <>
                <th scope="col">Topic</th>
                <th scope="col">Schema subject</th>
              </>
            ) : (
              <th scope="col">Version</th>
            )}
          </tr>
        </thead>
        <tbody>
          {eventTypes.map((eventType) => (
            <tr key={eventType.name}>
              <th scope="row" data-label="Event type">
                <Link href={`/event-types/${encodeURIComponent(eventType.name)}` as Route} className="event-link">
                  {eventType.name}
                </Link>
              </th>
              <td data-label="Summary">{eventType.summary}</td>
              <td data-label="Lifecycle">
                <span className="badges badges--inline">
                  <LifecycleBadge lifecycle={eventType.lifecycle} />
                  <VisibilityBadge visibility={eventType.visibility} />
                </span>
              </td>
              <td data-label="Owner">
                <span className="pill">{eventType.owner}</span>
              </td>
              <td data-label="Tags">
                {eventType.tags.length > 0 ? <TagList tags={eventType.tags} /> : <span className="muted">—</span>}
              </td>
              {'subject' in eventType ? (
                <>
                  <td data-label="Topic">
                    <code>{eventType.topic}</code>
                  </td>
                  <td data-label="Schema subject">
                    <code>{eventType.subject}</code>
                  </td>
                </>
              ) : (
                <td data-label="Version">{eventType.version || <span className="muted">—</span>}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
