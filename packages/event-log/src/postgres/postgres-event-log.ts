import { InputError, UnavailableError, type Positions } from '@meshgate/core';
import { createClient, createPool, type PgClient, type Pool } from '@meshgate/db';
import pg from 'pg';
import type {
  AppendResult,
  ConsumeOptions,
  EventLog,
  GroupConsumer,
  HealthStatus,
  LogReader,
  PartitionOffsets,
  ReadOptions,
  RecordInput,
  TopicDescription,
  TopicSpec,
} from '../event-log';
import { topicNotFound } from '../errors';
import type { LogCallback } from '../log';
import { createPartitioner, type Partitioner } from '../partitioner';
import { assertPositions, assertRecords, assertTopicName, assertTopicSpec, toBytes } from '../validate';
import { toEventLogError } from './errors';
import { NotificationHub, APPEND_CHANNEL } from './notification-hub';
import { PostgresGroupConsumer } from './postgres-group-consumer';
import { PostgresReader } from './postgres-reader';
import { deleteExpiredRecords } from './retention';
import { TipWatch } from './tip-watch';
import { withTransaction } from './transaction';

/** Options for {@link createPostgresEventLog}; give `pool`, `databaseUrl`, or both. */
export interface PostgresEventLogOptions {
  /** Pool for queries, e.g. the application's; not closed by close(). Default: one made from `databaseUrl`. */
  pool?: Pool;
  /**
   * Connection string. Also used for the dedicated connections (one LISTEN connection per
   * instance, one per group member); default: the pool's own connection settings.
   */
  databaseUrl?: string;
  /**
   * Safety net for lost notifications: how often the instance checks, in one query for all its
   * idle readers, whether their topics moved (and how often an idle group member looks);
   * default 1000 ms.
   */
  pollIntervalMs?: number;
  /** How often expired records are deleted; default 60 000 ms; 0 turns the timer off. */
  retentionCheckMs?: number;
  /** Retention of topics created without `retentionMs`; default 7 days. */
  defaultRetentionMs?: number;
  /** How often a group member re-reads the group's membership and rebalances; default 1000 ms. */
  heartbeatMs?: number;
  /** Delay before a batch whose handler failed is handed again (doubling, at most 30 s); default 1000 ms. */
  retryBackoffMs?: number;
  /** Most records a group member fetches at once; default 500. */
  consumerBatchSize?: number;
  /** How long health() waits for `SELECT 1`; default 3000 ms. */
  healthTimeoutMs?: number;
  /** Receives warnings (lost connections, failed handlers); default: silent. */
  onLog?: LogCallback;
}

const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

// The INSERT, the offset bump and the notification go in one statement (data-modifying CTEs
// always run), after the partition rows were locked by the previous one.
const APPEND_SQL = `
  WITH inserted AS (
    INSERT INTO el_records (topic, partition, "offset", key, value, headers, "timestamp")
    SELECT $1, r.partition, r."offset", r.key, r.value, r.headers, r."timestamp"
    FROM unnest($2::int[], $3::bigint[], $4::bytea[], $5::bytea[], $6::jsonb[], $7::timestamptz[])
      AS r(partition, "offset", key, value, headers, "timestamp")
  ), bumped AS (
    UPDATE el_partitions AS p SET next_offset = n.next_offset
    FROM unnest($8::int[], $9::bigint[]) AS n(partition, next_offset)
    WHERE p.topic = $1 AND p.partition = n.partition
  )
  SELECT pg_notify('${APPEND_CHANNEL}', $1)`;

const OFFSETS_SQL = `
  SELECT p.partition, p.next_offset,
    COALESCE((SELECT r."offset" FROM el_records r
              WHERE r.topic = p.topic AND r.partition = p.partition
              ORDER BY r."offset" LIMIT 1), p.next_offset) AS earliest
  FROM el_partitions p WHERE p.topic = $1 ORDER BY p.partition`;

/**
 * The embedded event log: topics, partitions and offsets kept in PostgreSQL tables, readers
 * and group members woken by LISTEN/NOTIFY. The default when no Kafka is configured.
 */
export class PostgresEventLog implements EventLog {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly hub: NotificationHub;
  private readonly tips: TipWatch;
  private readonly partitioner: Partitioner = createPartitioner();
  private readonly partitionCounts = new Map<string, number>();
  private readonly readers = new Set<PostgresReader>();
  private readonly consumers = new Set<PostgresGroupConsumer>();
  private readonly retentionTimer: NodeJS.Timeout | undefined;
  private retentionRunning = false;
  private closed = false;

