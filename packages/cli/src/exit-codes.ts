import { isMeshgateError } from '@meshgate/core';

/** The exit codes CI pipelines branch on. */
export const ExitCode = {
  /** Compatible, or the command succeeded. */
  OK: 0,
  /** The schema is incompatible (a verdict, not a failure). */
  INCOMPATIBLE: 1,
  /** `catalog apply --detailed-exit-code`: there are changes (applied, or pending in a dry run). */
  CHANGES: 1,
  /** Usage error, unreachable registry or gateway, invalid schema or document, or any other failure. */
  FAILURE: 2,
} as const;

/** An exit code the CLI returns. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The one place errors become exit codes: a registry 409 is an incompatibility, everything else a failure. */
export function exitCodeFor(error: unknown): ExitCode {
  return isMeshgateError(error) && error.code === 'CONFLICT' ? ExitCode.INCOMPATIBLE : ExitCode.FAILURE;
}

/** A one-line description of an error for stderr. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
