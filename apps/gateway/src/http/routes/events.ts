import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { compileFilter, parseFilter, type FilterPredicate } from '@meshgate/core';
import { assertNotRetired, type DeliveryCounter } from '@meshgate/catalog';
import type { DeliveredEvent, EventStream, Subscription } from '@meshgate/streaming';
import type { Metrics } from '../../metrics';
import { actorOf } from '../../auth/access-control';
import { authorizeEventType, callerOf } from '../../auth/guards';
import { readViewFor } from '../../auth/views';
import type { Runtime } from '../../runtime';
import { waitForDrain } from '../drain';
import { toMeshgateError } from '../errors';
import { corkForThisTurn } from '../cork';
import { SseWriter } from '../sse';
import { lifecycleHeaders } from '../lifecycle-headers';

/** Options for the events routes. */
export interface EventRoutesOptions {
  /** SSE keep-alive interval; a stream whose socket has not drained for two intervals is closed. */
  heartbeatMs: number;
  /** Closers of open streams, so shutdown can end them. */
  openStreams: Set<() => void>;
}

/** The JSON envelope a subscriber receives for each event (SSE `data:` and NDJSON lines). */
export function eventEnvelope(eventType: string, event: DeliveredEvent) {
  return {
    type: eventType,
    cursor: event.cursor,
    partition: event.partition,
    offset: event.offset,
    time: event.timestamp.toISOString(),
    key: event.key,
    data: event.data,
  };
}

// Subscribers level with the hub share one event object, so its JSON is built once for all of
// them (per event type name, since several event types may share a topic) and dropped with it.
const envelopes = new WeakMap<DeliveredEvent, Map<string, string>>();

/** The envelope's JSON text, serialised once per delivered event object and event type. */
function envelopeJson(name: string, event: DeliveredEvent): string {
  let byName = envelopes.get(event);
  if (!byName) {
    byName = new Map();
    envelopes.set(event, byName);
  }
  let text = byName.get(name);
  if (text === undefined) {
    text = JSON.stringify(eventEnvelope(name, event));
    byName.set(name, text);
  }
  return text;
}

/** `GET /v1/events/{eventType}/stream` (SSE / NDJSON); produce lives in ./produce, fetch in ./fetch. */
export function registerEventRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  metrics: Metrics,
  options: EventRoutesOptions,
): void {
  app.get<{ Params: { eventType: string }; Querystring: { after?: string; from?: string; filter?: string } }>(
    '/v1/events/:eventType/stream',
    {
      schema: {
        tags: ['events'],
        summary: 'Stream events as SSE (default) or NDJSON (Accept: application/x-ndjson), resumable by cursor',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string' },
            from: { type: 'string', enum: ['earliest', 'latest'] },
            filter: { type: 'string', maxLength: 8192 },
          },
        },
      },
    },
    async (request, reply) => {
      const { eventType: name } = request.params;
      const services = runtime.services();
      const { access } = services;
      const { principal, sourceIp } = callerOf(request);
      const { eventType, decision } = await authorizeEventType(
        access,
        services.catalog,
        principal,
        'read',
        name,
        sourceIp,
        'stream.open',
      );
      assertNotRetired(eventType, 'subscribe');
      const after = lastEventId(request) ?? request.query.after;
      const from = request.query.from === 'earliest' ? 'earliest' : 'latest';
      // Everything that can fail with a clean HTTP error happens before the stream opens.
      const matches = request.query.filter === undefined ? undefined : compileFilter(parseFilter(request.query.filter));
      // The grant's masking and row filter: one hub view per distinct grant view, shared.
      const view = await readViewFor(services.registry, eventType, decision);
      const releaseConnection = await access.quotas.openConnection(principal);
      let releaseSubscription: (() => void) | undefined;
      let opened: Subscription;
      try {
        releaseSubscription = await access.quotas.openSubscription(principal);
        opened = await services.hub.subscribe({
          topic: eventType.topic,
          start: { after, from },
          ...(view ? { view: view.view } : {}),
        });
      } catch (error) {
        releaseSubscription?.();
        releaseConnection();
        throw error;
      }
      const stream = matches ? filterStream(opened, matches) : opened;
      // Revoking the key or grant (or its expiry) ends the stream with ACCESS_REVOKED.
      const unwatch = access.track(
        principal,
        'read',
        { eventType: name, subject: eventType.subject },
        decision.viewKey,
        (error) => opened.terminate(error),
      );
      await access.record({
        actor: actorOf(principal),
        action: 'stream.open',
        resource: { kind: 'event-type', name },
        decision: 'allow',
        sourceIp,
        details: {
          transport: wantsNdjson(request) ? 'ndjson' : 'sse',
          ...(decision.viewKey ? { view: decision.viewKey } : {}),
        },
      });
      const ndjson = wantsNdjson(request);
      // Deprecated event types say so on the stream's response (merged into its writeHead).
      for (const [header, value] of Object.entries(lifecycleHeaders(eventType))) reply.raw.setHeader(header, value);
      // Observed lineage: one session now, one count per delivered event (a field increment).
      const delivered = services.lineage.subscribed(name, principal);
      reply.hijack();
      const transport = ndjson ? 'ndjson' : 'sse';
      metrics.activeStreams.inc({ transport });
      const raw = reply.raw;
      raw.on('close', () => void stream.close());
      const end = () => void stream.close();
      options.openStreams.add(end);
      try {
        // A client that stops reading is disconnected after two heartbeat intervals without progress.
        const stallTimeoutMs = 2 * options.heartbeatMs;
        if (ndjson) await pipeNdjson(raw, name, stream, metrics, stallTimeoutMs, delivered);
        else
          await pipeSse(
            new SseWriter(raw, { heartbeatMs: options.heartbeatMs, stallTimeoutMs }),
            name,
            stream,
            metrics,
            delivered,
          );
      } finally {
        delivered.release();
        unwatch();
        releaseSubscription();
        releaseConnection();
        options.openStreams.delete(end);
        metrics.activeStreams.dec({ transport });
        await stream.close();
      }
    },
  );
}

