import { createPool, type Pool } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createPostgresEventLog, type LogRecord, type PostgresEventLog, type PostgresEventLogOptions } from '../src';
import { DELETE_SQL as RETENTION_SQL } from '../src/postgres/retention';
import { collect, position, text, uniqueName, waitFor } from './helpers';

// Behaviour only the embedded log has (retention we can trigger, LISTEN/NOTIFY, advisory-lock
// membership), against the real PostgreSQL.
describe('postgres event log', () => {
  let db: TestDatabase;
  let admin: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = createPool(db.url, { max: 2 });
  });

  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  function open(options: Partial<PostgresEventLogOptions> = {}): PostgresEventLog {
    const log = createPostgresEventLog({ databaseUrl: db.url, heartbeatMs: 300, retryBackoffMs: 100, ...options });
    onTestFinished(() => log.close());
    return log;
  }

  async function backends(applicationName: string): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [applicationName],
    );
    return rows.map((row) => row.pid);
  }

  it('deletes only an expired prefix of each partition and reports the earliest retained offset', async () => {
    const log = open({ retentionCheckMs: 0 });
    const topic = uniqueName('retention');
    await log.createTopic({ name: topic, partitions: 1, retentionMs: 60_000 });
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await log.append(topic, [
      { value: 'old-0', timestamp: old },
      { value: 'old-1', timestamp: old },
      { value: 'old-2', timestamp: old },
      { value: 'new-3' },
      // Late, with an old timestamp: kept, or the partition would get a hole.
      { value: 'late-4', timestamp: old },
      { value: 'new-5' },
    ]);
    expect(await log.enforceRetention()).toBe(3);
    expect(await log.offsets(topic)).toEqual([{ partition: 0, earliest: 3, next: 6 }]);
    const records = await collect(log.read({ topic, from: 'earliest' }), 3);
    expect(records.map(text)).toEqual(['new-3', 'late-4', 'new-5']);
    // Positions before the earliest retained record simply start there.
    const fromZero = await collect(log.read({ topic, from: new Map([[0, 1]]) }), 3);
    expect(fromZero.map((r) => r.offset)).toEqual([3, 4, 5]);
  });

  it("finds each partition's first young record once per partition, not once per record", async () => {
    // Inlined, the statement's CTEs made PostgreSQL run that lookup for every record (a join
    // filter): minutes of a core for 80 000 records, every minute. Its plan must not grow with them.
    const log = open({ retentionCheckMs: 0 });
    const topic = uniqueName('retention-plan');
    await log.createTopic({ name: topic, partitions: 2, retentionMs: 60_000 });
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (let batch = 0; batch < 3; batch++) {
      await log.append(
        topic,
        Array.from({ length: 1000 }, (_, index) => ({
          value: `v${index}`,
          partition: index % 2,
          ...(batch === 0 ? { timestamp: old } : {}),
        })),
      );
    }
    const client = await admin.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${RETENTION_SQL}`,
        [7 * 24 * 60 * 60 * 1000],
      );
      await client.query('ROLLBACK');
      let recordScans = 0;
      const walk = (node: Record<string, unknown>) => {
        if (node['Relation Name'] === 'el_records') recordScans += Number(node['Actual Loops'] ?? 0);
        for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
      };
      const plan = rows[0]!['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>;
      walk(plan[0]!.Plan);
      const { rows: partitions } = await client.query<{ n: string }>('SELECT count(*) AS n FROM el_partitions');
      // Two scans of el_records per partition at most (find the first young record, delete before it).
      expect(recordScans).toBeGreaterThan(0);
      expect(recordScans).toBeLessThanOrEqual(2 * Number(partitions[0]!.n));
    } finally {
      client.release();
    }
    expect(await log.enforceRetention()).toBe(1000);
    expect(await log.offsets(topic)).toEqual([
      { partition: 0, earliest: 500, next: 1500 },
      { partition: 1, earliest: 500, next: 1500 },
    ]);
  });

  it('runs retention on a timer, with the default retention for topics that set none', async () => {
    const log = open({ retentionCheckMs: 100, defaultRetentionMs: 60_000 });
    const topic = uniqueName('retention-timer');
    await log.createTopic({ name: topic, partitions: 2 });
    const old = new Date(Date.now() - 10 * 60 * 1000);
    await log.append(topic, [
      { value: 'a', partition: 0, timestamp: old },
      { value: 'b', partition: 1, timestamp: old },
      { value: 'c', partition: 1 },
    ]);
    await waitFor(async () => {
      const offsets = await log.offsets(topic);
      return offsets[0]?.earliest === 1 && offsets[1]?.earliest === 1;
    }, 'the retention timer to delete the expired records');
    expect(await log.offsets(topic)).toEqual([
      { partition: 0, earliest: 1, next: 1 },
      { partition: 1, earliest: 1, next: 2 },
    ]);
  });

  it('serves many readers over one LISTEN connection per instance', async () => {
    const log = open();
    const topics = [uniqueName('fan'), uniqueName('fan')];
    for (const name of topics) await log.createTopic({ name, partitions: 2 });
    const readers = Array.from({ length: 200 }, (_, i) => log.read({ topic: topics[i % 2]!, from: 'earliest' }));
    const pending = readers.map((reader) => collect(reader, 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await backends('meshgate-event-log-listen')).toHaveLength(1);
    await log.append(topics[0]!, [{ value: 'one' }]);
    await log.append(topics[1]!, [{ value: 'two' }]);
    const batches = await Promise.all(pending);
    batches.forEach((records, i) => expect(records.map(text)).toEqual([i % 2 === 0 ? 'one' : 'two']));
    await log.close();
    expect(await backends('meshgate-event-log-listen')).toHaveLength(0);
  });

  it('idle readers cost one poll query per interval, not one per reader', async () => {
    const pool = createPool(db.url, { max: 4 });
    onTestFinished(() => pool.end());
    let queries = 0;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<typeof query>) => {
      queries += 1;
      return query(...args);
    }) as typeof pool.query;
    const log = open({ pool, databaseUrl: undefined, pollIntervalMs: 100 });
    const topic = uniqueName('idle');
    await log.createTopic({ name: topic, partitions: 4 });
    const readers = Array.from({ length: 100 }, () => log.read({ topic, from: 'latest' }));
    const pending = readers.map((reader) => collect(reader, 1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = queries;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // About ten polls in a second; a poll per reader would be a thousand queries.
    expect(queries - before).toBeLessThan(30);
    await log.append(topic, [{ value: 'wake' }]);
    for (const records of await Promise.all(pending)) expect(records.map(text)).toEqual(['wake']);
  });

  it('reconnects a dropped LISTEN connection, and polls meanwhile', async () => {
    // A poll interval far longer than the test: delivery must come from notifications.
    const log = open({ pollIntervalMs: 60_000 });
    const topic = uniqueName('relisten');
    await log.createTopic({ name: topic, partitions: 1 });
    const reader = log.read({ topic, from: 'earliest' });
    onTestFinished(() => reader.close());
    const first = collect(reader, 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await log.append(topic, [{ value: 'before' }]);
    expect((await first).map(text)).toEqual(['before']);

    const [listener] = await backends('meshgate-event-log-listen');
    await admin.query('SELECT pg_terminate_backend($1)', [listener]);
    await waitFor(async () => {
      const now = await backends('meshgate-event-log-listen');
      return now.length === 1 && now[0] !== listener;
    }, 'a new LISTEN connection');
    const second = collect(reader, 1, 10_000);
    await log.append(topic, [{ value: 'after' }]);
    expect((await second).map(text)).toEqual(['after']);
  });

  it('finds records that came without a notification by polling', async () => {
    const log = open({ pollIntervalMs: 200 });
    const topic = uniqueName('poll');
    await log.createTopic({ name: topic, partitions: 1 });
    const reader = log.read({ topic, from: 'earliest' });
    onTestFinished(() => reader.close());
    const pending = collect(reader, 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Written behind the adapter's back, so no NOTIFY is sent.
    await admin.query(
      `WITH r AS (INSERT INTO el_records (topic, partition, "offset", value, "timestamp") VALUES ($1, 0, 0, 'quiet', now()))
       UPDATE el_partitions SET next_offset = 1 WHERE topic = $1 AND partition = 0`,
      [topic],
    );
    expect((await pending).map(text)).toEqual(['quiet']);
  });

  it("takes over a crashed member's partitions, and the member rejoins on its own", async () => {
    const one = open();
    const two = open();
    const topic = uniqueName('crash');
    await one.createTopic({ name: topic, partitions: 4 });
    const groupId = uniqueName('group');
    const seen: LogRecord[] = [];
    const handler = async (records: LogRecord[]) => void seen.push(...records);
    const memberOne = await one.consume({ groupId, topic, handler });
    const memberTwo = await two.consume({ groupId, topic, handler });
    await waitFor(
      () => memberOne.assignment().length === 2 && memberTwo.assignment().length === 2,
      () => `a 2/2 split: ${memberOne.assignment()} / ${memberTwo.assignment()}`,
    );

    // Kill member two's session the way a crash or network cut would: PostgreSQL drops its locks.
    const victim = memberTwo.assignment()[0]!;
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.objid = $1::oid
         AND a.application_name = 'meshgate-event-log-group' AND a.datname = current_database()`,
      [victim],
    );
    const pids = rows.map((row) => row.pid);
    expect(pids.length).toBeGreaterThan(0);
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);

    await one.append(
      topic,
      Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    await waitFor(
      () => new Set(seen.map(position)).size === 40,
      () => `40 records, got ${new Set(seen.map(position)).size}`,
    );
    await waitFor(
      () => memberOne.assignment().length === 2 && memberTwo.assignment().length === 2,
      () => `member two to rejoin: ${memberOne.assignment()} / ${memberTwo.assignment()}`,
    );
  });

  it('works on a pool it was given, and leaves that pool open', async () => {
    const pool = createPool(db.url, { max: 4 });
    onTestFinished(() => pool.end());
    const log = createPostgresEventLog({ pool });
    const topic = uniqueName('pool');
    await log.createTopic({ name: topic, partitions: 1 });
    const seen: LogRecord[] = [];
    await log.consume({ groupId: uniqueName('group'), topic, handler: async (records) => void seen.push(...records) });
    await log.append(topic, [{ value: 'x' }]);
    await waitFor(() => seen.length === 1, 'the record through a member on dedicated connections');
    await log.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('reports an unreachable database as unhealthy instead of throwing', async () => {
    const log = open({ databaseUrl: 'postgresql://nobody:secret@127.0.0.1:1/nothing', healthTimeoutMs: 2000 });
    const health = await log.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^PostgreSQL: /);
    await expect(log.offsets('anything')).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });
});
