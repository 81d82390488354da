import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebhookDeliveryView, WebhookPatch, WebhookView } from '@meshgate/catalog';
import { unauthenticated, type Principal } from '@meshgate/policy';
import type { Runtime } from '../../runtime';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, description: 'The webhook id (a UUID).' } },
} as const;

const eventsSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: { type: 'string', minLength: 1, maxLength: 64 },
  description:
    'Which catalog changes to receive, as `entityKind.action` patterns: `*` (default), `event-type.*`, `*.deleted`, `schema.registered`… Entity kinds: domain, service, event-type, schema; actions: created, updated, deleted, lifecycle, registered.',
} as const;

const webhookSchema = {
  type: 'object',
  required: ['id', 'url', 'description', 'events', 'active', 'createdAt', 'createdBy', 'deliveries'],
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    description: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    active: { type: 'boolean', description: 'Inactive webhooks receive nothing; their queued deliveries wait.' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] },
    deliveries: {
      type: 'object',
      description: 'Its deliveries by status.',
      required: ['pending', 'delivered', 'failed'],
      properties: { pending: { type: 'integer' }, delivered: { type: 'integer' }, failed: { type: 'integer' } },
    },
  },
} as const;

const deliverySchema = {
  type: 'object',
  required: [
    'id',
    'event',
    'changeId',
    'status',
    'attempts',
    'nextAttemptAt',
    'lastStatusCode',
    'lastError',
    'createdAt',
    'deliveredAt',
    'payload',
    'log',
  ],
  properties: {
    id: { type: 'string', description: 'Also the `Meshgate-Delivery-Id` header and the body’s `id`.' },
    event: { type: 'string', description: '`entityKind.action`, or `ping`.' },
    changeId: { type: ['string', 'null'], description: 'The catalog change delivered (null for pings).' },
    status: {
      type: 'string',
      enum: ['pending', 'delivered', 'failed'],
      description: '`pending`: queued or waiting for a retry; `failed`: gave up after the last attempt.',
    },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
    payload: { type: 'object', additionalProperties: true, description: 'The JSON body sent.' },
    log: {
      type: 'array',
      description: 'Every attempt, oldest first.',
      items: {
        type: 'object',
        required: ['attempt', 'at', 'statusCode', 'error', 'durationMs'],
        properties: {
          attempt: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          statusCode: { type: ['integer', 'null'], description: 'Null when the receiver did not answer.' },
          error: { type: ['string', 'null'] },
          durationMs: { type: 'integer' },
        },
      },
    },
  },
} as const;

function webhookJson(webhook: WebhookView) {
  return { ...webhook, createdAt: webhook.createdAt.toISOString() };
}

function deliveryJson(delivery: WebhookDeliveryView) {
  return {
    ...delivery,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    log: delivery.log.map((attempt) => ({ ...attempt, at: attempt.at.toISOString() })),
  };
}

/**
 * Webhooks on catalog changes (administrators only): `POST|GET /v1/catalog/webhooks`,
 * `GET|PATCH|DELETE /v1/catalog/webhooks/{id}`, `GET /v1/catalog/webhooks/{id}/deliveries`,
 * `POST /v1/catalog/webhooks/{id}/ping`.
 */
