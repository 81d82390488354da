import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { MeshgateError } from '@meshgate/core';
import { SchemaProvider } from './graphql/schema-provider';
import { mountGraphQL, type GraphQLTransport } from './graphql/server';
import { createErrorHandler } from './http/errors';
import { registerCatalogRoutes } from './http/routes/catalog';
import { registerCatalogApplyRoutes } from './http/routes/catalog-apply';
import { registerCatalogChangeRoutes } from './http/routes/catalog-changes';
import { registerCatalogDomainRoutes } from './http/routes/catalog-domains';
import { registerCatalogServiceRoutes } from './http/routes/catalog-services';
import { registerDeadLetterRoutes } from './http/routes/dead-letters';
import { registerEventRoutes } from './http/routes/events';
import { registerFetchRoutes } from './http/routes/fetch';
import { registerHealthRoutes } from './http/routes/health';
import { registerProduceRoutes } from './http/routes/produce';
import { registerRegistryRoutes } from './http/routes/registry';
import { registerSearchRoutes } from './http/routes/search';
import { registerAsyncApiRoutes } from './http/routes/asyncapi';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { Runtime, type DeadLetterOptions, type WebhookOptions } from './runtime';
import { registerLineageRoutes } from './http/routes/lineage';
import { registerWebhookRoutes } from './http/routes/webhooks';
import { seedDemo, DEMO_DOMAINS } from './seed/demo';
import { bootstrapAccess } from './auth/bootstrap';
import { registerAuth } from './auth/plugin';
import { registerAdminRoutes } from './http/routes/admin';
import { registerMyApplicationRoutes } from './http/routes/my-applications';
import { registerOidcRoutes } from './http/routes/oidc';
import { OidcRelyingParty, type OidcOptions } from './auth/oidc';
import type { JwtVerifierOptions } from '@meshgate/policy';

/** Options for {@link createGateway}; the README's configuration table documents each. */
export interface GatewayOptions {
  /** TCP port; 0 picks a free one (tests). Default 4000. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Folder for the embedded PostgreSQL's data. */
  dataDir: string;
  /** External PostgreSQL; default: embedded. */
  databaseUrl?: string | undefined;
  /** Kafka brokers; default: the embedded event log in PostgreSQL. */
  kafkaBrokers?: string[] | undefined;
  kafkaClientId?: string;
  /** Largest accepted request body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Seed the demo domain on start; default true. */
  seedDemo?: boolean;
  /** Partitions of topics Meshgate creates; default 3. */
  defaultPartitions?: number;
  /** SSE keep-alive comment interval; default 15 s. */
  sseHeartbeatMs?: number;
  /** How long shutdown waits for in-flight requests; default 10 s. */
  shutdownGraceMs?: number;
  /** Largest accepted schema text in bytes; default 512 KiB. */
  maxSchemaBytes?: number;
  /** How long a graphql-ws socket may wait before connection_init (else 4408); default 10 s. */
  graphqlInitTimeoutMs?: number;
  /** Retry interval while an external dependency is down; default 2 s. */
  dependencyRetryMs?: number;
  /** Most events in one produce request; default 1000. */
  maxBatchEvents?: number;
  /** How long produce idempotency keys are remembered; default 24 h. */
  idempotencyTtlMs?: number;
  /** Worker threads parsing and validating large NDJSON batches; default 1 on a multi-core machine, else 0. */
  produceThreads?: number;
  /** Longest a fetch (GET /v1/events/{eventType}) waits for records known to exist; default 10 s. */
  fetchMaxWaitMs?: number;
  /** Events buffered per stream subscriber before it is ended with SLOW_SUBSCRIBER; default 1000. */
  subscriberBufferSize?: number;
  /** The dead-letter worker for records that bypassed the gateway; default: enabled, suffix `.dlq`. */
  deadLetter?: DeadLetterOptions;
  /** Identity and access settings (see the README's "Access" section). */
  access?: AccessOptions;
  /** How often observed lineage counters are written; default 5 s. */
  lineageFlushMs?: number;
  /** Webhook delivery (retries, backoff, timeout); defaults in WebhookOptions. */
  webhooks?: WebhookOptions;
  /** The developer portal's base URL, linked from AsyncAPI exports; none when unset. */
  portalUrl?: string | undefined;
  logger: Logger;
}

