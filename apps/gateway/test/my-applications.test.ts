import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestGateway, uniqueName, waitFor, type TestGateway } from './harness';

/** A signed-in person: their session cookie as a header set. */
type Session = { authorization: ''; cookie: string };

describe('/v1/me/applications: people manage their teams’ applications and keys', () => {
  let gw: TestGateway;
  const admin = (method: string, path: string, body?: unknown) => request(gw.url, method, path, body);
  const as = (session: Session) => (method: string, path: string, body?: unknown) =>
    request(gw.url, method, path, body, session);

  const team = uniqueName('team').replace('.', '-');
  const otherTeam = uniqueName('other').replace('.', '-');
  let member: Session;
  let outsider: Session;
  let loner: Session;

  async function signIn(email: string): Promise<Session> {
    const created = await admin('POST', '/v1/admin/users', { email, name: email, password: 'a long passphrase' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { authorization: '', cookie: await sessionCookie(email) };
  }

  async function sessionCookie(email: string): Promise<string> {
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email, password: 'a long passphrase' },
      { authorization: '' },
    );
    expect(login.status).toBe(200);
    return login.headers.get('set-cookie')!.split(';')[0]!;
  }

  beforeAll(async () => {
    gw = await startTestGateway('postgres');
    for (const id of [team, otherTeam]) expect((await admin('POST', '/v1/admin/teams', { id })).status).toBe(201);
    member = await signIn('member@apps.test');
    outsider = await signIn('outsider@apps.test');
    loner = await signIn('loner@apps.test');
    await admin('POST', `/v1/admin/teams/${team}/members`, { user: 'member@apps.test' });
    await admin('POST', `/v1/admin/teams/${otherTeam}/members`, { user: 'outsider@apps.test', role: 'owner' });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('a team member creates an application, issues a key that works, rotates and revokes it', async () => {
    const me = as(member);
    const name = uniqueName('app').replace('.', '-');
    const created = await me('POST', '/v1/me/applications', { name, ownerTeam: team, description: 'dashboards' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name,
      ownerTeam: team,
      description: 'dashboards',
      produceRatePerSecond: null,
    });

    const listed = await me('GET', '/v1/me/applications');
    expect(listed.status).toBe(200);
    expect(listed.body.applications).toEqual([expect.objectContaining({ name, ownerTeam: team, activeKeys: 0 })]);

    const issued = await me('POST', `/v1/me/applications/${name}/keys`, { name: 'ci' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.token).toMatch(/^mgk_/);
    const bearer = { authorization: `Bearer ${issued.body.token}` };
    expect((await request(gw.url, 'GET', '/v1/me', undefined, bearer)).body).toMatchObject({
      kind: 'application',
      name,
    });

    // The detail lists the key without its secret, the grants (none yet) and the quotas.
    const detail = await me('GET', `/v1/me/applications/${created.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.application).toMatchObject({ name, maxConnections: null });
    expect(detail.body.keys).toEqual([
      expect.objectContaining({ keyId: issued.body.keyId, name: 'ci', revokedAt: null }),
    ]);
    expect(JSON.stringify(detail.body)).not.toContain(issued.body.secret);
    expect(detail.body.grants).toEqual([]);
    expect((await me('GET', '/v1/me/applications')).body.applications[0].activeKeys).toBe(1);

    // Rotation: a new token at once, the old one stops (grace 0).
    const rotated = await me('POST', `/v1/me/applications/${name}/keys/${issued.body.keyId}/rotate`, {});
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    expect(rotated.body.keyId).not.toBe(issued.body.keyId);
    await waitFor(async () =>
      (await request(gw.url, 'GET', '/v1/me', undefined, bearer)).status === 401 ? true : undefined,
    );
    const rotatedBearer = { authorization: `Bearer ${rotated.body.token}` };
    expect((await request(gw.url, 'GET', '/v1/me', undefined, rotatedBearer)).status).toBe(200);

    const revoked = await me('POST', `/v1/me/applications/${name}/keys/${rotated.body.keyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    await waitFor(async () =>
      (await request(gw.url, 'GET', '/v1/me', undefined, rotatedBearer)).status === 401 ? true : undefined,
    );

    // Every change is audited under the person who made it.
    const audit = await admin('GET', `/v1/audit?resource=${name}`);
    const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['application.create', 'key.issue']));
    const keyAudit = await admin('GET', `/v1/audit?action=key.revoke&resource=${rotated.body.keyId}`);
    expect(keyAudit.body.entries).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ name: 'member@apps.test' }), decision: 'allow' }),
    ]);
  });

  it('shows the grants an application holds', async () => {
    const name = uniqueName('granted').replace('.', '-');
    expect((await as(member)('POST', '/v1/me/applications', { name, ownerTeam: team })).status).toBe(201);
    const grant = await admin('POST', '/v1/admin/grants', {
      subjectKind: 'application',
      subjectId: name,
      resourceKind: 'domain',
      resourceName: 'orders',
      action: 'read',
      rowFilter: 'region == "EU"',
    });
    expect(grant.status).toBe(201);
    const detail = await as(member)('GET', `/v1/me/applications/${name}`);
    expect(detail.body.grants).toEqual([
      expect.objectContaining({
        resourceKind: 'domain',
        resourceName: 'orders',
        action: 'read',
        rowFilter: 'region == "EU"',
      }),
    ]);
  });

  it('refuses people outside the owning team, whether or not the application exists, and audits it', async () => {
    const name = uniqueName('private').replace('.', '-');
    const created = await as(member)('POST', '/v1/me/applications', { name, ownerTeam: team });
    const key = await as(member)('POST', `/v1/me/applications/${name}/keys`, { name: 'k' });
    const intruder = as(outsider);

    expect((await intruder('GET', '/v1/me/applications')).body.applications).toEqual([]);
    for (const [method, path] of [
      ['GET', `/v1/me/applications/${name}`],
      ['GET', `/v1/me/applications/${created.body.id}`],
      ['POST', `/v1/me/applications/${name}/keys`],
      ['POST', `/v1/me/applications/${name}/keys/${key.body.keyId}/revoke`],
      ['POST', `/v1/me/applications/${name}/keys/${key.body.keyId}/rotate`],
      ['GET', '/v1/me/applications/no-such-application'],
    ] as const) {
      const answer = await intruder(
        method,
        path,
        method === 'POST' && path.endsWith('/keys') ? { name: 'x' } : undefined,
      );
      expect(answer, `${method} ${path}`).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    }
    // The key still works: nothing was changed by the refused calls.
    const bearer = { authorization: `Bearer ${key.body.token}` };
    expect((await request(gw.url, 'GET', '/v1/me', undefined, bearer)).status).toBe(200);
    const denied = await admin('GET', `/v1/audit?decision=deny&resource=${name}`);
    expect(denied.body.entries.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining(['application.read', 'key.issue', 'key.revoke', 'key.rotate']),
    );
  });

  it('creating needs one of your teams; bad input gets INVALID_REQUEST and creates nothing', async () => {
    const name = uniqueName('nope').replace('.', '-');
    expect(await as(member)('POST', '/v1/me/applications', { name, ownerTeam: otherTeam })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', message: expect.stringContaining(team) },
    });
    expect(await as(loner)('POST', '/v1/me/applications', { name, ownerTeam: team })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', message: expect.stringContaining('no team') },
    });
    expect(await as(member)('POST', '/v1/me/applications', { name: 'Not Valid!', ownerTeam: team })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    });
    expect(await as(member)('POST', '/v1/me/applications', { name, ownerTeam: team, maxConnections: 5 })).toMatchObject(
      { status: 400, body: { code: 'INVALID_REQUEST' } },
    );
    expect((await admin('GET', `/v1/admin/applications/${name}`)).status).toBe(404);

    // Names are unique across every team.
    expect((await as(member)('POST', '/v1/me/applications', { name, ownerTeam: team })).status).toBe(201);
    expect(await as(outsider)('POST', '/v1/me/applications', { name, ownerTeam: otherTeam })).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT' },
    });
    // A key in the past, and a key id of another application.
    expect(
      await as(member)('POST', `/v1/me/applications/${name}/keys`, { name: 'old', expiresAt: '2001-01-01T00:00:00Z' }),
    ).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
    const other = uniqueName('other-app').replace('.', '-');
    await as(outsider)('POST', '/v1/me/applications', { name: other, ownerTeam: otherTeam });
    const otherKey = await as(outsider)('POST', `/v1/me/applications/${other}/keys`, { name: 'k' });
    expect(await as(member)('POST', `/v1/me/applications/${name}/keys/${otherKey.body.keyId}/revoke`)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    const stillValid = { authorization: `Bearer ${otherKey.body.token}` };
    expect((await request(gw.url, 'GET', '/v1/me', undefined, stillValid)).status).toBe(200);
  });

  it('applications cannot use these routes; administrators may, for any team', async () => {
    const name = uniqueName('by-admin').replace('.', '-');
    expect(await admin('POST', '/v1/me/applications', { name, ownerTeam: team })).toMatchObject({ status: 201 });
    expect((await as(member)('GET', `/v1/me/applications/${name}`)).status).toBe(200);
    expect(await admin('POST', '/v1/me/applications', { name: `${name}-x`, ownerTeam: 'no-such-team' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    });

    const key = await as(member)('POST', `/v1/me/applications/${name}/keys`, { name: 'svc' });
    const asApplication = { authorization: `Bearer ${key.body.token}` };
    expect(await request(gw.url, 'GET', '/v1/me/applications', undefined, asApplication)).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await request(gw.url, 'GET', '/v1/me/applications', undefined, { authorization: '' })).status).toBe(401);
  });

  it('documents the routes in the OpenAPI description', async () => {
    const openapi = await request(gw.url, 'GET', '/openapi.json');
    for (const path of [
      '/v1/me/applications',
      '/v1/me/applications/{application}',
      '/v1/me/applications/{application}/keys',
      '/v1/me/applications/{application}/keys/{keyId}/revoke',
      '/v1/me/applications/{application}/keys/{keyId}/rotate',
    ]) {
      expect(openapi.body.paths[path], path).toBeDefined();
    }
  });
});
