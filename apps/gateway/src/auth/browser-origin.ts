/**
 * Whether a WebSocket handshake that authenticates with the portal's session cookie may come
 * from the page that opened it. Browsers attach cookies to cross-origin WebSocket handshakes
 * (SameSite=Lax only keeps other *sites* out, not sibling hosts of the same site), so a page
 * elsewhere could otherwise act as the signed-in person: cross-site WebSocket hijacking.
 *
 * Allowed: no `Origin` header (not a browser: it cannot be tricked into sending the cookie),
 * an origin listed in `allowed` (MESHGATE_PORTAL_ORIGINS), or a page on the gateway's own host
 * (`Host`), any port — where the portal runs by default, since the session cookie is bound to
 * the host the portal was reached on and cookies ignore ports.
 */
export function isAllowedBrowserOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (allowed.includes(page.origin)) return true;
  if (!host) return false;
  try {
    return new URL(`http://${host}`).hostname === page.hostname;
  } catch {
    return false;
  }
}

/** Parses MESHGATE_PORTAL_ORIGINS (comma-separated origins) into normalised origins; throws on anything else. */
export function parseBrowserOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const url = new URL(item);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.replace(/\/$/, '')) {
        throw new Error(`'${item}' is not an origin (scheme://host[:port], nothing after)`);
      }
      return url.origin;
    });
}
