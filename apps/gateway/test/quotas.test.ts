import { describe, expect, it } from 'vitest';
import type { Principal } from '@meshgate/policy';
import { Quotas, type QuotaLimits } from '../src/auth/quotas';

const app: Principal = {
  kind: 'application',
  id: 'a1',
  name: 'a',
  teams: [],
  via: 'api-key',
  credentialId: 'k',
  expiresAt: null,
};
const quotas = (limits: Partial<QuotaLimits>) =>
  new Quotas(async () => ({ produceRatePerSecond: null, maxSubscriptions: null, maxConnections: null, ...limits }));

describe('Quotas', () => {
  it('lets a produce rate through, refuses beyond it with Retry-After, and refills over time', async () => {
    const q = quotas({ produceRatePerSecond: 10 });
    const t0 = 1_000_000;
    await q.admitProduce(app, 6, t0);
    await q.admitProduce(app, 4, t0);
    const error = await q.admitProduce(app, 5, t0).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429, details: { retryAfterSeconds: 0.5 } });
    await q.admitProduce(app, 5, t0 + 500);
    await expect(q.admitProduce(app, 11, t0 + 10_000)).rejects.toMatchObject({ message: /smaller batches/ });
  });

  it('counts subscriptions and connections up to their limits and releases them once', async () => {
    const q = quotas({ maxSubscriptions: 2, maxConnections: 1 });
    const first = await q.openSubscription(app);
    await q.openSubscription(app);
    await expect(q.openSubscription(app)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    first();
    first();
    await q.openSubscription(app);
    await expect(q.openSubscription(app)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    await q.openConnection(app);
    await expect(q.openConnection(app)).rejects.toMatchObject({ message: /1 open connections/ });
  });

  it('does not limit principals without quotas', async () => {
    const q = new Quotas(async () => undefined);
    for (let i = 0; i < 100; i += 1) await q.openSubscription(app);
    await q.admitProduce(app, 1_000_000);
  });
});
