/** Where the CLI writes and what it reads from its surroundings, so tests run it in-process. */
export interface CliIo {
  /** Verdicts, schemas and reports: what a pipeline captures. */
  stdout: NodeJS.WritableStream;
  /** Errors, notes and the progress bar (drawn only when `isTTY` is true). */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Relative paths (files, `--dir`, `--against`) resolve against this directory. */
  cwd: string;
  /** The environment: MESHGATE_REGISTRY_URL, MESHGATE_URL, MESHGATE_TOKEN, MESHGATE_USER. */
  env: Readonly<Record<string, string | undefined>>;
}
