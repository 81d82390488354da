import type { FastifyInstance } from 'fastify';
import type { ServiceInput } from '@meshgate/catalog';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { deleteService, putService } from '../../services/catalog-commands';
import { visibleCatalog, visibleService } from '../../services/catalog-queries';
import { entryTextProperties, serviceJson } from './catalog-domains';

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
    ...entryTextProperties,
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
      return serviceJson(await visibleService(services, viewer, request.params.name, request.ip));
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
      const { service, created } = await putService(
        runtime.services(),
        callerOf(request),
        request.params.name,
        request.body,
      );
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
    async (request) => deleteService(runtime.services(), callerOf(request), request.params.name),
  );
}
