/** The sign-in page's path. */
export const SIGN_IN_PATH = '/login';

// Any origin works here: a path is safe when resolving it against some origin stays on it.
const PROBE_ORIGIN = 'http://portal.invalid';

/**
 * The page to return to after signing in: `raw` when it is a same-origin relative path
 * (`/event-types/a?b=c`), else `/`. Refuses absolute and protocol-relative URLs (`//evil`,
 * `/\evil`), anything with control characters, and the sign-in page itself, so `next` can
 * never send a visitor to another site or round in circles.
 */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PROBE_ORIGIN) return '/';
  if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`)) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, set to come back to `next` (checked with {@link safeNextPath}). */
export function signInPath(next: string): string {
  const target = safeNextPath(next);
  return target === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(target)}`;
}
