import { randomUUID } from 'node:crypto';
import { InputError, NotFoundError, isUuid } from '@meshgate/core';
import type { PrismaClient } from '@meshgate/db';
import { ALL_EVENTS, PING_EVENT, parseWebhookEvents } from './webhook-events';
import { newWebhookSecret } from './webhook-signature';

/** A webhook as the API shows it (never with its secret, which is shown once at creation). */
export interface WebhookView {
  id: string;
  url: string;
  description: string;
  /** Patterns of the changes it receives (`*`, `event-type.*`, `schema.registered`, …). */
  events: string[];
  /** Inactive webhooks receive nothing; deliveries already queued wait until it is active again. */
  active: boolean;
  createdAt: Date;
  /** Who created it (audit actor name). */
  createdBy: string | null;
  /** Its deliveries by status. */
  deliveries: { pending: number; delivered: number; failed: number };
}

/** The body of `POST /v1/catalog/webhooks`. */
export interface WebhookInput {
  url: string;
  description?: string | undefined;
  events?: string[] | undefined;
}

/** The body of `PATCH /v1/catalog/webhooks/{id}`. */
export interface WebhookPatch {
  url?: string | undefined;
  description?: string | undefined;
  events?: string[] | undefined;
  active?: boolean | undefined;
}

/** One attempt of a delivery. */
export interface WebhookAttemptView {
  attempt: number;
  at: Date;
  /** The receiver's HTTP status; null when it did not answer (network error, timeout). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** A delivery with its log. */
export interface WebhookDeliveryView {
  id: string;
  event: string;
  /** The catalog change delivered (null for pings). */
  changeId: string | null;
  /** `pending` (queued or waiting for a retry), `delivered` or `failed` (gave up). */
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  /** The JSON body sent. */
  payload: unknown;
  log: WebhookAttemptView[];
}

/** Filters of {@link WebhookStore.deliveries}. */
export interface DeliveryQuery {
  status?: 'pending' | 'delivered' | 'failed' | undefined;
  /** Most deliveries, newest first; default 50. */
  limit?: number | undefined;
}

const MAX_URL_LENGTH = 2048;

/** Throws INVALID_REQUEST unless `url` is an absolute http(s) URL. */
export function assertWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`url '${url}' is not an absolute URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InputError(`url must use http or https (got '${parsed.protocol}').`);
  }
  if (url.length > MAX_URL_LENGTH) throw new InputError(`url is longer than ${MAX_URL_LENGTH} characters.`);
}

function notFound(id: string): NotFoundError {
  return new NotFoundError('WEBHOOK_NOT_FOUND', `Webhook '${id}' not found.`);
}

type WebhookRow = Awaited<ReturnType<PrismaClient['webhook']['findMany']>>[number];
type DeliveryRow = Awaited<ReturnType<PrismaClient['webhookDelivery']['findMany']>>[number] & {
  log: Awaited<ReturnType<PrismaClient['webhookAttempt']['findMany']>>;
};

function toDeliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    event: row.event,
    changeId: row.changeId === null ? null : row.changeId.toString(),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
    payload: row.payload,
    log: row.log.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    })),
  };
}

/**
 * Webhooks and their delivery log, in PostgreSQL. Deliveries are enqueued by a trigger on
 * `catalog_changes` (migration `catalog_webhook_delivery`) and sent by the WebhookDispatcher.
 */
export class WebhookStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates a webhook; the secret is returned here and never again. */
  async create(input: WebhookInput, createdBy?: string): Promise<{ webhook: WebhookView; secret: string }> {
    assertWebhookUrl(input.url);
    const events = parseWebhookEvents(input.events ?? [...ALL_EVENTS]);
    const secret = newWebhookSecret();
    const row = await this.prisma.webhook.create({
      data: {
        url: input.url,
        description: input.description ?? '',
        events,
        secret,
        createdBy: createdBy ?? null,
      },
    });
    return { webhook: this.view(row, new Map()), secret };
  }

  /** Every webhook, oldest first. */
  async list(): Promise<WebhookView[]> {
    const rows = await this.prisma.webhook.findMany({ orderBy: { createdAt: 'asc' } });
    const counts = await this.counts(rows.map((row) => row.id));
    return rows.map((row) => this.view(row, counts));
  }

  /** One webhook; throws WEBHOOK_NOT_FOUND. */
  async get(id: string): Promise<WebhookView> {
    const row = await this.row(id);
    return this.view(row, await this.counts([row.id]));
  }

  /** Changes url, description, events or active; throws WEBHOOK_NOT_FOUND. */
  async update(id: string, patch: WebhookPatch): Promise<WebhookView> {
    if (patch.url !== undefined) assertWebhookUrl(patch.url);
    const events = patch.events === undefined ? undefined : parseWebhookEvents(patch.events);
    await this.row(id);
    const row = await this.prisma.webhook.update({
      where: { id },
      data: {
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(events !== undefined ? { events } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      },
    });
    return this.view(row, await this.counts([row.id]));
  }

  /** Deletes a webhook and its deliveries; throws WEBHOOK_NOT_FOUND. */
  async delete(id: string): Promise<WebhookView> {
    const existing = await this.get(id);
    await this.prisma.webhook.delete({ where: { id } });
    return existing;
  }

  /** A webhook's deliveries with their attempts, newest first; throws WEBHOOK_NOT_FOUND. */
  async deliveries(id: string, query: DeliveryQuery = {}): Promise<WebhookDeliveryView[]> {
    await this.row(id);
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { webhookId: id, ...(query.status ? { status: query.status } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit ?? 50,
      include: { log: { orderBy: { attempt: 'asc' } } },
    });
    return rows.map(toDeliveryView);
  }

  /**
   * Queues a test delivery (event `ping`) for the dispatcher to send at once; it is not
   * retried. Works for inactive webhooks too. Returns the delivery id.
   */
  async createPing(id: string): Promise<string> {
    const webhook = await this.row(id);
    const deliveryId = randomUUID();
    await this.prisma.webhookDelivery.create({
      data: {
        id: deliveryId,
        webhookId: webhook.id,
        event: PING_EVENT,
        payload: {
          id: deliveryId,
          event: PING_EVENT,
          at: new Date().toISOString(),
          webhook: { id: webhook.id, url: webhook.url, events: webhook.events },
        },
        // No due time: the dispatchers' loop never claims it; the ping route sends it now.
        nextAttemptAt: null,
      },
    });
    return deliveryId;
  }

  /** One delivery of a webhook with its log; throws WEBHOOK_NOT_FOUND. */
  async delivery(webhookId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const row = isUuid(deliveryId)
      ? await this.prisma.webhookDelivery.findFirst({
          where: { id: deliveryId, webhookId },
          include: { log: { orderBy: { attempt: 'asc' } } },
        })
      : null;
    if (!row) {
      throw new NotFoundError('WEBHOOK_NOT_FOUND', `Delivery '${deliveryId}' of webhook '${webhookId}' not found.`);
    }
    return toDeliveryView(row);
  }

  private async row(id: string): Promise<WebhookRow> {
    if (!isUuid(id)) throw notFound(id);
    const row = await this.prisma.webhook.findUnique({ where: { id } });
    if (!row) throw notFound(id);
    return row;
  }

  private async counts(ids: string[]): Promise<Map<string, WebhookView['deliveries']>> {
    const counts = new Map<string, WebhookView['deliveries']>();
    if (ids.length === 0) return counts;
    const groups = await this.prisma.webhookDelivery.groupBy({
      by: ['webhookId', 'status'],
      where: { webhookId: { in: ids } },
      _count: { _all: true },
    });
    for (const group of groups) {
      let entry = counts.get(group.webhookId);
      if (!entry) {
        entry = { pending: 0, delivered: 0, failed: 0 };
        counts.set(group.webhookId, entry);
      }
      if (group.status === 'pending' || group.status === 'delivered' || group.status === 'failed') {
        entry[group.status] = group._count._all;
      }
    }
    return counts;
  }

  private view(row: WebhookRow, counts: Map<string, WebhookView['deliveries']>): WebhookView {
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      events: row.events,
      active: row.active,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      deliveries: counts.get(row.id) ?? { pending: 0, delivered: 0, failed: 0 },
    };
  }
}
