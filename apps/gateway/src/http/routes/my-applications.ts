import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, MeshgateError, NotFoundError } from '@meshgate/core';
import type { Application, ApiKeyInfo, Principal } from '@meshgate/policy';
import { actorOf } from '../../auth/access-control';
import { callerOf } from '../../auth/guards';
import { principalOf } from '../../auth/plugin';
import type { Runtime } from '../../runtime';
import { parseDateTime } from '../parse-date-time';

const TAGS = ['access'];

const applicationParams = {
  type: 'object',
  properties: { application: { type: 'string', minLength: 1, maxLength: 200, description: 'Application id or name' } },
  required: ['application'],
} as const;

const keyParams = {
  type: 'object',
  properties: {
    application: applicationParams.properties.application,
    keyId: { type: 'string', minLength: 1, maxLength: 200, description: 'The key id (`mgk_…` prefix part)' },
  },
  required: ['application', 'keyId'],
} as const;

/**
 * Applications a signed-in person manages themselves (`/v1/me/applications…`): those owned by
 * one of their teams. Any member of the owning team may create the application, issue, rotate
 * and revoke its API keys, and read its keys (never their secrets), grants and quotas.
 * Administrators may do the same for every application. Quotas, JWT subjects and disabling stay
 * with administrators (`/v1/admin/…`); grants come from access requests. Every change is
 * audited with the same actions as the administrators' routes.
 */
