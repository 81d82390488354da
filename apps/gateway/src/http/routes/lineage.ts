import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventType, ImpactedConsumer, LineageService } from '@meshgate/catalog';
import { describeIncompatibility, type SchemaType } from '@meshgate/registry';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { lineageEdgeJson, observedPartyJson, visibleLineageGraph } from '../../services/catalog-lineage';
import { visibleEventType } from '../../services/catalog-queries';
import type { Runtime, Services } from '../../runtime';
import { eventTypeNameParams } from './catalog';

const serviceSchema = {
  type: 'object',
  required: ['name', 'displayName', 'summary', 'domain', 'ownerTeam', 'applicationId', 'repository'],
  properties: {
    name: { type: 'string' },
    displayName: { type: 'string' },
    summary: { type: 'string' },
    domain: { type: ['string', 'null'] },
    ownerTeam: { type: 'string' },
    applicationId: {
      type: ['string', 'null'],
      description: 'The policy application whose traffic is attributed to this service.',
    },
    repository: { type: ['string', 'null'] },
  },
} as const;

const principalSchema = {
  type: 'object',
  required: ['kind', 'id', 'name'],
  properties: {
    kind: { type: 'string', enum: ['application', 'user'] },
    id: { type: 'string' },
    name: { type: 'string', description: 'Application name or user email.' },
  },
} as const;

const observedSchema = {
  type: 'object',
  required: ['principalKind', 'principalId', 'name', 'service', 'events', 'sessions', 'firstSeen', 'lastSeen'],
  properties: {
    principalKind: { type: 'string', enum: ['application', 'user'] },
    principalId: { type: 'string' },
    name: { type: 'string', description: 'Application name or user email.' },
    service: {
      type: ['string', 'null'],
      description: 'The name of the catalog service bound to that application (`application`), or null.',
    },
    events: { type: 'integer', description: 'Events produced (producers) or delivered (consumers) since first seen.' },
    sessions: {
      type: 'integer',
      description: 'Produce requests (producers) or subscriptions opened (consumers) since first seen.',
    },
    firstSeen: { type: 'string', format: 'date-time' },
    lastSeen: {
      type: 'string',
      format: 'date-time',
      description: 'Last produce, or last delivery / connected moment of a consumer (to within a few seconds).',
    },
  },
} as const;

/** `{producers: [item], consumers: [item]}`. */
function partiesSchema<T>(items: T) {
  return {
    type: 'object',
    required: ['producers', 'consumers'],
    properties: { producers: { type: 'array', items }, consumers: { type: 'array', items } },
  } as const;
}

const consumerSchema = {
  type: 'object',
  required: ['kind', 'service', 'principal', 'events', 'lastSeen'],
  properties: {
    kind: {
      type: 'string',
      enum: ['declared', 'observed'],
      description: '`declared`: listed as a consumer in the catalog; `observed`: seen subscribing, not declared.',
    },
    service: { anyOf: [serviceSchema, { type: 'null' }] },
    principal: {
      anyOf: [principalSchema, { type: 'null' }],
      description: 'Who was seen consuming (for a declared service: its bound application, once seen).',
    },
    events: { type: 'integer', description: 'Events delivered to it so far.' },
    lastSeen: { type: ['string', 'null'], format: 'date-time', description: 'Null when never seen consuming.' },
  },
} as const;

const impactResponse = {
  type: 'object',
  required: ['eventType', 'subject', 'consumers'],
  properties: {
    eventType: { type: 'string' },
    subject: { type: 'string' },
    consumers: { type: 'array', items: consumerSchema },
  },
} as const;

const compatibilitySchema = {
  type: 'object',
  required: ['compatible', 'level', 'messages', 'incompatibilities'],
  properties: {
    compatible: { type: 'boolean' },
    level: { type: 'string', description: "The subject's compatibility level (BACKWARD, FULL_TRANSITIVE, …)." },
    messages: {
      type: 'array',
      items: { type: 'string' },
      description: "The engine's messages, as the registry gives them.",
    },
    incompatibilities: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string' },
          rule: { type: 'string' },
          message: { type: 'string' },
          fix: { type: 'string' },
          direction: { type: 'string' },
          version: { type: 'integer' },
          old: {},
          new: {},
        },
      },
    },
  },
} as const;

/** The wire form of a lineage service. */
function serviceJson(service: LineageService | null) {
  return service && { ...service };
}

function consumerJson(consumer: ImpactedConsumer) {
  return {
    kind: consumer.kind,
    service: serviceJson(consumer.service),
    principal: consumer.principal,
    events: consumer.events,
    lastSeen: consumer.lastSeen?.toISOString() ?? null,
  };
}

/** The event type named by a catalog read, under the catalog's read rules (see visibleEventType). */
async function readableEventType(services: Services, request: FastifyRequest, name: string): Promise<EventType> {
  return visibleEventType(services, new CatalogViewer(services.access, request.principal), name, request.ip);
}

/**
 * Lineage and impact: `GET /v1/catalog/event-types/{name}/lineage`, `GET|POST
 * /v1/catalog/event-types/{name}/impact` and the graph `GET /v1/catalog/lineage?domain=`.
 */
