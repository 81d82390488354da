import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI only (generate, and migrate where the native engine is
// available). At run time the gateway connects through @prisma/adapter-pg and
// applies migrations with @meshgate/db's own runner.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/meshgate' },
});
