import type pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';
import { runMigrations } from './migrate';
import { createPool } from './pool';
import { createPrismaClient, type PrismaClient } from './prisma-client';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** External PostgreSQL; when absent an embedded PostgreSQL is started in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Data folder for the embedded PostgreSQL. */
  dataDir: string;
  /** Fixed port for the embedded PostgreSQL; default: a free one. */
  embeddedPort?: number | undefined;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  onLog?: (line: string) => void;
}

/** An open database: Prisma for the domain, a raw pool for hot paths, and how to close both. */
export interface Database {
  url: string;
  /** Set when Meshgate started PostgreSQL itself. */
  embedded: EmbeddedPostgresHandle | undefined;
  prisma: PrismaClient;
  pool: pg.Pool;
  /** True when PostgreSQL answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects to (or starts) PostgreSQL and applies migrations. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.embeddedPort, onLog: options.onLog });
  const url = options.databaseUrl ?? embedded!.url;
  try {
    if (options.migrate ?? true) {
      await runMigrations(url, { onApplied: (name) => options.onLog?.(`applied migration ${name}`) });
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const prisma = createPrismaClient(url);
  const pool = createPool(url);
  return {
    url,
    embedded,
    prisma,
    pool,
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
