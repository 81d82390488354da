import type { Route } from 'next';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { env } from '../env';
import { createGatewayClient, type GatewayClient, type Me } from './gateway-client';
import { isGatewayError, isUnauthenticated, type GatewayError } from './gateway-error';
import { publicGatewayUrl } from './public-gateway';
import { SESSION_COOKIE } from './session-cookie';
import { signInPath } from './sign-in-path';

// Server-only: reads the request's cookies. Client components never import this module, so
// the session token stays on the server; the browser only ever holds it in an HttpOnly cookie.

/** A gateway client without credentials: for signing in, and for the base URL in examples. */
export const anonymousGateway = createGatewayClient({ baseUrl: env.MESHGATE_GATEWAY_URL });

/** The session token of the current request, if the visitor has one. */
export async function readSessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value || undefined;
}

/** The gateway client acting as the visitor of the current request (made once per request). */
export const getGateway = cache(async (): Promise<GatewayClient> =>
  createGatewayClient({ baseUrl: env.MESHGATE_GATEWAY_URL, sessionToken: await readSessionToken() }),
);

/**
 * The signed-in visitor, read from the gateway at most once per request; `null` when there is
 * no session or the gateway says it is over. Other failures (gateway unreachable…) throw.
 */
export const getMe = cache(async (): Promise<Me | null> => {
  if (!(await readSessionToken())) return null;
  try {
    return await (await getGateway()).getMe();
  } catch (error) {
    if (isUnauthenticated(error)) return null;
    throw error;
  }
});

/** The signed-in visitor, or a redirect to the sign-in page that comes back to `next` afterwards. */
export async function requireMe(next: string): Promise<Me> {
  const me = await getMe();
  if (!me) redirect(signInPath(next) as Route);
  return me;
}

/**
 * Sends the visitor to sign in (and back to `next` afterwards) when `error` is the gateway's
 * 401; returns for any other error, which the caller then shows.
 */
export function redirectIfSignedOut(error: unknown, next: string): void {
  if (isUnauthenticated(error)) redirect(signInPath(next) as Route);
}

/**
 * For `.catch` on a gateway call whose failure the page shows: a GatewayError becomes the value,
 * a 401 redirects to sign-in (back to `path`), anything else is thrown on.
 */
export function gatewayFailure(path: string) {
  return (error: unknown): GatewayError => {
    redirectIfSignedOut(error, path);
    if (!isGatewayError(error)) throw error;
    return error;
  };
}

/**
 * Reads one event type at most once per request, so `generateMetadata` and the page share a
 * single gateway call. Nothing is cached across requests.
 */
export const getEventTypeOnce = cache(async (name: string) => (await getGateway()).getEventType(name));

/**
 * The gateway's base URL as the visitor's browser reaches it (live tail, GraphQL explorer,
 * snippets): MESHGATE_PUBLIC_GATEWAY_URL, or derived from the request (see `publicGatewayUrl`).
 */
export async function getPublicGatewayUrl(): Promise<string> {
  const requestHeaders = await headers();
  return publicGatewayUrl({
    configured: env.MESHGATE_PUBLIC_GATEWAY_URL,
    internal: env.MESHGATE_GATEWAY_URL,
    requestHost: requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host'),
  });
}
