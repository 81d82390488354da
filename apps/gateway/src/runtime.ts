import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@meshgate/core';
import {
  ChangeHistory,
  DomainCatalog,
  CatalogSearch,
  EventTypeCatalog,
  LineageReader,
  ObservedLineageRecorder,
  ServiceCatalog,
  WebhookDispatcher,
  WebhookStore,
  recordSchemaChange,
  type WebhookDispatcherOptions,
} from '@meshgate/catalog';
import { ChangeFeed, openDatabase, type Database } from '@meshgate/db';
import { createEventLog, type EventLog } from '@meshgate/event-log';
import { SchemaRegistry, ValidatorCache } from '@meshgate/registry';
import { DeadLetterWorker, FanoutHub, ValidatedOffsets, type FanoutHubMetrics } from '@meshgate/streaming';
import { AuditLog, JwtVerifier, PolicyStore, type JwtVerifierOptions } from '@meshgate/policy';
import { AccessControl } from './auth/access-control';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { catalogDeadLetterRoutes } from './services/dead-letter-routes';
import { RecordValidator } from './services/validate-records';

/** Everything the transports call once the gateway's dependencies are up. */
export interface Services {
  db: Database;
  changes: ChangeFeed;
  eventLog: EventLog;
  /** One upstream reader per topic, shared by every subscriber of this instance. */
  hub: FanoutHub;
  catalog: EventTypeCatalog;
  /** Catalog domains (an event type's domain is its name's first segment). */
  domains: DomainCatalog;
  /** Catalog services: declared producers and consumers of event types. */
  catalogServices: ServiceCatalog;
  /** The change history of the catalog and of schema registrations. */
  history: ChangeHistory;
  /** Full-text search over the catalog (PostgreSQL, GIN-indexed documents kept by triggers). */
  search: CatalogSearch;
  registry: SchemaRegistry;
  validators: ValidatorCache;
  /** Judges records read from topics (hub, fetch, dead-letter worker alike). */
  recordCheck: RecordValidator;
  /** Dead-letters invalid records of every event type's topic; absent when disabled. */
  deadLetters: DeadLetterWorker | undefined;
  /**
   * Positions of the records this instance's produce path validated and appended, which its
   * dead-letter worker need not check again; absent when the worker is disabled.
   */
  validatedOffsets: ValidatedOffsets | undefined;
  /** Default dead-letter topic suffix (`{topic}{suffix}`). */
  deadLetterSuffix: string;
  /** Authentication, the policy engine, the audit log and the watch over live streams. */
  access: AccessControl;
  /** Counts who produces and consumes each event type (flushed every few seconds). */
  lineage: ObservedLineageRecorder;
  /** Reads declared and observed lineage, impact and the lineage graph. */
  lineageReader: LineageReader;
  /** Webhooks and their delivery log. */
  webhooks: WebhookStore;
  /** Sends webhook deliveries (claims them only when enabled; pings work either way). */
  webhookDispatcher: WebhookDispatcher;
}

/** Webhook delivery settings of {@link RuntimeOptions}; meanings and defaults in WebhookDispatcherOptions. */
export type WebhookOptions = Pick<
  WebhookDispatcherOptions,
  'maxAttempts' | 'backoffMs' | 'maxBackoffMs' | 'timeoutMs' | 'pollMs'
> & {
  /** Claim and send deliveries on this instance; default true (pings are sent either way). */
  enabled?: boolean;
};

/** Dead-letter settings of {@link RuntimeOptions}. */
export interface DeadLetterOptions {
  /** Run the dead-letter worker on this instance; default true. */
  enabled?: boolean;
  /** Dead-letter topic of an event type without one of its own: `{topic}{suffix}`; default `.dlq`. */
  suffix?: string;
  /** Prefix of the worker's consumer groups (`{groupId}.{topic}`); default `meshgate-dead-letter`. */
  groupId?: string;
  /**
   * How long a partition rests after a batch this instance produced in full before the worker
   * passes over the records it produced meanwhile unread (Kafka); default 1 000 ms, 0 reads all.
   */
  restMs?: number;
}

/** Options for {@link Runtime}. */
export interface RuntimeOptions {
  /** External PostgreSQL; without it an embedded PostgreSQL is started in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Kafka brokers; without them the embedded event log (in PostgreSQL) is used. */
  kafkaBrokers?: string[] | undefined;
  kafkaClientId?: string;
  logger: Logger;
  /** Runs once the services are up, before the gateway reports ready (e.g. the demo seed). */
  onReady?: (services: Services) => Promise<void>;
  /** Delay between connection attempts while a dependency is down; default 2 s. */
  retryDelayMs?: number;
  /** Identifies this instance in change notifications; default: a random UUID. */
  instanceId?: string;
  /** Largest accepted schema text in bytes; default 512 KiB. */
  maxSchemaBytes?: number;
  /** Where the fan-out hub reports ended subscriptions and open readers. */
  metrics?: Metrics;
  /** Events the fan-out hub buffers per subscriber before ending it with SLOW_SUBSCRIBER; default 1000. */
  subscriberBufferSize?: number;
  /** The dead-letter worker; default: enabled, suffix `.dlq`. */
  deadLetter?: DeadLetterOptions;
  /** JWT verification for applications; without it only API keys and sessions authenticate. */
  jwt?: JwtVerifierOptions | undefined;
  /** Portal session lifetime; default 12 h. */
  sessionTtlMs?: number;
  /** How often observed lineage counters are written; default 5 s. */
  lineageFlushMs?: number;
  /** Webhook delivery. */
  webhooks?: WebhookOptions;
}

