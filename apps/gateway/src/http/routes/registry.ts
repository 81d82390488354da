import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeshgateError } from '@meshgate/core';
import {
  describeIncompatibility,
  type RegisterSchemaInput,
  type SchemaRegistry,
  type SchemaView,
  type SubjectVersionView,
} from '@meshgate/registry';
import { actorOf, changeActorOf } from '../../auth/access-control';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';

const CONFLUENT_TYPE = 'application/vnd.schemaregistry.v1+json';

const referenceSchema = {
  type: 'object',
  required: ['name', 'subject', 'version'],
  properties: {
    name: { type: 'string', minLength: 1 },
    subject: { type: 'string', minLength: 1 },
    version: { type: 'integer' },
  },
} as const;

const schemaBody = {
  type: 'object',
  required: ['schema'],
  properties: {
    schema: { type: 'string' },
    schemaType: { type: 'string' },
    references: { type: 'array', items: referenceSchema },
    id: { type: 'integer', minimum: 1 },
    version: { type: 'integer', minimum: 1 },
    metadata: {},
    ruleSet: {},
  },
} as const;

type Q = Record<string, string | undefined>;
type SubjectParams = { subject: string };
type VersionParams = { subject: string; version: string };

/** Confluent's query-string booleans: `true` (any case) is true. */
function flag(query: Q, name: string): boolean {
  return (query[name] ?? '').toLowerCase() === 'true';
}

function integer(query: Q, name: string): number | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d{1,10}$/.test(value)) {
    throw new MeshgateError('INVALID_REQUEST', `Query parameter '${name}' must be an integer, got '${value}'.`);
  }
  return Number(value);
}

function schemaId(text: string): number {
  return /^\d{1,10}$/.test(text) ? Number(text) : -1;
}

/** Confluent's response shape for a subject version: `schemaType` omitted for AVRO, `references` only when present. */
function versionJson(view: SubjectVersionView) {
  return {
    subject: view.subject,
    version: view.version,
    id: view.id,
    ...(view.schemaType === 'AVRO' ? {} : { schemaType: view.schemaType }),
    ...(view.references.length > 0 ? { references: view.references } : {}),
    schema: view.schema,
  };
}

function schemaJson(view: SchemaView) {
  return {
    ...(view.schemaType === 'AVRO' ? {} : { schemaType: view.schemaType }),
    ...(view.references.length > 0 ? { references: view.references } : {}),
    schema: view.schema,
  };
}

function input(body: RegisterSchemaInput): RegisterSchemaInput {
  return {
    schema: body.schema,
    ...(body.schemaType !== undefined ? { schemaType: body.schemaType } : {}),
    ...(body.references !== undefined ? { references: body.references } : {}),
    ...(body.id !== undefined ? { id: body.id } : {}),
    ...(body.version !== undefined ? { version: body.version } : {}),
  };
}

/**
 * The Confluent Schema Registry API under /registry: paths, query parameters, content types,
 * response shapes and error codes as Confluent's, so existing clients and serializers work
 * unmodified. Verbose compatibility answers add Meshgate's structured `incompatibilities`.
 */
/** The audit action of a registry route that writes, or undefined for reads. */
function registryWrite(method: string, route: string): string | undefined {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  const path = route.replace(/^\/registry/, '');
  if (path.startsWith('/compatibility/')) return undefined; // a check, not a change
  if (method === 'POST' && path === '/subjects/:subject') return undefined; // lookup
  if (path.startsWith('/config')) return 'schema.config';
  if (path.startsWith('/mode')) return 'schema.mode';
  if (method === 'DELETE') return 'schema.delete';
  return 'schema.register';
}

