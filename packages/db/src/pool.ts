import pg from 'pg';

export type { Pool, PoolClient, Client as PgClient, Notification } from 'pg';

/** Creates a node-postgres pool for raw SQL (the embedded event log's hot path, LISTEN/NOTIFY). */
export function createPool(databaseUrl: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Creates a single dedicated connection (e.g. for LISTEN), not taken from a pool. */
export function createClient(databaseUrl: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl });
}
