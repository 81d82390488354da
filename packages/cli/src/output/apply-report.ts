import type { ApplyChange, ApplyResponse } from '../catalog-client';

const symbols: Record<ApplyChange['action'], string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

/** A value as one short line. */
function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * The plan of an apply as text: one line per entry (`+ create`, `~ update`, `- delete`; unchanged
 * ones only counted), the changed fields under it, then a summary line.
 */
export function formatApplyReport(result: ApplyResponse): string {
  const lines: string[] = [];
  for (const change of result.changes) {
    if (change.action === 'unchanged') continue;
    lines.push(`${symbols[change.action]} ${change.kind} ${change.name}: ${change.action}`);
    for (const field of change.diff) {
      if (change.action === 'create') lines.push(`    ${field.path}: ${show(field.after)}`);
      else if (change.action === 'delete') lines.push(`    ${field.path}: ${show(field.before)}`);
      else lines.push(`    ${field.path}: ${show(field.before)} → ${show(field.after)}`);
    }
  }
  const count = (action: ApplyChange['action']) => result.changes.filter((c) => c.action === action).length;
  const [created, updated, deleted] = result.dryRun
    ? ['to create', 'to update', 'to delete']
    : ['created', 'updated', 'deleted'];
  const summary = `${count('create')} ${created}, ${count('update')} ${updated}, ${count('delete')} ${deleted}, ${count('unchanged')} unchanged`;
  lines.push(result.dryRun ? `Dry run: ${summary}. Nothing was changed.` : `Applied: ${summary}.`);
  return `${lines.join('\n')}\n`;
}
