import type { FastifyInstance } from 'fastify';
import type { EventType, EventTypeInput } from '@meshgate/catalog';
import {
  assertEventTypeValues,
  deadLetterTopicOf,
  resolveEventTypeDefaults,
  valueFormatOf,
  valueFormats,
} from '@meshgate/catalog';
import { actorOf } from '../../auth/access-control';
import { callerOf, maySee } from '../../auth/guards';
import type { Runtime } from '../../runtime';

const eventTypeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'owner'],
  properties: {
    summary: { type: 'string', minLength: 1, maxLength: 500 },
    owner: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: ['string', 'null'], maxLength: 100_000 },
    topic: { type: 'string', minLength: 1, maxLength: 249 },
    subject: { type: 'string', minLength: 1, maxLength: 255 },
    partitions: { type: 'integer', minimum: 1, maximum: 1000 },
    valueFormat: {
      type: 'string',
      enum: valueFormats,
      description:
        'Framing of the values Meshgate produces: `json` (default) or `confluent` (magic byte 0, 4-byte big-endian schema id, JSON — what Confluent JSON Schema deserializers expect). Readers accept both.',
    },
    deadLetterTopic: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 249,
      description: 'Where invalid records of the topic go; default (null): the topic plus MESHGATE_DEAD_LETTER_SUFFIX.',
    },
  },
} as const;

/** The wire form of an event type (`deadLetterTopic` resolved with the gateway's suffix). */
export function eventTypeJson(eventType: EventType, deadLetterSuffix: string) {
  return {
    name: eventType.name,
    summary: eventType.summary,
    description: eventType.description,
    owner: eventType.owner,
    topic: eventType.topic,
    subject: eventType.subject,
    partitions: eventType.partitions,
    valueFormat: valueFormatOf(eventType),
    deadLetterTopic: deadLetterTopicOf(eventType, deadLetterSuffix),
    createdAt: eventType.createdAt.toISOString(),
    updatedAt: eventType.updatedAt.toISOString(),
  };
}

/** `/v1/catalog/event-types` (list) and `/v1/catalog/event-types/{name}` (GET, PUT, DELETE). */
export function registerCatalogRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get(
    '/v1/catalog/event-types',
    { schema: { tags: ['catalog'], summary: 'List event types' } },
    async (request) => {
      const { catalog, deadLetterSuffix, access } = runtime.services();
      const items = (await catalog.list()).filter((item) => maySee(access, request.principal, item));
      return { items: items.map((item) => eventTypeJson(item, deadLetterSuffix)) };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name',
    { schema: { tags: ['catalog'], summary: 'Get one event type' } },
    async (request) => {
      const { catalog, deadLetterSuffix, access } = runtime.services();
      const { name } = request.params;
      // An application without a grant gets FORBIDDEN whether or not the event type exists.
      if (!maySee(access, request.principal, { name, subject: `${name}-value` })) {
        const eventType = await catalog.get(name).catch(() => undefined);
        if (!eventType || !maySee(access, request.principal, eventType)) {
          await access.require(
            request.principal!,
            'read',
            { eventType: name },
            { sourceIp: request.ip },
            'catalog.read',
          );
        }
      }
      return eventTypeJson(await catalog.get(name), deadLetterSuffix);
    },
  );

  app.put<{ Params: { name: string }; Body: EventTypeInput }>(
    '/v1/catalog/event-types/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create or replace an event type (creates its topic)',
        body: eventTypeBody,
      },
    },
    async (request, reply) => {
      const { catalog, eventLog, deadLetterSuffix, access } = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      await access.require(
        principal,
        'manage-catalog',
        { eventType: request.params.name },
        { sourceIp },
        'catalog.put',
      );
      const values = resolveEventTypeDefaults(request.params.name, request.body);
      assertEventTypeValues(request.params.name, values);
      // The topic first: if it cannot be created, nothing is written to the catalog.
      await eventLog.createTopic({ name: values.topic, partitions: values.partitions });
      const { eventType, created } = await catalog.put(request.params.name, request.body);
      await access.record({
        actor: actorOf(principal),
        action: created ? 'catalog.create' : 'catalog.update',
        resource: { kind: 'event-type', name: eventType.name },
        decision: 'allow',
        sourceIp,
        details: { topic: eventType.topic, subject: eventType.subject, owner: eventType.owner },
      });
      return reply.status(created ? 201 : 200).send(eventTypeJson(eventType, deadLetterSuffix));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name',
    { schema: { tags: ['catalog'], summary: 'Remove an event type from the catalog' } },
    async (request) => {
      const { catalog, deadLetterSuffix, access } = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      await access.require(
        principal,
        'manage-catalog',
        { eventType: request.params.name },
        { sourceIp },
        'catalog.delete',
      );
      const deleted = await catalog.delete(request.params.name);
      await access.record({
        actor: actorOf(principal),
        action: 'catalog.delete',
        resource: { kind: 'event-type', name: deleted.name },
        decision: 'allow',
        sourceIp,
      });
      return eventTypeJson(deleted, deadLetterSuffix);
    },
  );
}
