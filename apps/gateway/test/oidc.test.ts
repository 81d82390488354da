import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestGateway, type TestGateway } from './harness';
import { signInAtProvider, startTestProvider, type TestProvider } from './oidc-provider';

// OIDC sign-in against a real OpenID Provider (oidc-provider) driven like a browser: the
// gateway discovers it, exchanges real codes and validates real ID tokens.

const REDIRECT_URI = 'http://portal.test/login/oidc/callback';
const CLIENT = { client_id: 'meshgate-portal', client_secret: 'meshgate-portal-secret-0123456789abcdef' };
// Another client of the same provider: its codes and ID tokens must not sign anyone in to Meshgate.
const OTHER_CLIENT = { client_id: 'other-app', client_secret: 'other-app-secret-0123456789abcdef0123' };

const anonymous = { authorization: '' };

let provider: TestProvider;
let gw: TestGateway;

beforeAll(async () => {
  provider = await startTestProvider([
    { ...CLIENT, redirect_uris: [REDIRECT_URI] },
    { ...OTHER_CLIENT, redirect_uris: [REDIRECT_URI] },
  ]);
  gw = await startTestGateway('postgres', {
    access: {
      oidc: {
        issuer: provider.issuer,
        clientId: CLIENT.client_id,
        clientSecret: CLIENT.client_secret,
        scopes: 'openid email profile groups',
        teamsClaim: 'groups',
        name: 'Test IdP',
      },
    },
  });
});

afterAll(async () => {
  await gw?.stop();
  await provider?.stop();
});

const admin = (method: string, path: string, body?: unknown) => request(gw.url, method, path, body);

/** `POST /v1/auth/oidc/start` without credentials, as the portal calls it. */
async function start(redirectUri = REDIRECT_URI): Promise<{ authorizationUrl: string; state: string }> {
  const started = await request(gw.url, 'POST', '/v1/auth/oidc/start', { redirectUri }, anonymous);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body;
}

/** `POST /v1/auth/oidc/callback` without credentials. */
function callback(callbackUrl: string, redirectUri = REDIRECT_URI) {
  return request(gw.url, 'POST', '/v1/auth/oidc/callback', { callbackUrl, redirectUri }, anonymous);
}

/** The whole sign-in as the portal and a browser do it; returns the callback's answer. */
async function signIn(login: string) {
  const { authorizationUrl } = await start();
  return callback(await signInAtProvider(authorizationUrl, login, REDIRECT_URI));
}

/** The audit entries of OIDC sign-ins (allowed and refused). */
async function oidcAudit(): Promise<
  { decision: string; reason: string | null; actor: { id: string | null; name: string | null }; details: any }[]
> {
  const entries = (await admin('GET', '/v1/audit?action=auth.login&limit=1000')).body.entries;
  return entries.filter((entry: { details: { via?: string } }) => entry.details.via === 'oidc');
}

/** Asserts a refused callback: 401 UNAUTHENTICATED whose message matches, no cookie set. */
function expectRefused(answer: Awaited<ReturnType<typeof callback>>, message: RegExp): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(401);
  expect(answer.body.code).toBe('UNAUTHENTICATED');
  expect(answer.body.message).toMatch(message);
  expect(answer.headers.get('set-cookie')).toBeNull();
}

