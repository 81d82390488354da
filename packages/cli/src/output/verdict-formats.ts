import type { Verdict } from '../verdict';
import { formatVerdictGithub } from './github';
import { formatVerdictJson } from './json';
import { formatVerdictText } from './text';

/** Output formats of `schema check` and `schema diff`. */
export const verdictFormats = ['text', 'json', 'github'] as const;

/** An output format of a verdict. */
export type VerdictFormat = (typeof verdictFormats)[number];

const formatters: Record<VerdictFormat, (verdict: Verdict) => string> = {
  text: formatVerdictText,
  json: formatVerdictJson,
  github: formatVerdictGithub,
};

/** Renders a verdict in a format. */
export function formatVerdict(format: VerdictFormat, verdict: Verdict): string {
  return formatters[format](verdict);
}