  constructor(private readonly options: PostgresEventLogOptions) {
    if (!options.pool && !options.databaseUrl) {
      throw new InputError('The embedded event log needs a pool or a databaseUrl.');
    }
    this.ownsPool = !options.pool;
    this.pool = options.pool ?? createPool(options.databaseUrl!);
    this.hub = new NotificationHub(() => this.connectDedicated(), options.onLog);
    this.tips = new TipWatch(this.pool, options.pollIntervalMs ?? 1000, options.onLog);
    const every = options.retentionCheckMs ?? 60_000;
    if (every > 0) {
      this.retentionTimer = setInterval(() => void this.runRetention(), every);
      // Housekeeping must never keep a process alive on its own.
      this.retentionTimer.unref();
    }
  }

  async createTopic(spec: TopicSpec): Promise<boolean> {
    assertTopicSpec(spec);
    try {
      return await withTransaction(this.pool, async (client) => {
        const inserted = await client.query(
          'INSERT INTO el_topics (name, partitions, retention_ms) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
          [spec.name, spec.partitions, spec.retentionMs ?? null],
        );
        if (inserted.rowCount === 0) return false;
        await client.query(
          'INSERT INTO el_partitions (topic, partition, next_offset) SELECT $1, p, 0 FROM generate_series(0, $2::int - 1) AS p',
          [spec.name, spec.partitions],
        );
        return true;
      });
    } catch (error) {
      throw toEventLogError(error, 'create a topic');
    }
  }

  async describeTopic(topic: string): Promise<TopicDescription | undefined> {
    assertTopicName(topic);
    const partitions = await this.partitionCount(topic);
    return partitions === undefined ? undefined : { name: topic, partitions };
  }

  async append(topic: string, records: readonly RecordInput[]): Promise<AppendResult[]> {
    assertTopicName(topic);
    assertRecords(records);
    if (records.length === 0) return [];
    const partitions = await this.partitionCount(topic);
    if (partitions === undefined) throw topicNotFound(topic);
    const assigned = records.map((record) => this.partitioner(topic, partitions, record));
    // Locking in ascending partition order means two appends can never wait on each other in a cycle.
    const touched = [...new Set(assigned)].sort((a, b) => a - b);
    const now = new Date();
    const timestamps = records.map((record) => record.timestamp ?? now);
    try {
      return await withTransaction(this.pool, async (client) => {
        const { rows } = await client.query<{ partition: number; next_offset: string }>(
          'SELECT partition, next_offset FROM el_partitions WHERE topic = $1 AND partition = ANY($2::int[]) ORDER BY partition FOR UPDATE',
          [topic, touched],
        );
        const next = new Map(rows.map((row) => [row.partition, Number(row.next_offset)]));
        if (next.size !== touched.length) {
          this.partitionCounts.delete(topic);
          throw topicNotFound(topic);
        }
        const offsets = assigned.map((partition) => {
          const offset = next.get(partition)!;
          next.set(partition, offset + 1);
          return offset;
        });
        await client.query(APPEND_SQL, [
          topic,
          assigned,
          offsets,
          records.map((record) => toBytes(record.key)),
          records.map((record) => toBytes(record.value)),
          records.map((record) => JSON.stringify(record.headers ?? {})),
          timestamps,
          touched,
          touched.map((partition) => next.get(partition)!),
        ]);
        return assigned.map((partition, i) => ({ partition, offset: offsets[i]!, timestamp: timestamps[i]! }));
      });
    } catch (error) {
      throw toEventLogError(error, 'append records');
    }
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    assertTopicName(topic);
    let rows: Array<{ partition: number; next_offset: string; earliest: string }>;
    try {
      ({ rows } = await this.pool.query(OFFSETS_SQL, [topic]));
    } catch (error) {
      throw toEventLogError(error, 'read offsets');
    }
    if (rows.length === 0) throw topicNotFound(topic);
    return rows.map((row) => ({
      partition: row.partition,
      earliest: Number(row.earliest),
      next: Number(row.next_offset),
    }));
  }

  read(options: ReadOptions): LogReader {
    this.assertOpen();
    assertTopicName(options.topic);
    if (typeof options.from !== 'string') assertPositions(options.from);
    const reader = new PostgresReader(
      {
        pool: this.pool,
        hub: this.hub,
        tips: this.tips,
        onLog: this.options.onLog,
        onClose: (closed) => this.readers.delete(closed),
      },
      options,
    );
    this.readers.add(reader);
    return reader;
  }

