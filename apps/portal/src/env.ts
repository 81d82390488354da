/**
 * The portal's environment, read and validated once. Nothing else in the portal touches
 * `process.env`: every other module receives these values through imports or options.
 */

const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';

/** Validated runtime configuration of the portal. */
export interface PortalEnv {
  /** Base URL of the Meshgate gateway (no trailing slash). Default `http://127.0.0.1:4000`. */
  readonly MESHGATE_GATEWAY_URL: string;
  /**
   * The gateway's URL as **browsers** reach it (live tail and GraphQL explorer subscriptions over
   * graphql-ws, and the URLs in copy-paste snippets). Default: none — then the portal uses
   * MESHGATE_GATEWAY_URL with its host replaced by the host the browser reached the portal on
   * (see `src/lib/public-gateway.ts`). The browser authenticates to it with the portal's session
   * cookie, so the gateway must be on the portal's host (any port) or behind the same host.
   */
  readonly MESHGATE_PUBLIC_GATEWAY_URL: string | undefined;
}

/** Thrown at start-up when the environment is unusable; names the variable and the reason. */
export class PortalEnvError extends Error {
  override readonly name = 'PortalEnvError';
}

/** Parses a raw environment (usually `process.env`) into a {@link PortalEnv}. */
export function parsePortalEnv(raw: Readonly<Record<string, string | undefined>>): PortalEnv {
  const publicUrl = raw.MESHGATE_PUBLIC_GATEWAY_URL?.trim();
  return {
    MESHGATE_GATEWAY_URL: parseGatewayUrl(
      raw.MESHGATE_GATEWAY_URL?.trim() || DEFAULT_GATEWAY_URL,
      'MESHGATE_GATEWAY_URL',
    ),
    MESHGATE_PUBLIC_GATEWAY_URL: publicUrl ? parseGatewayUrl(publicUrl, 'MESHGATE_PUBLIC_GATEWAY_URL') : undefined,
  };
}

function parseGatewayUrl(candidate: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new PortalEnvError(`${variable} must be an absolute URL, got "${candidate}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PortalEnvError(`${variable} must use http or https, got "${url.protocol}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new PortalEnvError(`${variable} must not carry credentials, a query or a fragment`);
  }
  // Keep a path prefix (a gateway behind a reverse proxy) but drop the trailing slash so
  // request paths can always be appended as `${base}/v1/...`.
  return url.href.replace(/\/+$/, '');
}

/** The portal's environment, validated on first import. */
export const env: PortalEnv = parsePortalEnv(process.env);
