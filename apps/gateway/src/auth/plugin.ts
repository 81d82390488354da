import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isMeshgateError } from '@meshgate/core';
import type { Principal } from '@meshgate/policy';
import type { Runtime } from '../runtime';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set for every request except the public routes. */
    principal?: Principal;
  }
}

/** The portal's session cookie. */
export const SESSION_COOKIE = 'meshgate_session';

/** Which routes answer without credentials. */
export interface AuthPluginOptions {
  /** GET /metrics without credentials (Prometheus scrapers); default true. */
  publicMetrics?: boolean;
  /** GET /v1/catalog/** without credentials (public catalog pages); default false. */
  publicCatalog?: boolean;
}

/** Reads one cookie from the Cookie header of a request (Fastify's, or Node's for WebSocket upgrades). */
export function readCookie(request: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The Set-Cookie value of a new portal session (password or OIDC sign-in). */
export function sessionCookieHeader(session: { token: string; expiresAt: Date }, secure: boolean): string {
  const flags = `HttpOnly; SameSite=Lax; Path=/; Expires=${session.expiresAt.toUTCString()}${secure ? '; Secure' : ''}`;
  return `${SESSION_COOKIE}=${session.token}; ${flags}`;
}

/** The Set-Cookie value that removes the portal session cookie. */
export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`;

/** The caller, or throws: for handlers behind the auth hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`route ${request.url} is public but asked for the caller`);
  return request.principal;
}

/**
 * Authenticates every request before routing, except the public ones: health checks, the
 * OpenAPI document, sign-in, and (by configuration) metrics and catalog reads. A request
 * without valid credentials gets 401 UNAUTHENTICATED (Confluent's 40101 under /registry) and
 * an audit entry. The GraphQL WebSocket authenticates in graphql-ws's connection_init instead.
 */
export function registerAuth(app: FastifyInstance, runtime: Runtime, options: AuthPluginOptions = {}): void {
  const publicMetrics = options.publicMetrics ?? true;
  const publicCatalog = options.publicCatalog ?? false;
  const isPublic = (method: string, path: string): boolean => {
    if (path === '/healthz' || path === '/readyz' || path === '/openapi.json') return true;
    if (path === '/metrics') return publicMetrics;
    if (path === '/v1/auth/login' && method === 'POST') return true;
    if (path === '/v1/auth/oidc' && method === 'GET') return true;
    if ((path === '/v1/auth/oidc/start' || path === '/v1/auth/oidc/callback') && method === 'POST') return true;
    if (publicCatalog && method === 'GET' && path.startsWith('/v1/catalog/')) return true;
    return method === 'OPTIONS';
  };
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (isPublic(request.method, path)) {
      // A public route still knows its caller when valid credentials are sent (e.g. a signed-in
      // portal), and answers anyway when they are not (or when the database is down: /readyz).
      if (!request.headers.authorization && !readCookie(request, SESSION_COOKIE)) return;
      try {
        request.principal = await runtime
          .services()
          .access.authenticate(request.headers.authorization, readCookie(request, SESSION_COOKIE));
      } catch {
        // anonymous
      }
      return;
    }
    const { access } = runtime.services();
    try {
      request.principal = await access.authenticate(request.headers.authorization, readCookie(request, SESSION_COOKIE));
    } catch (error) {
      if (isMeshgateError(error) && error.code === 'UNAUTHENTICATED') {
        await access.record({
          actor: { kind: 'anonymous' },
          action: 'auth.denied',
          resource: { kind: 'route', name: `${request.method} ${path}` },
          decision: 'deny',
          reason: error.message,
          sourceIp: request.ip,
        });
      }
      throw error;
    }
  });
}
