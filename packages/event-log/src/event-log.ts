import type { Positions } from '@meshgate/core';

/**
 * The streaming platform behind the gateway. Two adapters implement it — Kafka (kafkajs) for
 * production and scale-out, and an embedded log kept in PostgreSQL for the zero-configuration
 * default — and one contract test suite proves they behave alike.
 *
 * Offsets are plain numbers: Kafka's are int64, but 2^53 records in one partition is not a
 * practical concern, and numbers keep cursor arithmetic simple.
 */
export interface EventLog {
  /** Which adapter this is, for logs and /readyz. */
  readonly kind: 'kafka' | 'postgres';
  /** Creates a topic; resolves true when created, false when it already existed (idempotent). */
  createTopic(spec: TopicSpec): Promise<boolean>;
  /** Describes a topic, or undefined when it does not exist. */
  describeTopic(topic: string): Promise<TopicDescription | undefined>;
  /**
   * Appends records and resolves with each one's position, in input order. Records with the
   * same key go to the same partition (Kafka's murmur2 partitioner in both adapters); records
   * without key or partition are spread round-robin. Order is kept per partition.
   */
  append(topic: string, records: readonly RecordInput[]): Promise<AppendResult[]>;
  /** Earliest retained and next-to-be-written offset of every partition. */
  offsets(topic: string): Promise<PartitionOffsets[]>;
  /**
   * Reads every partition of a topic from the given positions and keeps tailing it until
   * closed. Partitions absent from a position map start at their earliest retained record.
   * No consumer group is involved and nothing is committed.
   */
  read(options: ReadOptions): LogReader;
  /**
   * Joins a consumer group: the group's members share the topic's partitions, each record is
   * handed to `handler` at least once, and positions are committed after the handler resolves.
   */
  consume(options: ConsumeOptions): Promise<GroupConsumer>;
  /** The group's committed positions (next offset to read) per partition. */
  committed(groupId: string, topic: string): Promise<Map<number, number>>;
  /** Commits positions (next offset to read) for a group. */
  commit(groupId: string, topic: string, positions: Positions): Promise<void>;
  /** Whether the platform is reachable right now, with a human-readable reason when not. */
  health(): Promise<HealthStatus>;
  /** Closes every reader, consumer and connection this instance opened. */
  close(): Promise<void>;
}

/** A topic to create. */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** Records older than this may be deleted; default: the adapter's (7 days). */
  retentionMs?: number;
}

/** An existing topic. */
export interface TopicDescription {
  name: string;
  partitions: number;
}

/** A record to append. */
export interface RecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
  /** Default: now. */
  timestamp?: Date;
  /** Explicit partition; default: by key, or round-robin without a key. */
  partition?: number;
}

/** Where an appended record landed. */
export interface AppendResult {
  partition: number;
  offset: number;
  timestamp: Date;
}

/** A record read back from the log. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: Date;
}

/** Offsets of one partition. */
export interface PartitionOffsets {
  partition: number;
  /** Offset of the earliest retained record (equals `next` when the partition is empty). */
  earliest: number;
  /** Offset the next appended record will get (Kafka's high watermark). */
  next: number;
}

/** Options for {@link EventLog.read}. */
export interface ReadOptions {
  topic: string;
  /** Where to start: explicit positions, the earliest retained record, or only new records. */
  from: Positions | 'earliest' | 'latest';
  /** Upper bound on records per yielded batch; default 500. */
  maxBatchSize?: number;
}

/** A tailing reader: an async iterable of record batches (in offset order per partition). */
export interface LogReader extends AsyncIterable<LogRecord[]> {
  /** Stops reading and releases everything the reader holds; pending iteration ends. */
  close(): Promise<void>;
}

/** Options for {@link EventLog.consume}. */
export interface ConsumeOptions {
  groupId: string;
  topic: string;
  /** Where a group with no committed position starts; default 'earliest'. */
  from?: 'earliest' | 'latest';
  /** Called with each batch (records of one partition, in order); commit follows its success. */
  handler: (records: LogRecord[]) => Promise<void>;
  /**
   * Records the handler need not see, which a member may pass over without reading them. A hint:
   * a member that ignores it (the embedded log's) hands every record to the handler.
   */
  skip?: SkippableRecords;
}

/**
 * Runs of records a group member may pass over unread ({@link ConsumeOptions.skip}). After a
 * batch whose every record was skippable, the Kafka member rests that partition for `restMs`,
 * then moves its position (and the group's committed one) to the end of the skippable run that
 * starts where it stopped, and reads on from there. A stream of skippable records is thus
 * passed over in runs, never fetched, at the price of reading a record that must be read up to
 * `restMs` late when it follows such a batch.
 */
export interface SkippableRecords {
  /**
   * Where the run of skippable records of `partition` starting at `offset` ends: the first
   * offset after it, or `offset` itself when the record there must be handed to the handler.
   * Must be synchronous and cheap, and must never count in a record the handler must see.
   */
  runEnd(partition: number, offset: number): number;
  /** How long a partition whose last batch was all skippable rests before reading on, ms. */
  restMs: number;
  /** Told of each run passed over unread: offsets `[from, to)` of `partition`. Must not throw. */
  passed?(partition: number, from: number, to: number): void;
}

/** A running member of a consumer group. */
export interface GroupConsumer {
  /** Partitions this member currently owns. */
  assignment(): number[];
  /** Leaves the group (after the in-flight batch) and releases its partitions. */
  close(): Promise<void>;
}

/** Result of {@link EventLog.health}. */
export interface HealthStatus {
  ok: boolean;
  detail?: string;
}