export function registerMyApplicationRoutes(app: FastifyInstance, runtime: Runtime): void {
  const access = () => runtime.services().access;

  const isAdmin = (principal: Principal): boolean => access().decide(principal, 'admin', {}).allowed;

  /** The caller, when a user (applications do not manage applications). */
  const userOf = (request: FastifyRequest): Principal => {
    const principal = principalOf(request);
    if (principal.kind !== 'user' && !isAdmin(principal)) {
      throw new MeshgateError('FORBIDDEN', 'Applications are managed by people: sign in to the portal.');
    }
    return principal;
  };

  /**
   * The application, when the caller may manage it; else FORBIDDEN (audited) whether or not it
   * exists, so the answer never tells who owns what.
   */
  const managedApplication = async (request: FastifyRequest, idOrName: string, what: string): Promise<Application> => {
    const principal = userOf(request);
    const application = await access()
      .store.getApplication(idOrName)
      .catch((error: unknown) => {
        if (error instanceof NotFoundError && !isAdmin(principal)) return undefined;
        throw error;
      });
    if (application && (isAdmin(principal) || ownedBy(application, principal))) return application;
    await access().record({
      actor: actorOf(principal),
      action: what,
      resource: { kind: 'application', name: idOrName },
      decision: 'deny',
      reason: 'not a member of the owning team',
      sourceIp: request.ip,
    });
    throw new MeshgateError(
      'FORBIDDEN',
      `You may manage only applications owned by one of your teams; '${idOrName}' is not one of them.`,
    );
  };

  /** The key, when it belongs to the application; NOT_FOUND otherwise. */
  const keyOf = async (application: Application, keyId: string): Promise<ApiKeyInfo> => {
    const key = await access().store.getApiKey(keyId);
    if (key.applicationId !== application.id) {
      throw new NotFoundError('NOT_FOUND', `Application '${application.name}' has no API key '${keyId}'.`);
    }
    return key;
  };

  app.get(
    '/v1/me/applications',
    {
      schema: {
        tags: TAGS,
        summary: 'Applications owned by your teams',
        description:
          'Every application whose ownerTeam is one of your teams, by name, with the number of live API keys.',
      },
    },
    async (request) => {
      const principal = userOf(request);
      const teams = new Set(principal.teams);
      const owned = (await access().store.listApplications()).filter(
        (item) => item.ownerTeam !== null && teams.has(item.ownerTeam),
      );
      const live = await access().store.countLiveApiKeys(owned.map((item) => item.id));
      return { applications: owned.map((item) => ({ ...item, activeKeys: live.get(item.id) ?? 0 })) };
    },
  );

  app.post<{ Body: { name: string; description?: string | null; ownerTeam: string } }>(
    '/v1/me/applications',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an application owned by one of your teams',
        description:
          'The application starts with no keys and no grants: issue a key here, ask for access on the catalog. ' +
          'Administrators may name any existing team.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'ownerTeam'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 63, description: "1–63 of a–z, 0–9, '.', '_', '-'" },
            description: { type: ['string', 'null'], maxLength: 2000 },
            ownerTeam: { type: 'string', minLength: 1, maxLength: 63 },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = userOf(request);
      const { name, description, ownerTeam } = request.body;
      if (!principal.teams.includes(ownerTeam)) {
        const exists = isAdmin(principal) && (await access().store.listTeams()).some((team) => team.id === ownerTeam);
        if (!exists) {
          throw new InputError(
            principal.teams.length === 0
              ? 'You are in no team; an administrator adds people to teams.'
              : `ownerTeam must be one of your teams: ${principal.teams.join(', ')}.`,
            { details: { field: 'ownerTeam' } },
          );
        }
      }
      const created = await access().store.createApplication({ name, description: description ?? null, ownerTeam });
      await access().recordAllowed(
        callerOf(request),
        'application.create',
        { kind: 'application', name: created.name },
        { ownerTeam },
      );
      return reply.status(201).send(created);
    },
  );

  app.get<{ Params: { application: string } }>(
    '/v1/me/applications/:application',
    {
      schema: {
        tags: TAGS,
        summary: 'One of your applications, with its API keys (never their secrets), grants and quotas',
        params: applicationParams,
      },
    },
    async (request) => {
      const application = await managedApplication(request, request.params.application, 'application.read');
      const [keys, grants] = await Promise.all([
        access().store.listApiKeys({ applicationId: application.id }),
        access().store.listGrants({ subjectKind: 'application', subjectId: application.id }),
      ]);
      return { application, keys, grants };
    },
  );

  app.post<{ Params: { application: string }; Body: { name: string; expiresAt?: string | null } }>(
    '/v1/me/applications/:application/keys',
    {
      schema: {
        tags: TAGS,
        summary: 'Issue an API key for one of your applications; the token is in this answer only',
        params: applicationParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            expiresAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
      },
    },
    async (request, reply) => {
      const application = await managedApplication(request, request.params.application, 'key.issue');
      const expiresAt = parseDateTime(request.body.expiresAt, 'expiresAt', { field: 'expiresAt' });
      const key = await access().store.issueApiKey({
        applicationId: application.id,
        name: request.body.name,
        expiresAt,
        createdBy: principalOf(request).name,
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

  app.post<{ Params: { application: string; keyId: string } }>(
    '/v1/me/applications/:application/keys/:keyId/revoke',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke an API key of one of your applications at once (its live streams end within a second)',
        params: keyParams,
      },
    },
    async (request) => {
      const application = await managedApplication(request, request.params.application, 'key.revoke');
      await keyOf(application, request.params.keyId);
      const key = await access().store.revokeApiKey(request.params.keyId);
      await access().recordAllowed(
        callerOf(request),
        'key.revoke',
        { kind: 'api-key', name: key.keyId },
        { application: application.name },
      );
      return key;
    },
  );

  app.post<{ Params: { application: string; keyId: string }; Body: { graceSeconds?: number } | null }>(
    '/v1/me/applications/:application/keys/:keyId/rotate',
    {
      schema: {
        tags: TAGS,
        summary:
          'Rotate an API key of one of your applications: a new token now (shown once), the old one valid for graceSeconds more',
        params: keyParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            graceSeconds: {
              type: 'integer',
              minimum: 0,
              maximum: 2_592_000,
              description: 'Default 0: the old key stops at once',
            },
          },
        },
      },
    },
    async (request, reply) => {
      const application = await managedApplication(request, request.params.application, 'key.rotate');
      await keyOf(application, request.params.keyId);
      const key = await access().store.rotateApiKey(
        request.params.keyId,
        request.body?.graceSeconds ?? 0,
        principalOf(request).name,
      );
      await access().recordAllowed(
        callerOf(request),
        'key.rotate',
        { kind: 'api-key', name: request.params.keyId },
        { application: application.name, newKeyId: key.keyId },
      );
      return reply.status(201).send(key);
    },
  );
}

function ownedBy(application: Application, principal: Principal): boolean {
  return application.ownerTeam !== null && principal.teams.includes(application.ownerTeam);
}
