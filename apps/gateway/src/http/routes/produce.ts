import { availableParallelism } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InputError } from '@meshgate/core';
import type { Metrics } from '../../metrics';
import { compileFilter, formatFilter, MeshgateError } from '@meshgate/core';
import type { Decision } from '@meshgate/policy';
import { actorOf } from '../../auth/access-control';
import { authorizeEventType, callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { ProduceIdempotency } from '../../services/produce-idempotency';
import { NdjsonCheckPool, type NdjsonCheckPoolOptions } from '../../services/ndjson-check-pool';
import { NdjsonBatch, produceEvents, type EventInput } from '../../services/produce-events';
import { parseNdjson } from '../../services/produce-ndjson';
import { toMeshgateError } from '../errors';
import { lifecycleHeaders } from '../lifecycle-headers';

/** Media type of the envelope batch form: `{"events":[{"key":…,"headers":{…},"data":…}]}`. */
export const BATCH_MEDIA_TYPE = 'application/vnd.meshgate.batch+json';
/** Media type of the NDJSON batch form: one JSON event per line. */
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

/** Options for the produce route. */
export interface ProduceRoutesOptions {
  /** Most events per request; default 1000. */
  maxBatchEvents?: number;
  /** How long idempotency keys are remembered; default 24 h. */
  idempotencyTtlMs?: number;
  /**
   * Worker threads that parse and validate large NDJSON batches; 0 parses every body on the
   * main thread. Default: 1 when the machine has more than one CPU, else 0.
   */
  threads?: number;
  /** The gateway's Kafka settings, with which the workers append the batches they checked (see NdjsonCheckPool). */
  kafka?: NdjsonCheckPoolOptions['kafka'];
}

/**
 * NDJSON bodies from this size on are parsed and validated on a worker thread (when there is
 * one): below it, handing a body over costs about what parsing it on the main thread would.
 */
const OFF_THREAD_MIN_BYTES = 8192;

/** The default of {@link ProduceRoutesOptions.threads}. */
function defaultProduceThreads(): number {
  return availableParallelism() > 1 ? 1 : 0;
}

const HEADER_PREFIX = 'meshgate-header-';

const envelopeSchema = z
  .object({
    events: z.array(
      z
        .object({
          key: z.string().nullable().optional(),
          headers: z
            .record(
              z
                .string()
                .min(1)
                .max(255)
                .refine((name) => !hasControlCharacter(name), 'header names have no control characters'),
              z.string(),
            )
            .optional(),
          data: z.unknown(),
        })
        .strict()
        .refine((item) => item.data !== undefined, { message: 'each event needs "data"', path: ['data'] }),
    ),
  })
  .strict();

/**
 * `POST /v1/events/{eventType}`: one event (`application/json`), or a batch as NDJSON, as a JSON
 * array with `Meshgate-Batch: true`, or in the envelope form ({@link BATCH_MEDIA_TYPE}). Every
 * event is validated (latest schema or `?schemaVersion=N`) and a batch is appended all or nothing.
 */
export async function registerProduceRoutes(
  app: FastifyInstance,
  runtime: Runtime,
  metrics: Metrics,
  options: ProduceRoutesOptions = {},
): Promise<void> {
  const idempotency = new ProduceIdempotency({
    ...(options.idempotencyTtlMs !== undefined ? { ttlMs: options.idempotencyTtlMs } : {}),
    onSweepError: (error) => app.log.warn({ err: error }, 'sweeping expired idempotency keys failed'),
  });
  const checks = new NdjsonCheckPool({
    threads: options.threads ?? defaultProduceThreads(),
    onCheck: (thread) => metrics.ndjsonChecks.inc({ thread }),
    kafka: options.kafka,
  });
  app.addHook('onClose', () => checks.close());
  // The batch parsers are scoped to this route; the rest of the API keeps JSON only.
  await app.register(async (scope) => {
    // The raw bytes, parsed once the handler knows where (this thread or a worker): each line's
    // bytes can then become its record value as is.
    scope.addContentTypeParser(NDJSON_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
    scope.addContentTypeParser(BATCH_MEDIA_TYPE, { parseAs: 'string' }, scope.getDefaultJsonParser('error', 'error'));

    scope.post<{
      Params: { eventType: string };
      Querystring: { schemaVersion?: string };
      Body: unknown;
    }>(
      '/v1/events/:eventType',
      {
        schema: {
          tags: ['events'],
          summary: 'Produce one JSON event or an all-or-nothing batch, validated against the schema',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              schemaVersion: {
                type: 'string',
                pattern: '^(latest|[1-9][0-9]{0,8})$',
                description:
                  "Validate against this version of the subject; default the event type's pinned version (schemaVersion in the catalog), else latest.",
              },
            },
          },
          headers: {
            type: 'object',
            properties: {
              'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 },
              'meshgate-batch': { type: 'string', enum: ['true', 'false'] },
              'meshgate-key': { type: 'string' },
            },
          },
        },
      },
      async (request, reply) => {
        const eventType = request.params.eventType;
        const services = runtime.services();
        const { principal, sourceIp } = callerOf(request);
        const { decision, eventType: entry } = await authorizeEventType(
          services.access,
          services.catalog,
          principal,
          'produce',
          eventType,
          sourceIp,
          'event.produce',
        );
        const idempotencyKey = request.headers['idempotency-key'];
        // A row filter and an idempotency fingerprint need the parsed events on this thread.
        const offThread = checks.threads > 0 && !decision.rowFilter && idempotencyKey === undefined;
        const { events, single } = readEvents(request, offThread);
        const count = events instanceof NdjsonBatch ? events.count : events.length;
        if (!(events instanceof NdjsonBatch)) assertRowFilter(decision, events);
        await services.access.quotas.admitProduce(principal, count);
        const version = request.query.schemaVersion;
        try {
          const outcome = await produceEvents(
            { ...services, ndjsonChecks: checks },
            {
              eventType,
              events,
              single,
              schemaVersion: version === undefined || version === 'latest' ? version : Number(version),
              idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
            },
            {
              idempotency,
              ...(options.maxBatchEvents !== undefined ? { maxBatchEvents: options.maxBatchEvents } : {}),
            },
          );
          if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
          else {
            metrics.eventsProduced.inc({ event_type: eventType }, count);
            services.lineage.produced(eventType, principal, count);
          }
          for (const [header, value] of Object.entries(lifecycleHeaders(entry))) void reply.header(header, value);
          // Not awaited: the audit log writes its entries in batches every 20 ms, which every
          // produce would otherwise wait for (single events: 265 instead of ~1 700 requests/s).
          // Waiting would not make the log any more complete: the events are appended already,
          // and record() never fails (a failed write is logged).
          void services.access.record({
            actor: actorOf(principal),
            action: 'event.produce',
            resource: { kind: 'event-type', name: eventType },
            decision: 'allow',
            sourceIp,
            details: { events: count, ...(outcome.replayed ? { replayed: true } : {}) },
          });
          return reply.status(202).send(outcome.response);
        } catch (error) {
          const rejected = toMeshgateError(error);
          // Unknown names are not counted: they would make the label set unbounded.
          if (rejected.status < 500 && rejected.code !== 'EVENT_TYPE_NOT_FOUND') {
            metrics.eventsRejected.inc({ event_type: eventType, code: rejected.code }, count);
          }
          throw error;
        }
      },
    );
  });
}

