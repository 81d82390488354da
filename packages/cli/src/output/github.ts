import { describeBaseline, describeVersion, type Verdict } from '../verdict';
import { changeOf, formatValue } from './values';

/** Escapes an annotation's message as the GitHub Actions runner expects. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes an annotation property (file, title), where `:` and `,` are separators too. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A verdict as GitHub Actions workflow commands: one `::error` annotation per incompatibility,
 * on the line of the offending path in the candidate file, then a plain summary line.
 */
export function formatVerdictGithub(verdict: Verdict): string {
  const lines = verdict.incompatibilities.map((issue) => {
    const { before, after } = changeOf(issue);
    const changed =
      issue.old !== undefined || issue.new !== undefined ? `; ${formatValue(before)} → ${formatValue(after)}` : '';
    const context = `${issue.path || '(root)'}; ${issue.direction} vs ${describeVersion(issue, verdict)}${changed}`;
    const properties = `file=${escapeProperty(verdict.file)},line=${issue.line},col=${issue.column},title=${escapeProperty(issue.rule)}`;
    return `::error ${properties}::${escapeData(`${issue.message} [${context}] (fix: ${issue.fix})`)}`;
  });
  const level = verdict.level ?? "the subject's level";
  lines.push(
    verdict.compatible
      ? `meshgate: ${verdict.file} is compatible with ${describeBaseline(verdict)} under ${level}`
      : `meshgate: ${verdict.file} is INCOMPATIBLE with ${describeBaseline(verdict)} under ${level} (${verdict.incompatibilities.length} found)`,
  );
  return `${lines.join('\n')}\n`;
}
