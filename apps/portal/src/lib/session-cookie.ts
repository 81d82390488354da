/** The portal's session cookie: the same name as the gateway's, on the portal's own origin. */
export const SESSION_COOKIE = 'meshgate_session';

/** Attributes of the session cookie, in the shape `cookies().set()` takes. */
export interface SessionCookie {
  name: string;
  value: string;
  /** Never readable by browser JavaScript. */
  httpOnly: true;
  /** Sent on top-level navigations from other sites (links), not on their sub-requests or posts. */
  sameSite: 'lax';
  path: '/';
  expires: Date;
  secure: boolean;
}

/** The session cookie for a token from `POST /v1/auth/login`; it ends when the gateway's session does. */
export function sessionCookie(token: string, expiresAt: string, secure: boolean): SessionCookie {
  const expires = new Date(expiresAt);
  if (Number.isNaN(expires.getTime())) throw new RangeError(`expiresAt is not a date: ${expiresAt}`);
  return { name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'lax', path: '/', expires, secure };
}

/**
 * Whether the portal is being served over https, from the request's headers: the browser's
 * `Origin` (sent with every form post), else the `X-Forwarded-Proto` a TLS-terminating proxy
 * (or Next.js itself) sets. A cookie marked Secure over plain http would never come back.
 */
export function isSecureRequest(headers: { origin?: string | null; forwardedProto?: string | null }): boolean {
  const origin = headers.origin?.trim();
  if (origin && origin !== 'null') return origin.toLowerCase().startsWith('https:');
  const proto = headers.forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}
