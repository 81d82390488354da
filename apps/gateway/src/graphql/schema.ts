import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { isMeshgateError } from '@meshgate/core';
import type { EventType } from '@meshgate/catalog';
import type { Metrics } from '../metrics';
import type { Runtime } from '../runtime';
import { produceEvent } from '../services/produce-event';
import { toGraphQLError } from './errors';
import { subscribeToEvents, type EventDelivery, type EventSubscriptionArgs } from './event-subscription';

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
    eventTypes: [EventType!]!
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
  return {
    JSON: JsonScalar,
    Query: {
      eventTypes: () => guard(() => runtime.services().catalog.list()),
      eventType: (_: unknown, args: { name: string }) =>
        guard(async () => {
          try {
            return await runtime.services().catalog.get(args.name);
          } catch (error) {
            if (isMeshgateError(error) && error.code === 'EVENT_TYPE_NOT_FOUND') return null;
            throw error;
          }
        }),
    },
    EventType: {
      schema: (eventType: EventType) =>
        guard(async () => {
          try {
            return await runtime.services().registry.latest(eventType.subject);
          } catch (error) {
            if (isMeshgateError(error) && error.code === 'SUBJECT_NOT_FOUND') return null;
            throw error;
          }
        }),
    },
    Mutation: {
      produce: (_: unknown, args: { type: string; data: unknown }) =>
        guard(async () => {
          const produced = await produceEvent(runtime.services(), args.type, args.data);
          metrics.eventsProduced.inc({ event_type: args.type });
          return { ...produced, offset: String(produced.offset) };
        }),
    },
    Subscription: {
      events: {
        subscribe: (_: unknown, args: EventSubscriptionArgs & { type: string }) =>
          subscribeToEvents(runtime, metrics, args.type, args, genericPayload),
      },
    },
  };
}