export function registerRegistryRoutes(app: FastifyInstance, runtime: Runtime): void {
  const registry = (): SchemaRegistry => runtime.services().registry;

  app.register(
    async (r) => {
      r.addHook('onRoute', (route) => {
        route.schema = { tags: ['registry'], ...route.schema };
      });
      r.addHook('onSend', async (request, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        if (type === '' || type.startsWith('application/json')) reply.header('content-type', CONFLUENT_TYPE);
        return payload;
      });

      // Reads (and compatibility checks and lookups, which write nothing) are open to every
      // authenticated caller: Confluent deserializers fetch schemas by id. Writes need
      // register-schema on the subject; global config and mode need admin. Writes are audited.
      r.addHook('preHandler', async (request) => {
        const write = registryWrite(request.method, request.routeOptions.url ?? '');
        if (!write) return;
        const { access } = runtime.services();
        const { principal, sourceIp } = callerOf(request);
        const subject = (request.params as { subject?: string }).subject;
        if (subject === undefined) await access.require(principal, 'admin', {}, { sourceIp }, write);
        else await access.require(principal, 'register-schema', { subject }, { sourceIp }, write);
      });
      r.addHook('onResponse', async (request, reply) => {
        const write = registryWrite(request.method, request.routeOptions.url ?? '');
        if (!write || reply.statusCode >= 400 || !request.principal) return;
        const subject = (request.params as { subject?: string }).subject;
        await runtime.services().access.record({
          actor: actorOf(request.principal),
          action: write,
          resource: subject === undefined ? { kind: 'registry', name: '*' } : { kind: 'subject', name: subject },
          decision: 'allow',
          sourceIp: request.ip,
          details: { route: `${request.method} ${request.routeOptions.url ?? ''}`, status: reply.statusCode },
        });
      });

      r.get('/', async () => ({}));

      // ------------------------------------------------------------ schemas
      r.get('/schemas/types', async () => ['JSON', 'PROTOBUF', 'AVRO']);

      r.get<{ Querystring: Q }>('/schemas', async (request) => {
        const q = request.query;
        const views = await registry().listSchemas({
          ...(q.subjectPrefix ? { subjectPrefix: q.subjectPrefix } : {}),
          deleted: flag(q, 'deleted'),
          latestOnly: flag(q, 'latestOnly'),
          ...(integer(q, 'offset') !== undefined ? { offset: integer(q, 'offset') } : {}),
          ...(integer(q, 'limit') !== undefined ? { limit: integer(q, 'limit') } : {}),
        });
        return views.map(versionJson);
      });

      r.get<{ Params: { id: string } }>('/schemas/ids/:id', async (request) =>
        schemaJson(await registry().schemaById(schemaId(request.params.id))),
      );

      r.get<{ Params: { id: string } }>('/schemas/ids/:id/schema', async (request, reply) => {
        const view = await registry().schemaById(schemaId(request.params.id));
        return reply.type(CONFLUENT_TYPE).send(view.schema);
      });

      r.get<{ Params: { id: string }; Querystring: Q }>('/schemas/ids/:id/subjects', async (request) => {
        const versions = await registry().versionsOfSchema(schemaId(request.params.id), {
          deleted: flag(request.query, 'deleted'),
        });
        return [...new Set(versions.map((v) => v.subject))];
      });

      r.get<{ Params: { id: string }; Querystring: Q }>('/schemas/ids/:id/versions', async (request) =>
        registry().versionsOfSchema(schemaId(request.params.id), { deleted: flag(request.query, 'deleted') }),
      );

      // ------------------------------------------------------------ subjects
      r.get<{ Querystring: Q }>('/subjects', async (request) =>
        registry().subjects({
          deleted: flag(request.query, 'deleted'),
          ...(request.query.subjectPrefix ? { prefix: request.query.subjectPrefix } : {}),
        }),
      );

      r.post<{ Params: SubjectParams; Body: RegisterSchemaInput; Querystring: Q }>(
        '/subjects/:subject',
        { schema: { body: schemaBody } },
        async (request) => {
          const view = await registry().lookup(request.params.subject, input(request.body), {
            deleted: flag(request.query, 'deleted'),
          });
          return versionJson(view);
        },
      );

      r.delete<{ Params: SubjectParams; Querystring: Q }>('/subjects/:subject', async (request) =>
        registry().deleteSubject(request.params.subject, {
          permanent: flag(request.query, 'permanent'),
          actor: changeActorOf(request.principal),
        }),
      );

      r.get<{ Params: SubjectParams; Querystring: Q }>('/subjects/:subject/versions', async (request) =>
        registry().versions(request.params.subject, { deleted: flag(request.query, 'deleted') }),
      );

      r.post<{ Params: SubjectParams; Body: RegisterSchemaInput; Querystring: Q }>(
        '/subjects/:subject/versions',
        { schema: { body: schemaBody } },
        async (request) => {
          const normalize =
            request.query.normalize === undefined ? {} : { normalize: flag(request.query, 'normalize') };
          const { id } = await registry().register(request.params.subject, input(request.body), {
            ...normalize,
            actor: changeActorOf(request.principal),
          });
          return { id };
        },
      );

      r.get<{ Params: VersionParams; Querystring: Q }>('/subjects/:subject/versions/:version', async (request) =>
        versionJson(
          await registry().version(request.params.subject, request.params.version, {
            deleted: flag(request.query, 'deleted'),
          }),
        ),
      );

      r.get<{ Params: VersionParams; Querystring: Q }>(
        '/subjects/:subject/versions/:version/schema',
        async (request, reply) => {
          const view = await registry().version(request.params.subject, request.params.version, {
            deleted: flag(request.query, 'deleted'),
          });
          return reply.type(CONFLUENT_TYPE).send(view.schema);
        },
      );

      r.get<{ Params: VersionParams }>('/subjects/:subject/versions/:version/referencedby', async (request) =>
        registry().referencedBy(request.params.subject, request.params.version),
      );

      r.delete<{ Params: VersionParams; Querystring: Q }>('/subjects/:subject/versions/:version', async (request) =>
        registry().deleteVersion(request.params.subject, request.params.version, {
          permanent: flag(request.query, 'permanent'),
          actor: changeActorOf(request.principal),
        }),
      );

      // ------------------------------------------------------------ compatibility
      const compatibility = async (
        request: FastifyRequest<{
          Params: { subject: string; version?: string };
          Body: RegisterSchemaInput;
          Querystring: Q;
        }>,
      ) => {
        const result = await registry().check(request.params.subject, input(request.body), request.params.version);
        if (!flag(request.query, 'verbose')) return { is_compatible: result.compatible };
        return {
          is_compatible: result.compatible,
          messages: result.incompatibilities.map(describeIncompatibility),
          compatibilityLevel: result.level,
          incompatibilities: result.incompatibilities,
        };
      };
      r.post('/compatibility/subjects/:subject/versions', { schema: { body: schemaBody } }, compatibility);
      r.post('/compatibility/subjects/:subject/versions/:version', { schema: { body: schemaBody } }, compatibility);

      // ------------------------------------------------------------ config
      const configBody = {
        type: 'object',
        properties: {
          compatibility: { type: 'string' },
          compatibilityLevel: { type: 'string' },
          normalize: { type: 'boolean' },
          jsonLenient: { type: 'boolean' },
        },
      } as const;
      type ConfigBody = {
        compatibility?: string;
        compatibilityLevel?: string;
        normalize?: boolean;
        jsonLenient?: boolean;
      };
      const configInput = (body: ConfigBody) => ({
        ...((body.compatibility ?? body.compatibilityLevel) !== undefined
          ? { compatibility: body.compatibility ?? body.compatibilityLevel }
          : {}),
        ...(body.normalize !== undefined ? { normalize: body.normalize } : {}),
        ...(body.jsonLenient !== undefined ? { jsonLenient: body.jsonLenient } : {}),
      });
      const configResponse = (view: Awaited<ReturnType<SchemaRegistry['getConfig']>>) => ({
        compatibilityLevel: view.compatibilityLevel,
        ...(view.normalize !== undefined ? { normalize: view.normalize } : {}),
        ...(view.jsonLenient !== undefined ? { jsonLenient: view.jsonLenient } : {}),
      });

      r.get('/config', async () => configResponse(await registry().getConfig()));
      r.put<{ Body: ConfigBody }>('/config', { schema: { body: configBody } }, async (request) => {
        const view = await registry().setConfig(undefined, configInput(request.body));
        return { compatibility: view.compatibilityLevel, ...configResponse(view) };
      });
      r.delete('/config', async () => configResponse(await registry().deleteConfig()));
      r.get<{ Params: SubjectParams; Querystring: Q }>('/config/:subject', async (request) =>
        configResponse(
          await registry().getConfig(request.params.subject, {
            defaultToGlobal: flag(request.query, 'defaultToGlobal'),
          }),
        ),
      );
      r.put<{ Params: SubjectParams; Body: ConfigBody }>(
        '/config/:subject',
        { schema: { body: configBody } },
        async (request) => {
          const view = await registry().setConfig(request.params.subject, configInput(request.body));
          return { compatibility: view.compatibilityLevel, ...configResponse(view) };
        },
      );
      r.delete<{ Params: SubjectParams }>('/config/:subject', async (request) =>
        configResponse(await registry().deleteConfig(request.params.subject)),
      );

      // ------------------------------------------------------------ mode
      const modeBody = { type: 'object', required: ['mode'], properties: { mode: { type: 'string' } } } as const;
      r.get('/mode', async () => ({ mode: await registry().getMode() }));
      r.put<{ Body: { mode: string }; Querystring: Q }>('/mode', { schema: { body: modeBody } }, async (request) => ({
        mode: await registry().setMode(undefined, request.body.mode, { force: flag(request.query, 'force') }),
      }));
      r.get<{ Params: SubjectParams; Querystring: Q }>('/mode/:subject', async (request) => ({
        mode: await registry().getMode(request.params.subject, {
          defaultToGlobal: flag(request.query, 'defaultToGlobal'),
        }),
      }));
      r.put<{ Params: SubjectParams; Body: { mode: string }; Querystring: Q }>(
        '/mode/:subject',
        { schema: { body: modeBody } },
        async (request) => ({
          mode: await registry().setMode(request.params.subject, request.body.mode, {
            force: flag(request.query, 'force'),
          }),
        }),
      );
      r.delete<{ Params: SubjectParams }>('/mode/:subject', async (request) => ({
        mode: await registry().deleteMode(request.params.subject),
      }));
    },
    { prefix: '/registry' },
  );
}
