import type { GraphQLSchema } from 'graphql';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Runtime, Services } from '../runtime';
import { createGenericResolvers, makeSchema, typeDefs, type ResolverMap } from './schema';
import { buildTypedSchema, type BuiltSchema, type TypedEventSource } from './typed-schema';

/** Options for {@link SchemaProvider}. */
export interface SchemaProviderOptions {
  runtime: Runtime;
  metrics: Metrics;
  logger: Logger;
  /** Quiet time after the last catalog or registry change before the schema is rebuilt; default 200 ms. */
  debounceMs?: number;
}

type SchemaListener = (built: BuiltSchema) => void;

/**
 * Owns the executable GraphQL schema: the generic schema until the runtime's services are up,
 * then the generic schema plus one typed subscription per event type with a JSON Schema, rebuilt
 * (debounced) whenever the change feed reports a catalog or registry change, here or on another
 * instance. Transports ask for `current()` per operation, so an operation runs on the schema
 * that was current when it started; subscriptions keep it until they end.
 */
export class SchemaProvider {
  private readonly genericResolvers: ResolverMap;
  private readonly generic: BuiltSchema;
  private built: BuiltSchema;
  private readonly listeners = new Set<SchemaListener>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly debounceMs: number;
  private timer: NodeJS.Timeout | undefined;
  private building: Promise<void> | undefined;
  private buildAgain = false;
  private fingerprint: string | undefined;
  private closed = false;

  constructor(private readonly options: SchemaProviderOptions) {
    this.debounceMs = options.debounceMs ?? 200;
    this.genericResolvers = createGenericResolvers(options.runtime, options.metrics);
    this.generic = { schema: makeSchema(typeDefs, this.genericResolvers), sdl: typeDefs };
    this.built = this.generic;
    // follow() handles its own failures (logged), so nothing is left unhandled.
    void this.follow();
  }

  /** The schema to run a new operation on. */
  current(): GraphQLSchema {
    return this.built.schema;
  }

  /** The current schema with the SDL it was built from. */
  currentBuild(): BuiltSchema {
    return this.built;
  }

  /** Calls `listener` with every new schema; returns an unsubscribe function. */
  onUpdate(listener: SchemaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Rebuilds the schema from the catalog and registry now; resolves when it is in place. Calls
   * made while a rebuild runs are folded into one more rebuild after it.
   */
  refresh(): Promise<void> {
    if (this.building) {
      this.buildAgain = true;
      return this.building;
    }
    this.building = (async () => {
      try {
        do {
          this.buildAgain = false;
          await this.rebuild();
        } while (this.buildAgain && !this.closed);
      } finally {
        this.building = undefined;
      }
    })();
    return this.building;
  }

  /** Stops following the change feed; the current schema stays usable. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.listeners.clear();
  }

  private async follow(): Promise<void> {
    try {
      await this.options.runtime.ready();
    } catch {
      return; // the runtime reports its own fatal error
    }
    if (this.closed) return;
    let services: Services;
    try {
      services = this.options.runtime.services();
    } catch {
      return; // closed before it came up
    }
    const schedule = () => this.schedule();
    this.unsubscribes.push(services.changes.on('registry', schedule), services.changes.on('catalog', schedule));
    await this.refresh();
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), this.debounceMs);
    this.timer.unref();
  }

  private async rebuild(): Promise<void> {
    if (this.closed) return;
    const { runtime, metrics, logger } = this.options;
    let sources: TypedEventSource[];
    try {
      sources = await loadSources(runtime.services());
    } catch (error) {
      // Keep serving the schema we have; the next change (or a change-feed resync) retries.
      logger.warn({ err: error }, 'Cannot load event types and schemas; the GraphQL schema is unchanged');
      return;
    }
    const fingerprint = JSON.stringify(
      sources.map(({ eventType, schema }) => [
        eventType.name,
        eventType.summary,
        eventType.createdAt.getTime(),
        schema.subject,
        schema.id,
        schema.version,
      ]),
    );
    if (this.closed || fingerprint === this.fingerprint) return;
    let built: BuiltSchema;
    try {
      built =
        buildTypedSchema(sources, { runtime, metrics, logger, genericResolvers: this.genericResolvers }) ??
        this.generic;
    } catch (error) {
      logger.error({ err: error }, 'Cannot build the typed GraphQL schema; serving the generic schema only');
      built = this.generic;
    }
    this.fingerprint = fingerprint;
    this.built = built;
    logger.debug({ eventTypes: sources.length }, 'GraphQL schema rebuilt');
    for (const listener of this.listeners) {
      try {
        listener(built);
      } catch (error) {
        logger.warn({ err: error }, 'A GraphQL schema listener failed');
      }
    }
  }
}

/**
 * Every event type whose subject's latest schema is a JSON Schema, with that schema. Retired
 * event types take no new subscriptions, and private ones stay out of a schema every caller can
 * introspect: both are reached through the generic `events(type:)` subscription only.
 */
async function loadSources(services: Services): Promise<TypedEventSource[]> {
  const eventTypes = (await services.catalog.list()).filter(
    (eventType) => eventType.lifecycle !== 'retired' && eventType.visibility !== 'private',
  );
  const sources = await Promise.all(
    eventTypes.map(async (eventType) => {
      const schema = await services.registry.latestOrUndefined(eventType.subject);
      return schema?.schemaType === 'JSON' ? { eventType, schema } : undefined;
    }),
  );
  return sources.filter((source): source is TypedEventSource => source !== undefined);
}

/** Apollo Server's gateway interface, its documented hook for a schema that changes at run time. */
export type SchemaGateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * Presents a {@link SchemaProvider} to Apollo Server as a gateway: `load` hands over the
 * current schema and every later one is pushed through `onSchemaLoadOrUpdate`; the executor is
 * null, so Apollo executes operations itself against the schema it was last given. Stopping
 * Apollo closes the provider.
 */
export function toApolloGateway(provider: SchemaProvider): SchemaGateway {
  type Callback = Parameters<SchemaGateway['onSchemaLoadOrUpdate']>[0];
  const callbacks = new Set<Callback>();
  let unsubscribe: (() => void) | undefined;
  const publish = ({ schema, sdl }: BuiltSchema) => {
    const context = { apiSchema: schema, coreSupergraphSdl: sdl };
    for (const callback of callbacks) callback(context);
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callbacks.add(callback);
      return () => callbacks.delete(callback);
    },
    async load() {
      // Apollo reads the schema right after load() resolves: hand it over before returning.
      publish(provider.currentBuild());
      unsubscribe = provider.onUpdate(publish);
      return { executor: null };
    },
    async stop() {
      unsubscribe?.();
      provider.close();
    },
  };
}
