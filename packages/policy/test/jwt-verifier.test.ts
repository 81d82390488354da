import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { JwtVerifier } from '../src/jwt-verifier';

let server: http.Server;
let jwksUrl: string;
let jwksFile: string;
let signing: CryptoKey;
let stranger: CryptoKey;
let fetches = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signing = pair.privateKey;
  stranger = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const document = JSON.stringify({ keys: [jwk] });
  server = http.createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(document);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-jwks-'));
  jwksFile = path.join(dir, 'jwks.json');
  await writeFile(jwksFile, document);
});

afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

const sign = (
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; exp?: number | string; iss?: string; aud?: string } = {},
) => {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt();
  jwt = jwt.setIssuer(options.iss ?? 'https://idp.example.com').setAudience(options.aud ?? 'meshgate');
  jwt = jwt.setExpirationTime(options.exp ?? '5m');
  return jwt.sign(options.key ?? signing);
};

describe('JwtVerifier', () => {
  const verifier = () => new JwtVerifier({ jwks: jwksUrl, issuer: 'https://idp.example.com', audience: 'meshgate' });

  it('accepts a valid token from a remote JWKS and names its subject and expiry', async () => {
    const v = verifier();
    const exp = Math.floor(Date.now() / 1000) + 300;
    const verified = await v.verify(await sign({ sub: 'partner-app' }, { exp }));
    expect(verified).toEqual({ subject: 'partner-app', expiresAt: new Date(exp * 1000) });
    await v.verify(await sign({ sub: 'partner-app' }));
    expect(fetches).toBe(1); // the key set is cached
  });

  it('reads a JWKS from a file too, and a configured subject claim', async () => {
    const v = new JwtVerifier({
      jwks: pathToFileURL(jwksFile).href,
      issuer: 'https://idp.example.com',
      audience: ['other', 'meshgate'],
      subjectClaim: 'client_id',
    });
    expect((await v.verify(await sign({ client_id: 'svc-7' }))).subject).toBe('svc-7');
    await expect(v.verify(await sign({ sub: 'x' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['expired', () => sign({ sub: 'a' }, { exp: Math.floor(Date.now() / 1000) - 120 }), /has expired/],
    ['wrong issuer', () => sign({ sub: 'a' }, { iss: 'https://evil.example.com' }), /'iss' claim/],
    ['wrong audience', () => sign({ sub: 'a' }, { aud: 'someone-else' }), /'aud' claim/],
    ['signed by another key', () => sign({ sub: 'a' }, { key: stranger }), /signature is invalid/],
    ['without a subject', () => sign({}), /'sub' claim/],
    ['garbage', async () => 'eyJhbGciOiJSUzI1NiJ9.e30.AAAA', /not valid|signature/],
  ])('refuses a token %s with UNAUTHENTICATED', async (_name, make, message) => {
    const error = await verifier()
      .verify(await make())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((error as Error).message).toMatch(message);
  });

  it('allows the configured clock skew', async () => {
    const justExpired = await sign({ sub: 'a' }, { exp: Math.floor(Date.now() / 1000) - 10 });
    expect((await verifier().verify(justExpired)).subject).toBe('a');
    const strict = new JwtVerifier({
      jwks: jwksUrl,
      issuer: 'https://idp.example.com',
      audience: 'meshgate',
      clockToleranceSeconds: 0,
    });
    await expect(strict.verify(justExpired)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
