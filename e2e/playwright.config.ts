import { defineConfig, devices } from '@playwright/test';
import {
  adminEmail,
  adminPassword,
  chromiumArgs,
  chromiumPath,
  freshDataDir,
  gatewayPort,
  oidcClient,
  oidcIssuer,
  oidcName,
  portalPort,
  portalUrl,
} from './support/environment';

const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  fullyParallel: true,
  forbidOnly: ci,
  retries: 0,
  // Two cores are shared with the gateway, PostgreSQL and the portal.
  workers: ci ? 1 : 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    // scripts/test.mjs collects results through PLAYWRIGHT_JSON_OUTPUT_NAME, and a configured
    // outputFile would take precedence over that variable, so the default applies only without it.
    ['json', process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? {} : { outputFile: './artifacts/results.json' }],
  ],
  use: {
    baseURL: portalUrl,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
      },
    },
  ],
  webServer: [
    // An OpenID Provider for single sign-on (oidc-provider, development login pages). Started
    // first: the gateway discovers it on the first sign-in.
    {
      name: 'oidc-provider',
      command: 'node --import tsx support/oidc-provider.ts',
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: !ci,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    // The whole product, as `npm start` runs it; the first run may build the portal.
    {
      name: 'meshgate',
      command: 'node ../scripts/start.mjs',
      url: portalUrl,
      env: {
        MESHGATE_PORT: String(gatewayPort),
        MESHGATE_PORTAL_PORT: String(portalPort),
        MESHGATE_DATA_DIR: freshDataDir(),
        // The first start on the fresh data folder creates this administrator; the tests sign in as it.
        MESHGATE_ADMIN_EMAIL: adminEmail,
        MESHGATE_ADMIN_PASSWORD: adminPassword,
        // Single sign-on through the provider above (e2e/tests/oidc.spec.ts).
        MESHGATE_OIDC_ISSUER: oidcIssuer,
        MESHGATE_OIDC_CLIENT_ID: oidcClient.clientId,
        MESHGATE_OIDC_CLIENT_SECRET: oidcClient.clientSecret,
        MESHGATE_OIDC_SCOPES: 'openid email profile groups',
        MESHGATE_OIDC_TEAMS_CLAIM: 'groups',
        MESHGATE_OIDC_NAME: oidcName,
        // Observed lineage is written every flush: short, so the event type page shows a produce quickly.
        MESHGATE_LINEAGE_FLUSH_MS: '500',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      timeout: 180_000,
      reuseExistingServer: !ci,
      stdout: 'pipe',
      stderr: 'pipe',
      // start.mjs stops the gateway (and its embedded PostgreSQL) and the portal on SIGTERM.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 25_000 },
    },
  ],
  // The portal answers (with an error panel) before the gateway is ready, so also wait for it.
  globalSetup: './support/wait-for-gateway.ts',
});
