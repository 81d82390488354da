import * as client from 'openid-client';
import { InputError, MeshgateError, UnavailableError } from '@meshgate/core';
import { unauthenticated, type OidcIdentity, type OidcLoginStore } from '@meshgate/policy';

/** OIDC sign-in settings (see the README's configuration table). */
export interface OidcOptions {
  /** The OpenID Provider's issuer identifier; https, or http on a loopback host (tests, local IdPs). */
  issuer: string;
  /** The client registered at the provider for the portal. */
  clientId: string;
  clientSecret: string;
  /** Scopes asked for; must include `openid`. Default `openid email profile`. */
  scopes?: string;
  /**
   * A claim listing team ids (an array, or a space- or comma-separated string; a dotted path
   * reaches into objects, e.g. `realm_access.roles`). When set, the user's memberships follow
   * it on every sign-in; unset, administrators manage memberships.
   */
  teamsClaim?: string | undefined;
  /** Shown as "Sign in with {name}"; default the issuer's host name. */
  name?: string | undefined;
  /** How long a started sign-in may take; default 10 minutes. */
  loginTtlMs?: number;
  /** Timeout of each request to the provider; default 10 s. */
  timeoutMs?: number;
}

/** What `GET /v1/auth/oidc` tells the portal. */
export interface OidcInfo {
  enabled: boolean;
  issuer: string | null;
  name: string | null;
}

/** A started sign-in: where to send the browser. */
export interface StartedOidcLogin {
  authorizationUrl: string;
  /** The `state` the provider will hand back (the portal binds it to the browser). */
  state: string;
  expiresAt: Date;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_TEAMS = 1000;

/** Checks an issuer URL: absolute, https (or http on a loopback host), no query or fragment. */
export function checkIssuer(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`The OIDC issuer '${value}' is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new Error(`The OIDC issuer must use https (http only on localhost), got '${value}'.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`The OIDC issuer must not carry credentials, a query or a fragment: '${value}'.`);
  }
  return url;
}

/** Checks a redirect URI the caller names: an absolute http(s) URL without query, fragment or credentials. */
function checkRedirectUri(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('redirectUri must be an absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError('redirectUri must use http or https.');
  if (url.search || url.hash || url.username || url.password) {
    throw new InputError('redirectUri must not carry a query, a fragment or credentials.');
  }
  return url;
}

/**
 * The gateway as an OpenID Connect relying party (`openid-client`): starts authorization-code
 * sign-ins with PKCE (S256), state and nonce, and finishes them by exchanging the code and
 * validating the ID token (issuer, audience, nonce, expiry — `openid-client`'s checks; the
 * token comes straight from the provider's token endpoint over TLS, so, as OIDC Core 3.1.3.7
 * allows, its signature is not checked again). Pending sign-ins live in PostgreSQL
 * ({@link OidcLoginStore}), so any instance can finish what another started. The provider's
 * metadata is discovered on first use and kept; a failed discovery is retried on the next call.
 */
export class OidcRelyingParty {
  readonly issuer: string;
  readonly name: string;
  private readonly scopes: string;
  private readonly issuerUrl: URL;
  private discovered: Promise<client.Configuration> | undefined;

  constructor(private readonly options: OidcOptions) {
    this.issuerUrl = checkIssuer(options.issuer);
    this.issuer = options.issuer;
    this.name = options.name?.trim() || this.issuerUrl.hostname;
    this.scopes = (options.scopes ?? 'openid email profile').trim().split(/\s+/).join(' ');
    if (!this.scopes.split(' ').includes('openid')) throw new Error('The OIDC scopes must include "openid".');
  }

  /** What the portal needs to offer the sign-in. */
  info(): OidcInfo {
    return { enabled: true, issuer: this.issuer, name: this.name };
  }

  private configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw providerUnavailable('discovery', error);
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const insecure = this.issuerUrl.protocol === 'http:';
    const timeout = Math.ceil((this.options.timeoutMs ?? 10_000) / 1000);
    const metadata = { client_secret: this.options.clientSecret };
    const discovered = await client.discovery(
      this.issuerUrl,
      this.options.clientId,
      metadata,
      client.ClientSecretBasic(this.options.clientSecret),
      { timeout, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
    );
    // client_secret_basic is the default (RFC 8414); a provider that only takes the secret in
    // the body says so in its metadata.
    const methods = discovered.serverMetadata().token_endpoint_auth_methods_supported;
    if (!methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) {
      return discovered;
    }
    const config = new client.Configuration(
      discovered.serverMetadata(),
      this.options.clientId,
      metadata,
      client.ClientSecretPost(this.options.clientSecret),
    );
    config.timeout = timeout;
    if (insecure) client.allowInsecureRequests(config);
    return config;
  }

  /**
   * Starts a sign-in that will come back to `redirectUri` (which must be registered at the
   * provider): remembers state, PKCE verifier and nonce, and returns the authorization URL.
   */
  async start(redirectUri: string, logins: OidcLoginStore, now = new Date()): Promise<StartedOidcLogin> {
    checkRedirectUri(redirectUri);
    const config = await this.configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const expiresAt = new Date(now.getTime() + (this.options.loginTtlMs ?? 600_000));
    await logins.save({ state, nonce, codeVerifier, redirectUri, expiresAt }, now);
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: this.scopes,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: authorizationUrl.href, state, expiresAt };
  }

  /**
   * Finishes a sign-in from the URL the provider redirected the browser to: takes the pending
   * login its state names (once: a replay finds nothing), exchanges the code and validates the
   * ID token, and returns who signed in. Failures are UNAUTHENTICATED (INVALID_REQUEST for a
   * malformed call, UNAVAILABLE when the provider cannot be reached).
   */
  async finish(
    callbackUrl: string,
    redirectUri: string,
    logins: OidcLoginStore,
    now = new Date(),
  ): Promise<OidcIdentity> {
    const expected = checkRedirectUri(redirectUri);
    let callback: URL;
    try {
      callback = new URL(callbackUrl);
    } catch {
      throw new InputError('callbackUrl must be an absolute URL.');
    }
    if (callback.origin !== expected.origin || callback.pathname !== expected.pathname) {
      throw new InputError('callbackUrl is not at redirectUri.');
    }
    const state = callback.searchParams.get('state');
    if (!state) throw unauthenticated('The sign-in response has no state; start the sign-in again.');
    const config = await this.configuration();
    const login = await logins.take(state);
    if (!login) throw unauthenticated('Unknown or already used sign-in (state); start the sign-in again.');
    if (login.expiresAt <= now) throw unauthenticated('The sign-in took too long and expired; start it again.');
    if (login.redirectUri !== redirectUri) {
      throw unauthenticated('The sign-in was started for another redirect URI; start it again.');
    }

    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callback, {
        expectedState: state,
        expectedNonce: login.nonce,
        pkceCodeVerifier: login.codeVerifier,
        idTokenExpected: true,
      });
    } catch (error) {
      throw signInFailure(error);
    }
    const idToken = tokens.claims();
    if (!idToken) throw unauthenticated('The identity provider sent no ID token.');
    let claims: Record<string, unknown> = { ...idToken };

    const teamsClaim = this.options.teamsClaim;
    const missing =
      claims.email === undefined || (teamsClaim !== undefined && readClaim(claims, teamsClaim) === undefined);
    if (missing && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
      try {
        const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        // The ID token's own claims win: they are the ones bound to this sign-in.
        claims = { ...userInfo, ...claims };
      } catch (error) {
        throw signInFailure(error);
      }
    }

    return {
      issuer: idToken.iss,
      subject: idToken.sub,
      email: typeof claims.email === 'string' ? claims.email : null,
      // Some providers send the boolean as a string.
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: typeof claims.name === 'string' ? claims.name : null,
      teams: teamsClaim === undefined ? undefined : teamIds(readClaim(claims, teamsClaim)),
    };
  }
}

