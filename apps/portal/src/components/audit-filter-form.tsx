import Link from 'next/link';
import { hasAuditFilters, type AuditSearch } from '../lib/audit-filters';

/** The audit page's filters: a plain GET form, so every filtered view is a link that can be shared. */
export function AuditFilterForm({ search }: { search: AuditSearch }) {
  return (
    <form method="get" action="/audit" className="filters" aria-label="Filter the audit log">
      <div className="field">
        <label htmlFor="audit-actor" className="field__label">
          Actor ID
        </label>
        <input id="audit-actor" name="actor" defaultValue={search.actor} className="input" maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="audit-action" className="field__label">
          Action
        </label>
        <input
          id="audit-action"
          name="action"
          defaultValue={search.action}
          className="input"
          maxLength={100}
          placeholder="auth."
          aria-describedby="audit-action-hint"
        />
        <p id="audit-action-hint" className="field__hint">
          Exact, or a prefix ending in a dot
        </p>
      </div>
      <div className="field">
        <label htmlFor="audit-resource" className="field__label">
          Resource
        </label>
        <input id="audit-resource" name="resource" defaultValue={search.resource} className="input" maxLength={300} />
      </div>
      <div className="field">
        <label htmlFor="audit-decision" className="field__label">
          Decision
        </label>
        <select id="audit-decision" name="decision" defaultValue={search.decision} className="input">
          <option value="">Allowed and denied</option>
          <option value="allow">Allowed</option>
          <option value="deny">Denied</option>
        </select>
      </div>
      <div className="filters__actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        {hasAuditFilters(search) ? (
          <Link href="/audit" className="button button--secondary">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
