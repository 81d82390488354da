import { createHash } from 'node:crypto';
import type { PrismaClient } from '@meshgate/db';

/** An OIDC sign-in between its start and the provider's redirect back. */
export interface PendingOidcLogin {
  /** The `state` parameter: names the login, travels through the browser. */
  state: string;
  /** PKCE code verifier, sent with the code exchange. */
  codeVerifier: string;
  /** Expected `nonce` claim of the ID token. */
  nonce: string;
  /** The redirect URI the authorization request named; the callback must use the same. */
  redirectUri: string;
  expiresAt: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Pending OIDC sign-ins, in PostgreSQL so that any gateway instance can finish a login another
 * one started. Rows are keyed by the SHA-256 of the state (a database reader learns no live
 * state) and taken exactly once: the callback deletes the row it reads, so a replayed callback
 * finds nothing. Expired rows are swept whenever a login starts.
 */
export class OidcLoginStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Remembers a login that has just started, and forgets the ones that expired. */
  async save(login: PendingOidcLogin, now = new Date()): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.oidcLogin.deleteMany({ where: { expiresAt: { lt: now } } }),
      this.prisma.oidcLogin.create({
        data: {
          id: sha256(login.state),
          codeVerifier: login.codeVerifier,
          nonce: login.nonce,
          redirectUri: login.redirectUri,
          expiresAt: login.expiresAt,
        },
      }),
    ]);
  }

  /**
   * Removes and returns the login a state names, expired or not (the caller tells the two
   * apart); `null` when there is none — never started, or already taken.
   */
  async take(state: string): Promise<PendingOidcLogin | null> {
    // One statement: of two callbacks racing with the same state, exactly one gets the row.
    const rows = await this.prisma.$queryRaw<
      { code_verifier: string; nonce: string; redirect_uri: string; expires_at: Date }[]
    >`DELETE FROM policy_oidc_logins WHERE id = ${sha256(state)} RETURNING code_verifier, nonce, redirect_uri, expires_at`;
    const row = rows[0];
    if (!row) return null;
    return {
      state,
      codeVerifier: row.code_verifier,
      nonce: row.nonce,
      redirectUri: row.redirect_uri,
      expiresAt: row.expires_at,
    };
  }
}
