import type { FastifyInstance } from 'fastify';
import { NotFoundError, isMeshgateError } from '@meshgate/core';
import type { ServiceInput } from '@meshgate/catalog';
import type { Principal } from '@meshgate/policy';
import { actorOf, changeActorOf } from '../../auth/access-control';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { serviceJson, visibleCatalog } from './catalog-domains';

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const eventTypeNames = {
  type: 'array',
  maxItems: 1000,
  items: { type: 'string', minLength: 1, maxLength: 249 },
} as const;

const serviceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['displayName', 'ownerTeam'],
  properties: {
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    summary: { type: 'string', maxLength: 500 },
    description: { type: ['string', 'null'], maxLength: 100_000, description: 'Markdown.' },
    domain: {
      type: ['string', 'null'],
      maxLength: 100,
      description: 'An existing domain (404 DOMAIN_NOT_FOUND otherwise).',
    },
    ownerTeam: { type: 'string', minLength: 1, maxLength: 200 },
    application: {
      type: ['string', 'null'],
      maxLength: 200,
      description:
        'The policy application (by name) the service authenticates as; observed traffic is attributed to it.',
    },
    repository: { type: ['string', 'null'], maxLength: 2000, description: 'http(s) URL of its code.' },
    produces: {
      ...eventTypeNames,
      description: 'Event types it produces (replaces the declared set; kept when left out).',
    },
    consumes: {
      ...eventTypeNames,
      description: 'Event types it consumes (replaces the declared set; kept when left out).',
    },
  },
} as const;

/** Needs manage-catalog on each domain the write touches (none: on everything). */
async function requireManage(
  runtime: Runtime,
  principal: Principal,
  domains: ReadonlySet<string | null>,
  sourceIp: string,
  auditAction: string,
): Promise<void> {
  const { access } = runtime.services();
  for (const domain of domains) {
    await access.require(principal, 'manage-catalog', domain === null ? {} : { domain }, { sourceIp }, auditAction);
  }
}

/** `/v1/catalog/services`: list, read, create or replace, delete catalog services. */
export function registerCatalogServiceRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get<{ Querystring: { domain?: string } }>(
    '/v1/catalog/services',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List the services you may see',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { domain: { type: 'string', maxLength: 100 } },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const visible = await visibleCatalog(services, viewer, { domain: request.query.domain });
      return { items: visible.services.map(serviceJson) };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/catalog/services/:name',
    { schema: { tags: ['catalog'], summary: 'Get one service', params: nameParams } },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const service = await services.catalogServices.get(request.params.name).catch((error: unknown) => {
        if (isMeshgateError(error) && error.code === 'SERVICE_NOT_FOUND') return undefined;
        throw error;
      });
      if (service) {
        const names = new Set([...service.produces, ...service.consumes]);
        const declared = (await services.catalog.list()).filter((e) => names.has(e.name));
        const visibleNames = new Set(declared.filter((e) => viewer.seesEventType(e)).map((e) => e.name));
        if (viewer.seesService(service, (name) => visibleNames.has(name))) return serviceJson(service);
      }
      const principal = viewer.principal;
      if (principal?.kind === 'application') {
        // Partners do not learn which services exist: FORBIDDEN (audited), as for event types.
        await services.access.require(
          principal,
          'read',
          service?.domain ? { domain: service.domain } : {},
          { sourceIp: request.ip },
          'catalog.read',
        );
      }
      throw new NotFoundError('SERVICE_NOT_FOUND', `Service '${request.params.name}' not found.`);
    },
  );

  app.put<{ Params: { name: string }; Body: ServiceInput }>(
    '/v1/catalog/services/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create or replace a service',
        description:
          "Needs manage-catalog on the service's domain (old and new when it moves; on everything for a service without a domain). `produces`/`consumes` declare lineage (404 EVENT_TYPE_NOT_FOUND for unknown event types). 201 when created, 200 otherwise.",
        params: nameParams,
        body: serviceBody,
      },
    },
    async (request, reply) => {
      const { catalogServices, access } = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      const { name } = request.params;
      const existing = await catalogServices.get(name).catch(() => undefined);
      const domains = new Set<string | null>([request.body.domain ?? null]);
      if (existing) domains.add(existing.domain);
      await requireManage(runtime, principal, domains, sourceIp, 'catalog.service.put');
      const { service, created, changed } = await catalogServices.put(name, request.body, {
        actor: changeActorOf(principal),
      });
      if (changed) {
        await access.record({
          actor: actorOf(principal),
          action: created ? 'catalog.service.create' : 'catalog.service.update',
          resource: { kind: 'service', name },
          decision: 'allow',
          sourceIp,
        });
      }
      return reply.status(created ? 201 : 200).send(serviceJson(service));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/catalog/services/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Delete a service (and the lineage it declares)',
        params: nameParams,
      },
    },
    async (request) => {
      const { catalogServices, access } = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      const { name } = request.params;
      const existing = await catalogServices.get(name).catch(() => undefined);
      await requireManage(runtime, principal, new Set([existing?.domain ?? null]), sourceIp, 'catalog.service.delete');
      const deleted = await catalogServices.delete(name, { actor: changeActorOf(principal) });
      await access.record({
        actor: actorOf(principal),
        action: 'catalog.service.delete',
        resource: { kind: 'service', name },
        decision: 'allow',
        sourceIp,
      });
      return deleted;
    },
  );
}
