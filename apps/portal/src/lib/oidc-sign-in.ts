import { safeNextPath } from './sign-in-path';

/** Where the identity provider sends the browser back; register `{portal origin}{OIDC_CALLBACK_PATH}` at the provider. */
export const OIDC_CALLBACK_PATH = '/login/oidc/callback';

/** The route that starts a single sign-on (a form posts `next` to it). */
export const OIDC_START_PATH = '/login/oidc';

/** The cookie that binds a started single sign-on to this browser. */
export const OIDC_FLOW_COOKIE = 'meshgate_oidc';

/** The cookie that carries why a single sign-on failed to the sign-in page, briefly. */
export const SIGN_IN_ERROR_COOKIE = 'meshgate_sign_in_error';

/** How long a started single sign-on may take (the gateway's pending sign-in lasts as long). */
const FLOW_SECONDS = 600;

/** A single sign-on in progress, as the flow cookie holds it. */
export interface OidcFlow {
  /** The state the gateway issued: the callback must bring back the same. */
  state: string;
  /** The same-origin page to go to afterwards. */
  next: string;
  /** The callback URL the sign-in was started with (the portal's public origin + {@link OIDC_CALLBACK_PATH}). */
  redirectUri: string;
}

/** Cookie attributes in the shape `cookies.set()` takes. */
export interface FlowCookie {
  name: string;
  value: string;
  httpOnly: true;
  /** Lax: the provider's redirect back is a top-level navigation, which carries it. */
  sameSite: 'lax';
  path: string;
  maxAge: number;
  secure: boolean;
}

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The portal's origin as the browser sees it: the Host header (or a proxy's X-Forwarded-Host
 * and X-Forwarded-Proto), since Next.js's own request URL names the host it was started on
 * (`localhost`) whatever the browser used. A malformed host falls back to `fallback`.
 */
export function browserOrigin(
  headers: { host?: string | null; forwardedHost?: string | null; forwardedProto?: string | null },
  fallback: string,
): string {
  const host = (headers.forwardedHost ?? headers.host)?.split(',')[0]?.trim();
  const proto = headers.forwardedProto?.split(',')[0]?.trim().toLowerCase();
  const base = new URL(fallback);
  const protocol = proto === 'https' || proto === 'http' ? `${proto}:` : base.protocol;
  return host && HOST.test(host) ? `${protocol}//${host}` : base.origin;
}

/** {@link browserOrigin} of a route handler's request. */
export function requestOrigin(request: { headers: Headers; nextUrl: { origin: string } }): string {
  return browserOrigin(
    {
      host: request.headers.get('host'),
      forwardedHost: request.headers.get('x-forwarded-host'),
      forwardedProto: request.headers.get('x-forwarded-proto'),
    },
    request.nextUrl.origin,
  );
}

/** The callback URL of a portal served at `origin`. */
export function oidcRedirectUri(origin: string): string {
  return new URL(OIDC_CALLBACK_PATH, origin).href;
}

/**
 * The flow cookie for a started sign-in: HttpOnly, only sent to the sign-in routes, gone after
 * ten minutes. A visitor who edits it gains nothing: the state must match what the provider
 * sends back and what the gateway remembers, and `next` is checked again when read.
 */
export function oidcFlowCookie(flow: OidcFlow): FlowCookie {
  return {
    name: OIDC_FLOW_COOKIE,
    value: Buffer.from(JSON.stringify(flow), 'utf8').toString('base64url'),
    httpOnly: true,
    sameSite: 'lax',
    path: OIDC_START_PATH,
    maxAge: FLOW_SECONDS,
    secure: flow.redirectUri.startsWith('https:'),
  };
}

/** Reads the flow cookie; `null` when absent or not one the portal wrote. */
export function readOidcFlow(value: string | undefined): OidcFlow | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { state, next, redirectUri } = parsed as Record<string, unknown>;
  if (typeof state !== 'string' || state === '' || typeof redirectUri !== 'string') return null;
  if (!URL.canParse(redirectUri)) return null;
  return { state, next: safeNextPath(next), redirectUri };
}

/**
 * The URL the provider redirected the browser to, as the gateway needs it: the callback URL the
 * sign-in was started with, plus the query the browser arrived with. Built from the flow rather
 * than from the request, so a proxy in front of the portal does not change it.
 */
export function oidcCallbackUrl(flow: OidcFlow, search: string): string {
  const url = new URL(flow.redirectUri);
  url.search = search;
  return url.href;
}

/** The sign-in page after a failed single sign-on, keeping `next`. */
export function signInErrorPath(next: string): string {
  const target = safeNextPath(next);
  const query = new URLSearchParams({ error: 'sso' });
  if (target !== '/') query.set('next', target);
  return `/login?${query}`;
}

/**
 * Carries the reason for a failed single sign-on to the sign-in page for a minute. A cookie,
 * not the query string: nobody can make the page say something by sending a link.
 */
export function signInErrorCookie(message: string, secure: boolean) {
  return {
    name: SIGN_IN_ERROR_COOKIE,
    value: encodeURIComponent(message.slice(0, 500)),
    httpOnly: true as const,
    sameSite: 'lax' as const,
    path: '/login',
    maxAge: 60,
    secure,
  };
}

/** Reads the reason a failed single sign-on left; a generic one when the cookie is gone. */
export function readSignInError(value: string | undefined): string {
  if (value) {
    try {
      return decodeURIComponent(value);
    } catch {
      // fall through
    }
  }
  return 'Single sign-on did not complete. Try again.';
}
