import { structuredPatch } from 'diff';

/** One line of a unified diff, with its line numbers on either side. */
export interface DiffLine {
  kind: 'context' | 'added' | 'removed';
  /** Line number in the old text (absent for added lines). */
  oldLine: number | null;
  /** Line number in the new text (absent for removed lines). */
  newLine: number | null;
  text: string;
}

/** A run of changes with a few lines of context around it. */
export interface DiffHunk {
  /** `@@ -a,b +c,d @@`, as `diff -u` heads a hunk. */
  header: string;
  lines: DiffLine[];
}

/** A unified diff of two schema documents. */
export interface SchemaDiff {
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

/**
 * Line diff of two schema documents (jsdiff's `structuredPatch`), after pretty-printing both
 * the same way when they are JSON (JSON Schema and Avro), so formatting never shows as a change.
 */
export function diffSchemas(oldText: string, newText: string, context = 3): SchemaDiff {
  const patch = structuredPatch('old', 'new', prettySchema(oldText), prettySchema(newText), '', '', { context });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((hunk): DiffHunk => {
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    const lines: DiffLine[] = [];
    for (const line of hunk.lines) {
      const marker = line[0];
      const text = line.slice(1);
      if (marker === '+') {
        added += 1;
        lines.push({ kind: 'added', oldLine: null, newLine: newLine++, text });
      } else if (marker === '-') {
        removed += 1;
        lines.push({ kind: 'removed', oldLine: oldLine++, newLine: null, text });
      } else if (marker === ' ') {
        lines.push({ kind: 'context', oldLine: oldLine++, newLine: newLine++, text });
      }
      // '\' lines ("No newline at end of file") carry no content.
    }
    return {
      header: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
      lines,
    };
  });
  return { hunks, added, removed };
}

/** A schema document pretty-printed with two spaces when it is JSON; other text as it is. */
export function prettySchema(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}
