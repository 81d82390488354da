import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { findFreePort } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { request, uniqueName, waitFor } from './harness';

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

    // SSE client: reconnects with Last-Event-ID whenever the stream ends or fails.
    const sseSeen = new Set<number>();
    let sseCursor: string | undefined;
    const sseLoop = (async () => {
      while (!stopped) {
        try {
          const controller = new AbortController();
          const stopTimer = setInterval(() => stopped && controller.abort(), 100);
          const response = await fetch(`${url}/v1/events/${eventType}/stream?from=earliest`, {
            headers: sseCursor ? { 'last-event-id': sseCursor } : {},
            signal: controller.signal,
          });
          let buffer = '';
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            buffer += Buffer.from(chunk).toString('utf8');
            let index: number;
            while ((index = buffer.indexOf('\n\n')) >= 0) {
              const frame = buffer.slice(0, index);
              buffer = buffer.slice(index + 2);
              const id = /^id: (.*)$/m.exec(frame)?.[1];
              const data = /^data: (.*)$/m.exec(frame)?.[1];
              if (id && data && !/^event: /m.test(frame)) {
                sseSeen.add((JSON.parse(data) as { data: { seq: number } }).data.seq);
                sseCursor = id;
              }
            }
          }
          clearInterval(stopTimer);
        } catch {
          // connection refused or reset while the gateway is down: try again
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // graphql-ws client: resubscribes with after: <last cursor> whenever the subscription ends.
    const wsSeen = new Set<number>();
    let wsCursor: string | undefined;
    const wsLoop = (async () => {
      while (!stopped) {
        const client = createClient({
          url: `${url.replace('http', 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
        });
        await new Promise<void>((resolve) => {
          const dispose = client.subscribe<{ events: { cursor: string; data: { seq: number } } }>(
            {
              query: `subscription($t: String!, $after: String) { events(type: $t, after: $after, from: EARLIEST) { cursor data } }`,
              variables: { t: eventType, after: wsCursor ?? null },
            },
            {
              next: (value) => {
                if (!value.data) return;
                wsSeen.add(value.data.events.data.seq);
                wsCursor = value.data.events.cursor;
              },
              error: () => resolve(),
              complete: () => resolve(),
            },
          );
          const stopTimer = setInterval(() => {
            if (stopped) {
              clearInterval(stopTimer);
              dispose();
              resolve();
            }
          }, 100);
        });
        await client.dispose();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // Produce with retries (at-least-once; the test deduplicates by seq).
    const produce = async (seq: number) => {
      for (;;) {
        const ok = await fetch(`${url}/v1/events/${eventType}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ seq }),
        }).then(
          (r) => r.status === 202,
          () => false,
        );
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

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
      await Promise.all([sseLoop, wsLoop]);
    }
    expect([...sseSeen].sort((a, b) => a - b)).toEqual(all);
    expect([...wsSeen].sort((a, b) => a - b)).toEqual(all);
  }, 120_000);
});
