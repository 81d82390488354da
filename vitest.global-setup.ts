import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@meshgate/db';
import { TEST_ADMIN_URL_ENV } from '@meshgate/db/testing';
// @ts-expect-error -- plain ESM script without type declarations
import { startBroker } from './scripts/kafka/broker-lib.mjs';

/** Environment variable through which Kafka suites find the test broker. */
const KAFKA_ENV = 'MESHGATE_TEST_KAFKA_BROKERS';

/**
 * Starts one real PostgreSQL and one real Kafka broker for the whole run. Test files create
 * their own databases and topics with unique names, so they never see each other's data.
 * Set MESHGATE_TEST_ADMIN_DATABASE_URL or MESHGATE_TEST_KAFKA_BROKERS to reuse running ones.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const teardown: Array<() => Promise<void>> = [];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meshgate-test-'));
  // PostgreSQL runs as the unprivileged `postgres` user and must be able to enter this folder.
  await chmod(dataDir, 0o755);
  teardown.push(() => rm(dataDir, { recursive: true, force: true }));

  const started = await Promise.all([
    process.env[TEST_ADMIN_URL_ENV]
      ? Promise.resolve(undefined)
      : startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') }).then((pg) => {
          process.env[TEST_ADMIN_URL_ENV] = pg.adminUrl;
          return () => pg.stop();
        }),
    process.env[KAFKA_ENV]
      ? Promise.resolve(undefined)
      : (
          startBroker({ dir: path.join(dataDir, 'kafka'), timeoutMs: 120_000 }) as Promise<{
            brokers: string;
            stop(): Promise<void>;
          }>
        ).then((broker) => {
          process.env[KAFKA_ENV] = broker.brokers;
          return () => broker.stop();
        }),
  ]);
  for (const stop of started) if (stop) teardown.unshift(stop);

  return async () => {
    for (const step of teardown) await step().catch((error: unknown) => console.error('teardown:', error));
  };
}
