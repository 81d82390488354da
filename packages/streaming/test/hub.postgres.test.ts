import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresEventLog } from '@meshgate/event-log';
import { describeFanoutHub } from './hub-contract';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

// Short intervals only keep the suite fast; the hub does not depend on them.
describeFanoutHub('postgres', async () =>
  createPostgresEventLog({ databaseUrl: db.url, pollIntervalMs: 500, heartbeatMs: 300, retryBackoffMs: 100 }),
);
