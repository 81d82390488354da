import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeshgateError } from '@meshgate/core';
import { ACTIONS, PRINCIPAL_KINDS, RESOURCE_KINDS, domainOf, type Principal } from '@meshgate/policy';
import { actorOf, forbidden } from '../../auth/access-control';
import { callerOf } from '../../auth/guards';
import {
  CLEARED_SESSION_COOKIE,
  SESSION_COOKIE,
  principalOf,
  readCookie,
  sessionCookieHeader,
} from '../../auth/plugin';
import type { Runtime } from '../../runtime';
import { parseDateTime } from '../parse-date-time';

const idParam = { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } as const;
const nullableInt = { type: ['integer', 'null'], minimum: 0 } as const;
const dateTime = { type: ['string', 'null'], format: 'date-time' } as const;

/**
 * Identity and policy administration (`/v1/admin/…`, administrators only), the audit log
 * (`/v1/audit`), sign-in (`/v1/auth/…`), the caller's own view (`/v1/me`) and access requests
 * (`/v1/access-requests`: any user asks; the owning team's owners or an administrator decide).
 * Every change is audited.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  options: { secureCookies?: boolean } = {},
): void {
  const access = () => runtime.services().access;

  /** Throws FORBIDDEN (audited) unless the caller may administer. */
  const requireAdmin = async (request: FastifyRequest, what: string): Promise<Principal> => {
    const principal = principalOf(request);
    await access().require(principal, 'admin', {}, { sourceIp: request.ip }, what);
    return principal;
  };

  // ---- sign-in -------------------------------------------------------------------------------

  app.post<{ Body: { email: string; password: string } }>(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the portal session cookie',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password'],
          properties: { email: { type: 'string', maxLength: 320 }, password: { type: 'string', maxLength: 1024 } },
        },
      },
    },
    async (request, reply) => {
      const { store } = access();
      let principal: Principal;
      try {
        principal = await store.authenticatePassword(request.body.email, request.body.password);
      } catch (error) {
        await access().record({
          actor: { kind: 'anonymous', name: request.body.email },
          action: 'auth.login',
          decision: 'deny',
          reason: (error as Error).message,
          sourceIp: request.ip,
        });
        throw error;
      }
      const session = await store.createSession(principal.id);
      await access().record({
        actor: actorOf(principal),
        action: 'auth.login',
        decision: 'allow',
        sourceIp: request.ip,
      });
      void reply.header('set-cookie', sessionCookieHeader(session, options.secureCookies ?? false));
      return {
        user: { id: principal.id, email: principal.name, teams: principal.teams },
        expiresAt: session.expiresAt,
        token: session.token,
      };
    },
  );

  app.post(
    '/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'Ends the portal session' } },
    async (request, reply) => {
      const token = readCookie(request, SESSION_COOKIE);
      if (token) await access().store.endSession(token);
      void reply.header('set-cookie', CLEARED_SESSION_COOKIE);
      return { signedOut: true };
    },
  );

  app.get(
    '/v1/me',
    { schema: { tags: ['auth'], summary: 'Who the credentials belong to, and their grants' } },
    async (request) => {
      const principal = principalOf(request);
      const now = new Date();
      return {
        kind: principal.kind,
        id: principal.id,
        name: principal.name,
        teams: principal.teams,
        via: principal.via,
        credentialId: principal.via === 'session' ? null : principal.credentialId,
        expiresAt: principal.expiresAt,
        admin: access().decide(principal, 'admin', {}).allowed,
        grants: access()
          .engine.grantsOf(principal)
          .filter((grant) => grant.expiresAt === null || grant.expiresAt > now),
      };
    },
  );

  // ---- applications and keys -------------------------------------------------------------

  const applicationBody = {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', maxLength: 63 },
      description: { type: ['string', 'null'], maxLength: 2000 },
      ownerTeam: { type: ['string', 'null'], maxLength: 63 },
      jwtSubject: { type: ['string', 'null'], maxLength: 500 },
      produceRatePerSecond: nullableInt,
      maxSubscriptions: nullableInt,
      maxConnections: nullableInt,
    },
  } as const;

  app.get('/v1/admin/applications', { schema: { tags: ['admin'], summary: 'List applications' } }, async (request) => {
    await requireAdmin(request, 'application.list');
    return { applications: await access().store.listApplications() };
  });

  app.post<{ Body: { name: string } & Record<string, unknown> }>(
    '/v1/admin/applications',
    { schema: { tags: ['admin'], summary: 'Create an application', body: { ...applicationBody, required: ['name'] } } },
    async (request, reply) => {
      await requireAdmin(request, 'application.create');
      const created = await access().store.createApplication(request.body);
      await access().recordAllowed(callerOf(request), 'application.create', {
        kind: 'application',
        name: created.name,
      });
      return reply.status(201).send(created);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/admin/applications/:id',
    { schema: { tags: ['admin'], summary: 'One application (by id or name)', params: idParam } },
    async (request) => {
      await requireAdmin(request, 'application.read');
      return access().store.getApplication(request.params.id);
    },
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/v1/admin/applications/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change an application’s description, owner, JWT subject or quotas',
        params: idParam,
        body: { ...applicationBody, properties: { ...applicationBody.properties, name: { not: {} } } },
      },
    },
    async (request) => {
      await requireAdmin(request, 'application.update');
      const updated = await access().store.updateApplication(request.params.id, request.body);
      await access().recordAllowed(
        callerOf(request),
        'application.update',
        { kind: 'application', name: updated.name },
        { changes: request.body },
      );
      return updated;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/admin/applications/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable an application: its keys stop working, its streams end',
        params: idParam,
      },
    },
    async (request) => {
      await requireAdmin(request, 'application.disable');
      const disabled = await access().store.disableApplication(request.params.id);
      await access().recordAllowed(callerOf(request), 'application.disable', {
        kind: 'application',
        name: disabled.name,
      });
      return disabled;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/admin/applications/:id/keys',
    { schema: { tags: ['admin'], summary: 'An application’s API keys (never their secrets)', params: idParam } },
    async (request) => {
      await requireAdmin(request, 'key.list');
      const application = await access().store.getApplication(request.params.id);
      return { keys: await access().store.listApiKeys({ applicationId: application.id }) };
    },
  );

  app.post<{ Params: { id: string }; Body: { name: string; expiresAt?: string | null } }>(
    '/v1/admin/applications/:id/keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue an API key; the token is in this answer only',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, expiresAt: dateTime },
        },
      },
    },
    async (request, reply) => {
      const principal = await requireAdmin(request, 'key.issue');
      const application = await access().store.getApplication(request.params.id);
      const key = await access().store.issueApiKey({
        applicationId: application.id,
        name: request.body.name,
        expiresAt: parseDateTime(request.body.expiresAt, 'expiresAt'),
        createdBy: principal.name,
      });
      await access().recordAllowed(
        callerOf(request),
        'key.issue',
        { kind: 'application', name: application.name },
        { keyId: key.keyId },
      );
      return reply.status(201).send(key);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/admin/keys/:id/revoke',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key at once (live streams end within a second)',
        params: idParam,
      },
    },
    async (request) => {
      await requireAdmin(request, 'key.revoke');
      const key = await access().store.revokeApiKey(request.params.id);
      await access().recordAllowed(callerOf(request), 'key.revoke', { kind: 'api-key', name: key.keyId });
      return key;
    },
  );

  app.post<{ Params: { id: string }; Body: { graceSeconds?: number } }>(
    '/v1/admin/keys/:id/rotate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Rotate an API key: a new token now, the old one valid for graceSeconds more (default 0)',
        params: idParam,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { graceSeconds: { type: 'integer', minimum: 0, maximum: 2_592_000 } },
        },
      },
    },
    async (request, reply) => {
      const principal = await requireAdmin(request, 'key.rotate');
      const key = await access().store.rotateApiKey(request.params.id, request.body?.graceSeconds ?? 0, principal.name);
      await access().recordAllowed(
        callerOf(request),
        'key.rotate',
        { kind: 'api-key', name: request.params.id },
        { newKeyId: key.keyId },
      );
      return reply.status(201).send(key);
    },
  );

  // ---- grants ----------------------------------------------------------------------------------

  app.get<{ Querystring: { subjectKind?: string; subjectId?: string; includeRevoked?: 'true' | 'false' } }>(
    '/v1/admin/grants',
    {
      schema: {
        tags: ['admin'],
        summary: 'List grants',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            subjectKind: { type: 'string', enum: [...PRINCIPAL_KINDS] },
            subjectId: { type: 'string', maxLength: 200 },
            includeRevoked: { type: 'string', enum: ['true', 'false'] },
          },
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'grant.list');
      const { subjectKind, subjectId, includeRevoked } = request.query;
      return {
        grants: await access().store.listGrants({
          ...(subjectKind ? { subjectKind: subjectKind as Principal['kind'] } : {}),
          ...(subjectId ? { subjectId } : {}),
          ...(includeRevoked === 'true' ? { includeRevoked: true } : {}),
        }),
      };
    },
  );

  app.post<{
    Body: {
      subjectKind: (typeof PRINCIPAL_KINDS)[number];
      subjectId: string;
      resourceKind: (typeof RESOURCE_KINDS)[number];
      resourceName?: string;
      action: (typeof ACTIONS)[number];
      unmask?: string[];
      rowFilter?: string | null;
      expiresAt?: string | null;
    };
  }>(
    '/v1/admin/grants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a grant (subject x resource x action, with unmasked classes, row filter and expiry)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['subjectKind', 'subjectId', 'resourceKind', 'action'],
          properties: {
            subjectKind: { type: 'string', enum: [...PRINCIPAL_KINDS] },
            subjectId: { type: 'string', minLength: 1, maxLength: 200 },
            resourceKind: { type: 'string', enum: [...RESOURCE_KINDS] },
            resourceName: { type: 'string', minLength: 1, maxLength: 300 },
            action: { type: 'string', enum: [...ACTIONS] },
            unmask: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } },
            rowFilter: { type: ['string', 'null'], maxLength: 8192 },
            expiresAt: dateTime,
          },
        },
      },
    },
    async (request, reply) => {
      const principal = await requireAdmin(request, 'grant.create');
      const { subjectKind, subjectId } = request.body;
      // Applications and users may be named by name/email as well as id.
      const resolvedId =
        subjectKind === 'application'
          ? (await access().store.getApplication(subjectId)).id
          : subjectKind === 'user'
            ? (await access().store.getUser(subjectId)).id
            : subjectId;
      const grant = await access().store.createGrant(
        {
          ...request.body,
          subjectId: resolvedId,
          expiresAt: parseDateTime(request.body.expiresAt, 'expiresAt'),
        },
        principal.name,
      );
      await access().recordAllowed(
        callerOf(request),
        'grant.create',
        { kind: grant.resourceKind, name: grant.resourceName },
        {
          grantId: grant.id,
          subject: `${grant.subjectKind}:${grant.subjectId}`,
          action: grant.action,
          unmask: grant.unmask,
          rowFilter: grant.rowFilter,
        },
      );
      return reply.status(201).send(grant);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/admin/grants/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a grant at once (live streams it allowed end within a second)',
        params: idParam,
      },
    },
    async (request) => {
      await requireAdmin(request, 'grant.revoke');
      const grant = await access().store.revokeGrant(request.params.id);
      await access().recordAllowed(
        callerOf(request),
        'grant.revoke',
        { kind: grant.resourceKind, name: grant.resourceName },
        { grantId: grant.id },
      );
      return grant;
    },
  );

  // ---- users and teams -----------------------------------------------------------------------

  app.get('/v1/admin/users', { schema: { tags: ['admin'], summary: 'List users' } }, async (request) => {
    await requireAdmin(request, 'user.list');
    return { users: await access().store.listUsers() };
  });

  app.post<{ Body: { email: string; name: string; password?: string; admin?: boolean } }>(
    '/v1/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a local account',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'name'],
          properties: {
            email: { type: 'string', maxLength: 320 },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            password: { type: 'string', minLength: 12, maxLength: 1024 },
            admin: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) => {
      await requireAdmin(request, 'user.create');
      const user = await access().store.createUser(request.body);
      await access().recordAllowed(
        callerOf(request),
        'user.create',
        { kind: 'user', name: user.email },
        { admin: user.admin },
      );
      return reply.status(201).send(user);
    },
  );

  app.get(
    '/v1/admin/teams',
    { schema: { tags: ['admin'], summary: 'List teams and their members' } },
    async (request) => {
      await requireAdmin(request, 'team.list');
      return { teams: await access().store.listTeams() };
    },
  );

  app.post<{ Body: { id: string; displayName?: string } }>(
    '/v1/admin/teams',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a team',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: { id: { type: 'string', maxLength: 63 }, displayName: { type: 'string', maxLength: 200 } },
        },
      },
    },
    async (request, reply) => {
      await requireAdmin(request, 'team.create');
      const team = await access().store.createTeam(request.body.id, request.body.displayName);
      await access().recordAllowed(callerOf(request), 'team.create', { kind: 'team', name: team.id });
      return reply.status(201).send(team);
    },
  );

  app.post<{ Params: { id: string }; Body: { user: string; role?: 'member' | 'owner' } }>(
    '/v1/admin/teams/:id/members',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a user (id or email) to a team, as member or owner',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['user'],
          properties: { user: { type: 'string', maxLength: 320 }, role: { type: 'string', enum: ['member', 'owner'] } },
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'team.member.add');
      const user = await access().store.getUser(request.body.user);
      await access().store.addTeamMember(request.params.id, user.id, request.body.role ?? 'member');
      await access().recordAllowed(
        callerOf(request),
        'team.member.add',
        { kind: 'team', name: request.params.id },
        { user: user.email, role: request.body.role ?? 'member' },
      );
      return { teamId: request.params.id, userId: user.id, role: request.body.role ?? 'member' };
    },
  );

  // ---- audit ------------------------------------------------------------------------------------

  app.get<{
    Querystring: {
      actor?: string;
      action?: string;
      resource?: string;
      decision?: 'allow' | 'deny';
      since?: string;
      until?: string;
      after?: string;
      limit?: number;
    };
  }>(
    '/v1/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'Query the audit log (oldest first; `next` continues)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actor: { type: 'string', maxLength: 200 },
            action: { type: 'string', maxLength: 100 },
            resource: { type: 'string', maxLength: 300 },
            decision: { type: 'string', enum: ['allow', 'deny'] },
            since: { type: 'string', format: 'date-time' },
            until: { type: 'string', format: 'date-time' },
            after: { type: 'string', maxLength: 20 },
            limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: '1–1000, default 100' },
          },
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'audit.read');
      const q = request.query;
      return access().audit.query({
        ...(q.actor ? { actorId: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.resource ? { resourceName: q.resource } : {}),
        ...(q.decision ? { decision: q.decision } : {}),
        ...(q.since ? { since: new Date(q.since) } : {}),
        ...(q.until ? { until: new Date(q.until) } : {}),
        ...(q.after ? { after: q.after } : {}),
        ...(q.limit ? { limit: Number(q.limit) } : {}),
      });
    },
  );

  // ---- access requests -------------------------------------------------------------------------

  app.post<{
    Body: {
      resourceKind: 'domain' | 'event-type' | 'subject';
      resourceName: string;
      action: string;
      reason: string;
      application?: string;
    };
  }>(
    '/v1/access-requests',
    {
      schema: {
        tags: ['access'],
        summary: 'Ask for a grant (for yourself or one of your applications)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['resourceKind', 'resourceName', 'action', 'reason'],
          properties: {
            resourceKind: { type: 'string', enum: ['domain', 'event-type', 'subject'] },
            resourceName: { type: 'string', minLength: 1, maxLength: 300 },
            action: { type: 'string', enum: ['read', 'produce', 'register-schema', 'manage-catalog'] },
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
            application: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') {
        throw new MeshgateError('FORBIDDEN', 'Access requests are made by users (sign in to the portal).');
      }
      const application = request.body.application
        ? await access().store.getApplication(request.body.application)
        : undefined;
      const created = await access().store.requestAccess({
        requesterId: principal.id,
        applicationId: application?.id ?? null,
        resourceKind: request.body.resourceKind,
        resourceName: request.body.resourceName,
        action: request.body.action as 'read',
        reason: request.body.reason,
      });
      await access().recordAllowed(
        callerOf(request),
        'access-request.create',
        { kind: created.resourceKind, name: created.resourceName },
        { requestId: created.id, action: created.action },
      );
      return reply.status(201).send(created);
    },
  );

  /**
   * Who may decide requests: administrators, and owners of the team owning the resource. Reads
   * the caller's memberships and the catalog once, then answers for any number of requests.
   */
  const decisionRights = async (principal: Principal): Promise<(kind: string, name: string) => boolean> => {
    if (access().decide(principal, 'admin', {}).allowed) return () => true;
    if (principal.kind !== 'user') return () => false;
    const user = await access().store.getUser(principal.id);
    const owned = new Set(user.teams.filter((m) => m.role === 'owner').map((m) => m.teamId));
    if (owned.size === 0) return () => false;
    const eventTypes = (await runtime.services().catalog.list()).filter((eventType) => owned.has(eventType.owner));
    return (kind, name) =>
      eventTypes.some((eventType) =>
        kind === 'event-type'
          ? eventType.name === name
          : kind === 'domain'
            ? domainOf(eventType.name) === name
            : kind === 'subject' && eventType.subject === name,
      );
  };

  app.get<{ Querystring: { status?: 'pending' | 'approved' | 'rejected' } }>(
    '/v1/access-requests',
    {
      schema: {
        tags: ['access'],
        summary: 'Access requests you made or may decide',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: ['pending', 'approved', 'rejected'] } },
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const all = await access().store.listAccessRequests(request.query.status);
      const emails = new Map((await access().store.listUsers()).map((user) => [user.id, user.email]));
      const mayDecide = await decisionRights(principal);
      const visible = all.filter(
        (item) => item.requesterId === principal.id || mayDecide(item.resourceKind, item.resourceName),
      );
      // The requester's email, so owners see who asks (ids alone mean nothing to them).
      return { requests: visible.map((item) => ({ ...item, requesterEmail: emails.get(item.requesterId) ?? null })) };
    },
  );

  app.post<{
    Params: { id: string };
    Body: { approve: boolean; note?: string; unmask?: string[]; rowFilter?: string | null; expiresAt?: string | null };
  }>(
    '/v1/access-requests/:id/decision',
    {
      schema: {
        tags: ['access'],
        summary:
          'Approve (creating the grant) or reject an access request: the owning team’s owners or an administrator',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['approve'],
          properties: {
            approve: { type: 'boolean' },
            note: { type: 'string', maxLength: 2000 },
            unmask: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } },
            rowFilter: { type: ['string', 'null'], maxLength: 8192 },
            expiresAt: dateTime,
          },
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const item = await access().store.getAccessRequest(request.params.id);
      if (!(await decisionRights(principal))(item.resourceKind, item.resourceName)) {
        await access().record({
          actor: actorOf(principal),
          action: 'access-request.decide',
          resource: { kind: item.resourceKind, name: item.resourceName },
          decision: 'deny',
          reason: 'not an owner of the resource',
          sourceIp: request.ip,
        });
        throw forbidden('admin', `access request ${item.id}`);
      }
      const { approve, note, unmask, rowFilter, expiresAt } = request.body;
      const decided = await access().store.decideAccessRequest(item.id, {
        approve,
        decidedBy: principal.name,
        note: note ?? null,
        grant: {
          ...(unmask ? { unmask } : {}),
          ...(rowFilter !== undefined ? { rowFilter } : {}),
          ...(expiresAt !== undefined ? { expiresAt: parseDateTime(expiresAt, 'expiresAt') } : {}),
        },
      });
      await access().recordAllowed(
        callerOf(request),
        approve ? 'access-request.approve' : 'access-request.reject',
        { kind: item.resourceKind, name: item.resourceName },
        {
          requestId: item.id,
          grantId: decided.grantId,
        },
      );
      return decided;
    },
  );
}