/** A claim by name, or by a dotted path into nested objects when no claim has the whole name. */
function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Team ids from a teams claim: an array of strings, or a space- or comma-separated string; absent = none. */
function teamIds(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return items
    .filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= 200)
    .slice(0, MAX_TEAMS);
}

/** True when the provider could not be reached (network failure, timeout), not when it said no. */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  const code = (error as { code?: unknown }).code;
  if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
    // The provider answered with a 5xx page or HTML: down or misconfigured behind a proxy.
    const status = (error.cause as { status?: unknown } | undefined)?.status;
    return typeof status !== 'number' || status >= 500;
  }
  return error.cause !== undefined && error.cause !== error && isUnreachable(error.cause);
}

function providerUnavailable(step: string, error: unknown): MeshgateError {
  if (error instanceof MeshgateError) return error;
  // undici says only "fetch failed"; the reason (refused, bad port, DNS…) is its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  const reason = error instanceof Error ? `${error.message}${cause}` : String(error);
  return new UnavailableError(`The identity provider cannot be reached (${step}): ${reason}`, { cause: error });
}

/** The error for a failed code exchange, ID token check or UserInfo call. */
function signInFailure(error: unknown): MeshgateError {
  if (error instanceof MeshgateError) return error;
  if (isUnreachable(error)) return providerUnavailable('sign-in', error);
  if (error instanceof client.AuthorizationResponseError) {
    const description = error.error_description ? `: ${error.error_description}` : '';
    return unauthenticated(`The identity provider refused the sign-in (${error.error}${description}).`);
  }
  if (error instanceof client.ResponseBodyError) {
    const description = error.error_description ? `: ${error.error_description}` : '';
    return unauthenticated(`The identity provider refused the code exchange (${error.error}${description}).`);
  }
  // openid-client's checks (nonce, audience, issuer, expiry…) say what failed in the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new MeshgateError('UNAUTHENTICATED', `The identity provider's answer was refused: ${cause ?? message}.`, {
    cause: error,
  });
}
