import { afterEach, describe, expect, it } from 'vitest';
import { ObservedLineageRecorder } from './observed-lineage-recorder';

/** Captures the flush statements (the SQL itself runs against PostgreSQL in apps/gateway/test/lineage.test.ts). */
class Statements {
  readonly calls: unknown[][] = [];
  failNext = false;
  query(_text: string, values?: unknown[]): Promise<unknown> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('connection lost'));
    }
    this.calls.push(values ?? []);
    return Promise.resolve({ rows: [] });
  }
  /** The rows of call `i` as objects. */
  rows(i: number) {
    const [eventTypes, kinds, ids, names, roles, events, sessions, first, last] = this.calls[i] as unknown[][];
    return eventTypes!.map((eventType, row) => ({
      eventType,
      kind: kinds![row],
      id: ids![row],
      name: names![row],
      role: roles![row],
      events: events![row],
      sessions: sessions![row],
      firstSeen: (first![row] as Date).getTime(),
      lastSeen: (last![row] as Date).getTime(),
    }));
  }
}

const app = { kind: 'application' as const, id: 'a1', name: 'billing' };
const user = { kind: 'user' as const, id: 'u1', name: 'dev@example.com' };

describe('ObservedLineageRecorder', () => {
  let recorder: ObservedLineageRecorder | undefined;
  afterEach(async () => recorder?.close());

  it('writes every tally of a flush in one statement, as deltas since the previous flush', async () => {
    const db = new Statements();
    let now = 1_000;
    recorder = new ObservedLineageRecorder({ db, flushIntervalMs: 60_000, now: () => now });
    recorder.produced('orders.created', app, 3);
    now = 2_000;
    recorder.produced('orders.created', app, 2);
    const counter = recorder.subscribed('orders.created', user);
    for (let i = 0; i < 7; i++) counter.events++;
    now = 3_000;
    await recorder.flush();
    expect(db.calls).toHaveLength(1);
    expect(db.rows(0)).toEqual([
      {
        eventType: 'orders.created',
        kind: 'application',
        id: 'a1',
        name: 'billing',
        role: 'producer',
        events: 5,
        sessions: 2,
        firstSeen: 1_000,
        lastSeen: 2_000,
      },
      {
        eventType: 'orders.created',
        kind: 'user',
        id: 'u1',
        name: 'dev@example.com',
        role: 'consumer',
        events: 7,
        sessions: 1,
        firstSeen: 2_000,
        lastSeen: 3_000,
      },
    ]);

    // Only what happened since: the producer is forgotten, the connected consumer counts on.
    counter.events += 2;
    now = 4_000;
    await recorder.flush();
    expect(db.rows(1)).toEqual([
      expect.objectContaining({ role: 'consumer', events: 2, sessions: 0, firstSeen: 4_000, lastSeen: 4_000 }),
    ]);
  });

  it('writes nothing when nothing happened, and keeps a released subscription’s last count', async () => {
    const db = new Statements();
    recorder = new ObservedLineageRecorder({ db, flushIntervalMs: 60_000, connectedRefreshMs: 60_000 });
    const counter = recorder.subscribed('orders.created', app);
    await recorder.flush();
    expect(db.calls).toHaveLength(1);
    await recorder.flush(); // connected, idle, refreshed less than a minute ago
    expect(db.calls).toHaveLength(1);
    counter.events += 4;
    counter.release();
    counter.release(); // idempotent
    counter.events += 100; // after release: not counted
    await recorder.flush();
    expect(db.rows(1)).toEqual([expect.objectContaining({ events: 4, sessions: 0 })]);
    await recorder.flush();
    expect(db.calls).toHaveLength(2);
  });

  it('keeps the counts of a failed flush for the next one', async () => {
    const db = new Statements();
    const errors: unknown[] = [];
    recorder = new ObservedLineageRecorder({ db, flushIntervalMs: 60_000, onError: (error) => errors.push(error) });
    recorder.produced('orders.created', app, 10);
    db.failNext = true;
    await recorder.flush();
    expect(errors).toHaveLength(1);
    recorder.produced('orders.created', app, 1);
    await recorder.flush();
    expect(db.rows(0)).toEqual([expect.objectContaining({ events: 11, sessions: 2 })]);
  });

  it('flushes on close, live subscriptions included, and ignores what comes after', async () => {
    const db = new Statements();
    recorder = new ObservedLineageRecorder({ db, flushIntervalMs: 60_000 });
    const counter = recorder.subscribed('orders.created', app);
    counter.events += 3;
    await recorder.close();
    expect(db.rows(0)).toEqual([expect.objectContaining({ events: 3, sessions: 1 })]);
    recorder.produced('orders.created', app, 1);
    await recorder.flush();
    expect(db.calls).toHaveLength(1);
  });
});
