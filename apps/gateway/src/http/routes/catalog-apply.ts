import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { applyCatalog } from '../../services/catalog-commands';

/** Media types a catalog document may come in besides JSON. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

const flag = { type: 'string', enum: ['true', 'false'] } as const;

/**
 * `POST /v1/catalog/apply`: catalog as code. The body is a CatalogDocument (`catalog.yaml`) as
 * YAML or JSON; the answer lists every entry with `create|update|delete|unchanged` and its field
 * diff. All or nothing; `dryRun=true` writes nothing; `prune=true` deletes what it does not list.
 */
export async function registerCatalogApplyRoutes(app: FastifyInstance, runtime: Runtime): Promise<void> {
  await app.register(async (scope) => {
    // YAML stays text here; the catalog parses it (with line numbers in its errors).
    scope.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post<{ Querystring: { dryRun?: 'true' | 'false'; prune?: 'true' | 'false' }; Body: unknown }>(
      '/v1/catalog/apply',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Apply a catalog document (catalog.yaml): domains, services, event types and their schemas',
          description:
            'Body: `{apiVersion: meshgate/v1, domains, services, eventTypes}` as YAML (`application/yaml`) or JSON. Answers `{dryRun, changes: [{kind, name, action: create|update|delete|unchanged, diff: [{path, before, after}]}]}`. One transaction: a refused entry (400 INVALID_CATALOG_DOCUMENT with every JSON pointer and line, or the REST codes such as INVALID_EXAMPLE, INCOMPATIBLE_SCHEMA, INVALID_LIFECYCLE_TRANSITION, with `details.documentPath`) leaves everything as it was. Applying the same document again reports every entry unchanged. Needs manage-catalog on every entry named (register-schema on subjects with a schema).',
          consumes: ['application/json', ...YAML_MEDIA_TYPES],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              dryRun: { ...flag, description: 'true: work out and check every change, write nothing.' },
              prune: {
                ...flag,
                description: 'true: delete services, event types and empty domains the document does not list.',
              },
            },
          },
        },
      },
      async (request) =>
        applyCatalog(runtime.services(), callerOf(request), request.body, {
          dryRun: request.query.dryRun === 'true',
          prune: request.query.prune === 'true',
        }),
    );
  });
}
