import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher';

// How often the dispatcher asks PostgreSQL, against the real thing: it must sleep while nothing
// is pending (an idle gateway once polled the deliveries table hundreds of times a second), and
// wake for a retry when it falls due.
describe('webhook dispatcher: when it looks for due deliveries', () => {
  let db: TestDatabase;
  let pool: Pool;
  let receiver: Server;
  let receiverUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url);
    receiver = createServer((req, res) => {
      received.push(String(req.headers['meshgate-delivery-id'] ?? ''));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await pool?.end();
    await db?.drop();
  });

  /** The pool, counting the statements the dispatcher sends. */
  function counted(): { db: { query: Pool['query'] }; count: () => number } {
    let count = 0;
    return {
      db: {
        query: ((text: string, values?: unknown[]) => {
          count++;
          return pool.query(text, values);
        }) as Pool['query'],
      },
      count: () => count,
    };
  }

  it('sleeps while nothing is pending: one claim and one look at the next due time, then quiet', async () => {
    const { db: queries, count } = counted();
    const dispatcher = new WebhookDispatcher({ db: queries, pollMs: 10_000 });
    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await dispatcher.close();
    expect(count()).toBe(2);
  });

  it('wakes when a scheduled retry falls due, not before, and delivers it', async () => {
    const webhookId = randomUUID();
    const deliveryId = randomUUID();
    // Taken before the retry is scheduled, so the delivery cannot be due sooner than 1.5 s after it.
    const started = Date.now();
    await pool.query(`INSERT INTO catalog_webhooks (id, url, secret) VALUES ($1, $2, 'secret-secret-secret')`, [
      webhookId,
      receiverUrl,
    ]);
    await pool.query(
      `INSERT INTO catalog_webhook_deliveries (id, webhook_id, change_id, event, payload, status, attempts, next_attempt_at)
       VALUES ($1, $2, 1, 'event-type.updated', '{}'::jsonb, 'pending', 1, CURRENT_TIMESTAMP + interval '1500 milliseconds')`,
      [deliveryId, webhookId],
    );
    const { db: queries, count } = counted();
    const dispatcher = new WebhookDispatcher({ db: queries, pollMs: 10_000 });
    dispatcher.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      // Not due yet: it looked once and is waiting for the retry's time.
      expect(count()).toBe(2);
      expect(received).toEqual([]);
      for (let waited = 0; !received.includes(deliveryId) && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(received).toEqual([deliveryId]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { rows } = await pool.query(`SELECT status FROM catalog_webhook_deliveries WHERE id = $1`, [deliveryId]);
      expect(rows[0]?.status).toBe('delivered');
      // Nothing pending any more: quiet again, a handful of statements in all.
      const settled = count();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(count()).toBe(settled);
      expect(settled).toBeLessThan(12);
    } finally {
      await dispatcher.close();
    }
  });
});