async function pipeSse(
  writer: SseWriter,
  name: string,
  stream: EventStream,
  metrics: Metrics,
  delivered: DeliveryCounter,
): Promise<void> {
  try {
    for await (const event of stream) {
      if (writer.isClosed) break;
      await writer.write({ id: event.cursor, data: envelopeJson(name, event) });
      metrics.eventsDelivered.inc({ transport: 'sse' });
      delivered.events++;
    }
  } catch (error) {
    const meshgateError = toMeshgateError(error);
    await writer.write({
      event: 'error',
      data: JSON.stringify({ code: meshgateError.code, message: meshgateError.message }),
    });
  } finally {
    writer.end();
  }
}

async function pipeNdjson(
  raw: ServerResponse,
  name: string,
  stream: EventStream,
  metrics: Metrics,
  stallTimeoutMs: number,
  delivered: DeliveryCounter,
): Promise<void> {
  const corked = { value: false };
  raw.writeHead(200, {
    'content-type': 'application/x-ndjson',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  // Sent now, not with the first event: on a quiet topic the client still sees the stream open.
  raw.flushHeaders();
  try {
    for await (const event of stream) {
      if (raw.destroyed) break;
      corkForThisTurn(raw, corked);
      if (!raw.write(`${envelopeJson(name, event)}\n`) && !(await waitForDrain(raw, stallTimeoutMs))) break;
      metrics.eventsDelivered.inc({ transport: 'ndjson' });
      delivered.events++;
    }
  } catch (error) {
    const meshgateError = toMeshgateError(error);
    raw.write(`${JSON.stringify({ error: { code: meshgateError.code, message: meshgateError.message } })}\n`);
  } finally {
    raw.end();
  }
}

/**
 * Delivers only the events a filter accepts. The cursor of each delivered event still covers
 * the skipped ones, so a resume never re-reads what was filtered out before it.
 */
function filterStream(stream: EventStream, matches: FilterPredicate): EventStream {
  async function* filtered(): AsyncGenerator<DeliveredEvent> {
    for await (const event of stream) {
      if (matches({ data: event.data, key: event.key, timestamp: event.timestamp, partition: event.partition })) {
        yield event;
      }
    }
  }
  const iterator = filtered();
  return {
    startCursor: stream.startCursor,
    [Symbol.asyncIterator]: () => iterator,
    close: () => stream.close(),
  };
}

function lastEventId(request: FastifyRequest): string | undefined {
  const value = request.headers['last-event-id'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function wantsNdjson(request: FastifyRequest): boolean {
  return /application\/x-ndjson/i.test(request.headers.accept ?? '');
}
