import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@meshgate/cli';
import { TEST_TOKEN, startTestGateway, uniqueName, type TestGateway } from './harness';

// The `meshgate` CLI against a real gateway: what a CI pipeline does on a pull request.
describe('meshgate CLI against the real registry', () => {
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-cli-'));
  });
  afterAll(async () => {
    await gw?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function meshgate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await run(args, {
      stdout,
      stderr,
      cwd: dir,
      env: { MESHGATE_REGISTRY_URL: `${gw.url}/registry`, MESHGATE_TOKEN: TEST_TOKEN },
    });
    return { code, stdout: out, stderr: err };
  }

  it('registers, checks a safe change (0), rejects a breaking one (1, with path, rule and fix), and gets', async () => {
    const subject = uniqueName('cli.orders');
    const v1 = {
      type: 'object',
      properties: { id: { type: 'string' }, total: { type: 'number' } },
      additionalProperties: false,
    };
    await writeFile(path.join(dir, 'v1.json'), JSON.stringify(v1, null, 2));
    const registered = await meshgate('schema', 'register', '--subject', subject, '--file', 'v1.json');
    expect(registered.code).toBe(0);

    const safe = { ...v1, properties: { ...v1.properties, note: { type: 'string' } } };
    await writeFile(path.join(dir, 'safe.json'), JSON.stringify(safe, null, 2));
    expect((await meshgate('schema', 'check', '--subject', subject, '--file', 'safe.json')).code).toBe(0);

    const breaking = { ...v1, properties: { id: { type: 'string' } } };
    await writeFile(path.join(dir, 'breaking.json'), JSON.stringify(breaking, null, 2));
    const verdict = await meshgate(
      'schema',
      'check',
      '--subject',
      subject,
      '--file',
      'breaking.json',
      '--format',
      'json',
    );
    expect(verdict.code).toBe(1);
    const report = JSON.parse(verdict.stdout);
    expect(report.compatible).toBe(false);
    expect(report.incompatibilities[0]).toMatchObject({
      rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      path: expect.stringContaining('total'),
      fix: expect.any(String),
    });
    const github = await meshgate(
      'schema',
      'check',
      '--subject',
      subject,
      '--file',
      'breaking.json',
      '--format',
      'github',
    );
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(
      /^::error file=breaking\.json,line=\d+,col=\d+,title=PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL::/m,
    );

    const got = await meshgate('schema', 'get', '--subject', subject);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(v1);
  });

  it('exits 2 with a clear message when the registry cannot be reached', async () => {
    await writeFile(path.join(dir, 'any.json'), '{}');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await run(
      ['schema', 'check', '--subject', 's', '--file', 'any.json', '--registry', 'http://127.0.0.1:9/registry'],
      {
        stdout,
        stderr,
        cwd: dir,
        env: {},
      },
    );
    expect(code).toBe(2);
    expect(err).toMatch(/cannot reach the registry/);
  });
});
