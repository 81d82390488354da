import {
  buildSchema,
  isEnumType,
  isObjectType,
  printSchema,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  getNamedType,
  isNamedType,
  validateSchema,
  type GraphQLEnumType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
  type GraphQLScalarType,
} from 'graphql';
import type { EventType } from '@meshgate/catalog';
import type { SubjectVersionView } from '@meshgate/registry';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Runtime } from '../runtime';
import type { GraphQLContext } from './context';
import { subscribeToEvents, type EventDelivery, type EventSubscriptionArgs } from './event-subscription';
import { jsonSchemaToGraphQL } from './json-schema-types';
import { NameScope, toFieldName, toTypeName } from './names';
import { makeSchema, typeDefs, type ResolverMap } from './schema';

/** A typed field's payload is the delivery itself; module-level, so deliveries share one payload per event. */
const typedPayload = (delivery: EventDelivery) => delivery;

/** An event type with its latest JSON Schema: the input for one typed subscription. */
export interface TypedEventSource {
  eventType: EventType;
  schema: SubjectVersionView;
}

/** What the typed subscriptions need at run time. */
export interface TypedSchemaDependencies {
  runtime: Runtime;
  metrics: Metrics;
  logger: Logger;
  /** The generic API's resolvers (see schema.ts). */
  genericResolvers: ResolverMap;
}

/** An executable schema and the SDL it was built from. */
export interface BuiltSchema {
  schema: GraphQLSchema;
  sdl: string;
}

/** The last dot-separated segment of an event type name: `orders.order-created` → `order-created`. */
function shortName(eventTypeName: string): string {
  return eventTypeName.split('.').pop() ?? eventTypeName;
}

/** The payload schema's `title`, if it has one. */
function titleOf(schema: unknown): string | undefined {
  const title = (schema as { title?: unknown } | null)?.title;
  return typeof title === 'string' && title.trim() !== '' ? title : undefined;
}

/**
 * Extends the generic schema with one typed subscription per event type: a payload type
 * generated from the event type's latest JSON Schema, a `{Payload}Delivery` type around it and
 * a subscription field named after the event type. Event types are taken oldest first, so an
 * existing field or type never changes name when a newer event type would clash with it. An
 * event type whose schema cannot be converted gets `data: JSON!` and a warning in the log; it
 * never breaks the rest of the schema. Returns undefined if the whole result is unusable.
 *
 * The types are generated and validated as graphql-js objects, then printed to SDL and built
 * by graphql-tools like the generic schema: the executable schema then comes from the same
 * `graphql` module instance that Apollo Server and graphql-ws execute with, even where a
 * bundler (Vitest) loads `graphql` twice, as ESM for this code and CommonJS for dependencies.
 */
export function buildTypedSchema(
  sources: readonly TypedEventSource[],
  dependencies: TypedSchemaDependencies,
): BuiltSchema | undefined {
  const generic = buildSchema(typeDefs);
  const json = generic.getType('JSON') as GraphQLScalarType;
  const startPosition = generic.getType('StartPosition') as GraphQLEnumType;
  const subscription = generic.getSubscriptionType();
  if (!subscription) throw new Error('The generic schema has no Subscription type.');
  const subscriptionConfig = subscription.toConfig();

  const typeNames = new NameScope(Object.keys(generic.getTypeMap()));
  const fieldNames = new NameScope(Object.keys(subscriptionConfig.fields));
  const typedFields: GraphQLFieldConfigMap<unknown, unknown> = {};
  const ordered = [...sources].sort(
    (a, b) =>
      a.eventType.createdAt.getTime() - b.eventType.createdAt.getTime() ||
      a.eventType.name.localeCompare(b.eventType.name),
  );
  for (const source of ordered) {
    const { eventType } = source;
    const short = toFieldName(shortName(eventType.name));
    const fieldName = fieldNames.claim(fieldNames.isFree(short) ? short : toFieldName(eventType.name));
    const delivery = deliveryType(source, typeNames, json, dependencies.logger);
    typedFields[fieldName] = subscriptionField(source, delivery, json, startPosition, dependencies);
  }

  const config = generic.toConfig();
  const model = new GraphQLSchema({
    ...config,
    subscription: new GraphQLObjectType({
      ...subscriptionConfig,
      fields: { ...subscriptionConfig.fields, ...typedFields },
    }),
    types: config.types.filter((type) => type.name !== subscription.name),
  });
  const errors = validateSchema(model);
  if (errors.length > 0) {
    // Each event type was checked on its own, so this means a bug: keep serving the generic API.
    dependencies.logger.error(
      { errors: errors.map((error) => error.message) },
      'The generated GraphQL schema is invalid; serving the generic schema only',
    );
    return undefined;
  }
  const sdl = printSchema(model);
  const generated = resolversOf(model);
  const resolvers: ResolverMap = {
    ...dependencies.genericResolvers,
    ...generated,
    Subscription: { ...dependencies.genericResolvers.Subscription, ...generated.Subscription },
  };
  return { schema: makeSchema(sdl, resolvers), sdl };
}