export function registerLineageRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name/lineage',
    {
      schema: {
        tags: ['catalog'],
        summary: "An event type's declared and observed producers and consumers",
        description:
          'Declared: catalog services listed as producers/consumers. Observed: applications and users seen producing to or subscribing to the event type through the gateway (REST, GraphQL, SSE, NDJSON, graphql-ws), with counts since first seen; applications bound to a catalog service name it.',
        params: eventTypeNameParams,
        response: {
          200: {
            type: 'object',
            required: ['declared', 'observed'],
            properties: { declared: partiesSchema(serviceSchema), observed: partiesSchema(observedSchema) },
          },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const eventType = await readableEventType(services, request, request.params.name);
      const lineage = await services.lineageReader.ofEventType(eventType.name);
      return {
        declared: {
          producers: lineage.declared.producers.map(serviceJson),
          consumers: lineage.declared.consumers.map(serviceJson),
        },
        observed: {
          producers: lineage.observed.producers.map(observedPartyJson),
          consumers: lineage.observed.consumers.map(observedPartyJson),
        },
      };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name/impact',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Who a change to the event type would affect',
        description:
          'Every declared consumer (with its bound application’s last activity) and every observed consumer not declared, most recently active first.',
        params: eventTypeNameParams,
        response: { 200: impactResponse },
      },
    },
    async (request) => {
      const services = runtime.services();
      const eventType = await readableEventType(services, request, request.params.name);
      const consumers = await services.lineageReader.impact(eventType.name);
      return { eventType: eventType.name, subject: eventType.subject, consumers: consumers.map(consumerJson) };
    },
  );

  app.post<{
    Params: { name: string };
    Body: {
      schema: string | Record<string, unknown>;
      schemaType?: SchemaType;
      references?: Array<{ name: string; subject: string; version: number }>;
    };
  }>(
    '/v1/catalog/event-types/:name/impact',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Check a proposed schema and list the consumers it would affect',
        description:
          "Runs the registry's compatibility engine for the proposed schema against the event type's subject under its configured level (nothing is registered), and lists the affected consumers as the GET does.",
        params: eventTypeNameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['schema'],
          properties: {
            schema: {
              anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }],
              description: 'The proposed schema: its text, or (JSON Schema) the schema object itself.',
            },
            schemaType: {
              type: 'string',
              enum: ['JSON', 'AVRO', 'PROTOBUF'],
              description: "Default: the subject's latest version's type, else JSON.",
            },
            references: {
              type: 'array',
              maxItems: 100,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'subject', 'version'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  subject: { type: 'string', minLength: 1 },
                  version: { type: 'integer', minimum: 1 },
                },
              },
            },
          },
        },
        response: {
          200: {
            ...impactResponse,
            required: [...impactResponse.required, 'compatibility'],
            properties: { ...impactResponse.properties, compatibility: compatibilitySchema },
          },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const eventType = await readableEventType(services, request, request.params.name);
      const { schema, references } = request.body;
      const schemaType =
        request.body.schemaType ?? (await services.registry.latestOrUndefined(eventType.subject))?.schemaType ?? 'JSON';
      const [result, consumers] = await Promise.all([
        services.registry.check(eventType.subject, {
          schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
          schemaType,
          ...(references ? { references } : {}),
        }),
        services.lineageReader.impact(eventType.name),
      ]);
      return {
        eventType: eventType.name,
        subject: eventType.subject,
        consumers: consumers.map(consumerJson),
        compatibility: {
          compatible: result.compatible,
          level: result.level,
          messages: result.incompatibilities.map(describeIncompatibility),
          incompatibilities: result.incompatibilities,
        },
      };
    },
  );

  app.get<{ Querystring: { domain?: string } }>(
    '/v1/catalog/lineage',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The lineage graph: domains, services, event types and observed applications',
        description:
          '`produces` and `consumes` edges go from a service (or an application no service is bound to) to an event type; `contains` from a domain to its event types and services. An edge is `declared` (catalog), `observed` (seen through the gateway, with `events` and `lastSeen`) or both. Node ids are `{kind}:{name}` (`application:{id}`); an event type’s label is its summary. Observed users are not shown, and applications only to portal users and administrators. Only event types the caller may see appear.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            domain: {
              type: 'string',
              minLength: 1,
              maxLength: 249,
              description: "Only this domain's event types and what produces or consumes them.",
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['nodes', 'edges'],
            properties: {
              nodes: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'kind', 'name', 'label'],
                  properties: {
                    id: { type: 'string' },
                    kind: { type: 'string', enum: ['domain', 'service', 'event-type', 'application'] },
                    name: { type: 'string' },
                    label: { type: 'string' },
                  },
                },
              },
              edges: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['from', 'to', 'kind', 'declared', 'observed'],
                  properties: {
                    from: { type: 'string' },
                    to: { type: 'string' },
                    kind: { type: 'string', enum: ['produces', 'consumes', 'contains'] },
                    declared: { type: 'boolean' },
                    observed: { type: 'boolean' },
                    events: { type: 'integer' },
                    lastSeen: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const graph = await visibleLineageGraph(services, viewer, request.query.domain);
      return { nodes: graph.nodes, edges: graph.edges.map(lineageEdgeJson) };
    },
  );
}
