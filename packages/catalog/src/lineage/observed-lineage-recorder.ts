import type { Queryable } from '@meshgate/db';

/** Who is observed: the authenticated caller of a produce or a subscription. */
export interface ObservedPrincipal {
  kind: 'application' | 'user';
  id: string;
  /** Application name or user email, as shown in lineage. */
  name: string;
}

/** Which side of an event type a principal was seen on. */
export type ObservedRole = 'producer' | 'consumer';

/**
 * One live subscription's share of its observed-lineage row. The transport adds one to
 * `events` per delivered event (`counter.events++`: no allocation, no lookup, no query) and
 * calls `release()` once when the subscription ends.
 */
export interface DeliveryCounter {
  /** Events delivered since the last flush. */
  events: number;
  /** The subscription ended; its count is kept for the next flush. Idempotent. */
  release(): void;
}

/** Options for {@link ObservedLineageRecorder}. */
export interface ObservedLineageRecorderOptions {
  /** Runs the flush statement (a pg pool). */
  db: Queryable;
  /** How often counters are written; default 5000 ms. */
  flushIntervalMs?: number;
  /**
   * How often a subscription that is connected but receives nothing still moves its row's
   * `last_seen` forward (a connected consumer is a current consumer); default 60 000 ms.
   */
  connectedRefreshMs?: number;
  /** Told about a failed flush (the counts are kept and written by the next one). */
  onError?: (error: unknown) => void;
  /** The clock, for tests; default Date.now. */
  now?: () => number;
}

/** The in-memory tally of one (event type, principal, role) since the last flush. */
class Tally {
  events = 0;
  sessions = 0;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
  /** When this row was last written (to refresh connected-but-idle consumers now and then). */
  lastWritten = 0;
  readonly live = new Set<LiveCounter>();

  constructor(
    readonly key: string,
    readonly eventType: string,
    readonly principal: ObservedPrincipal,
    readonly role: ObservedRole,
  ) {}

  seen(at: number): void {
    this.firstSeen ??= at;
    this.lastSeen = at;
  }
}

class LiveCounter implements DeliveryCounter {
  events = 0;
  constructor(private readonly tally: Tally | undefined) {}

  release(): void {
    const tally = this.tally;
    if (!tally || !tally.live.delete(this)) return;
    tally.events += this.events;
    this.events = 0;
  }
}

/** One row of the flush statement. */
interface FlushRow {
  tally: Tally;
  events: number;
  sessions: number;
  firstSeen: number;
  lastSeen: number;
}

const FLUSH_SQL = `
INSERT INTO "catalog_observed_lineage" AS o
  ("event_type", "principal_kind", "principal_id", "principal_name", "role", "events", "sessions", "first_seen", "last_seen")
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                     $8::timestamptz[], $9::timestamptz[])
ON CONFLICT ("event_type", "principal_kind", "principal_id", "role") DO UPDATE SET
  "principal_name" = EXCLUDED."principal_name",
  "events" = o."events" + EXCLUDED."events",
  "sessions" = o."sessions" + EXCLUDED."sessions",
  "first_seen" = LEAST(o."first_seen", EXCLUDED."first_seen"),
  "last_seen" = GREATEST(o."last_seen", EXCLUDED."last_seen")`;

/**
 * Observed lineage: who produced to and subscribed to each event type through this gateway
 * instance. Produce requests and opened subscriptions update in-memory tallies; delivered
 * events are counted on a per-subscription {@link DeliveryCounter}. Every few seconds (and on
 * close) the tallies are written as ONE multi-row upsert that adds to the stored counters, so
 * several instances add up and nothing is ever queried or allocated per event. Rows are kept
 * for good: counts are totals since the first sighting, not a window.
 *
 * `last_seen` of a consumer moves at flush time when it received events (so it is exact to
 * within the flush interval), and at most every `connectedRefreshMs` while it stays connected.
 */
