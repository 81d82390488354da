import type { FastifyInstance } from 'fastify';
import { NotFoundError, isMeshgateError } from '@meshgate/core';
import type { CatalogService, Domain, DomainInput, EventType } from '@meshgate/catalog';
import { actorOf, changeActorOf } from '../../auth/access-control';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { callerOf } from '../../auth/guards';
import type { Runtime, Services } from '../../runtime';

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

const domainBody = {
  type: 'object',
  additionalProperties: false,
  required: ['displayName', 'ownerTeam'],
  properties: {
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    summary: { type: 'string', maxLength: 500 },
    description: { type: ['string', 'null'], maxLength: 100_000, description: 'Markdown.' },
    ownerTeam: { type: 'string', minLength: 1, maxLength: 200, description: 'The owning team (a team id).' },
  },
} as const;

/** The summary form of an event type inside a domain or search result. */
export function eventTypeSummaryJson(eventType: EventType) {
  return {
    name: eventType.name,
    summary: eventType.summary,
    owner: eventType.owner,
    version: eventType.version,
    lifecycle: eventType.lifecycle,
    visibility: eventType.visibility,
    tags: eventType.tags,
  };
}

/** The wire form of a catalog service. */
export function serviceJson(service: CatalogService) {
  return {
    name: service.name,
    displayName: service.displayName,
    summary: service.summary,
    description: service.description,
    domain: service.domain,
    ownerTeam: service.ownerTeam,
    application: service.application,
    repository: service.repository,
    produces: service.produces,
    consumes: service.consumes,
    createdAt: service.createdAt.toISOString(),
    updatedAt: service.updatedAt.toISOString(),
  };
}

/** The wire form of a domain, with counts of what the caller sees in it. */
export function domainJson(domain: Domain, counts: { eventTypeCount: number; serviceCount: number }) {
  return {
    name: domain.name,
    displayName: domain.displayName,
    summary: domain.summary,
    description: domain.description,
    ownerTeam: domain.ownerTeam,
    ...counts,
    createdAt: domain.createdAt.toISOString(),
    updatedAt: domain.updatedAt.toISOString(),
  };
}

/** What a caller sees of the catalog at large: event types and services, filtered by {@link CatalogViewer}. */
export async function visibleCatalog(
  services: Services,
  viewer: CatalogViewer,
  filter: { domain?: string | undefined } = {},
): Promise<{ eventTypes: EventType[]; services: CatalogService[] }> {
  const [eventTypes, catalogServices] = await Promise.all([
    services.catalog.list(filter.domain ? { domain: filter.domain } : {}),
    services.catalogServices.list(filter.domain ? { domain: filter.domain } : {}),
  ]);
  const visible = eventTypes.filter((eventType) => viewer.seesEventType(eventType));
  // Applications see services through the event types they declare, which may lie outside the
  // domain filter (users see every service: no need to read further).
  const all = filter.domain && viewer.principal?.kind === 'application' ? await services.catalog.list() : eventTypes;
  const visibleNames = new Set(all.filter((eventType) => viewer.seesEventType(eventType)).map((e) => e.name));
  return {
    eventTypes: visible,
    services: catalogServices.filter((service) => viewer.seesService(service, (name) => visibleNames.has(name))),
  };
}

/**
 * A domain the caller may see, or the error that keeps it secret from applications without a
 * grant (FORBIDDEN, audited, for existing and unknown names alike).
 */
async function visibleDomain(
  services: Services,
  viewer: CatalogViewer,
  name: string,
  sourceIp: string,
): Promise<{ domain: Domain; eventTypes: EventType[]; services: CatalogService[] }> {
  const domain = await services.domains.get(name).catch((error: unknown) => {
    if (isMeshgateError(error) && error.code === 'DOMAIN_NOT_FOUND') return undefined;
    throw error;
  });
  const content = domain ? await visibleCatalog(services, viewer, { domain: name }) : undefined;
  if (domain && content && viewer.seesDomain(name, content.eventTypes.length)) return { domain, ...content };
  const principal = viewer.principal;
  if (principal?.kind === 'application' && !services.access.engine.canSee(principal, { domain: name })) {
    await services.access.require(principal, 'read', { domain: name }, { sourceIp }, 'catalog.read');
  }
  throw new NotFoundError('DOMAIN_NOT_FOUND', `Domain '${name}' not found.`);
}

