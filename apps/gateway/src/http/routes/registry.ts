import type { FastifyInstance } from 'fastify';
import type { SchemaType } from '@meshgate/registry';
import type { Runtime } from '../../runtime';

const registerBody = {
  type: 'object',
  required: ['schema'],
  properties: {
    schema: { type: 'string', minLength: 1 },
    schemaType: { type: 'string', enum: ['JSON', 'AVRO', 'PROTOBUF'] },
    references: { type: 'array' },
    metadata: {},
    ruleSet: {},
  },
} as const;

/**
 * The Confluent-compatible Schema Registry API under /registry (the slice needed by the thin
 * path; the full API is the registry issue). Responses use Confluent's content type and shapes.
 */
export function registerRegistryRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.register(
    async (registry) => {
      registry.addHook('onRoute', (route) => {
        route.schema = { tags: ['registry'], ...route.schema };
      });
      registry.addHook('onSend', async (_request, reply, payload) => {
        if (
          !reply.hasHeader('content-type') ||
          String(reply.getHeader('content-type')).startsWith('application/json')
        ) {
          reply.header('content-type', 'application/vnd.schemaregistry.v1+json');
        }
        return payload;
      });

      registry.get('/schemas/types', async () => ['JSON']);

      registry.get('/subjects', async () => runtime.services().registry.subjects());

      registry.get<{ Params: { subject: string } }>('/subjects/:subject/versions', async (request) =>
        runtime.services().registry.versions(request.params.subject),
      );

      registry.post<{ Params: { subject: string }; Body: { schema: string; schemaType?: SchemaType } }>(
        '/subjects/:subject/versions',
        { schema: { body: registerBody } },
        async (request) => {
          const { id } = await runtime.services().registry.register(request.params.subject, {
            schema: request.body.schema,
            schemaType: request.body.schemaType ?? 'JSON',
          });
          return { id };
        },
      );

      registry.get<{ Params: { subject: string; version: string } }>(
        '/subjects/:subject/versions/:version',
        async (request) => {
          const view = await runtime.services().registry.version(request.params.subject, request.params.version);
          return {
            subject: view.subject,
            version: view.version,
            id: view.id,
            schemaType: view.schemaType,
            schema: view.schema,
          };
        },
      );

      registry.get<{ Params: { subject: string; version: string } }>(
        '/subjects/:subject/versions/:version/schema',
        async (request, reply) => {
          const view = await runtime.services().registry.version(request.params.subject, request.params.version);
          return reply.type('application/vnd.schemaregistry.v1+json').send(view.schema);
        },
      );

      registry.get<{ Params: { id: string } }>('/schemas/ids/:id', async (request) => {
        const view = await runtime.services().registry.schemaById(parseId(request.params.id));
        return { schemaType: view.schemaType, schema: view.schema };
      });

      registry.get<{ Params: { id: string } }>('/schemas/ids/:id/schema', async (request, reply) => {
        const view = await runtime.services().registry.schemaById(parseId(request.params.id));
        return reply.type('application/vnd.schemaregistry.v1+json').send(view.schema);
      });
    },
    { prefix: '/registry' },
  );
}

function parseId(text: string): number {
  return /^\d{1,10}$/.test(text) ? Number(text) : -1;
}
