/** Renders an incompatibility's old/new value for one line: strings bare, others as JSON, long ones cut. */
export function formatValue(value: unknown, max = 100): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * An incompatibility's values as the old schema → the new schema. The registry reports `old` as
 * the writer's side and `new` as the reader's; in a FORWARD issue the writer is the new schema.
 */
export function changeOf(issue: { old?: unknown; new?: unknown; direction: 'BACKWARD' | 'FORWARD' }): {
  before: unknown;
  after: unknown;
} {
  return issue.direction === 'FORWARD'
    ? { before: issue.new, after: issue.old }
    : { before: issue.old, after: issue.new };
}
