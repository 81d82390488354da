import { describeBaseline, describeVersion, type LocatedIncompatibility, type Verdict } from '../verdict';
import { changeOf, formatValue } from './values';

/** A verdict for people: a headline, then each incompatibility with where, why, old → new and the fix. */
export function formatVerdictText(verdict: Verdict): string {
  const lines = [headline(verdict)];
  if (verdict.directions) {
    const { BACKWARD, FORWARD } = verdict.directions;
    lines.push(
      `  BACKWARD (${verdict.file} reads data written with ${describeBaseline(verdict)}): ${BACKWARD ? 'yes' : 'no'}`,
      `  FORWARD (${describeBaseline(verdict)} reads data written with ${verdict.file}): ${FORWARD ? 'yes' : 'no'}`,
    );
  }
  verdict.incompatibilities.forEach((issue, index) => {
    lines.push('', ...describeIssue(issue, index + 1, verdict));
  });
  return `${lines.join('\n')}\n`;
}

function headline(verdict: Verdict): string {
  const level = verdict.level ?? "the subject's level";
  const baseline = describeBaseline(verdict);
  if (verdict.compatible) {
    return verdict.note
      ? `compatible: ${verdict.note}`
      : `compatible: ${verdict.file} can replace ${baseline} under ${level}`;
  }
  const count = verdict.incompatibilities.length;
  return `INCOMPATIBLE: ${verdict.file} cannot replace ${baseline} under ${level} (${count} ${count === 1 ? 'incompatibility' : 'incompatibilities'})`;
}

function describeIssue(issue: LocatedIncompatibility, number: number, verdict: Verdict): string[] {
  const against = describeVersion(issue, verdict);
  const why =
    issue.direction === 'BACKWARD'
      ? `the new schema cannot read data written with ${against}`
      : `${against} cannot read data written with the new schema`;
  const lines = [
    `${number}. ${issue.rule} at ${issue.path || '(root)'} (${verdict.file}:${issue.line}:${issue.column})`,
    `   ${issue.message}`,
  ];
  if (issue.old !== undefined || issue.new !== undefined) {
    const { before, after } = changeOf(issue);
    lines.push(`   old: ${formatValue(before)} → new: ${formatValue(after)}`);
  }
  lines.push(`   ${issue.direction}: ${why}`);
  if (issue.fix) lines.push(`   fix: ${issue.fix}`);
  return lines;
}
