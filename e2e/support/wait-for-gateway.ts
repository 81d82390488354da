import type { FullConfig } from '@playwright/test';
import { gatewayUrl } from './environment';

const TIMEOUT_MS = 180_000;
const INTERVAL_MS = 500;

/** Global setup: waits until the gateway reports ready (database and event log reachable). */
export default async function waitForGateway(_config: FullConfig): Promise<void> {
  const url = `${gatewayUrl}/readyz`;
  const deadline = Date.now() + TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `HTTP ${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  throw new Error(`Gateway not ready at ${url} after ${TIMEOUT_MS / 1000} s: ${last}`);
}
