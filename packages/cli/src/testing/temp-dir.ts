import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A temporary folder for one test file, with a helper to write files into it. */
export interface TempDir {
  path: string;
  /** Writes `text` to `relative` (creating folders) and returns the absolute path. */
  write(relative: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

/** Creates a fresh temporary folder. */
export async function createTempDir(prefix = 'meshgate-cli-'): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return {
    path: dir,
    async write(relative, text) {
      const file = path.join(dir, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
