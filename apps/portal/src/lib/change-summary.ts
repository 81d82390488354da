import type { ChangeEntry } from './gateway-catalog';

/** Fields whose old and new values are short enough to show in the history (`1.0.0 → 2.0.0`). */
const SHOWN_VALUES = new Set(['version', 'lifecycle', 'visibility', 'owner', 'ownerTeam', 'schemaVersion', 'keyPath']);

/** Fields the history never lists as changed (bookkeeping). */
const IGNORED = new Set(['createdAt', 'updatedAt']);

/** How a field's change reads in the history. */
export interface FieldChange {
  field: string;
  /** `old → new` for short values; `null` when only the fact of the change is shown. */
  detail: string | null;
}

/** A change history entry in words: a headline and the fields it changed. */
export interface ChangeSummary {
  headline: string;
  fields: FieldChange[];
}

/**
 * Describes one change history entry for people: what happened (`Schema version 3 registered`,
 * `Lifecycle active → deprecated`, `Updated`) and which top-level fields changed, with old and
 * new values for the short ones.
 */
export function summarizeChange(entry: ChangeEntry): ChangeSummary {
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  if (entry.entityKind === 'schema') {
    const version = after?.version ?? before?.version;
    const id = after?.id ?? before?.id;
    const what = `Schema version ${display(version)}${id === undefined ? '' : ` (id ${display(id)})`}`;
    return { headline: `${what} ${entry.action === 'registered' ? 'registered' : entry.action}`, fields: [] };
  }
  if (entry.action === 'created') return { headline: 'Created', fields: [] };
  if (entry.action === 'deleted') return { headline: 'Deleted', fields: [] };
  const fields = changedFields(before, after);
  if (entry.action === 'lifecycle') {
    const headline = `Lifecycle ${display(before?.lifecycle)} → ${display(after?.lifecycle)}`;
    return { headline, fields: fields.filter((change) => change.field !== 'lifecycle') };
  }
  return { headline: fields.length === 0 ? 'Updated (no visible change)' : 'Updated', fields };
}

function changedFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): FieldChange[] {
  if (!before || !after) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !IGNORED.has(key));
  return keys
    .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
    .toSorted()
    .map((key) => ({
      field: key,
      detail: SHOWN_VALUES.has(key) ? `${display(before[key])} → ${display(after[key])}` : null,
    }));
}

function display(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
