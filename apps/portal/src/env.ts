/**
 * The portal's environment, read and validated once. Nothing else in the portal touches
 * `process.env`: every other module receives these values through imports or options.
 */

const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';

/** Validated runtime configuration of the portal. */
export interface PortalEnv {
  /** Base URL of the Meshgate gateway (no trailing slash). Default `http://127.0.0.1:4000`. */
  readonly MESHGATE_GATEWAY_URL: string;
}

/** Thrown at start-up when the environment is unusable; names the variable and the reason. */
export class PortalEnvError extends Error {
  override readonly name = 'PortalEnvError';
}

/** Parses a raw environment (usually `process.env`) into a {@link PortalEnv}. */
export function parsePortalEnv(raw: Readonly<Record<string, string | undefined>>): PortalEnv {
  return { MESHGATE_GATEWAY_URL: parseGatewayUrl(raw.MESHGATE_GATEWAY_URL) };
}

function parseGatewayUrl(value: string | undefined): string {
  const candidate = value?.trim() || DEFAULT_GATEWAY_URL;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new PortalEnvError(`MESHGATE_GATEWAY_URL must be an absolute URL, got "${candidate}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PortalEnvError(`MESHGATE_GATEWAY_URL must use http or https, got "${url.protocol}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new PortalEnvError('MESHGATE_GATEWAY_URL must not carry credentials, a query or a fragment');
  }
  // Keep a path prefix (a gateway behind a reverse proxy) but drop the trailing slash so
  // request paths can always be appended as `${base}/v1/...`.
  return url.href.replace(/\/+$/, '');
}

/** The portal's environment, validated on first import. */
export const env: PortalEnv = parsePortalEnv(process.env);
