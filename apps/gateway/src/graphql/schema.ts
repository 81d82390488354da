import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isMeshgateError, type MeshgateError } from '@meshgate/core';
import type { EventType } from '@meshgate/catalog';
import { openEventStream, type DeliveredEvent } from '@meshgate/streaming';
import type { Metrics } from '../metrics';
import type { Runtime } from '../runtime';
import { produceEvent } from '../services/produce-event';
import { toMeshgateError } from '../http/errors';

/** The GraphQL schema served over HTTP (Apollo) and WebSocket (graphql-ws) alike. */
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
    events(type: String!, after: String, from: StartPosition = LATEST): Event!
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

const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral,
});

/** Maps a Meshgate error onto a GraphQL error with `extensions.code` (the one place for GraphQL). */
export function toGraphQLError(error: unknown): GraphQLError {
  const meshgateError: MeshgateError = isMeshgateError(error) ? error : toMeshgateError(error);
  return new GraphQLError(meshgateError.message, {
    extensions: {
      code: meshgateError.code,
      ...(meshgateError.details === undefined ? {} : { details: meshgateError.details }),
    },
  });
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

function eventJson(type: string, event: DeliveredEvent) {
  return {
    type,
    cursor: event.cursor,
    partition: event.partition,
    offset: String(event.offset),
    time: event.timestamp.toISOString(),
    key: event.key,
    data: event.data,
  };
}

/** Builds the executable schema over the runtime's services. */
export function createGraphQLSchema(runtime: Runtime, metrics: Metrics) {
  return makeExecutableSchema({
    typeDefs,
    resolvers: {
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
          subscribe: async function* (
            _: unknown,
            args: { type: string; after?: string | null; from?: 'EARLIEST' | 'LATEST' },
          ) {
            const { stream, name } = await guard(async () => {
              const services = runtime.services();
              const eventType = await services.catalog.get(args.type);
              const stream = await openEventStream(services.eventLog, eventType.topic, {
                after: args.after ?? undefined,
                from: args.from === 'EARLIEST' ? 'earliest' : 'latest',
              });
              return { stream, name: eventType.name };
            });
            metrics.activeStreams.inc({ transport: 'graphql-ws' });
            try {
              for await (const event of stream) {
                metrics.eventsDelivered.inc({ transport: 'graphql-ws' });
                yield { events: eventJson(name, event) };
              }
            } finally {
              metrics.activeStreams.dec({ transport: 'graphql-ws' });
              await stream.close();
            }
          },
        },
      },
    },
  });
}
