/** Hosts that mean "this machine": a gateway there is on the portal's own host. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The gateway's base URL as the visitor's browser reaches it: the configured
 * MESHGATE_PUBLIC_GATEWAY_URL when there is one; else, when the portal reaches the gateway on
 * this machine (a loopback host), that URL with the host the browser used for the portal
 * (`localhost` or `127.0.0.1`, a LAN name…) — the session cookie is bound to that host, and
 * cookies ignore ports, so the browser's graphql-ws handshake then carries it; else the
 * portal's own gateway URL unchanged.
 */
export function publicGatewayUrl(options: {
  /** MESHGATE_PUBLIC_GATEWAY_URL, validated. */
  configured: string | undefined;
  /** MESHGATE_GATEWAY_URL, validated. */
  internal: string;
  /** The `X-Forwarded-Host` or `Host` the browser sent to the portal. */
  requestHost: string | null | undefined;
}): string {
  if (options.configured) return options.configured;
  const internal = new URL(options.internal);
  const host = options.requestHost?.split(',')[0]?.trim();
  if (!host || !LOOPBACK_HOSTS.has(internal.hostname)) return options.internal;
  let browserHost: URL;
  try {
    browserHost = new URL(`http://${host}`);
  } catch {
    return options.internal;
  }
  if (browserHost.username || browserHost.pathname !== '/') return options.internal;
  internal.hostname = browserHost.hostname;
  return internal.href.replace(/\/+$/, '');
}
