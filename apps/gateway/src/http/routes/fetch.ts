import type { FastifyInstance } from 'fastify';
import { InputError } from '@meshgate/core';
import type { Metrics } from '../../metrics';
import { authorizeEventType, callerOf } from '../../auth/guards';
import { readViewFor } from '../../auth/views';
import type { Runtime } from '../../runtime';
import { fetchEvents, type FetchedEvent } from '../../services/fetch-events';
import { lifecycleHeaders } from '../lifecycle-headers';

/** Options for the fetch route. */
export interface FetchRoutesOptions {
  /** Longest a fetch waits for records known to exist (a Kafka reader joining); default 10 s. */
  maxWaitMs?: number;
}

/** Events per page when `limit` is not given. */
export const DEFAULT_FETCH_LIMIT = 100;
/** Largest accepted `limit`. */
export const MAX_FETCH_LIMIT = 1000;

/**
 * `GET /v1/events/{eventType}?after=CURSOR&from=earliest|latest&limit=N`: one page of events for
 * batch readers, in the stream's envelope plus the record headers, with a cursor to continue.
 * Returns at once when there is nothing new; it never tails.
 */
export function registerFetchRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  metrics: Metrics,
  options: FetchRoutesOptions = {},
): void {
  app.get<{
    Params: { eventType: string };
    Querystring: { after?: string; from?: 'earliest' | 'latest'; limit?: string };
  }>(
    '/v1/events/:eventType',
    {
      schema: {
        tags: ['events'],
        summary: 'Fetch a page of events after a cursor (or from earliest/latest), with a cursor to continue',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', description: 'Continue after this cursor (from an event or a page).' },
            from: { type: 'string', enum: ['earliest', 'latest'], description: 'Without a cursor; default earliest.' },
            limit: {
              type: 'string',
              pattern: '^[0-9]{1,9}$',
              description: `Most events returned; default ${DEFAULT_FETCH_LIMIT}, at most ${MAX_FETCH_LIMIT}.`,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { eventType: name } = request.params;
      const limit = request.query.limit === undefined ? DEFAULT_FETCH_LIMIT : Number(request.query.limit);
      if (limit < 1 || limit > MAX_FETCH_LIMIT) {
        throw new InputError(`limit must be between 1 and ${MAX_FETCH_LIMIT} (got ${request.query.limit}).`);
      }
      const services = runtime.services();
      const { principal, sourceIp } = callerOf(request);
      const { eventType, decision } = await authorizeEventType(
        services.access,
        services.catalog,
        principal,
        'read',
        name,
        sourceIp,
        'event.fetch',
      );
      for (const [header, value] of Object.entries(lifecycleHeaders(eventType))) void reply.header(header, value);
      const view = await readViewFor(services.registry, eventType, decision);
      const page = await fetchEvents(services.eventLog, eventType.topic, {
        view: view?.apply,
        after: request.query.after,
        from: request.query.from,
        limit,
        check: services.recordCheck,
        ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      });
      metrics.eventsDelivered.inc({ transport: 'fetch' }, page.events.length);
      return {
        events: page.events.map((event) => fetchedEnvelope(name, event)),
        cursor: page.cursor,
        hasMore: page.hasMore,
      };
    },
  );
}

/** The stream's event envelope (SSE `data:`, NDJSON lines) plus the record's headers. */
export function fetchedEnvelope(eventType: string, event: FetchedEvent) {
  return {
    type: eventType,
    cursor: event.cursor,
    partition: event.partition,
    offset: event.offset,
    time: event.timestamp.toISOString(),
    key: event.key,
    headers: event.headers,
    data: event.data,
  };
}
