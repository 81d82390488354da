import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  asyncApiMediaTypes,
  asyncApiToCatalogDocument,
  buildAsyncApiDocument,
  loadExportCatalog,
  serializeDocument,
  type ExportSchemaSource,
} from '@meshgate/catalog';
import { isMeshgateError } from '@meshgate/core';
import type { SchemaRegistry } from '@meshgate/registry';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { applyCatalog } from '../../services/catalog-commands';
import { YAML_MEDIA_TYPES } from './catalog-apply';

/** Options for {@link registerAsyncApiRoutes}. */
export interface AsyncApiRouteOptions {
  /** Kafka bootstrap servers, described as the documents' Kafka servers; none on the embedded log. */
  kafkaBrokers?: readonly string[] | undefined;
  /** The portal's base URL, for the documents' `externalDocs`; none when unset. */
  portalUrl?: string | undefined;
}

const formatParam = {
  type: 'string',
  enum: ['yaml', 'json'],
  description: 'Answer as YAML (default) or JSON.',
} as const;

const ownerParam = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'Owner team of entries the document names no owner for (`x-meshgate.owner`).',
} as const;

/** A document answered as YAML or JSON (see `format`). */
function documentResponse(description: string) {
  return {
    description,
    content: {
      'application/yaml': { schema: { type: 'string' } },
      'application/json': { schema: { type: 'object', additionalProperties: true } },
    },
  } as const;
}

/**
 * `GET /v1/catalog/asyncapi` (an AsyncAPI 3.0 document of what the caller may see),
 * `POST /v1/catalog/asyncapi/convert` (an AsyncAPI 2.6 or 3.0 document as a CatalogDocument)
 * and `POST /v1/catalog/asyncapi` (import: convert, then apply as `POST /v1/catalog/apply` does).
 */
export async function registerAsyncApiRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  options: AsyncApiRouteOptions = {},
): Promise<void> {
  await app.register(async (scope) => {
    // YAML stays text; JSON arrives parsed by Fastify's own parser. The converter takes both.
    scope.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.get<{ Querystring: { domain?: string; format?: 'yaml' | 'json' } }>(
      '/v1/catalog/asyncapi',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The catalog as an AsyncAPI 3.0 document',
          description:
            'Servers (the Kafka bootstrap servers when configured, and this gateway), a channel per event type (address = topic, Kafka binding with topic and partitions), a `send` operation per declared producer and a `receive` operation per declared consumer, messages with the pinned or latest schema as payload (JSON Schema draft-07, or Avro 1.9.0), Kafka message bindings (key, schema id location), tags, descriptions and links to the portal. Only what the caller may see; catalog fields without an AsyncAPI home travel in `x-meshgate` extensions. An unknown domain gives an empty document.',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              domain: { type: 'string', maxLength: 200, description: 'Only this domain’s event types.' },
              format: formatParam,
            },
          },
          response: { 200: documentResponse('The AsyncAPI 3.0.0 document.') },
        },
      },
      async (request, reply) => {
        const { db, registry, access } = runtime.services();
        const catalog = await loadExportCatalog(db.prisma, schemaSourceOf(registry), {
          scope: new CatalogViewer(access, request.principal).scope,
          domain: request.query.domain,
        });
        const document = buildAsyncApiDocument(catalog, {
          gatewayUrl: gatewayUrlOf(request),
          kafkaBrokers: options.kafkaBrokers,
          portalUrl: options.portalUrl,
          domain: request.query.domain,
        });
        return sendDocument(reply, document, request.query.format);
      },
    );

    scope.post<{ Querystring: { owner?: string; format?: 'yaml' | 'json' }; Body: unknown }>(
      '/v1/catalog/asyncapi/convert',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Convert an AsyncAPI 2.6 or 3.0 document into a CatalogDocument',
          description:
            'Validates the document with the official AsyncAPI parser (YAML or JSON body; references must stay inside the document) and answers the CatalogDocument that applying it would write: event types per channel (topic, partitions, schema from the payload: JSON Schema or Avro), services from the operations, domains and Meshgate fields from `x-meshgate` extensions. Writes nothing. Problems → 400 INVALID_ASYNCAPI_DOCUMENT with `details.problems[{path, message}]`.',
          consumes: ['application/json', ...YAML_MEDIA_TYPES],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              owner: ownerParam,
              format: formatParam,
            },
          },
          response: { 200: documentResponse('The CatalogDocument (apiVersion meshgate/v1).') },
        },
      },
      async (request, reply) => {
        runtime.services(); // UNAVAILABLE while starting, like every catalog route
        const document = await asyncApiToCatalogDocument(documentInput(request.body), { owner: request.query.owner });
        return sendDocument(reply, document, request.query.format);
      },
    );

    scope.post<{ Querystring: { owner?: string; dryRun?: 'true' | 'false' }; Body: unknown }>(
      '/v1/catalog/asyncapi',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Import an AsyncAPI 2.6 or 3.0 document into the catalog',
          description:
            'Converts the document as `POST /v1/catalog/asyncapi/convert` does, then applies the CatalogDocument as `POST /v1/catalog/apply` does (never pruning): all or nothing, `manage-catalog` on every entry (`register-schema` on subjects with a schema), topics created, change history and audit (`catalog.apply`). Answers `{dryRun, changes, document}`; importing the same document again reports every entry `unchanged`.',
          consumes: ['application/json', ...YAML_MEDIA_TYPES],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              owner: ownerParam,
              dryRun: {
                type: 'string',
                enum: ['true', 'false'],
                description: 'Report what would change and write nothing; default false.',
              },
            },
          },
        },
      },
      async (request) => {
        const services = runtime.services();
        const document = await asyncApiToCatalogDocument(documentInput(request.body), { owner: request.query.owner });
        const result = await applyCatalog(services, callerOf(request), document, {
          dryRun: request.query.dryRun === 'true',
        });
        return { dryRun: result.dryRun, changes: result.changes, document };
      },
    );
  });
}

/** Answers a document as YAML (default) or JSON. */
function sendDocument(reply: FastifyReply, document: object, format: 'yaml' | 'json' = 'yaml'): FastifyReply {
  return reply.type(`${asyncApiMediaTypes[format]}; charset=utf-8`).send(serializeDocument(document, format));
}

/** The request body as the converter takes it: YAML/JSON text, or JSON Fastify already parsed. */
function documentInput(body: unknown): string | Record<string, unknown> {
  if (typeof body === 'string') return body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : '';
}

/** The gateway's base URL as the caller reached it. */
function gatewayUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The registry as the export's schema source: a subject without that version has none. */
function schemaSourceOf(registry: SchemaRegistry): ExportSchemaSource {
  return {
    async schemaOf(subject, version) {
      try {
        const found = await registry.version(subject, version);
        return { schemaType: found.schemaType, schema: found.schema, version: found.version, id: found.id };
      } catch (error) {
        if (isMeshgateError(error) && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}
