import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';

describe('startEmbeddedPostgres', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps data across a restart in the same data folder', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-embedded-'));
    await chmod(dir, 0o755);
    const first = await startEmbeddedPostgres({ dataDir: dir });
    const c1 = new pg.Client({ connectionString: first.url });
    await c1.connect();
    await c1.query('CREATE TABLE kept (v text)');
    await c1.query("INSERT INTO kept VALUES ('survives')");
    await c1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir: dir });
    try {
      const c2 = new pg.Client({ connectionString: second.url });
      await c2.connect();
      const { rows } = await c2.query<{ v: string }>('SELECT v FROM kept');
      await c2.end();
      expect(rows).toEqual([{ v: 'survives' }]);
    } finally {
      await second.stop();
    }
  });
});
