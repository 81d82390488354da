import type { Verdict } from '../verdict';

/** A verdict as one JSON document: `{compatible, subject, level, file, …, incompatibilities}`. */
export function formatVerdictJson(verdict: Verdict): string {
  const { compatible, subject, level, file, schemaType, against, directions, note, incompatibilities } = verdict;
  const document = { compatible, subject, level, file, schemaType, against, directions, note, incompatibilities };
  return `${JSON.stringify(document, null, 2)}\n`;
}
