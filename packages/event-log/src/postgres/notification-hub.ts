import type { Notification, PgClient } from '@meshgate/db';
import type { LogCallback } from '../log';

/** Channel on which an append announces its topic (payload: the topic name). */
export const APPEND_CHANNEL = 'meshgate_el';
/** Channel on which group members announce joins and leaves (payload: JSON [groupId, topic]). */
export const GROUP_CHANNEL = 'meshgate_el_group';

const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * The one LISTEN connection of an EventLog instance. Readers and group members subscribe to
 * a (channel, payload) pair instead of opening connections of their own, so thousands of
 * readers cost one connection.
 *
 * Notifications are a wake-up hint, never the source of truth: when the connection drops,
 * every subscriber is woken (it may have missed something) and the hub reconnects.
 */
export class NotificationHub {
  private client: PgClient | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 100;
  private closed = false;
  private readonly subscribers = new Map<string, Set<() => void>>();

  constructor(
    private readonly connect: () => PgClient,
    private readonly onLog: LogCallback | undefined,
  ) {}

  /** Calls `wake` on every notification of (channel, payload); returns the unsubscribe function. */
  subscribe(channel: string, payload: string, wake: () => void): () => void {
    const key = `${channel}\n${payload}`;
    let set = this.subscribers.get(key);
    if (!set) this.subscribers.set(key, (set = new Set()));
    set.add(wake);
    void this.ready();
    return () => {
      const current = this.subscribers.get(key);
      if (!current) return;
      current.delete(wake);
      if (current.size === 0) this.subscribers.delete(key);
    };
  }

  /** Resolves once the LISTEN connection is up, or after a failed attempt (polling covers the gap). */
  ready(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /**
   * Ends the LISTEN connection; subscribers are not woken (they are being closed too). A
   * connection attempt still under way is not awaited (it may hang on an unreachable host):
   * it ends itself when it sees the hub closed.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    const client = this.connect();
    // Without a listener an 'error' event would crash the process; 'end' follows it anyway.
    client.on('error', (error) =>
      this.onLog?.('warn', 'event log: LISTEN connection failed', { error: String(error) }),
    );
    client.on('end', () => this.lost(client));
    client.on('notification', (message: Notification) => this.notify(message));
    try {
      await client.connect();
      await client.query(`SET application_name = 'meshgate-event-log-listen'`);
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
      await client.query(`LISTEN ${GROUP_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.onLog?.('warn', 'event log: cannot LISTEN, falling back to polling until it can', { error: String(error) });
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelayMs = 100;
    // Appends made while no LISTEN was active went unannounced.
    this.wakeAll();
  }

  private notify(message: Notification): void {
    const set = this.subscribers.get(`${message.channel}\n${message.payload ?? ''}`);
    if (set) for (const wake of [...set]) wake();
  }

  private wakeAll(): void {
    for (const set of [...this.subscribers.values()]) for (const wake of [...set]) wake();
  }

  private lost(client: PgClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.onLog?.('warn', 'event log: LISTEN connection lost, reconnecting');
    // Anything notified while we were away is lost: let every subscriber look for itself.
    this.wakeAll();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.subscribers.size === 0) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.ready();
    }, delay);
    this.reconnectTimer.unref();
  }
}
