import type { FastifyInstance } from 'fastify';
import type { CatalogService, Domain, DomainInput, EventType } from '@meshgate/catalog';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { deleteDomain, putDomain } from '../../services/catalog-commands';
import { visibleCatalog, visibleDomain } from '../../services/catalog-queries';

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

/** The prose every domain and service carries, as PUT bodies take it. */
export const entryTextProperties = {
  displayName: { type: 'string', minLength: 1, maxLength: 200 },
  summary: { type: 'string', maxLength: 500 },
  description: { type: ['string', 'null'], maxLength: 100_000, description: 'Markdown.' },
} as const;

const domainBody = {
  type: 'object',
  additionalProperties: false,
  required: ['displayName', 'ownerTeam'],
  properties: {
    ...entryTextProperties,
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
      const services = runtime.services();
      const { name } = request.params;
      const { domain, created } = await putDomain(services, callerOf(request), name, request.body);
      const counts = {
        eventTypeCount: (await services.catalog.list({ domain: name })).length,
        serviceCount: (await services.catalogServices.list({ domain: name })).length,
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
    async (request) => deleteDomain(runtime.services(), callerOf(request), request.params.name),
  );
}
