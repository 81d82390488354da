import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from './migrate';
import { createTestDatabase, type TestDatabase } from './testing';

describe('runMigrations (real PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  it('applies every migration once, even when several instances start at once', async () => {
    const db = await createTestDatabase({ migrate: false });
    databases.push(db);
    const results = await Promise.all([runMigrations(db.url), runMigrations(db.url), runMigrations(db.url)]);
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts[0]).toBe(0);
    expect(appliedCounts[1]).toBe(0);
    expect(appliedCounts[2]).toBeGreaterThan(0);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; finished_at: Date | null }>(
        'SELECT migration_name, finished_at FROM "_prisma_migrations"',
      );
      expect(rows.length).toBe(appliedCounts[2]);
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables.rows.map((r) => r.tablename)).toEqual(
        expect.arrayContaining(['event_types', 'el_records', 'registry_schemas']),
      );
    } finally {
      await client.end();
    }
    const again = await runMigrations(db.url);
    expect(again.applied).toEqual([]);
  });

  it('rolls a failing migration back completely and reports it', async () => {
    const db = await createTestDatabase({ migrate: false });
    databases.push(db);
    const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-migr-'));
    await mkdir(path.join(dir, '001_ok'));
    await writeFile(path.join(dir, '001_ok', 'migration.sql'), 'CREATE TABLE a (id int);');
    await mkdir(path.join(dir, '002_bad'));
    await writeFile(
      path.join(dir, '002_bad', 'migration.sql'),
      'CREATE TABLE b (id int); SELECT * FROM missing_table;',
    );
    await expect(runMigrations(db.url, { dir })).rejects.toThrow(/002_bad failed/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
      );
      const names = tables.rows.map((r) => r.tablename);
      expect(names).toContain('a');
      expect(names).not.toContain('b');
    } finally {
      await client.end();
    }
  });
});
