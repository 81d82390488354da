import { MeshgateError } from '@meshgate/core';
import { Prisma, type PrismaClient } from '@meshgate/db';

/** Options for {@link ProduceIdempotency}. */
export interface ProduceIdempotencyOptions {
  /** How long an idempotency key is remembered; default 24 h. */
  ttlMs?: number;
  /** Least time between two sweeps of expired keys by this instance; default 60 s. */
  sweepIntervalMs?: number;
  /** Called when a background sweep fails (it is retried on a later request). */
  onSweepError?: (error: unknown) => void;
}

/** Identifies one idempotent request: the key is scoped to the event type. */
export interface IdempotencyScope {
  eventType: string;
  key: string;
  /** Fingerprint of the request; the same key with another fingerprint is refused. */
  requestHash: string;
}

const SWEEP_BATCH = 10_000;

/**
 * Runs a produce step at most once per (event type, idempotency key) and remembers its answer
 * in PostgreSQL (`produce_idempotency_keys`) for a while.
 *
 * Concurrent retries: the step runs inside a transaction holding an advisory lock on the key,
 * so a second request with the same key waits for the first to commit and then replays its
 * answer instead of appending again. Only accepted requests are remembered; a rejected one may
 * be retried with the same key. If the append succeeds but the commit fails (the database goes
 * away at that instant), a retry appends again: at-least-once at that edge.
 */
export class ProduceIdempotency {
  private readonly ttlMs: number;
  private readonly sweepIntervalMs: number;
  private lastSweep = 0;

  constructor(private readonly options: ProduceIdempotencyOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  /**
   * Returns the remembered answer for the scope, or runs `work` and remembers its answer.
   * Throws IDEMPOTENCY_KEY_REUSED when the key was used for a different request.
   */
  async run<T>(
    prisma: PrismaClient,
    scope: IdempotencyScope,
    work: () => Promise<T>,
  ): Promise<{ response: T; replayed: boolean }> {
    const outcome = await prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(
          'SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))',
          `produce-idempotency:${JSON.stringify([scope.eventType, scope.key])}`,
        );
        const where = { eventType_key: { eventType: scope.eventType, key: scope.key } };
        const now = new Date();
        const stored = await tx.produceIdempotencyKey.findUnique({ where });
        if (stored && stored.expiresAt > now) {
          if (stored.requestHash !== scope.requestHash) {
            throw new MeshgateError(
              'IDEMPOTENCY_KEY_REUSED',
              `Idempotency-Key '${scope.key}' was already used for a different request to '${scope.eventType}' (remembered until ${stored.expiresAt.toISOString()}); use a new key.`,
            );
          }
          return { response: JSON.parse(stored.response) as T, replayed: true };
        }
        const response = await work();
        const row = {
          requestHash: scope.requestHash,
          response: JSON.stringify(response),
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.ttlMs),
        };
        await tx.produceIdempotencyKey.upsert({
          where,
          create: { eventType: scope.eventType, key: scope.key, ...row },
          update: row,
        });
        return { response, replayed: false };
      },
      // The append (Kafka: acks from all replicas) runs inside; keep the bound generous.
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, maxWait: 10_000, timeout: 60_000 },
    );
    this.sweep(prisma);
    return outcome;
  }

  /** Deletes expired keys in the background, at most once per sweep interval per instance. */
  private sweep(prisma: PrismaClient): void {
    const now = Date.now();
    if (now - this.lastSweep < this.sweepIntervalMs) return;
    this.lastSweep = now;
    prisma
      .$executeRawUnsafe(
        `DELETE FROM produce_idempotency_keys WHERE ctid IN
           (SELECT ctid FROM produce_idempotency_keys WHERE expires_at < $1 LIMIT ${SWEEP_BATCH})`,
        new Date(now),
      )
      .catch((error: unknown) => this.options.onSweepError?.(error));
  }
}