/** Identity and access settings of {@link GatewayOptions}. */
export interface AccessOptions {
  /** Becomes an administrator API key on start (MESHGATE_BOOTSTRAP_TOKEN). */
  bootstrapToken?: string | undefined;
  /** The first administrator's email, created when there are no users; default admin@meshgate.local. */
  adminEmail?: string;
  /** Its password; default random, printed once. */
  adminPassword?: string | undefined;
  /** GET /metrics without credentials; default true. */
  publicMetrics?: boolean;
  /** Catalog reads without credentials; default false. */
  publicCatalog?: boolean;
  /** Portal session lifetime; default 12 h. */
  sessionTtlMs?: number;
  /** Mark the session cookie Secure (behind HTTPS); default false. */
  secureCookies?: boolean;
  /**
   * Origins of pages (the portal) allowed to open graphql-ws sockets that authenticate with the
   * session cookie, besides pages on the gateway's own host; default none (MESHGATE_PORTAL_ORIGINS).
   */
  portalOrigins?: readonly string[];
  /** JWT verification for applications. */
  jwt?: JwtVerifierOptions | undefined;
  /** OIDC sign-in for portal users; without it, only local accounts sign in. */
  oidc?: OidcOptions | undefined;
  /** Where first-start credentials are printed; default: nowhere (tests). */
  print?: (text: string) => void;
}

/** A running gateway. */
export interface Gateway {
  app: FastifyInstance;
  runtime: Runtime;
  metrics: Metrics;
  /** The base URL it listens on, e.g. http://127.0.0.1:4000. */
  url: string;
  /** Drains HTTP, closes WebSockets with 1001, closes the event log and database. */
  close(): Promise<void>;
}

