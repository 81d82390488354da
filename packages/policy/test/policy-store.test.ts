import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed, createPool, createPrismaClient, type Pool, type PrismaClient } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { AuditLog } from '../src/audit-log';
import { parseAuthorization } from '../src/credentials';
import { PolicyEngine } from '../src/policy-engine';
import { PolicyStore } from '../src/policy-store';

let db: TestDatabase;
let prisma: PrismaClient;
let feed: ChangeFeed;
let store: PolicyStore;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  feed = new ChangeFeed({ databaseUrl: db.url, origin: 'test' });
  await feed.start();
  store = new PolicyStore(prisma, { changeFeed: feed });
});

afterAll(async () => {
  store?.close();
  await feed?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const bearer = (token: string) => parseAuthorization(`Bearer ${token}`)!;

describe('PolicyStore', () => {
  it('issues API keys that authenticate as their application, and stores only the hash', async () => {
    const app = await store.createApplication({ name: 'partner-a', ownerTeam: null });
    const key = await store.issueApiKey({ applicationId: app.id, name: 'ci' });
    const principal = await store.authenticate(bearer(key.token));
    expect(principal).toMatchObject({
      kind: 'application',
      id: app.id,
      name: 'partner-a',
      via: 'api-key',
      credentialId: key.keyId,
    });
    const basic = parseAuthorization(`Basic ${Buffer.from(`${key.keyId}:${key.secret}`).toString('base64')}`)!;
    expect((await store.authenticate(basic)).id).toBe(app.id);
    const row = await prisma.apiKey.findUnique({ where: { id: key.keyId } });
    expect(JSON.stringify(row)).not.toContain(key.secret);
    expect(await store.listApiKeys({ applicationId: app.id })).toEqual([
      expect.objectContaining({ keyId: key.keyId, revokedAt: null }),
    ]);
  });

  it('refuses wrong secrets, unknown ids, revoked and expired keys and disabled owners with UNAUTHENTICATED', async () => {
    const app = await store.createApplication({ name: 'partner-b' });
    const key = await store.issueApiKey({ applicationId: app.id, name: 'k' });
    const wrong = { kind: 'api-key' as const, keyId: key.keyId, secret: 'A'.repeat(43) };
    await expect(store.authenticate(wrong)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Invalid API key.',
    });
    await expect(store.authenticate({ ...wrong, keyId: 'mgk_AAAAAAAAAAAA' })).rejects.toMatchObject({
      message: 'Invalid API key.',
    });
    const soon = await store.issueApiKey({
      applicationId: app.id,
      name: 'short',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(store.authenticate(bearer(soon.token), new Date(Date.now() + 120_000))).rejects.toMatchObject({
      message: 'This API key has expired.',
    });
    await store.authenticate(bearer(key.token)); // cached now
    await store.revokeApiKey(key.keyId);
    await expect(store.authenticate(bearer(key.token))).rejects.toMatchObject({ message: 'This API key was revoked.' });
    const other = await store.issueApiKey({ applicationId: app.id, name: 'other' });
    await store.disableApplication(app.id);
    await expect(store.authenticate(bearer(other.token))).rejects.toMatchObject({
      message: 'The owner of this API key is disabled.',
    });
  });

  it('rotates a key: the new one works, the old one until the grace period ends', async () => {
    const app = await store.createApplication({ name: 'rotating' });
    const old = await store.issueApiKey({ applicationId: app.id, name: 'main' });
    const fresh = await store.rotateApiKey(old.keyId, 60);
    expect((await store.authenticate(bearer(fresh.token))).id).toBe(app.id);
    expect((await store.authenticate(bearer(old.token))).id).toBe(app.id);
    await expect(store.authenticate(bearer(old.token), new Date(Date.now() + 61_000))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const immediate = await store.rotateApiKey(fresh.keyId);
    await expect(store.authenticate(bearer(fresh.token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await store.authenticate(bearer(immediate.token))).id).toBe(app.id);
  });

  it('counts live API keys per application in one query: revoked and expired ones left out', async () => {
    const busy = await store.createApplication({ name: 'counted-busy' });
    const quiet = await store.createApplication({ name: 'counted-quiet' });
    await store.issueApiKey({ applicationId: busy.id, name: 'live' });
    await store.issueApiKey({ applicationId: busy.id, name: 'expiring', expiresAt: new Date(Date.now() + 60_000) });
    await store.revokeApiKey((await store.issueApiKey({ applicationId: busy.id, name: 'revoked' })).keyId);
    await store.revokeApiKey((await store.issueApiKey({ applicationId: quiet.id, name: 'revoked' })).keyId);

    expect(await store.countLiveApiKeys([busy.id, quiet.id])).toEqual(new Map([[busy.id, 2]]));
    expect(await store.countLiveApiKeys([busy.id], new Date(Date.now() + 120_000))).toEqual(new Map([[busy.id, 1]]));
    expect(await store.countLiveApiKeys([])).toEqual(new Map());
  });

  it('signs users in with passwords and sessions, with teams on the principal', async () => {
    const user = await store.createUser({ email: 'Ada@Example.com', name: 'Ada', password: 'a long passphrase!' });
    await store.createTeam('team-shop', 'Shop');
    await store.addTeamMember('team-shop', user.id, 'owner');
    const principal = await store.authenticatePassword('ada@example.com', 'a long passphrase!');
    expect(principal).toMatchObject({ kind: 'user', id: user.id, name: 'ada@example.com', teams: ['team-shop'] });
    await expect(store.authenticatePassword('ada@example.com', 'wrong')).rejects.toMatchObject({
      message: 'Wrong email or password.',
    });
    await expect(store.authenticatePassword('nobody@example.com', 'x')).rejects.toMatchObject({
      message: 'Wrong email or password.',
    });
    const session = await store.createSession(user.id);
    expect((await store.authenticate({ kind: 'session', token: session.token })).id).toBe(user.id);
    await store.endSession(session.token);
    await expect(store.authenticate({ kind: 'session', token: session.token })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(store.createUser({ email: 'ada@example.com', name: 'Ada 2' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(store.createUser({ email: 'x@y', name: 'short', password: 'short' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('creates, lists and revokes grants, checks their parts, and feeds the engine', async () => {
    const app = await store.createApplication({ name: 'reader' });
    const grant = await store.createGrant({
      subjectKind: 'application',
      subjectId: app.id,
      resourceKind: 'event-type',
      resourceName: 'shop.order-placed',
      action: 'read',
      unmask: ['pii', 'pii', ' '],
      rowFilter: 'region == "EU"',
    });
    expect(grant.unmask).toEqual(['pii']);
    const engine = new PolicyEngine(await store.snapshot());
    const principal = await store.authenticate(
      bearer((await store.issueApiKey({ applicationId: app.id, name: 'k' })).token),
    );
    expect(engine.authorize(principal, 'read', { eventType: 'shop.order-placed' }).allowed).toBe(true);
    await store.revokeGrant(grant.id);
    engine.load(await store.snapshot());
    expect(engine.authorize(principal, 'read', { eventType: 'shop.order-placed' }).allowed).toBe(false);
    expect(await store.listGrants({ subjectId: app.id })).toEqual([]);
    expect(await store.listGrants({ subjectId: app.id, includeRevoked: true })).toHaveLength(1);

    await expect(
      store.createGrant({
        subjectKind: 'application',
        subjectId: app.id,
        resourceKind: 'all',
        action: 'read',
        rowFilter: 'region ==',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_FILTER' });
    await expect(
      store.createGrant({
        subjectKind: 'application',
        subjectId: app.id,
        resourceKind: 'all',
        action: 'fly' as 'read',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(
      store.createGrant({ subjectKind: 'team', subjectId: 'no-such-team', resourceKind: 'all', action: 'read' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      store.createGrant({ subjectKind: 'application', subjectId: app.id, resourceKind: 'domain', action: 'read' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('publishes every change on the change feed', async () => {
    const seen: string[] = [];
    const off = feed.on('policy', (event) => seen.push(event.key ?? '*'));
    const app = await store.createApplication({ name: 'noisy' });
    const key = await store.issueApiKey({ applicationId: app.id, name: 'k' });
    await store.revokeApiKey(key.keyId);
    off();
    expect(seen).toContain(`key:${key.keyId}`);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('turns an approved access request into a grant, and refuses to decide twice', async () => {
    const requester = await store.createUser({ email: 'dev@example.com', name: 'Dev' });
    const app = await store.createApplication({ name: 'dev-app' });
    const request = await store.requestAccess({
      requesterId: requester.id,
      applicationId: app.id,
      resourceKind: 'event-type',
      resourceName: 'shop.order-placed',
      action: 'read',
      reason: 'analytics',
    });
    expect(request.status).toBe('pending');
    const decided = await store.decideAccessRequest(request.id, { approve: true, decidedBy: 'owner@example.com' });
    expect(decided).toMatchObject({ status: 'approved', decidedBy: 'owner@example.com' });
    const grant = await store.getGrant(decided.grantId!);
    expect(grant).toMatchObject({
      subjectKind: 'application',
      subjectId: app.id,
      action: 'read',
      resourceName: 'shop.order-placed',
    });
    await expect(store.decideAccessRequest(request.id, { approve: false, decidedBy: 'x' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const rejected = await store.decideAccessRequest(
      (
        await store.requestAccess({
          requesterId: requester.id,
          resourceKind: 'domain',
          resourceName: 'crm',
          action: 'read',
          reason: 'x',
        })
      ).id,
      { approve: false, decidedBy: 'owner', note: 'not for this' },
    );
    expect(rejected).toMatchObject({ status: 'rejected', grantId: null, decisionNote: 'not for this' });
  });
});

describe('AuditLog', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(db.url);
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('records entries in batches, queries them with filters and pages, and refuses to change or delete them', async () => {
    const audit = new AuditLog({ prisma, pool });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        audit.record({
          actor: { kind: 'application', id: 'app-1', name: 'partner' },
          action: i % 2 === 0 ? 'stream.open' : 'event.produce',
          resource: { kind: 'event-type', name: 'shop.order-placed' },
          decision: i === 4 ? 'deny' : 'allow',
          reason: i === 4 ? 'no grant allows read here' : null,
          sourceIp: '127.0.0.1',
          details: { i },
        }),
      ),
    );
    const all = await audit.query({ actorId: 'app-1' });
    expect(all.entries).toHaveLength(5);
    expect(all.entries[0]).toMatchObject({
      action: 'stream.open',
      decision: 'allow',
      details: { i: 0 },
      sourceIp: '127.0.0.1',
    });
    expect((await audit.query({ actorId: 'app-1', decision: 'deny' })).entries).toHaveLength(1);
    expect((await audit.query({ actorId: 'app-1', action: 'event.' })).entries).toHaveLength(2);
    const page = await audit.query({ actorId: 'app-1', limit: 2 });
    expect(page.entries).toHaveLength(2);
    const rest = await audit.query({ actorId: 'app-1', after: page.next!, limit: 10 });
    expect(rest.entries.map((e) => e.details.i)).toEqual([2, 3, 4]);
    expect(rest.next).toBeNull();

    await expect(pool.query(`UPDATE audit_log SET decision = 'allow'`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect((await audit.query({ actorId: 'app-1' })).entries).toHaveLength(5);
  });

  it('writes a burst in INSERTs of at most maxBatch entries, every value as given (quotes, backslashes, nulls, nested JSON)', async () => {
    const statements: string[] = [];
    const counting = {
      query: (text: string, values?: unknown[]) => {
        statements.push(text);
        return pool.query(text, values);
      },
    };
    const audit = new AuditLog({ prisma, pool: counting }, { maxBatch: 4, flushMs: 50 });
    const tricky = `a "quoted" {brace}, back\\slash, comma; 'single' ✓ NULL`;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        audit.record({
          actor: { kind: i === 0 ? 'anonymous' : 'user', id: i === 0 ? null : 'burst-user', name: tricky },
          action: 'stream.open',
          resource: i === 1 ? null : { kind: 'event-type', name: `burst.${i}` },
          decision: 'allow',
          reason: i === 2 ? tricky : null,
          details: { i, text: tricky, nested: { list: [1, null, 'x'] } },
        }),
      ),
    );
    // 4 and 4 as each batch filled, the last 2 when the flush timer fired: one statement each.
    expect(statements).toHaveLength(3);
    const written = (await audit.query({ action: 'stream.open', limit: 1000 })).entries.filter(
      (entry) => entry.actor.name === tricky,
    );
    expect(written.map((entry) => entry.details.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(written[0]).toMatchObject({ actor: { kind: 'anonymous', id: null, name: tricky }, sourceIp: null });
    expect(written[1]!.resource).toBeNull();
    expect(written[2]).toMatchObject({ reason: tricky, details: { text: tricky, nested: { list: [1, null, 'x'] } } });
    expect(written[3]!.at).toBeInstanceOf(Date);
  });
});
