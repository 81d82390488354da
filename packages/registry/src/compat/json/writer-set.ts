import type { Incompatibility } from '../types';
import type { TypeAtom } from './json-values';
import { isObject, type SchemaNode } from './schema-documents';

/**
 * One schema the writer's data is known to satisfy. The comparison works on a *set* of them —
 * data valid under the writer satisfies every member at once (the schema itself, its `$ref`
 * targets and `allOf` members) — so constraints spread over `allOf` and `$ref` are seen together.
 */
export interface WriterEntry {
  readonly node: SchemaNode;
  /** Sum keywords of this node already split into cases, so they are not split again. */
  readonly split?: ReadonlySet<'anyOf' | 'oneOf'>;
}

/** What the writer's data satisfies at one place: all entries at once. */
export type WriterSet = readonly WriterEntry[];

/** One case of a writer's `anyOf`/`oneOf` being compared, so a reader's sum can be matched against it. */
export interface SumCase {
  readonly keyword: 'anyOf' | 'oneOf';
  /** Distinct subschemas in the writer's sum. */
  readonly size: number;
  /** Which of them this case is. */
  readonly index: number;
  /** JSON types across all the writer's alternatives, so narrowing is judged against the whole sum. */
  readonly types: readonly TypeAtom[];
}

/** Identity of an entry inside memo keys. */
export function entryKey(entry: WriterEntry): string {
  return entry.split && entry.split.size > 0 ? `${entry.node.id}!${[...entry.split].sort().join(',')}` : entry.node.id;
}

/** Joins writer sets, keeping the first of duplicate entries. */
export function joinWriterSets(...sets: WriterSet[]): WriterSet {
  const seen = new Set<string>();
  const result: WriterEntry[] = [];
  for (const set of sets) {
    for (const entry of set) {
      const key = entryKey(entry);
      if (!seen.has(key)) {
        seen.add(key);
        result.push(entry);
      }
    }
  }
  return result;
}

/** The object value of an entry, or undefined for boolean schemas. */
export function entryObject(entry: WriterEntry): Record<string, unknown> | undefined {
  return isObject(entry.node.value) ? entry.node.value : undefined;
}

/** Builds one incompatibility; `old`/`new` are left out when undefined so results compare cleanly. */
export function incompatibility(
  rule: string,
  path: string,
  message: string,
  fix: string,
  values: { old?: unknown; new?: unknown } = {},
): Incompatibility {
  const result: Incompatibility = { path, rule, message, fix };
  if (values.old !== undefined) result.old = values.old;
  if (values.new !== undefined) result.new = values.new;
  return result;
}

/** A JSON value shown inside a message, shortened when long. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A list of values for a message: `"a", "b" and 3 more`. */
export function showList(values: readonly unknown[], limit = 5): string {
  const shown = values.slice(0, limit).map(show);
  const more = values.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
