import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
// @ts-expect-error -- plain ESM module without type declarations
import { gatewayNodeFlags } from '../apps/gateway/node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The administrator token bench gateways start with (MESHGATE_BOOTSTRAP_TOKEN). */
export const BENCH_TOKEN = 'meshgate-bench-admin-token-0123456789';

/** `Authorization` header of the bench administrator. */
export const benchAuth = { authorization: `Bearer ${BENCH_TOKEN}` } as const;

/** A gateway process started the way users start it, on a free port and a temporary data folder. */
export interface BenchGateway {
  url: string;
  /** Pid of the started process (the `tsx` launcher; the gateway's node process and embedded PostgreSQL are its descendants). */
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts `tsx apps/gateway/src/main.ts` with the embedded defaults and waits for /readyz. */
export async function startGateway(env: Record<string, string> = {}): Promise<BenchGateway> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  // BENCH_PROFILE_DIR=/some/dir writes a V8 CPU profile of the gateway there (open it in Chrome
  // DevTools). The profile is written at exit, so the gateway runs in node directly (tsx's launcher
  // does not let a profiled child finish writing).
  const profileDir = process.env.BENCH_PROFILE_DIR;
  // The gateway's Node flags (apps/gateway/node-flags.mjs), as `npm start` passes them;
  // BENCH_GATEWAY_NODE_FLAGS (space-separated, '' for none) replaces them, e.g. to compare.
  const flagsOverride = env.BENCH_GATEWAY_NODE_FLAGS ?? process.env.BENCH_GATEWAY_NODE_FLAGS;
  const nodeFlags: string[] = flagsOverride === undefined ? gatewayNodeFlags : flagsOverride.split(' ').filter(Boolean);
  const [command, args] = profileDir
    ? [
        process.execPath,
        [...nodeFlags, '--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${profileDir}`, 'apps/gateway/src/main.ts'],
      ]
    : [path.join(root, 'node_modules/.bin/tsx'), [...nodeFlags, 'apps/gateway/src/main.ts']];
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      MESHGATE_PORT: String(port),
      MESHGATE_DATA_DIR: dataDir,
      MESHGATE_LOG_LEVEL: 'warn',
      MESHGATE_SEED_DEMO: 'false',
      MESHGATE_BOOTSTRAP_TOKEN: BENCH_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      throw new Error('the gateway did not become ready');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      // PostgreSQL (a grandchild) may still be finishing its last writes: retry, as rm allows.
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** One measured scenario. */
export interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Runs autocannon against a scenario, after a short warm-up, and returns its figures. */
export async function measure(name: string, options: Parameters<typeof autocannon>[0], seconds = 10): Promise<Figures> {
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: seconds });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Prints a table of figures with the ratio of each to the baseline (the first row). */
export function report(title: string, rows: Figures[]): void {
  const baseline = rows[0]!;
  console.log(`\n${title}`);
  console.log(
    'scenario'.padEnd(44) +
      'req/s'.padStart(10) +
      'p50 ms'.padStart(9) +
      'p99 ms'.padStart(9) +
      'vs baseline'.padStart(13) +
      'errors'.padStart(8),
  );
  for (const row of rows) {
    const ratio = row === baseline ? 'baseline' : `${(row.rps / baseline.rps).toFixed(2)}x`;
    console.log(
      row.name.padEnd(44) +
        row.rps.toFixed(0).padStart(10) +
        row.p50.toFixed(1).padStart(9) +
        row.p99.toFixed(1).padStart(9) +
        ratio.padStart(13) +
        String(row.errors).padStart(8),
    );
  }
}
