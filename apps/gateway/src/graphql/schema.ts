import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import type { EventType } from '@meshgate/catalog';
import type { Metrics } from '../metrics';
import type { Runtime } from '../runtime';
import { produceEvent } from '../services/produce-event';
import { listEventTypes } from '../services/catalog-queries';
import { compileFilter, formatFilter, isMeshgateError, MeshgateError } from '@meshgate/core';
import { actorOf } from '../auth/access-control';
import { authorizeEventType } from '../auth/guards';
import { CatalogViewer } from '../auth/catalog-visibility';
import { principalOfContext, type GraphQLContext } from './context';
import { toGraphQLError } from './errors';
import { subscribeToEvents, type EventDelivery, type EventSubscriptionArgs } from './event-subscription';
import { catalogTypeDefs, createCatalogResolvers } from './catalog-schema';

/** The generic `events` field's payload; module-level, so deliveries share one payload per event (see subscribeToEvents). */
const genericPayload = (delivery: EventDelivery, type: string) => ({ events: { type, ...delivery } });

/**
 * The generic part of the GraphQL schema, served over HTTP (Apollo) and WebSocket (graphql-ws)
 * alike; the typed subscriptions generated from registered schemas are added to it (see
 * typed-schema.ts).
 */
export const typeDefs = /* GraphQL */ `
  "Any JSON value."
  scalar JSON

  "Where a subscription starts when no cursor is given."
  enum StartPosition {
    EARLIEST
    LATEST
  }

  "A schema version registered under a subject."
  type SchemaVersion {
    subject: String!
    version: Int!
    id: Int!
    schemaType: String!
    schema: String!
  }

  "A catalog event type: a name bound to a topic and a schema subject."
  type EventType {
    name: String!
    summary: String!
    description: String
    owner: String!
    topic: String!
    subject: String!
    "The latest schema registered under the subject, if any."
    schema: SchemaVersion
  }

  "One delivered event. Give its cursor back as after: to resume with no loss."
  type Event {
    type: String!
    cursor: String!
    partition: Int!
    offset: String!
    time: String!
    key: String
    data: JSON!
  }

  "An accepted event."
  type ProduceResult {
    cursor: String!
    partition: Int!
    offset: String!
    timestamp: String!
    schemaId: Int!
    schemaVersion: Int!
  }

  type Query {
    "Event types you may see, filtered (filters combine)."
    eventTypes(domain: String, owner: String, tag: String, lifecycle: Lifecycle): [EventType!]!
    "An event type you may see, or null."
    eventType(name: String!): EventType
  }

  type Mutation {
    "Validates the event against its type's latest schema and appends it."
    produce(type: String!, data: JSON!): ProduceResult!
  }

  type Subscription {
    "Events of one type, from a cursor (after) or a start position."
    events(type: String!, after: String, from: StartPosition = LATEST, filter: JSON): Event!
  }
  ${catalogTypeDefs}
`;

function parseLiteral(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(parseLiteral);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, parseLiteral(field.value)]));
    default:
      throw new GraphQLError('JSON literals cannot contain variables here.');
  }
}

/** The `JSON` scalar: any JSON value, as input and output. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral,
});

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/** Resolvers by type and field name, as `makeExecutableSchema` takes them. */
export type ResolverMap = Record<string, object>;

/** Builds an executable schema from SDL and resolvers (the one place that calls graphql-tools). */
export function makeSchema(sdl: string, resolvers: ResolverMap): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: sdl,
    resolvers: resolvers as Parameters<typeof makeExecutableSchema>[0]['resolvers'],
  });
}

/** Builds the generic executable schema over the runtime's services; it works before they are up. */
export function createGenericSchema(runtime: Runtime, metrics: Metrics): GraphQLSchema {
  return makeSchema(typeDefs, createGenericResolvers(runtime, metrics));
}

/** The generic API's resolvers over the runtime's services. */
export function createGenericResolvers(runtime: Runtime, metrics: Metrics): ResolverMap {
  const catalog = createCatalogResolvers(runtime);
  const generic = createEventResolvers(runtime, metrics);
  return {
    ...catalog,
    ...generic,
    Query: { ...generic.Query, ...catalog.Query },
    Mutation: { ...generic.Mutation, ...catalog.Mutation },
    EventType: { ...generic.EventType, ...catalog.EventType },
  };
}

/** The event API's resolvers (event types, produce, subscriptions). */
function createEventResolvers(runtime: Runtime, metrics: Metrics) {
  return {
    JSON: JsonScalar,
    Query: {
      // Who sees what: see CatalogViewer.
      eventTypes: (
        _: unknown,
        args: { domain?: string | null; owner?: string | null; tag?: string | null; lifecycle?: string | null },
        context: GraphQLContext,
      ) =>
        guard(async () => {
          const services = runtime.services();
          return listEventTypes(services, new CatalogViewer(services.access, context.principal), {
            domain: args.domain ?? undefined,
            owner: args.owner ?? undefined,
            tag: args.tag ?? undefined,
            lifecycle: args.lifecycle ?? undefined,
          });
        }),
      eventType: (_: unknown, args: { name: string }, context: GraphQLContext) =>
        guard(async () => {
          try {
            const { catalog, access } = runtime.services();
            const eventType = await catalog.get(args.name);
            return new CatalogViewer(access, context.principal).seesEventType(eventType) ? eventType : null;
          } catch (error) {
            if (isMeshgateError(error) && error.code === 'EVENT_TYPE_NOT_FOUND') return null;
            throw error;
          }
        }),
    },
    EventType: {
      schema: (eventType: EventType) =>
        guard(async () => (await runtime.services().registry.latestOrUndefined(eventType.subject)) ?? null),
    },
    Mutation: {
      produce: (_: unknown, args: { type: string; data: unknown }, context: GraphQLContext) =>
        guard(async () => {
          const services = runtime.services();
          const principal = principalOfContext(context);
          const { decision } = await authorizeEventType(
            services.access,
            services.catalog,
            principal,
            'produce',
            args.type,
            context.sourceIp,
            'event.produce',
          );
          if (decision.rowFilter) {
            const matches = compileFilter(decision.rowFilter);
            if (!matches({ data: args.data, key: null, timestamp: new Date(), partition: 0 })) {
              throw new MeshgateError(
                'FORBIDDEN',
                `The event is outside what your grant allows you to produce (${formatFilter(decision.rowFilter)}).`,
              );
            }
          }
          await services.access.quotas.admitProduce(principal, 1);
          const produced = await produceEvent(services, args.type, args.data);
          metrics.eventsProduced.inc({ event_type: args.type });
          services.lineage.produced(args.type, principal, 1);
          await services.access.record({
            actor: actorOf(principal),
            action: 'event.produce',
            resource: { kind: 'event-type', name: args.type },
            decision: 'allow',
            sourceIp: context.sourceIp ?? null,
            details: { events: 1, transport: 'graphql' },
          });
          return { ...produced, offset: String(produced.offset) };
        }),
    },
    Subscription: {
      events: {
        subscribe: (_: unknown, args: EventSubscriptionArgs & { type: string }, context: GraphQLContext) =>
          subscribeToEvents(runtime, metrics, context, args.type, args, genericPayload),
      },
    },
  };
}
