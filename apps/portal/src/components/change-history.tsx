import { summarizeChange } from '../lib/change-summary';
import { formatTimestamp } from '../lib/format-timestamp';
import type { ChangeEntry } from '../lib/gateway-catalog';

const ACTOR_KIND: Readonly<Record<string, string>> = { user: 'user', application: 'application', system: 'system' };

/** An event type's change history, newest first: when, what changed, and who did it. */
export function ChangeHistory({ entries }: { entries: readonly ChangeEntry[] }) {
  return (
    <ol className="history" aria-label="Changes, newest first">
      {entries.map((entry) => {
        const summary = summarizeChange(entry);
        return (
          <li key={entry.id} className="history__entry">
            <p className="history__headline">
              <strong>{summary.headline}</strong>{' '}
              <span className="muted">
                {entry.entityKind === 'schema' ? (
                  <>
                    on subject <code>{entry.entityName}</code>
                  </>
                ) : null}
              </span>
            </p>
            {summary.fields.length > 0 ? (
              <ul className="history__fields" aria-label="Changed fields">
                {summary.fields.map((change) => (
                  <li key={change.field}>
                    <code>{change.field}</code>
                    {change.detail ? <span className="muted"> {change.detail}</span> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            <p className="history__meta">
              <time dateTime={entry.at}>{formatTimestamp(entry.at)}</time> · by{' '}
              {entry.actor.name ?? entry.actor.id ?? 'unknown'}{' '}
              <span className="muted">({ACTOR_KIND[entry.actor.kind] ?? entry.actor.kind})</span>
            </p>
          </li>
        );
      })}
    </ol>
  );
}