/**
 * The composition root: wires packages into the HTTP, SSE and GraphQL transports and starts
 * listening at once; dependencies come up in the background (see Runtime) and /readyz tells when.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const metrics = createMetrics();
  const runtime = new Runtime({
    metrics,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    kafkaBrokers: options.kafkaBrokers,
    kafkaClientId: options.kafkaClientId ?? 'meshgate',
    logger,
    retryDelayMs: options.dependencyRetryMs ?? 2000,
    ...(options.maxSchemaBytes ? { maxSchemaBytes: options.maxSchemaBytes } : {}),
    ...(options.subscriberBufferSize !== undefined ? { subscriberBufferSize: options.subscriberBufferSize } : {}),
    ...(options.deadLetter ? { deadLetter: options.deadLetter } : {}),
    ...(options.access?.jwt ? { jwt: options.access.jwt } : {}),
    ...(options.access?.sessionTtlMs ? { sessionTtlMs: options.access.sessionTtlMs } : {}),
    lineageFlushMs: options.lineageFlushMs,
    webhooks: options.webhooks,
    onReady: async (services) => {
      await bootstrapAccess(services.access.store, {
        bootstrapToken: options.access?.bootstrapToken,
        ...(options.access?.adminEmail ? { adminEmail: options.access.adminEmail } : {}),
        adminPassword: options.access?.adminPassword,
        demo: options.seedDemo ?? true,
        demoDomains: [...DEMO_DOMAINS],
        logger,
        print: options.access?.print ?? (() => undefined),
      });
      // The bootstrap's grants reach the engine through the change feed; wait for them before ready.
      await services.access.reload();
      if (options.seedDemo ?? true) {
        // The demo is a convenience: a seed that cannot apply (say, an edited schema it would
        // break) is reported and the gateway starts anyway.
        await seedDemo(services, options.defaultPartitions ?? 3).then(
          (created) => {
            if (created > 0) logger.info({ entries: created }, 'Seeded the demo catalog');
          },
          (error: unknown) => logger.warn({ err: error }, 'Seeding the demo catalog failed; continuing without it'),
        );
      }
    },
  });

  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // In-flight requests finish on shutdown; idle keep-alive sockets close at once. Streams are
    // ended explicitly (see close()), and the grace period bounds the wait.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });

  // Confluent clients send their own JSON content types.
  app.addContentTypeParser(
    ['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/octet-stream'],
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.setErrorHandler(createErrorHandler(logger));
  app.setNotFoundHandler((request) => {
    throw new MeshgateError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Meshgate gateway',
        version: '0.1.0',
        description: 'Catalog, produce and stream APIs. The Confluent-compatible registry lives under /registry.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key token (mgk_…) or a JWT' },
          basic: { type: 'http', scheme: 'basic', description: 'API key id as user name, secret as password' },
          session: { type: 'apiKey', in: 'cookie', name: 'meshgate_session' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }, { session: [] }],
      tags: [
        { name: 'catalog', description: 'Event types, domains, services, lifecycle, change history, catalog-as-code' },
        { name: 'events', description: 'Produce and stream events' },
        { name: 'registry', description: 'Confluent Schema Registry API' },
        { name: 'operations', description: 'Health, readiness, metrics' },
        { name: 'auth', description: 'Sign-in and the caller' },
        { name: 'admin', description: 'Applications, API keys, grants, users, teams, audit (administrators)' },
        { name: 'access', description: 'Access requests' },
      ],
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuth(app, runtime, {
    ...(options.access?.publicMetrics !== undefined ? { publicMetrics: options.access.publicMetrics } : {}),
    ...(options.access?.publicCatalog !== undefined ? { publicCatalog: options.access.publicCatalog } : {}),
  });
  registerHealthRoutes(app, runtime, metrics);
  registerAdminRoutes(app, runtime, { secureCookies: options.access?.secureCookies ?? false });
  registerMyApplicationRoutes(app, runtime);
  registerOidcRoutes(app, runtime, options.access?.oidc ? new OidcRelyingParty(options.access.oidc) : undefined, {
    secureCookies: options.access?.secureCookies ?? false,
  });
  registerCatalogRoutes(app, runtime);
  registerCatalogDomainRoutes(app, runtime);
  registerCatalogServiceRoutes(app, runtime);
  registerCatalogChangeRoutes(app, runtime);
  await registerCatalogApplyRoutes(app, runtime);
  registerLineageRoutes(app, runtime);
  registerWebhookRoutes(app, runtime);
  registerSearchRoutes(app, runtime);
  await registerAsyncApiRoutes(app, runtime, {
    kafkaBrokers: options.kafkaBrokers,
    portalUrl: options.portalUrl,
  });
  registerRegistryRoutes(app, runtime);
  await registerProduceRoutes(app, runtime, metrics, {
    ...(options.maxBatchEvents !== undefined ? { maxBatchEvents: options.maxBatchEvents } : {}),
    ...(options.idempotencyTtlMs !== undefined ? { idempotencyTtlMs: options.idempotencyTtlMs } : {}),
    ...(options.produceThreads !== undefined ? { threads: options.produceThreads } : {}),
    kafka: options.kafkaBrokers
      ? { brokers: options.kafkaBrokers, clientId: options.kafkaClientId ?? 'meshgate', logLevel: logger.level }
      : undefined,
  });
  registerFetchRoutes(app, runtime, metrics, {
    ...(options.fetchMaxWaitMs !== undefined ? { maxWaitMs: options.fetchMaxWaitMs } : {}),
  });
  registerDeadLetterRoutes(app, runtime, {
    ...(options.fetchMaxWaitMs !== undefined ? { maxWaitMs: options.fetchMaxWaitMs } : {}),
  });
  const openStreams = new Set<() => void>();
  registerEventRoutes(app, runtime, metrics, { heartbeatMs: options.sseHeartbeatMs ?? 15_000, openStreams });
  // The GraphQL schema follows the catalog and registry; Apollo's stop() closes the provider.
  const graphql: GraphQLTransport = await mountGraphQL(
    app,
    runtime,
    new SchemaProvider({ runtime, metrics, logger }),
    logger,
    {
      ...(options.graphqlInitTimeoutMs !== undefined ? { connectionInitTimeoutMs: options.graphqlInitTimeoutMs } : {}),
      portalOrigins: options.access?.portalOrigins ?? [],
    },
  );

  const address = await app.listen({ port: options.port ?? 4000, host: options.host ?? '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://${(options.host ?? '127.0.0.1') === '0.0.0.0' ? '127.0.0.1' : (options.host ?? '127.0.0.1')}:${port}`;
  logger.debug({ address }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    app,
    runtime,
    metrics,
    url,
    close() {
      closing ??= (async () => {
        // Subscribers first: graphql-ws sockets close with 1001 and SSE/NDJSON streams end, so
        // clients reconnect elsewhere and resume from their last cursor. Then in-flight requests
        // drain (bounded by the grace period), then Apollo, the event log and the database stop.
        await graphql
          .closeSockets()
          .catch((error: unknown) => logger.warn({ err: error }, 'closing WebSockets failed'));
        for (const end of openStreams) end();
        const grace = setTimeout(() => app.server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
        grace.unref();
        await app.close();
        clearTimeout(grace);
        await graphql.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping Apollo failed'));
        await runtime.close();
      })();
      return closing;
    },
  };
}
