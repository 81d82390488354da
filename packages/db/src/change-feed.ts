import pg from 'pg';

/** The PostgreSQL channel every Meshgate instance listens on for cache invalidation. */
export const CHANGE_CHANNEL = 'meshgate_changes';

/**
 * Areas whose caches are invalidated through the feed; `webhooks` wakes the webhook dispatchers
 * (sent by the trigger that enqueues deliveries for catalog changes).
 */
export type ChangeTopic = 'registry' | 'catalog' | 'policy' | 'webhooks';

/** One change notification. `resync` means "notifications may have been missed: drop everything". */
export interface ChangeEvent {
  topic: ChangeTopic;
  /** What changed, e.g. a subject name; absent = anything in the topic. */
  key?: string;
  /** The instance that made the change. */
  origin?: string;
  resync?: boolean;
}

/** Something that can run a query: a pool, a client, or a Prisma transaction's raw executor. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Options for {@link ChangeFeed}. */
export interface ChangeFeedOptions {
  databaseUrl: string;
  /** Identifies this instance in published events. */
  origin: string;
  /** Delay before reconnecting a dropped LISTEN connection; default 1 s. */
  reconnectDelayMs?: number;
  onLog?: (message: string) => void;
}

type Listener = (event: ChangeEvent) => void;

/**
 * The one module through which instances sharing a PostgreSQL tell each other that cached
 * state changed (ARCHITECTURE: caches are invalidated through PostgreSQL notifications from
 * one module). One LISTEN connection per instance; after a reconnect every listener gets a
 * `resync` event, since notifications sent while disconnected are lost.
 */
export class ChangeFeed {
  private readonly listeners = new Map<ChangeTopic, Set<Listener>>();
  private client: pg.Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChangeFeedOptions) {}

  /** Opens the LISTEN connection; resolves once listening. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Registers a listener for one topic; returns an unsubscribe function. */
  on(topic: ChangeTopic, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Publishes a change. Pass the transaction's client to have it delivered only on commit;
   * pass a pool to send it at once. Listeners in this instance are told immediately too.
   */
  async publish(via: Queryable, event: Omit<ChangeEvent, 'origin'>): Promise<void> {
    const full: ChangeEvent = { ...event, origin: this.options.origin };
    // pg_notify returns void, which some drivers (Prisma raw queries) cannot decode: select a constant.
    await via.query('SELECT 1 AS sent FROM pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(full)]);
  }

  /** Tells this instance's listeners about a change right away (before the notification round trip). */
  emitLocal(event: Omit<ChangeEvent, 'origin'>): void {
    this.dispatch({ ...event, origin: this.options.origin });
  }

  /** Closes the LISTEN connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      try {
        this.dispatch(JSON.parse(message.payload) as ChangeEvent);
      } catch {
        this.options.onLog?.(`ignored a malformed change notification: ${message.payload.slice(0, 200)}`);
      }
    });
    client.on('error', (error) => {
      this.options.onLog?.(`change feed connection lost: ${error.message}`);
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    const reconnected = this.client !== undefined;
    this.client = client;
    if (reconnected) this.resyncAll();
  }

  private scheduleReconnect(failed: pg.Client): void {
    if (this.closed || this.client !== failed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch((error: unknown) => {
        this.options.onLog?.(`change feed reconnect failed: ${(error as Error).message}`);
        this.scheduleReconnect(failed);
      });
    }, this.options.reconnectDelayMs ?? 1000);
    this.reconnectTimer.unref();
  }

  private resyncAll(): void {
    for (const topic of this.listeners.keys()) this.dispatch({ topic, resync: true });
  }

  private dispatch(event: ChangeEvent): void {
    for (const listener of this.listeners.get(event.topic) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.options.onLog?.(`change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