export function registerWebhookRoutes(app: FastifyInstance, runtime: Runtime): void {
  const access = () => runtime.services().access;

  /** The administrator calling, or UNAUTHENTICATED / FORBIDDEN (audited as `what`). */
  const requireAdmin = async (request: FastifyRequest, what: string): Promise<Principal> => {
    // GET /v1/catalog/** may be public (MESHGATE_PUBLIC_CATALOG); webhooks never are.
    const principal = request.principal;
    if (!principal) throw unauthenticated('Webhooks need an administrator’s credentials.');
    await access().require(principal, 'admin', {}, { sourceIp: request.ip }, what);
    return principal;
  };

  app.post<{ Body: { url: string; description?: string; events?: string[] } }>(
    '/v1/catalog/webhooks',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create a webhook on catalog changes (administrators); the secret is shown once',
        description:
          'Each catalog change matching `events` is POSTed to `url` as signed JSON; see the README ("Webhooks") for the body, headers and signature check.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2048, description: 'An http(s) URL.' },
            description: { type: 'string', maxLength: 500 },
            events: eventsSchema,
          },
        },
        response: {
          201: {
            ...webhookSchema,
            required: [...webhookSchema.required, 'secret'],
            properties: {
              ...webhookSchema.properties,
              secret: {
                type: 'string',
                description: 'The HMAC-SHA256 key of `Meshgate-Signature`. Shown only now: store it.',
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = await requireAdmin(request, 'webhook.create');
      const { webhook, secret } = await runtime.services().webhooks.create(request.body, principal.name);
      await access().recordAllowed(
        { principal, sourceIp: request.ip },
        'webhook.create',
        { kind: 'webhook', name: webhook.id },
        { url: webhook.url, events: webhook.events },
      );
      return reply.status(201).send({ ...webhookJson(webhook), secret });
    },
  );

  app.get(
    '/v1/catalog/webhooks',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List webhooks (administrators)',
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: webhookSchema } } },
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'webhook.list');
      return { items: (await runtime.services().webhooks.list()).map(webhookJson) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/catalog/webhooks/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'One webhook (administrators)',
        params: idParams,
        response: { 200: webhookSchema },
      },
    },
    async (request) => {
      await requireAdmin(request, 'webhook.read');
      return webhookJson(await runtime.services().webhooks.get(request.params.id));
    },
  );

  app.patch<{ Params: { id: string }; Body: WebhookPatch }>(
    '/v1/catalog/webhooks/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Change a webhook: url, description, events, active (administrators)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2048 },
            description: { type: 'string', maxLength: 500 },
            events: eventsSchema,
            active: {
              type: 'boolean',
              description: 'false pauses it: queued deliveries wait, new changes are not queued for it.',
            },
          },
        },
        response: { 200: webhookSchema },
      },
    },
    async (request) => {
      const principal = await requireAdmin(request, 'webhook.update');
      const webhook = await runtime.services().webhooks.update(request.params.id, request.body);
      await access().recordAllowed(
        { principal, sourceIp: request.ip },
        'webhook.update',
        { kind: 'webhook', name: webhook.id },
        { changed: Object.keys(request.body) },
      );
      return webhookJson(webhook);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/catalog/webhooks/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Delete a webhook and its delivery log (administrators)',
        params: idParams,
        response: { 200: webhookSchema },
      },
    },
    async (request) => {
      const principal = await requireAdmin(request, 'webhook.delete');
      const webhook = await runtime.services().webhooks.delete(request.params.id);
      await access().recordAllowed(
        { principal, sourceIp: request.ip },
        'webhook.delete',
        { kind: 'webhook', name: webhook.id },
        { url: webhook.url },
      );
      return webhookJson(webhook);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { status?: 'pending' | 'delivered' | 'failed'; limit?: string } }>(
    '/v1/catalog/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['catalog'],
        summary: "A webhook's deliveries with every attempt, newest first (administrators)",
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
            limit: {
              type: 'string',
              pattern: '^([1-9][0-9]{0,2}|1000)$',
              description: 'Most deliveries returned, 1–1000; default 50.',
            },
          },
        },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: deliverySchema } } },
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'webhook.read');
      const { status, limit } = request.query;
      const items = await runtime.services().webhooks.deliveries(request.params.id, {
        status,
        limit: limit === undefined ? undefined : Number(limit),
      });
      return { items: items.map(deliveryJson) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/catalog/webhooks/:id/ping',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Send a signed test delivery (event `ping`) now and answer with its outcome (administrators)',
        description: 'One attempt, not retried; it appears in the delivery log. Works for inactive webhooks too.',
        params: idParams,
        response: { 200: deliverySchema },
      },
    },
    async (request) => {
      const principal = await requireAdmin(request, 'webhook.ping');
      const { webhooks, webhookDispatcher } = runtime.services();
      const deliveryId = await webhooks.createPing(request.params.id);
      await webhookDispatcher.deliverNow(deliveryId);
      await access().recordAllowed({ principal, sourceIp: request.ip }, 'webhook.ping', {
        kind: 'webhook',
        name: request.params.id,
      });
      return deliveryJson(await webhooks.delivery(request.params.id, deliveryId));
    },
  );
}
