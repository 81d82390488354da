import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything the e2e suite takes from its environment, in one place. Defaults start the whole
 * product on fixed test ports so a developer's own instance (4000/3000) is left alone.
 */

/** Port the gateway under test listens on. */
export const gatewayPort = Number(process.env.MESHGATE_E2E_GATEWAY_PORT ?? 4100);

/** Port the portal under test listens on. */
export const portalPort = Number(process.env.MESHGATE_E2E_PORTAL_PORT ?? 3100);

/** Gateway base URL the product under test listens on. */
export const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

/** Portal base URL; Playwright's `baseURL`. */
export const portalUrl = `http://127.0.0.1:${portalPort}`;

/** The administrator account `scripts/start.mjs` creates on the fresh data folder. */
export const adminEmail = process.env.MESHGATE_E2E_ADMIN_EMAIL ?? 'admin@meshgate.local';

/** Its password, handed to the product under test as MESHGATE_ADMIN_PASSWORD (at least 12 characters). */
export const adminPassword = process.env.MESHGATE_E2E_ADMIN_PASSWORD ?? 'e2e-admin-password-0001';

/** Chromium from Debian (`apt-get install chromium`); Playwright cannot download browsers here. */
export const chromiumPath = process.env.MESHGATE_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium headless, sandbox-free in containers, and off the network. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh data folder per run, so every run starts from the demo seed. The config is loaded
 * again in each worker; workers inherit this variable from the runner, so exactly one folder
 * is created per run.
 */
export function freshDataDir(): string {
  if (!process.env.MESHGATE_E2E_DATA_DIR) {
    const dir = mkdtempSync(join(tmpdir(), 'meshgate-e2e-'));
    // Embedded PostgreSQL runs as the unprivileged `postgres` user when started as root, and
    // mkdtemp creates the folder 0700.
    chmodSync(dir, 0o755);
    process.env.MESHGATE_E2E_DATA_DIR = dir;
  }
  return process.env.MESHGATE_E2E_DATA_DIR;
}
