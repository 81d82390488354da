import type { SchemaType, VersionedIncompatibility } from './compat';
import { locate, type Location } from './locate';

/** What a schema was compared with. */
export type Baseline =
  | { kind: 'registry'; registry: string; version: number | 'latest' | 'all' }
  | { kind: 'file'; file: string }
  | { kind: 'git'; ref: string; file: string };

/** An incompatibility with where it is in the candidate file. */
export interface LocatedIncompatibility extends VersionedIncompatibility {
  /** 1-based line and column of the path in the candidate file; line 1 when it cannot be found. */
  line: number;
  column: number;
}

/** The outcome of `schema check` or `schema diff`, which every output format renders. */
export interface Verdict {
  compatible: boolean;
  /** The subject, when checking against one (null offline without --subject). */
  subject: string | null;
  /** The level that decided; null when the registry did not say which. */
  level: string | null;
  /** The candidate schema file, as the user named it (relative to the working directory). */
  file: string;
  schemaType: SchemaType;
  against: Baseline;
  /** Per direction, whether it holds (`schema diff` checks both). */
  directions?: { BACKWARD: boolean; FORWARD: boolean };
  incompatibilities: LocatedIncompatibility[];
  /** Why there was nothing to compare with, when that is the case. */
  note?: string;
}

/** Adds the candidate file's line and column to each incompatibility (line 1 when not found). */
export function locateAll(
  issues: readonly VersionedIncompatibility[],
  schemaType: SchemaType,
  text: string,
): LocatedIncompatibility[] {
  return issues.map((issue) => {
    const location: Location = locate(schemaType, text, issue.path) ?? { line: 1, column: 1 };
    return { ...issue, line: location.line, column: location.column };
  });
}

/** How a baseline reads in a sentence ("version 3 of orders-value", "HEAD~1:schemas/order.json"). */
export function describeBaseline(verdict: Pick<Verdict, 'against' | 'subject'>): string {
  const { against, subject } = verdict;
  switch (against.kind) {
    case 'registry':
      if (against.version === 'all') return `the registered versions of ${subject}`;
      return `${against.version === 'latest' ? 'the latest version' : `version ${against.version}`} of ${subject}`;
    case 'file':
      return against.file;
    case 'git':
      return `${against.ref}:${against.file}`;
  }
}

/** What an incompatibility was compared with, for one line of output. */
export function describeVersion(
  issue: VersionedIncompatibility,
  verdict: Pick<Verdict, 'against' | 'subject'>,
): string {
  return issue.version === undefined ? describeBaseline(verdict) : `version ${issue.version}`;
}
