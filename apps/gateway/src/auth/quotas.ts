import { MeshgateError } from '@meshgate/core';
import type { Principal } from '@meshgate/policy';

/** An application's limits (null: unlimited), as stored with the application. */
export interface QuotaLimits {
  produceRatePerSecond: number | null;
  maxSubscriptions: number | null;
  maxConnections: number | null;
}

/** QUOTA_EXCEEDED (429) with the seconds to wait, which the error handler sends as Retry-After. */
export function quotaExceeded(message: string, retryAfterSeconds: number): MeshgateError {
  return new MeshgateError('QUOTA_EXCEEDED', message, { details: { retryAfterSeconds } });
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Per-application quotas, enforced per gateway instance (no round trip): a token bucket for the
 * produce rate (capacity one second's worth, so short bursts pass) and counters of open
 * subscriptions and connections. Users (the portal) have no quotas.
 */
export class Quotas {
  private readonly buckets = new Map<string, Bucket>();
  private readonly subscriptions = new Map<string, number>();
  private readonly connections = new Map<string, number>();

  constructor(private readonly limitsOf: (principal: Principal) => Promise<QuotaLimits | undefined>) {}

  /** Takes `events` from the application's produce budget, or throws QUOTA_EXCEEDED saying when to retry. */
  async admitProduce(principal: Principal, events: number, now = Date.now()): Promise<void> {
    const limits = await this.limitsOf(principal);
    const rate = limits?.produceRatePerSecond;
    if (rate === null || rate === undefined) return;
    if (events > rate) {
      throw quotaExceeded(
        `This request has ${events} events; the application may produce ${rate} per second. Send smaller batches.`,
        1,
      );
    }
    const bucket = this.buckets.get(principal.id) ?? { tokens: rate, updatedAt: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    if (bucket.tokens < events) {
      this.buckets.set(principal.id, bucket);
      const wait = (events - bucket.tokens) / rate;
      throw quotaExceeded(`The application's produce rate (${rate} events per second) is used up.`, wait);
    }
    bucket.tokens -= events;
    this.buckets.set(principal.id, bucket);
  }

  /** Counts one more open subscription; throws QUOTA_EXCEEDED at the limit. Returns its release. */
  async openSubscription(principal: Principal): Promise<() => void> {
    const limits = await this.limitsOf(principal);
    return this.take(this.subscriptions, principal, limits?.maxSubscriptions ?? null, 'subscriptions');
  }

  /** Counts one more open connection (stream or graphql-ws socket); throws QUOTA_EXCEEDED at the limit. */
  async openConnection(principal: Principal): Promise<() => void> {
    const limits = await this.limitsOf(principal);
    return this.take(this.connections, principal, limits?.maxConnections ?? null, 'connections');
  }

  private take(counts: Map<string, number>, principal: Principal, limit: number | null, what: string): () => void {
    const open = counts.get(principal.id) ?? 0;
    if (limit !== null && open >= limit) {
      throw quotaExceeded(`The application has ${open} open ${what}, its limit; close one first.`, 5);
    }
    counts.set(principal.id, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (counts.get(principal.id) ?? 1) - 1;
      if (left <= 0) counts.delete(principal.id);
      else counts.set(principal.id, left);
    };
  }
}
