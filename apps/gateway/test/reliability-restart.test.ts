import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { TEST_TOKEN, request, uniqueName, waitFor } from './harness';
import { followGraphql, followSse, produceWithRetry } from './resumable-clients';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The gateway as users run it: a real process, killed with SIGKILL and started again. */
class GatewayProcess {
  private child: ChildProcess | undefined;
  constructor(private readonly env: Record<string, string>) {}

  async start(url: string): Promise<void> {
    this.child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['apps/gateway/src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: 'ignore',
      // Its own process group, so SIGKILL reaches tsx's child (the actual gateway) too.
      detached: true,
    });
    await waitFor(
      async () =>
        (await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        ))
          ? true
          : undefined,
      30_000,
      'gateway ready',
    );
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // tsx runs the gateway in a child of its own: kill the whole group so nothing survives.
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
}

describe('gateway killed and restarted: SSE and graphql-ws clients resume from their last cursor', () => {
  let db: TestDatabase;
  let dir: string;
  let gateway: GatewayProcess;
  let url: string;
  const eventType = uniqueName('restart');

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-restart-'));
    await chmod(dir, 0o755);
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    gateway = new GatewayProcess({
      MESHGATE_PORT: String(port),
      MESHGATE_DATA_DIR: dir,
      DATABASE_URL: db.url,
      MESHGATE_SEED_DEMO: 'false',
      MESHGATE_LOG_LEVEL: 'error',
      MESHGATE_BOOTSTRAP_TOKEN: TEST_TOKEN,
    });
    await gateway.start(url);
    await request(url, 'PUT', `/v1/catalog/event-types/${eventType}`, { summary: 's', owner: 'o' });
    await request(url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: JSON.stringify({ type: 'object', required: ['seq'], properties: { seq: { type: 'integer' } } }),
      schemaType: 'JSON',
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.kill();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('misses nothing across a SIGKILL and restart', async () => {
    let stopped = false;

    const sse = followSse(url, eventType, () => stopped);
    const ws = followGraphql(url, eventType, () => stopped);
    const sseSeen = sse.seen;
    const wsSeen = ws.seen;

    // At-least-once: a request cut off by the kill may have appended; the clients deduplicate by seq.
    const produce = (seq: number) => produceWithRetry(url, eventType, { seq });

    for (let seq = 0; seq < 30; seq++) await produce(seq);
    await waitFor(() => (sseSeen.size >= 30 && wsSeen.size >= 30 ? true : undefined), 20_000, 'first 30 events');

    await gateway.kill();
    // Produced while the gateway is down: these wait for the restart.
    const whileDown = Promise.all(Array.from({ length: 10 }, (_, i) => produce(30 + i)));
    await gateway.start(url);
    await whileDown;
    for (let seq = 40; seq < 60; seq++) await produce(seq);

    const all = Array.from({ length: 60 }, (_, i) => i);
    try {
      await waitFor(
        () => (sseSeen.size >= 60 && wsSeen.size >= 60 ? true : undefined),
        30_000,
        'all 60 events on both clients',
      );
    } finally {
      stopped = true;
      await Promise.all([sse.done, ws.done]);
    }
    expect([...sseSeen].sort((a, b) => a - b)).toEqual(all);
    expect([...wsSeen].sort((a, b) => a - b)).toEqual(all);
  }, 120_000);
});