  async consume(options: ConsumeOptions): Promise<GroupConsumer> {
    this.assertOpen();
    assertTopicName(options.topic);
    if (!options.groupId) throw new InputError('A consumer needs a groupId.');
    const partitions = await this.partitionCount(options.topic);
    if (partitions === undefined) throw topicNotFound(options.topic);
    const consumer = await PostgresGroupConsumer.start(
      {
        pool: this.pool,
        hub: this.hub,
        connect: () => this.connectDedicated(),
        pollIntervalMs: this.options.pollIntervalMs ?? 1000,
        heartbeatMs: this.options.heartbeatMs ?? 1000,
        retryBackoffMs: this.options.retryBackoffMs ?? 1000,
        maxBatchSize: Math.max(1, this.options.consumerBatchSize ?? 500),
        onLog: this.options.onLog,
        onClose: (closed) => this.consumers.delete(closed),
      },
      options,
      partitions,
    );
    if (this.closed) {
      await consumer.close();
      this.assertOpen();
    }
    this.consumers.add(consumer);
    return consumer;
  }

  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    assertTopicName(topic);
    try {
      const { rows } = await this.pool.query<{ partition: number; offset: string }>(
        'SELECT partition, "offset" FROM el_group_offsets WHERE group_id = $1 AND topic = $2 ORDER BY partition',
        [groupId, topic],
      );
      return new Map(rows.map((row) => [row.partition, Number(row.offset)]));
    } catch (error) {
      throw toEventLogError(error, 'read committed offsets');
    }
  }

  async commit(groupId: string, topic: string, positions: Positions): Promise<void> {
    assertTopicName(topic);
    assertPositions(positions);
    if (positions.size === 0) return;
    try {
      await this.pool.query(
        `INSERT INTO el_group_offsets (group_id, topic, partition, "offset", updated_at)
         SELECT $1, $2, c.partition, c."offset", now() FROM unnest($3::int[], $4::bigint[]) AS c(partition, "offset")
         ON CONFLICT (group_id, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset", updated_at = now()`,
        [groupId, topic, [...positions.keys()], [...positions.values()]],
      );
    } catch (error) {
      throw toEventLogError(error, 'commit offsets');
    }
  }

  async health(): Promise<HealthStatus> {
    const timeoutMs = this.options.healthTimeoutMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.pool.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: `PostgreSQL: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Deletes records past their topic's retention now (the timer calls this too) and returns
   * how many went. Exposed for operations and tests; not part of the EventLog interface.
   */
  async enforceRetention(): Promise<number> {
    try {
      return await deleteExpiredRecords(this.pool, this.options.defaultRetentionMs ?? DEFAULT_RETENTION_MS);
    } catch (error) {
      throw toEventLogError(error, 'delete expired records');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.retentionTimer);
    await Promise.all([...this.readers].map((reader) => reader.close()));
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
    this.tips.close();
    await this.hub.close();
    if (this.ownsPool) await this.pool.end().catch(() => undefined);
  }

  private async runRetention(): Promise<void> {
    if (this.retentionRunning || this.closed) return;
    this.retentionRunning = true;
    try {
      const deleted = await this.enforceRetention();
      if (deleted > 0) this.options.onLog?.('debug', 'event log: deleted expired records', { deleted });
    } catch (error) {
      this.options.onLog?.('warn', 'event log: retention run failed', { error: String(error) });
    } finally {
      this.retentionRunning = false;
    }
  }

  /** Partition count of a topic, cached: the embedded log never changes it after creation. */
  private async partitionCount(topic: string): Promise<number | undefined> {
    const cached = this.partitionCounts.get(topic);
    if (cached !== undefined) return cached;
    let rows: Array<{ partitions: number }>;
    try {
      ({ rows } = await this.pool.query('SELECT partitions FROM el_topics WHERE name = $1', [topic]));
    } catch (error) {
      throw toEventLogError(error, 'describe a topic');
    }
    const partitions = rows[0]?.partitions;
    if (partitions !== undefined) this.partitionCounts.set(topic, partitions);
    return partitions;
  }

  private connectDedicated(): PgClient {
    return this.options.databaseUrl ? createClient(this.options.databaseUrl) : new pg.Client(this.pool.options);
  }

  private assertOpen(): void {
    if (this.closed) throw new UnavailableError('The event log is closed.', { retriable: false });
  }
}

/** Creates the embedded event log kept in PostgreSQL (tables from the `init` migration). */
export function createPostgresEventLog(options: PostgresEventLogOptions): PostgresEventLog {
  return new PostgresEventLog(options);
}