/** The resolvers and enum values attached to a graphql-js schema's types, as a resolver map. */
function resolversOf(schema: GraphQLSchema): ResolverMap {
  const resolvers: ResolverMap = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const entries: Record<string, unknown> = {};
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.subscribe) entries[field.name] = { subscribe: field.subscribe, resolve: field.resolve };
        else if (field.resolve) entries[field.name] = field.resolve;
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (value.value !== value.name) entries[value.name] = value.value;
    }
    if (Object.keys(entries).length > 0) resolvers[type.name] = entries;
  }
  return resolvers;
}

/** The delivery type of one event type, with `data` typed from its schema or `JSON` on failure. */
function deliveryType(
  source: TypedEventSource,
  typeNames: NameScope,
  json: GraphQLScalarType,
  logger: Logger,
): GraphQLObjectType {
  const { eventType, schema } = source;
  const scope = typeNames.fork();
  try {
    const document: unknown = JSON.parse(schema.schema);
    const rootName = toTypeName(titleOf(document) ?? shortName(eventType.name));
    const fallbacks: string[] = [];
    const payload = jsonSchemaToGraphQL(document, rootName, {
      typeNames: scope,
      json,
      onFallback: (path, reason) => fallbacks.push(`${path}: ${reason}`),
    });
    if (fallbacks.length > 0) logger.debug({ eventType: eventType.name, fallbacks }, 'schema parts typed as JSON');
    const named = getNamedType(payload.type);
    const baseName = isNamedType(named) && named !== json && !isBuiltIn(named.name) ? named.name : rootName;
    // An untyped payload is still an event: `data: JSON!`, as in the generic `Event` type.
    const nullable = payload.nullable && payload.type !== json;
    const delivery = makeDeliveryType(scope.claim(`${baseName}Delivery`), eventType, payload.type, nullable);
    // Check this event type's types on their own, so one odd schema cannot break the whole schema.
    const errors = validateSchema(new GraphQLSchema({ query: delivery }));
    if (errors.length > 0) throw new Error(errors.map((error) => error.message).join('; '));
    typeNames.adopt(scope);
    return delivery;
  } catch (error) {
    logger.warn(
      { eventType: eventType.name, subject: schema.subject, version: schema.version, err: error },
      'Cannot generate GraphQL types from this schema; its typed subscription delivers data as JSON',
    );
    const fallbackScope = typeNames.fork();
    const delivery = makeDeliveryType(
      fallbackScope.claim(`${toTypeName(shortName(eventType.name))}Delivery`),
      eventType,
      json,
      false,
    );
    typeNames.adopt(fallbackScope);
    return delivery;
  }
}

function isBuiltIn(name: string): boolean {
  return name === 'String' || name === 'Int' || name === 'Float' || name === 'Boolean' || name === 'ID';
}

function makeDeliveryType(
  name: string,
  eventType: EventType,
  data: GraphQLOutputType,
  nullable: boolean,
): GraphQLObjectType {
  return new GraphQLObjectType({
    name,
    description: `One delivered \`${eventType.name}\` event. Give its cursor back as after: to resume with no loss.`,
    fields: {
      cursor: { type: new GraphQLNonNull(GraphQLString) },
      partition: { type: new GraphQLNonNull(GraphQLInt) },
      offset: { type: new GraphQLNonNull(GraphQLString) },
      time: { type: new GraphQLNonNull(GraphQLString) },
      key: { type: GraphQLString },
      data: { type: nullable ? data : new GraphQLNonNull(data), description: 'The event payload.' },
    },
  });
}

function subscriptionField(
  source: TypedEventSource,
  delivery: GraphQLObjectType,
  json: GraphQLScalarType,
  startPosition: GraphQLEnumType,
  { runtime, metrics }: Pick<TypedSchemaDependencies, 'runtime' | 'metrics'>,
): GraphQLFieldConfig<unknown, unknown, EventSubscriptionArgs> {
  const { eventType, schema } = source;
  return {
    type: new GraphQLNonNull(delivery),
    description:
      `${eventType.summary}\n\nEvents of \`${eventType.name}\`, from a cursor (after) or a start position; ` +
      `typed from schema subject \`${schema.subject}\` version ${schema.version}.`,
    args: {
      after: { type: GraphQLString },
      from: { type: startPosition, defaultValue: 'LATEST' },
      filter: { type: json },
    },
    subscribe: (_source, args, context) =>
      subscribeToEvents(runtime, metrics, context as GraphQLContext, eventType.name, args, typedPayload),
    resolve: (event: unknown) => event,
  };
}
