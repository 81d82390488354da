import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  asyncApiMediaTypes,
  asyncApiToCatalogDocument,
  buildAsyncApiDocument,
  loadExportCatalog,
  serializeDocument,
  type CatalogDocumentShape,
  type ExportSchemaSource,
} from '@meshgate/catalog';
import type { Principal } from '@meshgate/policy';
import { callerOf } from '../../auth/guards';
import { isMeshgateError } from '@meshgate/core';
import type { SchemaRegistry } from '@meshgate/registry';
import { catalogScopeOf } from '../../auth/catalog-scope';
import type { Runtime } from '../../runtime';

/** Options for {@link registerAsyncApiRoutes}. */
export interface AsyncApiRouteOptions {
  /** Kafka bootstrap servers, described as the documents' Kafka servers; none on the embedded log. */
  kafkaBrokers?: readonly string[] | undefined;
  /** The portal's base URL, for the documents' `externalDocs`; none when unset. */
  portalUrl?: string | undefined;
  /**
   * Applies a CatalogDocument for a caller — catalog-as-code's apply with its authorization,
   * audit and change history. With it, `POST /v1/catalog/asyncapi` imports; without it only
   * the conversion route is there.
   */
  apply?: ApplyCatalogDocument | undefined;
}

/** What the AsyncAPI import hands a converted document to (see {@link AsyncApiRouteOptions.apply}). */
export type ApplyCatalogDocument = (
  document: CatalogDocumentShape,
  context: { principal: Principal; sourceIp: string; dryRun: boolean },
) => Promise<{ dryRun: boolean; changes: unknown[] }>;

const formatParam = {
  type: 'string',
  enum: ['yaml', 'json'],
  description: 'Answer as YAML (default) or JSON.',
} as const;

// Media types the import reads as text; JSON arrives parsed by Fastify's own parser.
const TEXT_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

/**
 * `GET /v1/catalog/asyncapi` (an AsyncAPI 3.0 document of what the caller may see),
 * `POST /v1/catalog/asyncapi/convert` (an AsyncAPI 2.6 or 3.0 document as a CatalogDocument)
 * and, given an apply, `POST /v1/catalog/asyncapi` (import: convert, then apply).
 */
export async function registerAsyncApiRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  options: AsyncApiRouteOptions = {},
): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(TEXT_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

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
          response: {
            200: {
              description: 'The AsyncAPI 3.0.0 document.',
              content: {
                'application/yaml': { schema: { type: 'string' } },
                'application/json': { schema: { type: 'object', additionalProperties: true } },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const { db, registry, access } = runtime.services();
        const catalog = await loadExportCatalog(db.prisma, schemaSourceOf(registry), {
          scope: catalogScopeOf(access, request.principal),
          domain: request.query.domain,
        });
        const document = buildAsyncApiDocument(catalog, {
          gatewayUrl: gatewayUrlOf(request),
          kafkaBrokers: options.kafkaBrokers,
          portalUrl: options.portalUrl,
          domain: request.query.domain,
        });
        const format = request.query.format ?? 'yaml';
        return reply.type(`${asyncApiMediaTypes[format]}; charset=utf-8`).send(serializeDocument(document, format));
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
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              owner: {
                type: 'string',
                minLength: 1,
                maxLength: 200,
                description: 'Owner team of entries the document names no owner for (`x-meshgate.owner`).',
              },
              format: formatParam,
            },
          },
          response: {
            200: {
              description: 'The CatalogDocument (apiVersion meshgate/v1).',
              content: {
                'application/yaml': { schema: { type: 'string' } },
                'application/json': { schema: { type: 'object', additionalProperties: true } },
              },
            },
          },
        },
      },
      async (request, reply) => {
        runtime.services(); // UNAVAILABLE while starting, like every catalog route
        const document = await asyncApiToCatalogDocument(documentInput(request.body), { owner: request.query.owner });
        const format = request.query.format ?? 'yaml';
        return reply.type(`${asyncApiMediaTypes[format]}; charset=utf-8`).send(serializeDocument(document, format));
      },
    );

    const apply = options.apply;
    if (!apply) return;
    scope.post<{ Querystring: { owner?: string; dryRun?: 'true' | 'false' }; Body: unknown }>(
      '/v1/catalog/asyncapi',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Import an AsyncAPI 2.6 or 3.0 document into the catalog',
          description:
            'Converts the document as `POST /v1/catalog/asyncapi/convert` does, then applies the CatalogDocument as `POST /v1/catalog/apply` does: all or nothing, `manage-catalog` on every entry, change history and audit. Answers `{dryRun, changes, document}`.',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              owner: {
                type: 'string',
                minLength: 1,
                maxLength: 200,
                description: 'Owner team of entries the document names no owner for (`x-meshgate.owner`).',
              },
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
        runtime.services();
        const { principal, sourceIp } = callerOf(request);
        const document = await asyncApiToCatalogDocument(documentInput(request.body), { owner: request.query.owner });
        const result = await apply(document, { principal, sourceIp, dryRun: request.query.dryRun === 'true' });
        return { dryRun: result.dryRun, changes: result.changes, document };
      },
    );
  });
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
