import type { FastifyInstance } from 'fastify';
import { InputError } from '@meshgate/core';
import { deadLetterTopicOf } from '@meshgate/catalog';
import { authorizeEventType, callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { fetchDeadLetters } from '../../services/fetch-dead-letters';
import { DEFAULT_FETCH_LIMIT, MAX_FETCH_LIMIT } from './fetch';

const deadLetterSchema = {
  type: 'object',
  required: [
    'cursor',
    'partition',
    'offset',
    'time',
    'key',
    'reason',
    'detail',
    'source',
    'schemaId',
    'headers',
    'value',
  ],
  properties: {
    cursor: { type: 'string', description: 'Position after this record; give it back as `after`.' },
    partition: { type: 'integer' },
    offset: { type: 'integer' },
    time: { type: 'string', description: 'When it was dead-lettered (meshgate-dlq-time).' },
    key: { type: ['string', 'null'], description: 'The original record key.' },
    reason: {
      type: ['string', 'null'],
      description:
        'meshgate-dlq-reason: NOT_JSON, UNKNOWN_SCHEMA_ID, SCHEMA_OF_ANOTHER_SUBJECT, SCHEMA_MISMATCH or SCHEMA_NOT_FOUND.',
    },
    detail: {
      type: ['string', 'null'],
      description: 'meshgate-dlq-detail: the first problems, `JSON pointer: message`.',
    },
    source: {
      type: ['object', 'null'],
      description: 'meshgate-dlq-source: where the original was; deduplicate on it (delivery is at least once).',
      properties: { topic: { type: 'string' }, partition: { type: 'integer' }, offset: { type: 'integer' } },
    },
    schemaId: { type: ['integer', 'null'], description: 'meshgate-dlq-schema-id.' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'The original record headers.',
    },
    value: { type: ['string', 'null'], description: 'The original value bytes, base64.' },
    data: { description: 'The original value as JSON, when it is JSON (plain or Confluent wire format).' },
  },
} as const;

/**
 * `GET /v1/events/{eventType}/dead-letters?after=CURSOR&from=earliest|latest&limit=N`: one page of
 * the event type's dead-letter topic — records that reached the topic without going through the
 * gateway and failed validation — with the reason headers unpacked and a cursor to continue.
 */
export function registerDeadLetterRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  options: { maxWaitMs?: number } = {},
): void {
  app.get<{
    Params: { eventType: string };
    Querystring: { after?: string; from?: 'earliest' | 'latest'; limit?: string };
  }>(
    '/v1/events/:eventType/dead-letters',
    {
      schema: {
        tags: ['events'],
        summary: "Fetch a page of the event type's dead-lettered records (invalid records produced around the gateway)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', description: 'Continue after this cursor (from a record or a page).' },
            from: { type: 'string', enum: ['earliest', 'latest'], description: 'Without a cursor; default earliest.' },
            limit: {
              type: 'string',
              pattern: '^[0-9]{1,9}$',
              description: `Most records returned; default ${DEFAULT_FETCH_LIMIT}, at most ${MAX_FETCH_LIMIT}.`,
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['topic', 'records', 'cursor', 'hasMore'],
            properties: {
              topic: { type: 'string', description: 'The dead-letter topic.' },
              records: { type: 'array', items: deadLetterSchema },
              cursor: { type: 'string' },
              hasMore: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (request) => {
      const limit = request.query.limit === undefined ? DEFAULT_FETCH_LIMIT : Number(request.query.limit);
      if (limit < 1 || limit > MAX_FETCH_LIMIT) {
        throw new InputError(`limit must be between 1 and ${MAX_FETCH_LIMIT} (got ${request.query.limit}).`);
      }
      const services = runtime.services();
      // Dead letters hold raw, unmasked values that failed validation: for the owners
      // (manage-catalog) and administrators, not for every reader.
      const { principal, sourceIp } = callerOf(request);
      const { eventType } = await authorizeEventType(
        services.access,
        services.catalog,
        principal,
        'manage-catalog',
        request.params.eventType,
        sourceIp,
        'dead-letter.read',
      );
      const topic = deadLetterTopicOf(eventType, services.deadLetterSuffix);
      const page = await fetchDeadLetters(services.eventLog, topic, {
        after: request.query.after,
        from: request.query.from,
        limit,
        ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      });
      return { topic, ...page };
    },
  );
}