type Dependency = 'database' | 'event-log';

/** Readiness of one dependency. */
export interface DependencyStatus {
  ok: boolean;
  detail?: string;
}

/**
 * Brings up PostgreSQL and the event log, retrying while an external one is unreachable, so the
 * gateway serves /healthz and an explanatory /readyz from the first second and recovers by
 * itself when its dependencies come back.
 */
export class Runtime {
  private current: Services | undefined;
  private lastFailure: { dependency: Dependency; message: string } | undefined;
  private closed = false;
  private readonly starting: Promise<void>;
  private wake: (() => void) | undefined;

  constructor(private readonly options: RuntimeOptions) {
    this.starting = this.bringUp();
  }

  /** Resolves when the services are up (or the runtime was closed first). Rejects on a fatal error. */
  ready(): Promise<void> {
    return this.starting;
  }

  /** The services, or UNAVAILABLE naming the dependency that is down. */
  services(): Services {
    if (this.current) return this.current;
    const reason = this.lastFailure
      ? `${describe(this.lastFailure.dependency)} is unreachable: ${this.lastFailure.message}`
      : 'Meshgate is starting.';
    throw new UnavailableError(`Not ready: ${reason}`);
  }

  /** Live readiness of each dependency (checked now, not cached). */
  async check(): Promise<Record<Dependency, DependencyStatus>> {
    const services = this.current;
    if (!services) {
      const failure = this.lastFailure;
      return {
        database:
          failure?.dependency === 'database'
            ? { ok: false, detail: failure.message }
            : { ok: false, detail: 'starting' },
        'event-log':
          failure?.dependency === 'event-log'
            ? { ok: false, detail: failure.message }
            : { ok: false, detail: 'starting' },
      };
    }
    const [database, eventLog] = await Promise.all([
      services.db.ping().then((ok) => (ok ? { ok } : { ok, detail: 'PostgreSQL does not answer' })),
      services.eventLog.health(),
    ]);
    return { database, 'event-log': eventLog };
  }

