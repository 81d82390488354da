// Writes the SQL of a new migration for the changes to prisma/schema.prisma since a git ref
// (default HEAD): `node scripts/new-migration.mjs add_widgets [--from REF]`.
//
// Prisma 7's `migrate diff` needs a native schema engine that cannot be downloaded here. Prisma
// 6.19 with its js engine can diff offline (see ../shared/ENVIRONMENT.md), so this script runs
// it from a scratch folder against a throwaway embedded PostgreSQL, and writes the result into
// prisma/migrations/<timestamp>_<name>/migration.sql, Prisma's layout. Review the SQL before committing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const fromIndex = args.indexOf('--from');
const from = fromIndex >= 0 ? args[fromIndex + 1] : 'HEAD';
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <snake_case_name> [--from GIT-REF]');
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'mg-migration-'));
chmodSync(work, 0o755);
const toClassic = (text) =>
  text
    .replace(/provider\s*=\s*"prisma-client"/, 'provider = "prisma-client-js"')
    .replace(/^\s*(output|moduleFormat|generatedFileExtension|importFileExtension)\s*=.*$/gm, '')
    .replace(/provider = "postgresql"\n/, 'provider = "postgresql"\n  url = env("DATABASE_URL")\n');
const oldText = execFileSync('git', ['show', `${from}:prisma/schema.prisma`], { cwd: root, encoding: 'utf8' });
writeFileSync(path.join(work, 'old.prisma'), toClassic(oldText));
writeFileSync(path.join(work, 'new.prisma'), toClassic(readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8')));
writeFileSync(path.join(work, 'package.json'), '{"private":true,"type":"module"}');
writeFileSync(
  path.join(work, 'prisma.config.ts'),
  `import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'new.prisma',
  async adapter() { return new PrismaPg({ connectionString: process.env.DATABASE_URL! }); },
});
`,
);
const run = (cmd, cmdArgs, env = {}) => {
  const result = spawnSync(cmd, cmdArgs, { cwd: work, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
};

console.log('Installing prisma@6.19 into a scratch folder…');
run('npm', ['install', '--no-audit', '--no-fund', 'prisma@6.19', '@prisma/adapter-pg@6.19']);
const { startEmbeddedPostgres } = await import(path.join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).then(
  async (tsx) => {
    tsx.register();
    return import(path.join(root, 'packages/db/src/embedded-postgres.ts'));
  },
);
const pg = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg') });
try {
  const fake = path.join(work, 'fake-engine.so.node');
  writeFileSync(fake, '');
  const sql = run(
    path.join(work, 'node_modules/.bin/prisma'),
    ['migrate', 'diff', '--from-schema-datamodel', 'old.prisma', '--to-schema-datamodel', 'new.prisma', '--script'],
    { DATABASE_URL: pg.adminUrl, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_QUERY_ENGINE_LIBRARY: fake },
  );
  if (!sql.trim() || /This is an empty migration/.test(sql)) {
    console.log(`No schema changes since ${from}.`);
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(root, 'prisma/migrations', `${stamp}_${name}`);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log(`Wrote ${path.relative(root, dir)}/migration.sql:\n\n${sql}`);
  }
} finally {
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
