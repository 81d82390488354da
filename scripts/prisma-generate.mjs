// Generates the Prisma Client into packages/db/src/generated (run on npm install).
//
// The Prisma CLI looks for its native schema engine at start-up and would try to
// download it; that host is unreachable here and `generate` never runs the engine.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing executable satisfies the
// check (see ../shared/ENVIRONMENT.md). A user-provided value is kept.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js', { paths: [root] });

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
