import type { FastifyInstance } from 'fastify';
import { MeshgateError, isMeshgateError } from '@meshgate/core';
import { OidcLoginStore, type OidcIdentity } from '@meshgate/policy';
import { actorOf } from '../../auth/access-control';
import type { OidcRelyingParty } from '../../auth/oidc';
import { sessionCookieHeader } from '../../auth/plugin';
import type { Runtime } from '../../runtime';

const redirectUri = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  description: 'Where the provider sends the browser back; registered at the provider',
} as const;

const signedInResponse = {
  type: 'object',
  properties: {
    user: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        email: { type: 'string' },
        teams: { type: 'array', items: { type: 'string' } },
      },
    },
    expiresAt: { type: 'string', format: 'date-time' },
    token: { type: 'string', description: 'The session token (also set as the meshgate_session cookie)' },
  },
} as const;

/**
 * OIDC sign-in for portal users (public routes: the caller has no credentials yet).
 * `GET /v1/auth/oidc` says whether it is configured; `POST /v1/auth/oidc/start` begins an
 * authorization-code sign-in; `POST /v1/auth/oidc/callback` finishes it and answers like
 * `POST /v1/auth/login` (session cookie and token). Every sign-in and refusal is audited.
 */
export function registerOidcRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  oidc: OidcRelyingParty | undefined,
  options: { secureCookies?: boolean } = {},
): void {
  const relyingParty = (): OidcRelyingParty => {
    if (!oidc) throw new MeshgateError('NOT_FOUND', 'OIDC sign-in is not configured on this gateway.');
    return oidc;
  };
  const logins = () => new OidcLoginStore(runtime.services().db.prisma);

  app.get(
    '/v1/auth/oidc',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether single sign-on (OIDC) is configured, and the provider to name on the button',
        security: [],
        response: {
          200: {
            type: 'object',
            properties: {
              enabled: { type: 'boolean' },
              issuer: { type: ['string', 'null'] },
              name: { type: ['string', 'null'], description: 'Shown as "Sign in with {name}"' },
            },
          },
        },
      },
    },
    async () => oidc?.info() ?? { enabled: false, issuer: null, name: null },
  );

  app.post<{ Body: { redirectUri: string } }>(
    '/v1/auth/oidc/start',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start an OIDC sign-in (authorization code + PKCE); send the browser to authorizationUrl',
        description:
          'The pending sign-in (state, PKCE verifier, nonce, redirect URI) is kept by the gateway for 10 minutes. 404 NOT_FOUND when OIDC is not configured.',
        security: [],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['redirectUri'],
          properties: { redirectUri },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              authorizationUrl: { type: 'string' },
              state: { type: 'string', description: 'The state the provider will hand back; bind it to the browser' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
    async (request) => relyingParty().start(request.body.redirectUri, logins()),
  );

  app.post<{ Body: { callbackUrl: string; redirectUri: string } }>(
    '/v1/auth/oidc/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Finish an OIDC sign-in; sets the portal session cookie (answers like POST /v1/auth/login)',
        description:
          'callbackUrl is the full URL the provider redirected the browser to (with code and state). 401 UNAUTHENTICATED for an unknown, used or expired state, a refused code exchange or ID token, or an account that may not sign in; 400 INVALID_REQUEST for malformed input; 503 UNAVAILABLE when the provider cannot be reached.',
        security: [],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['callbackUrl', 'redirectUri'],
          properties: { callbackUrl: { type: 'string', minLength: 1, maxLength: 8192 }, redirectUri },
        },
        response: { 200: signedInResponse },
      },
    },
    async (request, reply) => {
      const party = relyingParty();
      const { access } = runtime.services();
      let identity: OidcIdentity | undefined;
      let signIn;
      try {
        identity = await party.finish(request.body.callbackUrl, request.body.redirectUri, logins());
        signIn = await access.store.signInOidcUser(identity);
      } catch (error) {
        if (isMeshgateError(error) && error.code === 'UNAUTHENTICATED') {
          await access.record({
            actor: { kind: 'anonymous', name: identity?.email ?? null },
            action: 'auth.login',
            decision: 'deny',
            reason: error.message,
            sourceIp: request.ip,
            details: { via: 'oidc', issuer: party.issuer, ...(identity ? { subject: identity.subject } : {}) },
          });
        }
        throw error;
      }
      const { principal, session } = signIn;
      await access.record({
        actor: actorOf(principal),
        action: 'auth.login',
        decision: 'allow',
        sourceIp: request.ip,
        details: {
          via: 'oidc',
          issuer: party.issuer,
          subject: identity.subject,
          account: signIn.account,
          ...(signIn.teamsAdded.length > 0 ? { teamsAdded: signIn.teamsAdded } : {}),
          ...(signIn.teamsRemoved.length > 0 ? { teamsRemoved: signIn.teamsRemoved } : {}),
        },
      });
      void reply.header('set-cookie', sessionCookieHeader(session, options.secureCookies ?? false));
      return {
        user: { id: principal.id, email: principal.name, teams: principal.teams },
        expiresAt: session.expiresAt,
        token: session.token,
      };
    },
  );
}
