import type { SchemaType } from '../compat';
import type { ExitCode } from '../exit-codes';

/** Output formats of `schema register`. */
export type RegisterFormat = 'text' | 'json';

/** What happened to one file. */
export interface RegisterResult {
  /** `skipped` after an error that dooms the rest (unreachable registry, rejected credentials). */
  status: 'registered' | 'failed' | 'skipped';
  file: string;
  subject: string;
  schemaType?: SchemaType;
  /** The schema's global id, when registered (or already registered). */
  id?: number;
  /** Why it was not registered. */
  error?: string;
  /** 1 when the registry called it incompatible, 2 for any other failure. */
  exitCode?: ExitCode;
}

/** One line for a file's outcome, as the progress lines and the report print it. */
export function describeResult(result: RegisterResult): string {
  const target = `${result.file} → ${result.subject}`;
  if (result.status === 'registered') return `${target}: id ${result.id}`;
  return `${target}: ${result.status === 'failed' ? 'FAILED' : 'skipped'}: ${result.error}`;
}

/** The report of a registration: what was registered (text on stdout), or everything as JSON. */
export function formatRegisterReport(format: RegisterFormat, results: readonly RegisterResult[]): string {
  const registered = results.filter((result) => result.status === 'registered');
  if (format === 'json') {
    const failed = results.length - registered.length;
    return `${JSON.stringify({ ok: failed === 0, registered: registered.length, failed, results }, null, 2)}\n`;
  }
  const [only] = results;
  if (results.length === 1 && only?.status === 'registered') return `registered ${describeResult(only)}\n`;
  const lines = [`registered ${registered.length} of ${results.length} schemas`];
  for (const result of registered) lines.push(`  ${describeResult(result)}`);
  return `${lines.join('\n')}\n`;
}

/** The failures of a registration, one line each, for stderr; empty when there are none. */
export function formatRegisterFailures(results: readonly RegisterResult[]): string {
  const failed = results.filter((result) => result.status !== 'registered');
  if (failed.length === 0) return '';
  const lines = [`meshgate: ${failed.length} of ${results.length} schemas not registered:`];
  for (const result of failed) lines.push(`  ${describeResult(result)}`);
  return `${lines.join('\n')}\n`;
}
