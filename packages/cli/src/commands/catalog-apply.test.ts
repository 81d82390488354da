import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';
import { captureIo } from '../testing/capture-io';

// `meshgate catalog apply` against a stand-in gateway: request shape, report, exit codes.
// The real gateway runs it in apps/gateway/test/catalog-api.test.ts.

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
let dir: string;
const seen: Seen[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-cli-apply-'));
  await writeFile(path.join(dir, 'catalog.yaml'), 'apiVersion: meshgate/v1\n');
  await writeFile(path.join(dir, 'catalog.json'), '{"apiVersion":"meshgate/v1"}');
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function apply(args: string[], env: Record<string, string> = { MESHGATE_URL: base, MESHGATE_TOKEN: 'tok' }) {
  const io = captureIo({ cwd: dir, env });
  const code = await run(['catalog', 'apply', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const plan = {
  dryRun: true,
  changes: [
    {
      kind: 'domain',
      name: 'orders',
      action: 'create',
      diff: [{ path: '/displayName', before: null, after: 'Orders' }],
    },
    {
      kind: 'event-type',
      name: 'orders.order-created',
      action: 'update',
      diff: [{ path: '/summary', before: 'old', after: 'new' }],
    },
    { kind: 'schema', name: 'orders.order-created-value', action: 'unchanged', diff: [] },
    { kind: 'service', name: 'legacy', action: 'delete', diff: [{ path: '/ownerTeam', before: 't', after: null }] },
  ],
};

describe('meshgate catalog apply', () => {
  it('sends the file with its media type, flags and credentials, and prints the plan', async () => {
    answer = { status: 200, body: plan };
    const result = await apply(['-f', 'catalog.yaml', '--dry-run', '--prune']);
    expect(result.code).toBe(0);
    const request = seen.at(-1)!;
    expect(request.url).toBe('/v1/catalog/apply?dryRun=true&prune=true');
    expect(request.headers['content-type']).toBe('application/yaml');
    expect(request.headers.authorization).toBe('Bearer tok');
    expect(request.body).toBe('apiVersion: meshgate/v1\n');
    expect(result.out).toBe(
      [
        '+ domain orders: create',
        '    /displayName: "Orders"',
        '~ event-type orders.order-created: update',
        '    /summary: "old" → "new"',
        '- service legacy: delete',
        '    /ownerTeam: "t"',
        'Dry run: 1 to create, 1 to update, 1 to delete, 1 unchanged. Nothing was changed.',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 with --detailed-exit-code when there are changes, 0 when there are none', async () => {
    answer = { status: 200, body: plan };
    expect((await apply(['-f', 'catalog.json', '--detailed-exit-code'])).code).toBe(1);
    expect(seen.at(-1)!.headers['content-type']).toBe('application/json');
    answer = {
      status: 200,
      body: { dryRun: false, changes: [{ kind: 'domain', name: 'a', action: 'unchanged', diff: [] }] },
    };
    const none = await apply(['-f', 'catalog.json', '--detailed-exit-code', '--format', 'json']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toEqual(answer.body);
  });

  it('exits 2 listing every document problem with its line', async () => {
    answer = {
      status: 400,
      body: {
        code: 'INVALID_CATALOG_DOCUMENT',
        message: 'Invalid catalog document at /eventTypes/0/tags/0 (line 7): bad tag (and 1 more).',
        details: {
          errors: [
            { path: '/eventTypes/0/tags/0', message: 'bad tag', line: 7, column: 12 },
            { path: '/domains/0', message: 'owner is required' },
          ],
        },
      },
    };
    const result = await apply(['-f', 'catalog.yaml']);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      [
        '  catalog.yaml:7:12: /eventTypes/0/tags/0: bad tag',
        '  catalog.yaml: /domains/0: owner is required',
        'meshgate: Invalid catalog document at /eventTypes/0/tags/0 (line 7): bad tag (and 1 more).',
        '',
      ].join('\n'),
    );
  });

  it('derives the gateway from MESHGATE_REGISTRY_URL, and exits 2 on usage errors and an unreachable gateway', async () => {
    answer = { status: 200, body: { dryRun: false, changes: [] } };
    expect((await apply(['-f', 'catalog.yaml'], { MESHGATE_REGISTRY_URL: `${base}/registry` })).code).toBe(0);
    expect(seen.at(-1)!.url.startsWith('/v1/catalog/apply')).toBe(true);
    expect((await apply([])).code).toBe(2);
    const missing = await apply(['-f', 'nope.yaml']);
    expect(missing).toMatchObject({ code: 2, err: 'meshgate: cannot read nope.yaml: ENOENT\n' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await apply(['-f', 'catalog.yaml', '--url', `http://127.0.0.1:${port}`]);
    expect(down).toEqual({
      code: 2,
      out: '',
      err: `meshgate: cannot reach the gateway at http://127.0.0.1:${port} (ECONNREFUSED); set --url or MESHGATE_URL\n`,
    });
    answer = {
      status: 403,
      body: { code: 'FORBIDDEN', message: "Your credentials do not allow manage-catalog on domain 'orders'." },
    };
    expect(await apply(['-f', 'catalog.yaml'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('manage-catalog'),
    });
  });
});
