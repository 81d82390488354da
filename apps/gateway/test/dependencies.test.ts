import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort, startEmbeddedPostgres } from '@meshgate/db';
import { createTestDatabase } from '@meshgate/db/testing';
// @ts-expect-error -- plain ESM script without type declarations
import { startBroker } from '../../../scripts/kafka/broker-lib.mjs';
import { createGateway, type Gateway } from '../src/app';
import { createLogger } from '../src/logger';
import { TEST_TOKEN, request, waitFor } from './harness';

describe('dependencies unreachable at start', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined);
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-deps-'));
    await chmod(dir, 0o755);
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async function gatewayWith(options: { databaseUrl: string; kafkaBrokers?: string[] }): Promise<Gateway> {
    const gateway = await createGateway({
      port: 0,
      dataDir: await tempDir(),
      seedDemo: false,
      dependencyRetryMs: 200,
      logger: createLogger('silent', false),
      access: { bootstrapToken: TEST_TOKEN },
      ...options,
    });
    cleanup.push(() => gateway.close());
    return gateway;
  }

  it('PostgreSQL: says which and why, is not ready, and recovers when it comes back', async () => {
    const port = await findFreePort();
    const dataDir = await tempDir();
    // Credentials the embedded PostgreSQL will pick up once it is started below.
    await writeFile(path.join(dataDir, 'credentials.json'), JSON.stringify({ user: 'postgres', password: 'later' }));
    const gateway = await gatewayWith({ databaseUrl: `postgresql://postgres:later@127.0.0.1:${port}/meshgate` });

    const notReady = await request(gateway.url, 'GET', '/readyz');
    expect(notReady.status).toBe(503);
    await waitFor(
      async () =>
        (await request(gateway.url, 'GET', '/readyz')).body.checks.database.detail?.includes('ECONNREFUSED')
          ? true
          : undefined,
      10_000,
      'reason',
    );
    const api = await request(gateway.url, 'GET', '/v1/catalog/event-types');
    expect(api.status).toBe(503);
    expect(api.body.code).toBe('UNAVAILABLE');
    expect(api.body.message).toMatch(/PostgreSQL is unreachable/);
    expect((await request(gateway.url, 'GET', '/healthz')).status).toBe(200);

    const pg = await startEmbeddedPostgres({ dataDir, port });
    cleanup.push(() => pg.stop());
    await waitFor(
      async () => ((await request(gateway.url, 'GET', '/readyz')).status === 200 ? true : undefined),
      30_000,
      'ready',
    );
    expect((await request(gateway.url, 'GET', '/v1/catalog/event-types')).body).toEqual({ items: [] });
  });

  it('Kafka: says which and why, is not ready, and recovers when the broker comes back', async () => {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const port = await findFreePort();
    const gateway = await gatewayWith({ databaseUrl: db.url, kafkaBrokers: [`127.0.0.1:${port}`] });

    await waitFor(
      async () => {
        const ready = await request(gateway.url, 'GET', '/readyz');
        const detail = ready.body.checks['event-log'].detail as string | undefined;
        return ready.status === 503 && detail && detail !== 'starting' ? ready.body : undefined;
      },
      15_000,
      'event-log failure reason',
    );
    const api = await request(gateway.url, 'GET', '/v1/catalog/event-types');
    expect(api.status).toBe(503);
    expect(api.body.message).toMatch(/streaming platform is unreachable/);

    const broker = (await startBroker({ port, dir: path.join(await tempDir(), 'kafka') })) as { stop(): Promise<void> };
    cleanup.push(() => broker.stop());
    await waitFor(
      async () => ((await request(gateway.url, 'GET', '/readyz')).status === 200 ? true : undefined),
      60_000,
      'ready',
    );
  }, 120_000);
});
