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

/**
 * Port of the OpenID Provider the suite starts (support/oidc-provider.ts) for single sign-on.
 * Not one of the Fetch standard's blocked ports (4190, 6000, …): fetch refuses those.
 */
export const oidcPort = Number(process.env.MESHGATE_E2E_OIDC_PORT ?? 4180);

/** Its issuer, handed to the gateway as MESHGATE_OIDC_ISSUER. */
export const oidcIssuer = `http://127.0.0.1:${oidcPort}`;

/** The portal's client at that provider. */
export const oidcClient = {
  clientId: 'meshgate-portal-e2e',
  clientSecret: 'meshgate-portal-e2e-secret-0123456789abcdef',
  redirectUri: `${portalUrl}/login/oidc/callback`,
} as const;

/** The provider's name on the portal's "Sign in with …" button. */
export const oidcName = 'Example SSO';

/** The team the provider's `groups` claim names for `sso-teams-…` logins (the spec creates it in the product). */
export const ssoTeam = 'e2e-sso-team';

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
