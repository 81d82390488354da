import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { createPostgresEventLog } from '@meshgate/event-log';
import { describeDeadLetterWorker } from './dead-letter-contract';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

// Short intervals keep group rebalances and redeliveries quick; the worker does not depend on them.
describeDeadLetterWorker('postgres', async () =>
  createPostgresEventLog({ databaseUrl: db.url, pollIntervalMs: 500, heartbeatMs: 300, retryBackoffMs: 100 }),
);
