import type { ChangeFeed, Queryable } from '@meshgate/db';
import { PING_EVENT } from './webhook-events';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature';

/** Options for {@link WebhookDispatcher}; the README's configuration table names the variables. */
export interface WebhookDispatcherOptions {
  /** Runs the claim and outcome statements (a pg pool). */
  db: Queryable;
  /** Wakes the dispatcher when a change enqueued deliveries (topic `webhooks`), here or on another instance. */
  changes?: ChangeFeed;
  /** Attempts before a delivery is `failed`; default 8 (MESHGATE_WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Delay before the first retry, doubled each time; default 5000 ms (MESHGATE_WEBHOOK_BACKOFF_MS). */
  backoffMs?: number;
  /** Longest delay between two attempts; default 1 h (MESHGATE_WEBHOOK_MAX_BACKOFF_MS). */
  maxBackoffMs?: number;
  /** How long a receiver has to answer; default 10 000 ms (MESHGATE_WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Deliveries in flight at once on this instance; default 8. */
  concurrency?: number;
  /** Longest sleep between two looks for due deliveries (retries scheduled by other instances); default 10 000 ms. */
  pollMs?: number;
  /** The HTTP client; default the global fetch. */
  fetch?: typeof fetch;
  onLog?: (level: 'warn' | 'error' | 'debug', message: string, extra?: Record<string, unknown>) => void;
}

/** The outcome of one attempt. */
export interface WebhookAttemptOutcome {
  deliveryId: string;
  attempt: number;
  /** `delivered`, `pending` (a retry is scheduled) or `failed` (gave up). */
  status: 'delivered' | 'pending' | 'failed';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** A claimed delivery, with what is needed to send it. */
interface Claimed {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
}

/** The longest part of a receiver's answer kept in the delivery log. */
const RESPONSE_EXCERPT_BYTES = 200;
const USER_AGENT = 'Meshgate-Webhooks/1';

// One statement claims due deliveries: rows another instance holds are skipped (SKIP LOCKED),
// and the claim is a lease — next_attempt_at moves past the send timeout, so a delivery whose
// instance died is taken again once the lease runs out. Inactive webhooks' deliveries wait.
const CLAIM_DUE_SQL = `
WITH due AS (
  SELECT d."id" FROM "catalog_webhook_deliveries" d
  JOIN "catalog_webhooks" w ON w."id" = d."webhook_id" AND w."active"
  WHERE d."status" = 'pending' AND d."next_attempt_at" <= CURRENT_TIMESTAMP
  ORDER BY d."next_attempt_at"
  LIMIT $1::int
  FOR UPDATE OF d SKIP LOCKED
)
UPDATE "catalog_webhook_deliveries" d
SET "attempts" = d."attempts" + 1,
    "next_attempt_at" = CURRENT_TIMESTAMP + make_interval(secs => $2::double precision / 1000)
FROM due, "catalog_webhooks" w
WHERE d."id" = due."id" AND w."id" = d."webhook_id"
RETURNING d."id", d."webhook_id", d."event", d."payload"::text AS "body", d."attempts", w."url", w."secret"`;

const CLAIM_ONE_SQL = `
WITH one AS (
  SELECT d."id" FROM "catalog_webhook_deliveries" d
  WHERE d."id" = $1::uuid AND d."status" = 'pending'
  FOR UPDATE OF d SKIP LOCKED
)
UPDATE "catalog_webhook_deliveries" d
SET "attempts" = d."attempts" + 1,
    "next_attempt_at" = CASE WHEN d."next_attempt_at" IS NULL THEN NULL
                             ELSE CURRENT_TIMESTAMP + make_interval(secs => $2::double precision / 1000) END
FROM one, "catalog_webhooks" w
WHERE d."id" = one."id" AND w."id" = d."webhook_id"
RETURNING d."id", d."webhook_id", d."event", d."payload"::text AS "body", d."attempts", w."url", w."secret"`;

// The attempt is logged whatever happens; the delivery is updated only while this instance
// still holds the claim (same attempt number, still pending).
const RECORD_SQL = `
WITH logged AS (
  INSERT INTO "catalog_webhook_attempts" ("delivery_id", "attempt", "status_code", "error", "duration_ms")
  VALUES ($1::uuid, $2::int, $3::int, $4::text, $5::int)
)
UPDATE "catalog_webhook_deliveries" SET
  "status" = $6::text,
  "last_status_code" = $3::int,
  "last_error" = $4::text,
  "next_attempt_at" = CASE WHEN $6::text = 'pending'
                           THEN CURRENT_TIMESTAMP + make_interval(secs => $7::double precision / 1000) END,
  "delivered_at" = CASE WHEN $6::text = 'delivered' THEN CURRENT_TIMESTAMP END
WHERE "id" = $1::uuid AND "attempts" = $2::int AND "status" = 'pending'`;

// NULL when nothing is pending. (Not GREATEST(0, …): GREATEST ignores NULLs, and the 0 it then
// returned had the dispatcher poll without pause while no delivery was pending.)
const NEXT_DUE_SQL = `
SELECT (EXTRACT(EPOCH FROM (min(d."next_attempt_at") - CURRENT_TIMESTAMP)) * 1000)::float8 AS "ms"
FROM "catalog_webhook_deliveries" d
JOIN "catalog_webhooks" w ON w."id" = d."webhook_id" AND w."active"
WHERE d."status" = 'pending' AND d."next_attempt_at" IS NOT NULL`;

/**
 * Sends webhook deliveries: POSTs the stored JSON body signed with the webhook's secret
 * (`Meshgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), retries
 * non-2xx answers, network errors and timeouts with exponential backoff and jitter, and gives
 * up (`failed`) after `maxAttempts`. Every attempt is logged. Several instances share the work:
 * each claims due deliveries with `FOR UPDATE SKIP LOCKED` as a lease, so a delivery is sent by
 * one instance at a time, and one whose instance died is taken again when its lease expires.
 * Delivery is at least once: receivers deduplicate on `Meshgate-Delivery-Id`.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private started = false;
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private get maxAttempts(): number {
    return this.options.maxAttempts ?? 8;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 10_000;
  }

  /** How long a claim lasts: past the send timeout, so only a dead instance's claim expires. */
  private get leaseMs(): number {
    return this.timeoutMs + 30_000;
  }

