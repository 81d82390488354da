import { execFile } from 'node:child_process';
import path from 'node:path';
import { InputError, MeshgateError } from '@meshgate/core';

interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; a missing git binary is a failure naming what to install. */
function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new MeshgateError('UNAVAILABLE', 'git is not installed or not on PATH; install git or pass --against FILE'),
        );
        return;
      }
      resolve({ ok: !error, stdout, stderr });
    });
  });
}

/** The first line git wrote to stderr, without its `fatal: ` prefix. */
function gitMessage(result: GitResult): string {
  const line = result.stderr.split('\n').find((text) => text.trim() !== '') ?? 'git failed';
  return line.replace(/^(fatal|error): /, '').trim();
}

/** True when `ref` names a commit in the repository that holds `dir`. */
export async function isGitRef(dir: string, ref: string): Promise<boolean> {
  if (ref.startsWith('-')) return false;
  const result = await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return result.ok;
}

/**
 * The content of `file` at a git ref (`git show REF:./PATH`, relative to the file's directory),
 * or undefined when the file did not exist at that ref. Throws an InputError when `ref` is not a
 * commit of the repository holding the file.
 */
export async function readAtRef(file: string, ref: string): Promise<string | undefined> {
  const dir = path.dirname(file);
  if (!(await isGitRef(dir, ref))) {
    const probe = await git(dir, ['rev-parse', '--git-dir']);
    const reason = probe.ok ? `no commit named '${ref}' in the repository` : gitMessage(probe);
    throw new InputError(
      `--against '${ref}' is neither a file nor a git ref (${reason}); fetch the ref or pass a file`,
    );
  }
  const spec = `${ref}:./${path.basename(file)}`;
  const exists = await git(dir, ['cat-file', '-e', spec]);
  if (!exists.ok) return undefined;
  const shown = await git(dir, ['show', spec]);
  if (!shown.ok) throw new InputError(`cannot read ${spec}: ${gitMessage(shown)}`);
  return shown.stdout;
}
