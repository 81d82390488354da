import { describe, expect, it } from 'vitest';
import {
  apiKeyFromToken,
  apiKeySecretMatches,
  generateApiKey,
  hashPassword,
  parseAuthorization,
  verifyPassword,
} from '../src/credentials';

describe('API keys', () => {
  it('issues keys with a recognisable id, a 256-bit secret and a stored hash that is not the secret', () => {
    const key = generateApiKey();
    expect(key.keyId).toMatch(/^mgk_[A-Za-z0-9_-]{12}$/);
    expect(key.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.token).toBe(`${key.keyId}.${key.secret}`);
    expect(key.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.secretHash).not.toContain(key.secret);
    expect(apiKeySecretMatches(key.secret, key.secretHash)).toBe(true);
    expect(apiKeySecretMatches(`${key.secret.slice(0, -1)}x`, key.secretHash)).toBe(false);
    expect(generateApiKey().keyId).not.toBe(key.keyId);
  });

  it('reads Bearer API keys, Bearer JWTs and Basic key credentials', () => {
    const key = generateApiKey();
    expect(parseAuthorization(`Bearer ${key.token}`)).toEqual({
      kind: 'api-key',
      keyId: key.keyId,
      secret: key.secret,
    });
    expect(parseAuthorization(`bearer ${key.token}`)).toMatchObject({ kind: 'api-key' });
    const basic = Buffer.from(`${key.keyId}:${key.secret}`).toString('base64');
    expect(parseAuthorization(`Basic ${basic}`)).toEqual({ kind: 'api-key', keyId: key.keyId, secret: key.secret });
    expect(parseAuthorization('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toEqual({
      kind: 'jwt',
      token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    });
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('  ')).toBeUndefined();
  });

  it.each([
    ['Bearer mgk_short.secret', /Malformed API key/],
    ['Bearer not a token', /Malformed bearer token/],
    ['Bearer', /Malformed bearer token/],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, /Malformed Basic/],
    [`Basic ${Buffer.from('alice:password').toString('base64')}`, /API key id/],
    ['Digest abc', /Unsupported authorization scheme 'digest'/],
  ])('refuses %s with UNAUTHENTICATED', (header, message) => {
    expect(() => parseAuthorization(header)).toThrow(message);
    try {
      parseAuthorization(header);
    } catch (error) {
      expect((error as { code: string }).code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('operator-chosen tokens (MESHGATE_BOOTSTRAP_TOKEN)', () => {
  it('become an API key with a derived id that Bearer parsing finds again', () => {
    const derived = apiKeyFromToken('ci-bootstrap-token-0123456789');
    expect(derived.keyId).toMatch(/^mgk_[A-Za-z0-9_-]{12}$/);
    expect(parseAuthorization('Bearer ci-bootstrap-token-0123456789')).toEqual({
      kind: 'api-key',
      keyId: derived.keyId,
      secret: 'ci-bootstrap-token-0123456789',
    });
    expect(apiKeySecretMatches('ci-bootstrap-token-0123456789', derived.secretHash)).toBe(true);
    const key = generateApiKey();
    expect(apiKeyFromToken(key.token).keyId).toBe(key.keyId);
    expect(() => apiKeyFromToken('short')).toThrow(/16–512/);
    expect(() => apiKeyFromToken('aaaaaaaa.bbbbbbbb.cccccccc')).toThrow(/JWT/);
  });
});

describe('passwords', () => {
  it('hashes with scrypt in PHC form, verifies, and refuses a wrong or malformed hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash); // salted
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$ln=40,r=8,p=1$AAAA$AAAA')).toBe(false);
  });
});
