import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { unauthenticated } from './credentials';

/** How JWTs are verified (see the README's configuration table). */
export interface JwtVerifierOptions {
  /** JWKS URL (https://…/.well-known/jwks.json) or `file:` path of a JWKS document. */
  jwks: string;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (one of). */
  audience: string | string[];
  /** Allowed clock skew in seconds; default 30. */
  clockToleranceSeconds?: number;
  /** Claim naming the application (matched against its `jwtSubject`); default `sub`. */
  subjectClaim?: string;
  /** Accepted algorithms; default RS256, ES256, EdDSA, PS256. */
  algorithms?: string[];
}

/** A verified token: the subject that names the application, and when it expires. */
export interface VerifiedJwt {
  subject: string;
  expiresAt: Date | null;
}

/**
 * Verifies JWTs with `jose` against a JWKS (fetched and cached by `jose`, refetched when a token
 * names an unknown key id): signature, `iss`, `aud`, `exp`/`nbf` with clock skew. Every failure
 * is UNAUTHENTICATED with a message that says which check failed, never the token itself.
 */
export class JwtVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(private readonly options: JwtVerifierOptions) {}

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= (async () => {
      const { jwks } = this.options;
      if (jwks.startsWith('file:')) {
        const document = JSON.parse(await readFile(new URL(jwks), 'utf8')) as Parameters<typeof createLocalJWKSet>[0];
        return createLocalJWKSet(document);
      }
      return createRemoteJWKSet(new URL(jwks), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    })();
    return this.keys;
  }

  /** Verifies a compact JWT; throws UNAUTHENTICATED. */
  async verify(token: string): Promise<VerifiedJwt> {
    const claim = this.options.subjectClaim ?? 'sub';
    try {
      const { payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        algorithms: this.options.algorithms ?? ['RS256', 'ES256', 'EdDSA', 'PS256'],
        requiredClaims: ['exp', claim],
      });
      const subject = payload[claim];
      if (typeof subject !== 'string' || subject === '') throw unauthenticated(`The token has no '${claim}' claim.`);
      return { subject, expiresAt: payload.exp ? new Date(payload.exp * 1000) : null };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('The token has expired.');
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw unauthenticated(`The token's '${error.claim}' claim is not accepted (${error.reason}).`);
      }
      if (error instanceof errors.JWSSignatureVerificationFailed)
        throw unauthenticated('The token signature is invalid.');
      if (error instanceof errors.JWKSNoMatchingKey) throw unauthenticated('The token was signed by an unknown key.');
      if (error instanceof errors.JOSEAlgNotAllowed)
        throw unauthenticated('The token uses an algorithm that is not accepted.');
      if (error instanceof errors.JOSEError) throw unauthenticated(`The token is not valid (${error.code}).`);
      throw error;
    }
  }
}