  /** Starts following the change feed and sends what is already due. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.unsubscribe = this.options.changes?.on('webhooks', () => this.wake());
    this.wake();
  }

  /** Looks for due deliveries now. */
  wake(): void {
    if (!this.started || this.closed) return;
    void this.pump();
  }

  /** Stops claiming; waits for the deliveries in flight (each bounded by the timeout). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Sends one pending delivery now, whatever its due time (the ping route): resolves with the
   * outcome, or undefined when it is not pending or another instance holds it. Pings are not retried.
   */
  async deliverNow(deliveryId: string): Promise<WebhookAttemptOutcome | undefined> {
    const result = (await this.options.db.query(CLAIM_ONE_SQL, [deliveryId, this.leaseMs])) as { rows: Claimed[] };
    const claimed = result.rows[0];
    return claimed ? this.send(claimed) : undefined;
  }

  /** The delay before attempt `attempt + 1`: exponential, capped, with jitter (between half and all of it). */
  backoffMs(attempt: number): number {
    const base = this.options.backoffMs ?? 5000;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 3_600_000, base * 2 ** Math.min(attempt - 1, 30));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    clearTimeout(this.timer);
    let delay = this.options.pollMs ?? 10_000;
    try {
      do {
        this.again = false;
        const room = (this.options.concurrency ?? 8) - this.inFlight.size;
        if (room <= 0 || this.closed) break; // a finishing send wakes the pump again
        const result = (await this.options.db.query(CLAIM_DUE_SQL, [room, this.leaseMs])) as { rows: Claimed[] };
        for (const claimed of result.rows) this.track(claimed);
        if (result.rows.length === room) this.again = true;
      } while (this.again && !this.closed);
      const next = (await this.options.db.query(NEXT_DUE_SQL)) as { rows: Array<{ ms: number | null }> };
      const ms = next.rows[0]?.ms;
      if (ms !== null && ms !== undefined) delay = Math.min(delay, Math.max(0, Math.ceil(ms)));
    } catch (error) {
      this.options.onLog?.('warn', `webhook dispatcher: ${(error as Error).message}; retrying in ${delay} ms`);
    } finally {
      this.pumping = false;
    }
    if (this.closed) return;
    if (this.again) {
      void this.pump();
      return;
    }
    this.timer = setTimeout(() => void this.pump(), delay);
    this.timer.unref();
  }

  private track(claimed: Claimed): void {
    const sending: Promise<void> = this.send(claimed)
      .then(
        () => undefined,
        (error: unknown) =>
          this.options.onLog?.('error', `webhook delivery ${claimed.id} could not be recorded`, { err: error }),
      )
      .finally(() => {
        this.inFlight.delete(sending);
        this.wake();
      });
    this.inFlight.add(sending);
  }

  private async send(claimed: Claimed): Promise<WebhookAttemptOutcome> {
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await this.fetch(claimed.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'meshgate-webhook-id': claimed.webhook_id,
          'meshgate-delivery-id': claimed.id,
          'meshgate-event': claimed.event,
          'meshgate-attempt': String(claimed.attempts),
          [SIGNATURE_HEADER.toLowerCase()]: signWebhookBody(claimed.secret, claimed.body, timestamp),
        },
        body: claimed.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      statusCode = response.status;
      const excerpt = await readExcerpt(response);
      if (statusCode < 200 || statusCode > 299) {
        error = `HTTP ${statusCode}${excerpt ? `: ${excerpt}` : ''}`;
      }
    } catch (caught) {
      error = describeFailure(caught, this.timeoutMs);
    }
    const durationMs = Math.round(performance.now() - started);
    const final = claimed.event === PING_EVENT || claimed.attempts >= this.maxAttempts;
    const status = error === null ? 'delivered' : final ? 'failed' : 'pending';
    const retryInMs = status === 'pending' ? this.backoffMs(claimed.attempts) : 0;
    await this.options.db.query(RECORD_SQL, [
      claimed.id,
      claimed.attempts,
      statusCode,
      error,
      durationMs,
      status,
      retryInMs,
    ]);
    if (error !== null) {
      this.options.onLog?.('debug', 'webhook attempt failed', {
        delivery: claimed.id,
        attempt: claimed.attempts,
        status,
        error,
      });
    }
    return { deliveryId: claimed.id, attempt: claimed.attempts, status, statusCode, error, durationMs };
  }
}

/** The start of a receiver's answer (for the log), read within the timeout and then dropped. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // the answer's status is what counts; a broken body only loses the excerpt
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, RESPONSE_EXCERPT_BYTES)).trim();
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') return `${error.message}: ${cause.code}`;
    if (cause && typeof cause.message === 'string') return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}
