import { randomInt } from 'node:crypto';
import type { PgClient, Pool } from '@meshgate/db';
import type { ConsumeOptions, GroupConsumer, LogRecord } from '../event-log';
import type { LogCallback } from '../log';
import { murmur2, toPositive } from '../partitioner';
import { delay, Signal } from '../signal';
import { isRetriablePgError, toEventLogError } from './errors';
import { fetchRecords } from './fetch-records';
import { APPEND_CHANNEL, GROUP_CHANNEL, type NotificationHub } from './notification-hub';

/** What a group member borrows from its EventLog instance. */
export interface PostgresGroupContext {
  pool: Pool;
  hub: NotificationHub;
  /** Opens the member's dedicated connection (its advisory locks live and die with it). */
  connect: () => PgClient;
  pollIntervalMs: number;
  heartbeatMs: number;
  retryBackoffMs: number;
  maxBatchSize: number;
  onLog: LogCallback | undefined;
  onClose: (consumer: PostgresGroupConsumer) => void;
}

const MAX_BACKOFF_MS = 30_000;

/** The member's session (and with it every lock it held) is gone; it must join again. */
class SessionLostError extends Error {
  constructor() {
    super('The group member lost its database session.');
  }
}

// Both lock spaces use PostgreSQL's two-key advisory locks: key 1 names the (group, topic),
// key 2 the member or the partition. They show up in pg_locks as (classid, objid), which is
// how members see each other without any table of their own.
function lockKey(kind: string, groupId: string, topic: string): number {
  return toPositive(murmur2(Buffer.from(`meshgate-el-${kind}\n${groupId}\n${topic}`, 'utf8')));
}

const LOCKS_SQL = `
  SELECT classid::bigint AS key, objid::bigint AS id, pid = pg_backend_pid() AS mine
  FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND objsubid = 2
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND classid IN ($1::oid, $2::oid)`;

const COMMIT_SQL = `
  INSERT INTO el_group_offsets (group_id, topic, partition, "offset", updated_at)
  VALUES ($1, $2, $3, $4, now())
  ON CONFLICT (group_id, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset", updated_at = now()`;

/**
 * A member of a consumer group on the embedded log.
 *
 * Membership and ownership are PostgreSQL session-level advisory locks held on the member's
 * own connection: one lock says "I am a live member", one lock per partition says "this
 * partition is mine". PostgreSQL releases them the moment the session ends, so a crashed
 * member's partitions free up without any expiry timer, and no two members can ever own a
 * partition at once. Every `heartbeatMs` (and at once when a member announces a join or leave
 * on the group channel) a member reads the group from pg_locks, computes its fair share
 * (partitions / members, the remainder going to the lowest member ids), releases extras after
 * finishing the batch in hand and claims free partitions up to its share.
 *
 * Commits go through the same connection as the locks: a commit that succeeds proves the
 * session, and with it the ownership, was still alive.
 */
export class PostgresGroupConsumer implements GroupConsumer {
  private readonly signal = new Signal();
  private readonly owned = new Map<number, number>();
  private readonly memberKey: number;
  private readonly partitionKey: number;
  private readonly groupPayload: string;
  private readonly unsubscribes: Array<() => void> = [];
  private readonly closing: Promise<void>;
  private announceClosed!: () => void;
  private connection: PgClient | undefined;
  private connectionLost = false;
  private memberId = 0;
  private nextHeartbeat = 0;
  private rebalanceRequested = true;
  private closed = false;
  private loop: Promise<void> = Promise.resolve();
  private closePromise: Promise<void> | undefined;

  private constructor(
    private readonly context: PostgresGroupContext,
    private readonly options: ConsumeOptions,
    private readonly partitions: number,
  ) {
    this.memberKey = lockKey('member', options.groupId, options.topic);
    this.partitionKey = lockKey('partition', options.groupId, options.topic);
    this.groupPayload = JSON.stringify([options.groupId, options.topic]);
    this.closing = new Promise((resolve) => (this.announceClosed = resolve));
  }