describe('OIDC sign-in', () => {
  it('tells the portal that OIDC is configured, without credentials', async () => {
    const info = await request(gw.url, 'GET', '/v1/auth/oidc', undefined, anonymous);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ enabled: true, issuer: provider.issuer, name: 'Test IdP' });
  });

  it('starts an authorization-code sign-in with PKCE (S256), state and nonce at the discovered endpoint', async () => {
    const { authorizationUrl, state } = await start();
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
      state,
    });
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // The PKCE verifier never leaves the gateway.
    expect(authorizationUrl).not.toContain('code_verifier');
  });

  it('creates the user on the first sign-in, opens a working session, and finds the same user the next time', async () => {
    provider.accounts.set('alice', { email: 'Alice@Example.test', email_verified: true, name: 'Alice A.' });
    const first = await signIn('alice');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ user: { email: 'alice@example.test', teams: [] }, token: expect.any(String) });
    expect(new Date(first.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toContain(`meshgate_session=${first.body.token}`);
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax; Path=\//);

    // The session works like a password sign-in's.
    const me = await request(gw.url, 'GET', '/v1/me', undefined, {
      authorization: '',
      cookie: `meshgate_session=${first.body.token}`,
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'user', id: first.body.user.id, name: 'alice@example.test', via: 'session' });

    // An account without a password, named by the provider.
    const users = (await admin('GET', '/v1/admin/users')).body.users;
    expect(users.find((user: { id: string }) => user.id === first.body.user.id)).toMatchObject({
      email: 'alice@example.test',
      name: 'Alice A.',
      admin: false,
    });

    const second = await signIn('alice');
    expect(second.status).toBe(200);
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.token).not.toBe(first.body.token);

    const audit = await oidcAudit();
    expect(audit.filter((entry) => entry.actor.id === first.body.user.id)).toEqual([
      expect.objectContaining({
        decision: 'allow',
        details: expect.objectContaining({
          via: 'oidc',
          issuer: provider.issuer,
          subject: 'alice',
          account: 'created',
        }),
      }),
      expect.objectContaining({ decision: 'allow', details: expect.objectContaining({ account: 'existing' }) }),
    ]);
  });

  it('makes the user a member of the existing teams the teams claim lists, and follows the claim on the next sign-in', async () => {
    for (const id of ['team-orders', 'team-payments', 'team-search']) {
      expect((await admin('POST', '/v1/admin/teams', { id })).status).toBe(201);
    }
    provider.accounts.set('bob', {
      email: 'bob@example.test',
      email_verified: true,
      groups: ['team-orders', 'team-payments', 'no-such-team'],
    });
    const first = await signIn('bob');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.user.teams).toEqual(['team-orders', 'team-payments']);
    const me = await request(gw.url, 'GET', '/v1/me', undefined, {
      authorization: '',
      cookie: `meshgate_session=${first.body.token}`,
    });
    expect(me.body.teams).toEqual(['team-orders', 'team-payments']);
    // A claimed team that does not exist is not created.
    const teams = (await admin('GET', '/v1/admin/teams')).body;
    expect(JSON.stringify(teams)).not.toContain('no-such-team');

    provider.accounts.set('bob', { email: 'bob@example.test', email_verified: true, groups: ['team-search'] });
    const second = await signIn('bob');
    expect(second.body.user.teams).toEqual(['team-search']);
    // The first session's principal follows at once (memberships changed the policy).
    const again = await request(gw.url, 'GET', '/v1/me', undefined, {
      authorization: '',
      cookie: `meshgate_session=${first.body.token}`,
    });
    expect(again.body.teams).toEqual(['team-search']);
    const entry = (await oidcAudit()).at(-1)!;
    expect(entry.details).toMatchObject({
      teamsAdded: ['team-search'],
      teamsRemoved: ['team-orders', 'team-payments'],
    });
  });

  it('links a local account by email only when the provider says the email is verified', async () => {
    const local = await admin('POST', '/v1/admin/users', {
      email: 'carol@example.test',
      name: 'Carol',
      password: 'carols-password-1',
    });
    expect(local.status).toBe(201);

    provider.accounts.set('carol-unverified', { email: 'carol@example.test', email_verified: false });
    expectRefused(await signIn('carol-unverified'), /does not say the email is verified/);
    const deny = (await oidcAudit()).at(-1)!;
    expect(deny).toMatchObject({ decision: 'deny', actor: { name: 'carol@example.test' } });
    expect(deny.details).toMatchObject({ via: 'oidc', subject: 'carol-unverified' });

    provider.accounts.set('carol', { email: 'carol@example.test', email_verified: true });
    const linked = await signIn('carol');
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.user.id).toBe(local.body.id);
    expect((await oidcAudit()).at(-1)!.details).toMatchObject({ account: 'linked' });
  });

  it('refuses an unknown or tampered state with 401, and the real sign-in still completes', async () => {
    provider.accounts.set('dave', { email: 'dave@example.test', email_verified: true });
    const { authorizationUrl } = await start();
    const callbackUrl = new URL(await signInAtProvider(authorizationUrl, 'dave', REDIRECT_URI));

    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', `${callbackUrl.searchParams.get('state')}x`);
    expectRefused(await callback(tampered.href), /Unknown or already used sign-in/);
    const withoutState = new URL(callbackUrl);
    withoutState.searchParams.delete('state');
    expectRefused(await callback(withoutState.href), /no state/);

    expect((await callback(callbackUrl.href)).status).toBe(200);
    const denials = (await oidcAudit()).filter((entry) => entry.decision === 'deny');
    expect(denials.some((entry) => /Unknown or already used/.test(entry.reason ?? ''))).toBe(true);
  });

  it('refuses a replayed callback with 401', async () => {
    provider.accounts.set('erin', { email: 'erin@example.test', email_verified: true });
    const { authorizationUrl } = await start();
    const callbackUrl = await signInAtProvider(authorizationUrl, 'erin', REDIRECT_URI);
    expect((await callback(callbackUrl)).status).toBe(200);
    expectRefused(await callback(callbackUrl), /Unknown or already used sign-in/);
  });

  it('refuses an expired pending sign-in with 401', async () => {
    provider.accounts.set('frank', { email: 'frank@example.test', email_verified: true });
    const { authorizationUrl } = await start();
    const callbackUrl = await signInAtProvider(authorizationUrl, 'frank', REDIRECT_URI);
    // Ten minutes later, as far as the pending sign-in knows.
    await gw.gateway.runtime
      .services()
      .db.prisma.oidcLogin.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expectRefused(await callback(callbackUrl), /expired/);
    // Taken anyway: it cannot be retried.
    expectRefused(await callback(callbackUrl), /Unknown or already used/);
    const users = (await admin('GET', '/v1/admin/users')).body.users;
    expect(users.some((user: { email: string }) => user.email === 'frank@example.test')).toBe(false);
  });

  it('refuses an ID token with another nonce', async () => {
    provider.accounts.set('grace', { email: 'grace@example.test', email_verified: true });
    const { authorizationUrl } = await start();
    const forged = new URL(authorizationUrl);
    forged.searchParams.set('nonce', 'a-nonce-the-gateway-never-issued');
    expectRefused(await callback(await signInAtProvider(forged.href, 'grace', REDIRECT_URI)), /nonce/);
  });

  it('refuses a code issued to another client (the ID token would be for another audience)', async () => {
    provider.accounts.set('heidi', { email: 'heidi@example.test', email_verified: true });
    const { authorizationUrl } = await start();
    const forged = new URL(authorizationUrl);
    forged.searchParams.set('client_id', OTHER_CLIENT.client_id);
    expectRefused(
      await callback(await signInAtProvider(forged.href, 'heidi', REDIRECT_URI)),
      /refused the code exchange \(invalid_grant/,
    );
    const users = (await admin('GET', '/v1/admin/users')).body.users;
    expect(users.some((user: { email: string }) => user.email === 'heidi@example.test')).toBe(false);
  });

  it('refuses a callback for another redirect URI than the sign-in was started with', async () => {
    provider.accounts.set('ivan', { email: 'ivan@example.test', email_verified: true });
    const { authorizationUrl } = await start();
    const callbackUrl = new URL(await signInAtProvider(authorizationUrl, 'ivan', REDIRECT_URI));
    const elsewhere = new URL(`http://evil.test/cb${callbackUrl.search}`);
    expectRefused(await callback(elsewhere.href, 'http://evil.test/cb'), /another redirect URI/);
  });

  it('passes on the provider refusing the sign-in, and refuses an account the provider gives no email', async () => {
    provider.accounts.set('judy', { email_verified: false });
    expectRefused(await signIn('judy'), /did not share an email address/);

    const { state } = await start();
    expectRefused(
      await callback(
        `${REDIRECT_URI}?error=access_denied&error_description=End-User+aborted&state=${state}&iss=${encodeURIComponent(provider.issuer)}`,
      ),
      /refused the sign-in \(access_denied: End-User aborted\)/,
    );
  });

  it('answers malformed calls with 400 INVALID_REQUEST and takes nothing', async () => {
    const { authorizationUrl } = await start();
    const callbackUrl = await signInAtProvider(authorizationUrl, 'alice', REDIRECT_URI);
    const bad = [
      await request(gw.url, 'POST', '/v1/auth/oidc/start', {}, anonymous),
      await request(gw.url, 'POST', '/v1/auth/oidc/start', { redirectUri: 'not a url' }, anonymous),
      await request(gw.url, 'POST', '/v1/auth/oidc/start', { redirectUri: `${REDIRECT_URI}?next=/x` }, anonymous),
      await request(gw.url, 'POST', '/v1/auth/oidc/start', { redirectUri: 'javascript:alert(1)' }, anonymous),
      await request(gw.url, 'POST', '/v1/auth/oidc/callback', { callbackUrl }, anonymous),
      await callback('not a url'),
      await callback(callbackUrl.replace('/login/oidc/callback', '/elsewhere')),
      await request(
        gw.url,
        'POST',
        '/v1/auth/oidc/callback',
        { callbackUrl, redirectUri: REDIRECT_URI, extra: 1 },
        anonymous,
      ),
    ];
    for (const answer of bad) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.code).toBe('INVALID_REQUEST');
    }
    // The pending sign-in was not consumed by the malformed calls.
    expect((await callback(callbackUrl)).status).toBe(200);
  });

  it('documents the routes in the OpenAPI description', async () => {
    const openapi = (await request(gw.url, 'GET', '/openapi.json', undefined, anonymous)).body;
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/v1/auth/oidc', '/v1/auth/oidc/start', '/v1/auth/oidc/callback']),
    );
    expect(
      openapi.paths['/v1/auth/oidc/callback'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['callbackUrl', 'redirectUri']);
  });
});

describe('without OIDC configured', () => {
  let plain: TestGateway;
  beforeAll(async () => {
    plain = await startTestGateway('postgres');
  });
  afterAll(async () => {
    await plain?.stop();
  });

  it('says so, and refuses to start a sign-in with 404', async () => {
    const info = await request(plain.url, 'GET', '/v1/auth/oidc', undefined, anonymous);
    expect(info.body).toEqual({ enabled: false, issuer: null, name: null });
    const started = await request(plain.url, 'POST', '/v1/auth/oidc/start', { redirectUri: REDIRECT_URI }, anonymous);
    expect(started.status).toBe(404);
    expect(started.body.code).toBe('NOT_FOUND');
  });
});
