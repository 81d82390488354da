// `npm start`: runs the gateway (4000) and the portal (3000) on the embedded defaults —
// embedded PostgreSQL and the embedded event log, data kept in .data/ — and shuts both down
// cleanly on Ctrl-C. DATABASE_URL and KAFKA_BROKERS switch to external services.
//
// Environment: MESHGATE_PORT (gateway, 4000), MESHGATE_PORTAL_PORT (3000), MESHGATE_DATA_DIR
// (.data), plus everything the gateway reads (see README, Configuration).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayNodeFlags } from '../apps/gateway/node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gatewayPort = Number(process.env.MESHGATE_PORT ?? 4000);
const portalPort = Number(process.env.MESHGATE_PORTAL_PORT ?? 3000);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const say = (message) => console.log(`[meshgate] ${message}`);

// Build the portal unless turbo's cache says the build is current (a cache hit restores it in ~1 s).
say('Building the portal (cached after the first run)…');
const build = spawnSync(bin('turbo'), ['run', 'build', '--filter=@meshgate/portal', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
});
if (build.status !== 0) {
  console.error('[meshgate] The portal build failed; see above.');
  process.exit(build.status ?? 1);
}

const children = new Map();
let stopping = false;

function run(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[meshgate] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping.`);
      void stop(1);
    } else if (children.size === 0) {
      process.exit(exitCode);
    }
  });
  return child;
}

let exitCode = 0;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  say('Stopping…');
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 20_000).unref();
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

run('gateway', bin('tsx'), [...gatewayNodeFlags, 'apps/gateway/src/main.ts'], {
  MESHGATE_PORT: String(gatewayPort),
  MESHGATE_PORTAL_URL: process.env.MESHGATE_PORTAL_URL ?? `http://127.0.0.1:${portalPort}`,
});

// Start the portal once the gateway answers, so the first page view is not an error page.
const deadline = Date.now() + 180_000;
for (;;) {
  if (stopping) break;
  const ready = await fetch(`${gatewayUrl}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ready) break;
  if (Date.now() > deadline) {
    console.error('[meshgate] The gateway did not become ready within 180 s; see its log above.');
    await stop(1);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
}
if (!stopping) {
  run('portal', bin('next'), ['start', 'apps/portal', '--port', String(portalPort), '--hostname', '127.0.0.1'], {
    MESHGATE_GATEWAY_URL: gatewayUrl,
    NEXT_TELEMETRY_DISABLED: '1',
  });
  for (;;) {
    if (stopping) break;
    const up = await fetch(`http://127.0.0.1:${portalPort}/`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (!stopping) {
    say('Meshgate is running:');
    say(`  portal    http://127.0.0.1:${portalPort}`);
    say(`  gateway   ${gatewayUrl}   (GraphQL ${gatewayUrl}/graphql, registry ${gatewayUrl}/registry)`);
    say('  Ctrl-C stops everything.');
  }
}