/**
 * A producer whose grant has a row filter may only produce events that match it: the whole
 * request is refused (FORBIDDEN, naming the first event that does not match), nothing appended.
 */
function assertRowFilter(decision: Decision, events: readonly EventInput[]): void {
  if (!decision.rowFilter) return;
  const matches = compileFilter(decision.rowFilter);
  const now = new Date();
  const index = events.findIndex(
    (event) => !matches({ data: event.data, key: event.key ?? null, timestamp: now, partition: 0 }),
  );
  if (index !== -1) {
    throw new MeshgateError(
      'FORBIDDEN',
      `Event ${index} is outside what your grant allows you to produce (${formatFilter(decision.rowFilter)}); nothing was appended.`,
      { details: { index } },
    );
  }
}

/**
 * Turns the body into events, by content type; request-level key and headers are defaults. A
 * large NDJSON body stays in its bytes, for a worker to parse, when `offThread` allows it.
 */
function readEvents(
  request: FastifyRequest,
  offThread: boolean,
): { events: EventInput[] | NdjsonBatch; single: boolean } {
  const contentType = request.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  const defaults = requestDefaults(request);
  const withDefaults = (data: unknown): EventInput => ({ data, ...defaults });
  if (mediaType === NDJSON_MEDIA_TYPE) {
    const body = request.body as Buffer;
    if (offThread && body.length >= OFF_THREAD_MIN_BYTES) {
      return { events: new NdjsonBatch(body, defaults.key, defaults.headers), single: false };
    }
    const parsed = parseNdjson(body);
    const events =
      defaults.key === undefined && !defaults.headers ? parsed : parsed.map((e) => ({ ...e, ...defaults }));
    return { events, single: false };
  }
  if (mediaType === BATCH_MEDIA_TYPE) {
    const parsed = envelopeSchema.safeParse(request.body);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({
        ...(issue.path[0] === 'events' && typeof issue.path[1] === 'number' ? { index: issue.path[1] } : {}),
        path: `/${issue.path.map(String).join('/')}`,
        rule: issue.code,
        message: issue.message,
      }));
      throw new InputError(
        `The batch envelope is malformed: ${errors[0]?.path ?? '/'} ${errors[0]?.message ?? ''}`.trim(),
        {
          details: { errors },
        },
      );
    }
    const events = parsed.data.events.map((item) => ({
      data: item.data,
      key: item.key === undefined ? defaults.key : item.key,
      headers: { ...defaults.headers, ...item.headers },
    }));
    return { events, single: false };
  }
  if (mediaType === 'application/json') {
    if (request.headers['meshgate-batch'] !== 'true') return { events: [withDefaults(request.body)], single: true };
    if (!Array.isArray(request.body)) {
      throw new InputError('With Meshgate-Batch: true the body must be a JSON array of events.');
    }
    return { events: request.body.map(withDefaults), single: false };
  }
  throw new InputError(
    `Send events as application/json, ${NDJSON_MEDIA_TYPE} or ${BATCH_MEDIA_TYPE} (got '${contentType || 'no content type'}').`,
    { code: 'UNSUPPORTED_MEDIA_TYPE' },
  );
}

/** The request-level record key (`Meshgate-Key`) and headers (`Meshgate-Header-<name>`). */
function requestDefaults(request: FastifyRequest): { key?: string; headers?: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith(HEADER_PREFIX) || value === undefined) continue;
    const recordHeader = name.slice(HEADER_PREFIX.length);
    if (!recordHeader) throw new InputError(`A header named '${HEADER_PREFIX}' needs a name after the prefix.`);
    headers[recordHeader] = Array.isArray(value) ? value.join(', ') : value;
  }
  const key = request.headers['meshgate-key'];
  return {
    ...(typeof key === 'string' ? { key } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
