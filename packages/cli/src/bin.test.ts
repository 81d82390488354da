import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, type TempDir } from './testing/temp-dir';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/meshgate.mjs');

/** Runs the real executable (through its shebang) and collects what it printed. */
function spawnBin(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, env: { ...process.env, MESHGATE_REGISTRY_URL: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: TempDir;

beforeAll(async () => {
  dir = await createTempDir();
  await dir.write('v1.avsc', '{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}');
  await dir.write(
    'v2.avsc',
    '{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":"string"}]}',
  );
});
afterAll(() => dir.remove());

describe('bin/meshgate.mjs', () => {
  it('prints help and exits 0', async () => {
    const result = await spawnBin(['--help'], dir.path);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: meshgate');
    expect(result.stdout).toContain('meshgate schema check --subject orders-value --file schemas/order.json');
  });

  it('runs an offline diff from source and exits with the verdict', async () => {
    const result = await spawnBin(['schema', 'diff', 'v1.avsc', 'v2.avsc', '--format', 'json'], dir.path);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      compatible: false,
      directions: { BACKWARD: false, FORWARD: true },
    });
  });

  it('exits 2 on a usage error', async () => {
    const result = await spawnBin(['schema', 'check'], dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--file <file>' not specified");
  });
});
