import type { FastifyInstance } from 'fastify';
import type { EventType, EventTypeInput } from '@meshgate/catalog';
import {
  assertEventTypeValues,
  deadLetterTopicOf,
  resolveEventTypeDefaults,
  valueFormatOf,
  valueFormats,
} from '@meshgate/catalog';
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
  app.get('/v1/catalog/event-types', { schema: { tags: ['catalog'], summary: 'List event types' } }, async () => {
    const { catalog, deadLetterSuffix } = runtime.services();
    const items = await catalog.list();
    return { items: items.map((item) => eventTypeJson(item, deadLetterSuffix)) };
  });

  app.get<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name',
    { schema: { tags: ['catalog'], summary: 'Get one event type' } },
    async (request) => {
      const { catalog, deadLetterSuffix } = runtime.services();
      return eventTypeJson(await catalog.get(request.params.name), deadLetterSuffix);
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
      const { catalog, eventLog, deadLetterSuffix } = runtime.services();
      const values = resolveEventTypeDefaults(request.params.name, request.body);
      assertEventTypeValues(request.params.name, values);
      // The topic first: if it cannot be created, nothing is written to the catalog.
      await eventLog.createTopic({ name: values.topic, partitions: values.partitions });
      const { eventType, created } = await catalog.put(request.params.name, request.body);
      return reply.status(created ? 201 : 200).send(eventTypeJson(eventType, deadLetterSuffix));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name',
    { schema: { tags: ['catalog'], summary: 'Remove an event type from the catalog' } },
    async (request) => {
      const { catalog, deadLetterSuffix } = runtime.services();
      return eventTypeJson(await catalog.delete(request.params.name), deadLetterSuffix);
    },
  );
}