/** `/v1/catalog/domains`: list (with counts), read (with event types and services), create or replace, delete. */
export function registerCatalogDomainRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get(
    '/v1/catalog/domains',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List the domains you may see',
        description: '`eventTypeCount` and `serviceCount` count what you may see in each.',
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const [domains, visible] = await Promise.all([services.domains.list(), visibleCatalog(services, viewer)]);
      const count = <T>(items: T[], domainOf: (item: T) => string | null) => {
        const counts = new Map<string, number>();
        for (const item of items) {
          const domain = domainOf(item);
          if (domain !== null) counts.set(domain, (counts.get(domain) ?? 0) + 1);
        }
        return counts;
      };
      const eventTypeCounts = count(visible.eventTypes, (e) => e.domain);
      const serviceCounts = count(visible.services, (s) => s.domain);
      return {
        items: domains
          .filter((domain) => viewer.seesDomain(domain.name, eventTypeCounts.get(domain.name) ?? 0))
          .map((domain) =>
            domainJson(domain, {
              eventTypeCount: eventTypeCounts.get(domain.name) ?? 0,
              serviceCount: serviceCounts.get(domain.name) ?? 0,
            }),
          ),
      };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/catalog/domains/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Get one domain with its event types and services',
        description: '`eventTypes` (summary form) and `services` list what you may see.',
        params: nameParams,
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const found = await visibleDomain(services, viewer, request.params.name, request.ip);
      return {
        ...domainJson(found.domain, { eventTypeCount: found.eventTypes.length, serviceCount: found.services.length }),
        eventTypes: found.eventTypes.map(eventTypeSummaryJson),
        services: found.services.map(serviceJson),
      };
    },
  );

  app.put<{ Params: { name: string }; Body: DomainInput }>(
    '/v1/catalog/domains/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create or replace a domain',
        description:
          'Needs manage-catalog on the domain. The name is the first segment of its event types’ names. 201 when created, 200 otherwise.',
        params: nameParams,
        body: domainBody,
      },
    },
    async (request, reply) => {
      const { domains, access } = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      const { name } = request.params;
      await access.require(principal, 'manage-catalog', { domain: name }, { sourceIp }, 'catalog.domain.put');
      const { domain, created, changed } = await domains.put(name, request.body, { actor: changeActorOf(principal) });
      if (changed) {
        await access.record({
          actor: actorOf(principal),
          action: created ? 'catalog.domain.create' : 'catalog.domain.update',
          resource: { kind: 'domain', name },
          decision: 'allow',
          sourceIp,
        });
      }
      const counts = {
        eventTypeCount: (await runtime.services().catalog.list({ domain: name })).length,
        serviceCount: (await runtime.services().catalogServices.list({ domain: name })).length,
      };
      return reply.status(created ? 201 : 200).send(domainJson(domain, counts));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/catalog/domains/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Delete an empty domain',
        description: '409 DOMAIN_NOT_EMPTY while event types or services belong to it.',
        params: nameParams,
      },
    },
    async (request) => {
      const { domains, access } = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      const { name } = request.params;
      await access.require(principal, 'manage-catalog', { domain: name }, { sourceIp }, 'catalog.domain.delete');
      const deleted = await domains.delete(name, { actor: changeActorOf(principal) });
      await access.record({
        actor: actorOf(principal),
        action: 'catalog.domain.delete',
        resource: { kind: 'domain', name },
        decision: 'allow',
        sourceIp,
      });
      return deleted;
    },
  );
}
