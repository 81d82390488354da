// `npm test`: every test, against the real stack. Vitest (unit and integration tests; its
// global setup starts a real PostgreSQL and a real Kafka broker) then Playwright in Debian's
// Chromium (e2e/). Ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, '.test-results');
const chromium = process.env.MESHGATE_CHROMIUM ?? '/usr/bin/chromium';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' };
const say = (message) => console.log(`[test] ${message}`);

function sh(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  say(
    `${[command, ...args].join(' ')} → exit ${result.status ?? result.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result.status ?? 1;
}

// What the tests need from the machine: Java for the Kafka broker (Maven fetches it) and Chromium.
function ensureSystemPackages() {
  const missing = [];
  if (spawnSync('java', ['-version']).status !== 0) missing.push('openjdk-17-jre-headless');
  if (spawnSync('mvn', ['-v']).status !== 0) missing.push('maven');
  if (!existsSync(chromium)) missing.push('chromium');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `[test] Missing system packages: ${missing.join(' ')}. Install them (apt-get install -y ${missing.join(' ')}).`,
    );
    process.exit(1);
  }
  say(`Installing ${missing.join(', ')} from Debian…`);
  if (
    sh('apt-get', ['update', '-qq']) !== 0 ||
    sh('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } }) !== 0
  ) {
    console.error('[test] apt-get failed; see above.');
    process.exit(1);
  }
}

ensureSystemPackages();
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const vitestJson = path.join(resultsDir, 'vitest.json');
const playwrightJson = path.join(resultsDir, 'playwright.json');
const vitestExit = sh(path.join(root, 'node_modules/.bin/vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const e2eExit = sh('npm', ['run', 'test', '-w', '@meshgate/e2e'], {
  env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
});

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
const vitest = readJson(vitestJson);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += (vitest.numFailedTests ?? 0) + (vitest.numTodoTests ?? 0) + (vitest.numPendingTests ?? 0);
} else failed += 1;
const playwright = readJson(playwrightJson);
if (playwright?.stats) {
  passed += playwright.stats.expected ?? 0;
  failed += (playwright.stats.unexpected ?? 0) + (playwright.stats.flaky ?? 0) + (playwright.stats.skipped ?? 0);
} else failed += 1;
// A runner that failed without reporting a failed test (a crashed setup, no tests found) still fails the run.
if ((vitestExit !== 0 || e2eExit !== 0) && failed === 0) failed = 1;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && vitestExit === 0 && e2eExit === 0 ? 0 : 1);