  /** Closes the services (and the embedded PostgreSQL if this runtime started it). */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.starting.catch(() => undefined);
    const services = this.current;
    this.current = undefined;
    if (services) {
      await services.hub.close().catch(() => undefined);
      // After the streams ended: their last delivery counts are in the final flush.
      await services.lineage.close().catch(() => undefined);
      await services.webhookDispatcher.close().catch(() => undefined);
      // Before the event log closes: the worker leaves its groups after the batch in hand.
      await services.deadLetters?.close().catch(() => undefined);
      services.recordCheck.close();
      await services.access.close().catch(() => undefined);
      services.access.store.close();
      services.registry.close();
      services.catalog.close();
      await services.changes.close();
      await services.eventLog.close().catch(() => undefined);
      await services.db.close();
    }
  }

  private async bringUp(): Promise<void> {
    const { logger } = this.options;
    let db: Database | undefined;
    while (!this.closed && !db) {
      try {
        db = await openDatabase({
          databaseUrl: this.options.databaseUrl,
          dataDir: `${this.options.dataDir}/postgres`,
          onLog: (line) => logger.debug({ component: 'postgres' }, line),
        });
      } catch (error) {
        // An embedded PostgreSQL that cannot start will not fix itself: fail loudly.
        if (!this.options.databaseUrl) throw error;
        await this.failed('database', error);
      }
    }
    if (!db) return;
    logger.info(
      { database: db.embedded ? `embedded (127.0.0.1:${db.embedded.port})` : redact(db.url) },
      'PostgreSQL connected, migrations applied',
    );
    const eventLog = createEventLog(
      this.options.kafkaBrokers
        ? {
            kafkaBrokers: this.options.kafkaBrokers,
            clientId: this.options.kafkaClientId ?? 'meshgate',
            onLog: (level, message, extra) => logger[level]({ component: 'kafka', ...extra }, message),
          }
        : { pool: db.pool, databaseUrl: db.url },
    );
    for (;;) {
      if (this.closed) {
        await eventLog.close().catch(() => undefined);
        await db.close();
        return;
      }
      const health = await eventLog.health();
      if (health.ok) break;
      await this.failed('event-log', new Error(health.detail ?? 'not reachable'));
    }
    logger.info({ eventLog: eventLog.kind, brokers: this.options.kafkaBrokers }, 'Event log ready');
    const changes = new ChangeFeed({
      databaseUrl: db.url,
      origin: this.options.instanceId ?? randomUUID(),
      onLog: (message) => logger.warn({ component: 'change-feed' }, message),
    });
    await changes.start();
    const { metrics, deadLetter = {} } = this.options;
    const registry = new SchemaRegistry(db.prisma, {
      changeFeed: changes,
      // Every registration and deletion leaves a catalog change history row in its transaction.
      onChange: recordSchemaChange,
      ...(this.options.maxSchemaBytes ? { maxSchemaBytes: this.options.maxSchemaBytes } : {}),
    });
    const validators = new ValidatorCache();
    const catalog = new EventTypeCatalog(db.prisma, { changeFeed: changes, schemas: { registry, validators } });
    const recordCheck = new RecordValidator({ catalog, registry, validators, changes });
    const deadLetterSuffix = deadLetter.suffix ?? '.dlq';
    const validatedOffsets = deadLetter.enabled === false ? undefined : new ValidatedOffsets();
    const access = new AccessControl({
      store: new PolicyStore(db.prisma, {
        changeFeed: changes,
        ...(this.options.sessionTtlMs ? { sessionTtlMs: this.options.sessionTtlMs } : {}),
      }),
      audit: new AuditLog(db),
      changes,
      logger: logger.child({ component: 'access' }),
      jwt: this.options.jwt ? new JwtVerifier(this.options.jwt) : undefined,
    });
    await access.start();
    const { enabled: webhooksEnabled, ...dispatchOptions } = this.options.webhooks ?? {};
    const services: Services = {
      access,
      lineage: new ObservedLineageRecorder({
        db: db.pool,
        flushIntervalMs: this.options.lineageFlushMs,
        onError: (error) =>
          logger.warn({ err: error }, 'Writing observed lineage failed; retrying with the next flush'),
      }),
      lineageReader: new LineageReader(db.prisma),
      webhooks: new WebhookStore(db.prisma),
      webhookDispatcher: new WebhookDispatcher({
        db: db.pool,
        changes,
        ...dispatchOptions,
        onLog: (level, message, extra) => logger[level]({ component: 'webhooks', ...extra }, message),
      }),
      db,
      changes,
      eventLog,
      hub: new FanoutHub({
        eventLog,
        check: recordCheck,
        ...(this.options.subscriberBufferSize !== undefined ? { bufferSize: this.options.subscriberBufferSize } : {}),
        ...(this.options.metrics
          ? {
              metrics: {
                ended: (_topic, reason) => this.options.metrics?.subscriptionsEnded.inc({ reason }),
                readerOpened: (_topic, kind) => this.options.metrics?.hubReaders.inc({ kind }),
                readerClosed: (_topic, kind) => this.options.metrics?.hubReaders.dec({ kind }),
                invalid: (_topic, verdict) =>
                  this.options.metrics?.invalidRecords.inc({
                    event_type: verdict.eventType ?? '',
                    reason: verdict.reason,
                  }),
              } satisfies FanoutHubMetrics,
            }
          : {}),
      }),
      catalog,
      domains: new DomainCatalog(db.prisma, { changeFeed: changes }),
      catalogServices: new ServiceCatalog(db.prisma, { changeFeed: changes }),
      history: new ChangeHistory(db.prisma),
      search: new CatalogSearch(db.pool),
      registry,
      validators,
      recordCheck,
      deadLetterSuffix,
      validatedOffsets,
      deadLetters:
        deadLetter.enabled === false
          ? undefined
          : new DeadLetterWorker({
              eventLog,
              check: recordCheck,
              validated: validatedOffsets,
              routes: catalogDeadLetterRoutes(catalog, changes, deadLetterSuffix),
              ...(deadLetter.groupId ? { groupId: deadLetter.groupId } : {}),
              restMs: deadLetter.restMs,
              metrics: {
                deadLettered: (eventType, reason, count) =>
                  metrics?.deadLettered.inc({ event_type: eventType, reason }, count),
                handled: (topic, checked, skipped) => {
                  if (checked > 0) metrics?.deadLetterRecords.inc({ topic, outcome: 'checked' }, checked);
                  if (skipped > 0) metrics?.deadLetterRecords.inc({ topic, outcome: 'skipped' }, skipped);
                },
              },
              onLog: (level, message, extra) => logger[level]({ component: 'dead-letter', ...extra }, message),
            }),
    };
    await this.options.onReady?.(services);
    this.lastFailure = undefined;
    this.current = services;
    // In the background: joining consumer groups takes a moment and must not delay readiness.
    services.deadLetters?.start();
    if (webhooksEnabled !== false) services.webhookDispatcher.start();
  }

  private async failed(dependency: Dependency, error: unknown): Promise<void> {
    const message = describeError(error);
    const delay = this.options.retryDelayMs ?? 2000;
    if (this.lastFailure?.message !== message) {
      this.options.logger.warn(
        { dependency },
        `${describe(dependency)} is unreachable: ${message}; retrying every ${delay} ms`,
      );
    }
    this.lastFailure = { dependency, message };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function describe(dependency: Dependency): string {
  return dependency === 'database' ? 'PostgreSQL' : 'The streaming platform';
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Hides the password of a connection string for logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
