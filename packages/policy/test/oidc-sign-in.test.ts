import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed, createPrismaClient, type PrismaClient } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { OidcLoginStore } from '../src/oidc-logins';
import { PolicyStore, type OidcIdentity } from '../src/policy-store';

let db: TestDatabase;
let prisma: PrismaClient;
let feed: ChangeFeed;
let store: PolicyStore;
let logins: OidcLoginStore;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  feed = new ChangeFeed({ databaseUrl: db.url, origin: 'test' });
  await feed.start();
  store = new PolicyStore(prisma, { changeFeed: feed });
  logins = new OidcLoginStore(prisma);
});

afterAll(async () => {
  store?.close();
  await feed?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const ISSUER = 'https://idp.example.test';
let counter = 0;
/** A person the provider vouches for, unique per test. */
function identity(overrides: Partial<OidcIdentity> = {}): OidcIdentity {
  counter += 1;
  return {
    issuer: ISSUER,
    subject: `sub-${counter}-${Date.now()}`,
    email: `person-${counter}-${Date.now()}@example.test`,
    emailVerified: true,
    name: `Person ${counter}`,
    ...overrides,
  };
}

describe('PolicyStore.signInOidcUser', () => {
  it('creates an account without a password on the first sign-in and finds it again by (issuer, subject)', async () => {
    const person = identity({ email: 'New.Person@Example.test' });
    const first = await store.signInOidcUser(person);
    expect(first.account).toBe('created');
    expect(first.principal).toMatchObject({ kind: 'user', name: 'new.person@example.test', via: 'oidc', teams: [] });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: first.principal.id } });
    expect(row).toMatchObject({ passwordHash: null, oidcIssuer: ISSUER, oidcSubject: person.subject, admin: false });
    expect(row.name).toBe(person.name);

    // The session authenticates like a password sign-in's.
    const viaSession = await store.authenticate({ kind: 'session', token: first.session.token });
    expect(viaSession).toMatchObject({ id: first.principal.id, via: 'session' });

    // The provider may change the email: the account is still the one of (issuer, subject).
    const second = await store.signInOidcUser({ ...person, email: 'renamed@example.test' });
    expect(second.account).toBe('existing');
    expect(second.principal.id).toBe(first.principal.id);
    expect(second.session.token).not.toBe(first.session.token);
    // The same subject at another issuer is another person.
    await expect(store.signInOidcUser({ ...person, issuer: 'https://other.example.test' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('linked to another single sign-on identity'),
    });
  });

  it('links a local account by email only when the provider says the email is verified', async () => {
    const local = await store.createUser({
      email: 'local.person@example.test',
      name: 'Local',
      password: 'a-long-password-1',
    });
    const sessionsBefore = await prisma.session.count({ where: { userId: local.id } });

    const unverified = identity({ email: 'local.person@example.test', emailVerified: false });
    await expect(store.signInOidcUser(unverified)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('does not say the email is verified'),
    });
    // Nothing written: no link, no session, no second account.
    expect(await prisma.user.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({
      oidcIssuer: null,
      oidcSubject: null,
    });
    expect(await prisma.session.count({ where: { userId: local.id } })).toBe(sessionsBefore);
    expect(await prisma.user.count({ where: { oidcSubject: unverified.subject } })).toBe(0);

    const verified = identity({ email: 'LOCAL.person@example.test', emailVerified: true });
    const signedIn = await store.signInOidcUser(verified);
    expect(signedIn.account).toBe('linked');
    expect(signedIn.principal.id).toBe(local.id);
    // The password still works: linking adds a way in.
    expect((await store.authenticatePassword('local.person@example.test', 'a-long-password-1')).id).toBe(local.id);

    // A second identity claiming the same (linked) email is refused, verified or not.
    await expect(
      store.signInOidcUser(identity({ email: 'local.person@example.test', emailVerified: true })),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a first sign-in without an email, and disabled accounts, writing nothing', async () => {
    const sessions = await prisma.session.count();
    await expect(store.signInOidcUser(identity({ email: null }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('did not share an email address'),
    });
    await expect(store.signInOidcUser(identity({ email: 'not an email' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const person = identity();
    const { principal } = await store.signInOidcUser(person);
    await prisma.user.update({ where: { id: principal.id }, data: { disabledAt: new Date() } });
    const before = await prisma.session.count();
    expect(before).toBe(sessions + 1);
    await expect(store.signInOidcUser(person)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The account is disabled.',
    });
    expect(await prisma.session.count()).toBe(before);
  });

  it('makes memberships follow the teams claim: existing teams added, unknown ones ignored, unlisted ones removed', async () => {
    await store.createTeam('oidc-team-a');
    await store.createTeam('oidc-team-b');
    await store.createTeam('oidc-team-c');
    const person = identity({ teams: ['oidc-team-a', 'oidc-team-b', 'no-such-team', 'oidc-team-a'] });

    const first = await store.signInOidcUser(person);
    expect(first.principal.teams).toEqual(['oidc-team-a', 'oidc-team-b']);
    expect(first.teamsAdded.sort()).toEqual(['oidc-team-a', 'oidc-team-b']);
    expect(await prisma.team.findUnique({ where: { id: 'no-such-team' } })).toBeNull();

    // An owner role set by an administrator survives as long as the claim lists the team.
    await store.addTeamMember('oidc-team-b', first.principal.id, 'owner');
    const second = await store.signInOidcUser({ ...person, teams: ['oidc-team-b', 'oidc-team-c'] });
    expect(second.teamsAdded).toEqual(['oidc-team-c']);
    expect(second.teamsRemoved).toEqual(['oidc-team-a']);
    const user = await store.getUser(first.principal.id);
    expect(user.teams.sort((x, y) => x.teamId.localeCompare(y.teamId))).toEqual([
      { teamId: 'oidc-team-b', role: 'owner' },
      { teamId: 'oidc-team-c', role: 'member' },
    ]);
    // The session's principal sees the new teams at once (cached principals are dropped).
    expect((await store.authenticate({ kind: 'session', token: second.session.token })).teams).toEqual([
      'oidc-team-b',
      'oidc-team-c',
    ]);

    // Without a teams claim configured (undefined), memberships stay as they are.
    const third = await store.signInOidcUser({ ...person, teams: undefined });
    expect(third.principal.teams).toEqual(['oidc-team-b', 'oidc-team-c']);
    expect(third.teamsAdded).toEqual([]);
    expect(third.teamsRemoved).toEqual([]);
  });

  it('gives two racing first sign-ins of one person one account', async () => {
    const person = identity();
    const [a, b] = await Promise.all([store.signInOidcUser(person), store.signInOidcUser(person)]);
    expect(a.principal.id).toBe(b.principal.id);
    expect(await prisma.user.count({ where: { oidcSubject: person.subject } })).toBe(1);
  });
});

describe('OidcLoginStore', () => {
  const login = (state: string, expiresAt = new Date(Date.now() + 600_000)) => ({
    state,
    codeVerifier: `verifier-${state.length}`,
    nonce: `nonce-${state.length}`,
    redirectUri: 'http://portal.test/login/oidc/callback',
    expiresAt,
  });

  it('hands a pending login out exactly once, and stores only the hash of its state', async () => {
    await logins.save(login('state-once'));
    const rows = await prisma.oidcLogin.findMany();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('state-once');

    const [first, second] = await Promise.all([logins.take('state-once'), logins.take('state-once')]);
    const taken = [first, second].filter(Boolean);
    expect(taken).toEqual([
      expect.objectContaining({ state: 'state-once', codeVerifier: 'verifier-10', nonce: 'nonce-10' }),
    ]);
    expect(await logins.take('state-once')).toBeNull();
    expect(await logins.take('never-started')).toBeNull();
  });

  it('returns an expired login (the caller refuses it) and sweeps expired ones when the next login starts', async () => {
    await logins.save(login('state-expired', new Date(Date.now() - 1000)), new Date(Date.now() - 2000));
    await logins.save(login('state-expired-2', new Date(Date.now() - 1000)), new Date(Date.now() - 2000));
    expect((await logins.take('state-expired'))?.expiresAt.getTime()).toBeLessThan(Date.now());
    await logins.save(login('state-fresh'));
    expect(await logins.take('state-expired-2')).toBeNull();
    expect(await logins.take('state-fresh')).not.toBeNull();
  });
});