  /** Joins the group, takes a first share of partitions and starts consuming. */
  static async start(
    context: PostgresGroupContext,
    options: ConsumeOptions,
    partitions: number,
  ): Promise<PostgresGroupConsumer> {
    const consumer = new PostgresGroupConsumer(context, options, partitions);
    const wake = () => consumer.signal.wake();
    consumer.unsubscribes.push(
      context.hub.subscribe(APPEND_CHANNEL, options.topic, wake),
      context.hub.subscribe(GROUP_CHANNEL, consumer.groupPayload, () => {
        consumer.rebalanceRequested = true;
        wake();
      }),
    );
    try {
      await context.hub.ready();
      await consumer.join();
      await consumer.rebalance();
    } catch (error) {
      await consumer.close().catch(() => undefined);
      throw toEventLogError(error, 'join the consumer group');
    }
    consumer.loop = consumer.run();
    return consumer;
  }

  assignment(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.announceClosed();
    this.signal.wake();
    await this.loop;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    const hadConnection = this.connection !== undefined;
    await this.dropConnection();
    // Only after the locks are gone, so the others find the partitions free when they look.
    if (hadConnection) await this.announce().catch(() => undefined);
    this.context.onClose(this);
  }

  private async join(): Promise<void> {
    const connection = this.context.connect();
    const lost = () => {
      if (this.connection !== connection) return;
      this.connectionLost = true;
      this.signal.wake();
    };
    connection.on('error', (error) => {
      this.context.onLog?.('warn', 'event log: group member connection failed', { error: String(error) });
      lost();
    });
    connection.on('end', lost);
    try {
      await connection.connect();
      // A member whose host vanishes without closing its socket should lose its locks in about
      // half a minute, not after the kernel's two-hour keepalive default.
      await connection.query(
        `SET application_name = 'meshgate-event-log-group'; SET tcp_keepalives_idle = 10; ` +
          `SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 4`,
      );
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw error;
    }
    this.connection = connection;
    this.connectionLost = false;
    for (;;) {
      const id = randomInt(1, 0x7fffffff);
      const { rows } = await connection.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS ok', [
        this.memberKey,
        id,
      ]);
      if (rows[0]?.ok) {
        this.memberId = id;
        break;
      }
    }
    await this.announce();
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.owned.clear();
    // Ending the session releases every advisory lock it holds.
    await connection?.end().catch(() => undefined);
  }

  private announce(): Promise<unknown> {
    return this.context.pool.query('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, this.groupPayload]);
  }

  private requireConnection(): PgClient {
    if (!this.connection || this.connectionLost) throw new SessionLostError();
    return this.connection;
  }

  /** Brings this member's partitions to its fair share of the group's current members. */
  private async rebalance(): Promise<void> {
    const connection = this.requireConnection();
    this.rebalanceRequested = false;
    this.nextHeartbeat = Date.now() + this.context.heartbeatMs;
    const { rows } = await connection.query<{ key: string; id: string; mine: boolean }>(LOCKS_SQL, [
      this.memberKey,
      this.partitionKey,
    ]);
    const members: number[] = [];
    const takenByOthers = new Set<number>();
    for (const row of rows) {
      if (Number(row.key) === this.memberKey) members.push(Number(row.id));
      else if (!row.mine) takenByOthers.add(Number(row.id));
    }
    members.sort((a, b) => a - b);
    const rank = members.indexOf(this.memberId);
    if (rank < 0) throw new SessionLostError();
    const share = Math.floor(this.partitions / members.length) + (rank < this.partitions % members.length ? 1 : 0);

    let released = false;
    for (const partition of this.assignment().reverse()) {
      if (this.owned.size <= share) break;
      await connection.query('SELECT pg_advisory_unlock($1::int, $2::int)', [this.partitionKey, partition]);
      this.owned.delete(partition);
      released = true;
    }
    if (this.owned.size < share) {
      // Prefer the block a range assignment would give this rank, so layouts are predictable,
      // then anything else that is free.
      const start =
        rank * Math.floor(this.partitions / members.length) + Math.min(rank, this.partitions % members.length);
      const candidates = Array.from({ length: this.partitions }, (_, i) => (start + i) % this.partitions);
      for (const partition of candidates) {
        if (this.owned.size >= share) break;
        if (this.owned.has(partition) || takenByOthers.has(partition)) continue;
        const { rows: locked } = await connection.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1::int, $2::int) AS ok',
          [this.partitionKey, partition],
        );
        if (!locked[0]?.ok) continue;
        this.owned.set(partition, await this.startPosition(connection, partition));
      }
    }
    if (released) await this.announce();
  }

  private async startPosition(connection: PgClient, partition: number): Promise<number> {
    const { groupId, topic } = this.options;
    const committed = await connection.query<{ offset: string }>(
      'SELECT "offset" FROM el_group_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3',
      [groupId, topic, partition],
    );
    if (committed.rows[0]) return Number(committed.rows[0].offset);
    if ((this.options.from ?? 'earliest') === 'earliest') return 0;
    const next = await connection.query<{ next_offset: string }>(
      'SELECT next_offset FROM el_partitions WHERE topic = $1 AND partition = $2',
      [topic, partition],
    );
    return Number(next.rows[0]?.next_offset ?? 0);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        if (this.connectionLost || !this.connection) {
          await this.dropConnection();
          await this.join();
          this.rebalanceRequested = true;
        }
        if (this.rebalanceRequested || Date.now() >= this.nextHeartbeat) await this.rebalance();
        const records =
          this.owned.size > 0
            ? await fetchRecords(this.context.pool, this.options.topic, this.owned, this.context.maxBatchSize)
            : [];
        failures = 0;
        if (records.length === 0) {
          const untilHeartbeat = Math.max(0, this.nextHeartbeat - Date.now());
          await this.signal.wait(Math.min(this.context.pollIntervalMs, untilHeartbeat));
          continue;
        }
        for (const [partition, batch] of groupByPartition(records)) {
          if (this.closed || this.rebalanceRequested) break;
          if (!(await this.deliver(partition, batch))) break;
        }
      } catch (error) {
        if (this.closed) break;
        failures += 1;
        if (error instanceof SessionLostError || isRetriablePgError(error)) this.connectionLost = true;
        this.context.onLog?.('warn', 'event log: group member failed, retrying', {
          groupId: this.options.groupId,
          topic: this.options.topic,
          error: String(error),
        });
        await delay(Math.min(100 * 2 ** failures, MAX_BACKOFF_MS), this.closing);
      }
    }
  }

  /**
   * Hands a batch to the handler until it succeeds (at-least-once: a failure means the same
   * records again after a backoff), then commits. Returns false when closing interrupted it.
   */
  private async deliver(partition: number, records: LogRecord[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) return false;
      try {
        await this.options.handler(records);
        break;
      } catch (error) {
        this.context.onLog?.('warn', 'event log: consumer handler failed, redelivering the batch', {
          groupId: this.options.groupId,
          topic: this.options.topic,
          partition,
          offset: records[0]?.offset,
          attempt,
          error: String(error),
        });
        const backoff = Math.min(this.context.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        await delay(backoff, this.closing);
      }
    }
    const next = records[records.length - 1]!.offset + 1;
    await this.requireConnection().query(COMMIT_SQL, [this.options.groupId, this.options.topic, partition, next]);
    this.owned.set(partition, next);
    return true;
  }
}

function groupByPartition(records: LogRecord[]): Map<number, LogRecord[]> {
  const batches = new Map<number, LogRecord[]>();
  for (const record of records) {
    const batch = batches.get(record.partition);
    if (batch) batch.push(record);
    else batches.set(record.partition, [record]);
  }
  return batches;
}
