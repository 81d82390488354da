export { createPrismaClient, Prisma, type PrismaClient } from './prisma-client';
export { createPool, createClient, type Pool, type PoolClient, type PgClient, type Notification } from './pool';
export { runMigrations, defaultMigrationsDir, type RunMigrationsOptions, type MigrationResult } from './migrate';
export {
  startEmbeddedPostgres,
  findFreePort,
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresHandle,
} from './embedded-postgres';
export { openDatabase, type OpenDatabaseOptions, type Database } from './open-database';
export {
  ChangeFeed,
  CHANGE_CHANNEL,
  type ChangeEvent,
  type ChangeFeedOptions,
  type ChangeTopic,
  type Queryable,
} from './change-feed';
