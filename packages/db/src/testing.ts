import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from './migrate';

/**
 * Name of the environment variable through which the test run's global setup hands out the
 * admin URL of the PostgreSQL it started (see vitest.global-setup.ts at the repo root).
 */
export const TEST_ADMIN_URL_ENV = 'MESHGATE_TEST_ADMIN_DATABASE_URL';

/** A database created for one test file. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, migrated database on the test run's real PostgreSQL, so each test file
 * works in isolation. Fails loudly when no PostgreSQL was started for the run.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env[TEST_ADMIN_URL_ENV];
  if (!adminUrl) {
    throw new Error(
      `${TEST_ADMIN_URL_ENV} is not set: run tests through vitest at the repo root (its global setup starts PostgreSQL).`,
    );
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (options.migrate ?? true) await runMigrations(url.toString());
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
