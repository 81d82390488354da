import type { ExitCode } from '../exit-codes';
import type { CliIo } from '../io';

/** What every command gets: where to write, and where to leave its exit code. */
export interface CommandContext {
  io: CliIo;
  /** Records the exit code of the command that ran (a verdict; failures are thrown). */
  exit(code: ExitCode): void;
}