export class ObservedLineageRecorder {
  private readonly tallies = new Map<string, Tally>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ObservedLineageRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 5000);
    this.timer.unref();
  }

  /** A produce request of `events` accepted events by `principal` (one session). */
  produced(eventType: string, principal: ObservedPrincipal, events: number): void {
    if (this.closed) return;
    const tally = this.tally(eventType, principal, 'producer');
    tally.sessions++;
    tally.events += events;
    tally.seen(this.now());
  }

  /**
   * A subscription opened by `principal` (one session); count its deliveries on the returned
   * counter and release it when the subscription ends.
   */
  subscribed(eventType: string, principal: ObservedPrincipal): DeliveryCounter {
    if (this.closed) return new LiveCounter(undefined);
    const tally = this.tally(eventType, principal, 'consumer');
    tally.sessions++;
    tally.seen(this.now());
    const counter = new LiveCounter(tally);
    tally.live.add(counter);
    return counter;
  }

  /**
   * Writes what was counted since the last flush (one statement). On failure the counts are
   * kept for the next flush and `onError` is told. Concurrent calls share one flush.
   */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops the timer and writes the last counts (live subscriptions' included). */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
  }

  private tally(eventType: string, principal: ObservedPrincipal, role: ObservedRole): Tally {
    const key = `${role}\u0000${principal.kind}\u0000${principal.id}\u0000${eventType}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = new Tally(key, eventType, { kind: principal.kind, id: principal.id, name: principal.name }, role);
      this.tallies.set(key, tally);
    } else if (tally.principal.name !== principal.name) {
      tally.principal.name = principal.name;
    }
    return tally;
  }

  /** Takes the counts out of the tallies (synchronously, so nothing counted meanwhile is lost). */
  private collect(): FlushRow[] {
    const now = this.now();
    const refreshMs = this.options.connectedRefreshMs ?? 60_000;
    const rows: FlushRow[] = [];
    for (const [key, tally] of this.tallies) {
      let events = tally.events;
      tally.events = 0;
      for (const counter of tally.live) {
        events += counter.events;
        counter.events = 0;
      }
      const sessions = tally.sessions;
      tally.sessions = 0;
      const connected = tally.live.size > 0;
      const refresh = connected && now - tally.lastWritten >= refreshMs;
      if (events === 0 && sessions === 0 && !refresh) {
        if (!connected) this.tallies.delete(key);
        continue;
      }
      // Consumers' deliveries are not timed one by one: they were seen up to now.
      const lastSeen = tally.role === 'consumer' && (events > 0 || connected) ? now : (tally.lastSeen ?? now);
      rows.push({ tally, events, sessions, firstSeen: tally.firstSeen ?? lastSeen, lastSeen });
      tally.firstSeen = undefined;
      tally.lastSeen = undefined;
    }
    return rows;
  }

  private async write(): Promise<void> {
    const rows = this.collect();
    if (rows.length === 0) return;
    try {
      await this.options.db.query(FLUSH_SQL, [
        rows.map((row) => row.tally.eventType),
        rows.map((row) => row.tally.principal.kind),
        rows.map((row) => row.tally.principal.id),
        rows.map((row) => row.tally.principal.name),
        rows.map((row) => row.tally.role),
        rows.map((row) => row.events),
        rows.map((row) => row.sessions),
        rows.map((row) => new Date(row.firstSeen)),
        rows.map((row) => new Date(row.lastSeen)),
      ]);
      const now = this.now();
      for (const { tally } of rows) {
        tally.lastWritten = now;
        // Forgotten once nothing is pending and nobody is connected; a new sighting starts a new tally.
        if (tally.live.size === 0 && tally.events === 0 && tally.sessions === 0) this.tallies.delete(tally.key);
      }
    } catch (error) {
      // Put the counts back: the next flush writes them.
      for (const row of rows) {
        const tally = this.tallies.get(row.tally.key) ?? row.tally;
        this.tallies.set(tally.key, tally);
        tally.events += row.events;
        tally.sessions += row.sessions;
        tally.firstSeen = Math.min(tally.firstSeen ?? row.firstSeen, row.firstSeen);
        tally.lastSeen = Math.max(tally.lastSeen ?? row.lastSeen, row.lastSeen);
      }
      this.options.onError?.(error);
    }
  }
}
