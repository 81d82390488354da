import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresEventLog } from '../src';
import { describeEventLogContract } from './contract';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

// Short intervals only to keep the suite fast; the behaviour does not depend on them.
describeEventLogContract('postgres', () =>
  createPostgresEventLog({ databaseUrl: db.url, pollIntervalMs: 500, heartbeatMs: 300, retryBackoffMs: 100 }),
);
