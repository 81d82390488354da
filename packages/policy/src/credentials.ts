import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { MeshgateError } from '@meshgate/core';

/** Every API key id starts with this, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_ID_PREFIX = 'mgk_';

/** A newly issued API key. `token` and `secret` are shown once and never stored. */
export interface IssuedApiKey {
  /** Public identifier, e.g. `mgk_3q7Zk1bXyP0a`: shown in listings, the user name for HTTP Basic. */
  keyId: string;
  /** The secret part: the password for HTTP Basic. */
  secret: string;
  /** What clients send as `Authorization: Bearer <token>`: `{keyId}.{secret}`. */
  token: string;
  /** SHA-256 of the secret, hex: what is stored. */
  secretHash: string;
}

/** Issues a new API key: a 72-bit public id and a 256-bit secret, both URL-safe. */
export function generateApiKey(): IssuedApiKey {
  const keyId = `${API_KEY_ID_PREFIX}${randomBytes(9).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, token: `${keyId}.${secret}`, secretHash: hashApiKeySecret(secret) };
}

/**
 * SHA-256 of an API key secret. Key secrets are 256 random bits, so a slow KDF would add no
 * protection (there is nothing to guess) and would cost on every request; passwords, which
 * people choose, get scrypt (see {@link hashPassword}).
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** A credential as presented on a request, before it is checked. */
export type PresentedCredential =
  | { kind: 'api-key'; keyId: string; secret: string }
  | { kind: 'jwt'; token: string }
  | { kind: 'session'; token: string };

const KEY_TOKEN = /^(mgk_[A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/;
const OPAQUE_TOKEN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/**
 * The API key behind an operator-chosen token (MESHGATE_BOOTSTRAP_TOKEN): a token already in
 * key form is used as is; any other string of 16+ URL-safe characters gets a key id derived from
 * its SHA-256, and is its own secret. Throws for tokens that are too short or shaped like a JWT.
 */
export function apiKeyFromToken(token: string): { keyId: string; secret: string; secretHash: string } {
  const key = KEY_TOKEN.exec(token);
  if (key) return { keyId: key[1]!, secret: key[2]!, secretHash: hashApiKeySecret(key[2]!) };
  if (!OPAQUE_TOKEN.test(token) || JWT_TOKEN.test(token)) {
    throw new Error('A bootstrap token needs 16–512 URL-safe characters and must not look like a JWT (two dots).');
  }
  const keyId = `${API_KEY_ID_PREFIX}${createHash('sha256').update(token, 'utf8').digest('base64url').slice(0, 12)}`;
  return { keyId, secret: token, secretHash: hashApiKeySecret(token) };
}
const JWT_TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Throws UNAUTHENTICATED with a reason clients can act on. */
export function unauthenticated(message: string): MeshgateError {
  return new MeshgateError('UNAUTHENTICATED', message);
}

/**
 * Reads an `Authorization` header: `Bearer <api key token | JWT>` or `Basic base64(keyId:secret)`
 * (how Confluent clients send credentials). Returns undefined when there is none; throws
 * UNAUTHENTICATED when it is malformed.
 */
export function parseAuthorization(header: string | undefined): PresentedCredential | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') {
    const key = KEY_TOKEN.exec(value);
    if (key) return { kind: 'api-key', keyId: key[1]!, secret: key[2]! };
    if (value.startsWith(API_KEY_ID_PREFIX)) throw unauthenticated('Malformed API key: expected {keyId}.{secret}.');
    if (JWT_TOKEN.test(value)) return { kind: 'jwt', token: value };
    if (OPAQUE_TOKEN.test(value)) {
      const derived = apiKeyFromToken(value);
      return { kind: 'api-key', keyId: derived.keyId, secret: derived.secret };
    }
    throw unauthenticated('Malformed bearer token: neither an API key nor a JWT.');
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw unauthenticated('Malformed Basic credentials: expected base64(keyId:secret).');
    const keyId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // The secret of an issued key, or an operator-chosen bootstrap token (see apiKeyFromToken).
    if (!/^mgk_[A-Za-z0-9_-]{12}$/.test(keyId) || !OPAQUE_TOKEN.test(secret)) {
      throw unauthenticated('Basic credentials must be an API key id (user name) and secret (password).');
    }
    return { kind: 'api-key', keyId, secret };
  }
  throw unauthenticated(`Unsupported authorization scheme '${scheme}': use Bearer or Basic.`);
}

// ---- passwords -------------------------------------------------------------------------------

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, ~50–100 ms), OWASP's minimum for scrypt. */
const SCRYPT = { logN: 15, r: 8, p: 1, keyLength: 32 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * Hashes a password with scrypt, a memory-hard KDF built into Node (no native add-on to
 * install), in PHC string form: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64, unpadded).
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { logN, r, p, keyLength } = SCRYPT;
  const key = await scrypt(password, salt, keyLength, { N: 2 ** logN, r, p, maxmem: 128 * 2 ** logN * r * 2 });
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Checks a password against a PHC string from {@link hashPassword}; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!match) return false;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 10 || logN > 20) return false;
  const salt = Buffer.from(match[4]!, 'base64url');
  const expected = Buffer.from(match[5]!, 'base64url');
  const key = await scrypt(password, salt, expected.length, { N: 2 ** logN, r, p, maxmem: 128 * 2 ** logN * r * 2 });
  return timingSafeEqual(key, expected);
}
