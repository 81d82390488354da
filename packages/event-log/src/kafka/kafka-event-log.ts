import { ConflictError, InputError, UnavailableError, type Positions } from '@meshgate/core';
import { Kafka, Partitioners, type Admin, type ConsumerConfig, type Producer } from 'kafkajs';
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
import type { LogCallback, LogLevel } from '../log';
import { createPartitioner, type Partitioner } from '../partitioner';
import { topicNotFound } from '../errors';
import { assertPositions, assertRecords, assertTopicName, assertTopicSpec } from '../validate';
import { kafkaErrorType, toEventLogError } from './errors';
import { KafkaGroupConsumer } from './kafka-group-consumer';
import { KafkaReader } from './kafka-reader';
import { createLogCreator, toKafkaLogLevel } from './log-creator';
import { toKafkaMessage } from './records';

/** Options for {@link createKafkaEventLog}. */
export interface KafkaEventLogOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Client id the brokers see in their logs and quotas; default 'meshgate'. */
  clientId?: string;
  /** Receives kafkajs's log lines; default: none (kafkajs stays silent). */
  onLog?: LogCallback;
  /** Most verbose kafkajs level passed to `onLog`; default 'warn'. */
  logLevel?: LogLevel;
  /** TCP connect timeout; default 3000 ms. */
  connectionTimeoutMs?: number;
  /** Timeout of one request to a broker; default 30 000 ms. */
  requestTimeoutMs?: number;
  /** How long health() waits for the cluster to answer; default 3000 ms. */
  healthTimeoutMs?: number;
  /** Consumer session timeout: a silent member leaves the group after it; default 30 000 ms. */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval, which also bounds how fast members notice a rebalance; default 3000 ms. */
  heartbeatIntervalMs?: number;
  /**
   * Longest a fetch waits on the broker for new records. Tailing latency does not depend on it
   * (the broker answers as soon as a record arrives) but closing a reader or member may wait for
   * it; default 1000 ms.
   */
  maxWaitTimeMs?: number;
  /** Delay before a batch whose handler failed is handed again (doubling, at most 30 s); default 1000 ms. */
  retryBackoffMs?: number;
  /** How long a topic's partition count is trusted before it is fetched again; default 30 000 ms. */
  metadataMaxAgeMs?: number;
}

interface CachedPartitions {
  partitions: number;
  fetchedAt: number;
}

/**
 * The event log on Apache Kafka (or any Kafka-API platform) through kafkajs. One admin and one
 * idempotent producer per instance, shared by every call; readers and group members each run
 * a kafkajs consumer of their own.
 */
export class KafkaEventLog implements EventLog {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly partitioner: Partitioner = createPartitioner();
  private readonly partitionCounts = new Map<string, CachedPartitions>();
  private readonly readers = new Set<KafkaReader>();
  private readonly consumers = new Set<KafkaGroupConsumer>();
  private readonly groupDeletions = new Set<Promise<void>>();
  private readonly consumerConfig: Omit<ConsumerConfig, 'groupId'>;
  private adminPromise: Promise<Admin> | undefined;
  private producerPromise: Promise<Producer> | undefined;
  private closed = false;

  constructor(private readonly options: KafkaEventLogOptions) {
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
      throw new InputError('The Kafka event log needs at least one broker.');
    }
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'meshgate',
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5000 },
      logLevel: toKafkaLogLevel(options.logLevel, options.onLog),
      logCreator: createLogCreator(options.onLog),
    });
    this.consumerConfig = {
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3000,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 1000,
      allowAutoTopicCreation: false,
    };
  }

  async createTopic(spec: TopicSpec): Promise<boolean> {
    assertTopicSpec(spec);
    const admin = await this.admin();
    try {
      return await admin.createTopics({
        topics: [
          {
            topic: spec.name,
            numPartitions: spec.partitions,
            configEntries:
              spec.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(spec.retentionMs) }],
          },
        ],
        waitForLeaders: true,
      });
    } catch (error) {
      throw toEventLogError(error, 'create a topic', spec.name);
    }
  }

  async describeTopic(topic: string): Promise<TopicDescription | undefined> {
    assertTopicName(topic);
    const partitions = await this.partitionCount(topic, 0);
    return partitions === undefined ? undefined : { name: topic, partitions };
  }

  async append(topic: string, records: readonly RecordInput[]): Promise<AppendResult[]> {
    assertTopicName(topic);
    assertRecords(records);
    if (records.length === 0) return [];
    const partitions = await this.requirePartitions(topic);
    // The partition is chosen here, not by kafkajs, so both adapters place a key identically.
    const assigned = records.map((record) => this.partitioner(topic, partitions, record));
    const now = new Date();
    const timestamps = records.map((record) => record.timestamp ?? now);
    const producer = await this.producer();
    let metadata;
    try {
      metadata = await producer.send({
        topic,
        acks: -1,
        messages: records.map((record, i) => toKafkaMessage(record, assigned[i]!, timestamps[i]!)),
      });
    } catch (error) {
      if (kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') this.partitionCounts.delete(topic);
      throw toEventLogError(error, 'append records', topic);
    }
    // kafkajs writes one batch per partition, in input order: offsets are base + index.
    const base = new Map(metadata.map((entry) => [entry.partition, Number(entry.baseOffset)]));
    const seen = new Map<number, number>();
    return assigned.map((partition, i) => {
      const index = seen.get(partition) ?? 0;
      seen.set(partition, index + 1);
      const offset = base.get(partition);
      if (offset === undefined) throw new UnavailableError(`Kafka did not acknowledge partition ${partition}.`);
      return { partition, offset: offset + index, timestamp: timestamps[i]! };
    });
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    assertTopicName(topic);
    // The metadata check fails fast on a missing topic; fetchTopicOffsets alone would retry for seconds.
    await this.requirePartitions(topic);
    const admin = await this.admin();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets
        .map(({ partition, low, high }) => ({ partition, earliest: Number(low), next: Number(high) }))
        .sort((a, b) => a.partition - b.partition);
    } catch (error) {
      throw toEventLogError(error, 'read offsets', topic);
    }
  }

  read(options: ReadOptions): LogReader {
    this.assertOpen();
    assertTopicName(options.topic);
    if (typeof options.from !== 'string') assertPositions(options.from);
    const reader = new KafkaReader(
      {
        kafka: this.kafka,
        consumerConfig: this.consumerConfig,
        offsets: (topic) => this.offsets(topic),
        forgetGroup: (groupId) => this.forgetGroup(groupId),
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
    await this.requirePartitions(options.topic);
    const consumer = await KafkaGroupConsumer.start(
      {
        kafka: this.kafka,
        consumerConfig: this.consumerConfig,
        retryBackoffMs: this.options.retryBackoffMs ?? 1000,
        onLog: this.options.onLog,
        onClose: (closed) => this.consumers.delete(closed),
      },
      options,
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
    await this.requirePartitions(topic);
    const admin = await this.admin();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = new Map<number, number>();
      for (const { partition, offset } of entry?.partitions ?? []) {
        // -1: nothing committed for this partition.
        if (Number(offset) >= 0) committed.set(partition, Number(offset));
      }
      return committed;
    } catch (error) {
      throw toEventLogError(error, 'read committed offsets', topic);
    }
  }

  /**
   * Commits positions for a group. Kafka accepts outside commits only while the group has no
   * active members (CONFLICT otherwise). kafkajs's admin.setOffsets waits out a full fetch (5 s)
   * and cannot be tuned, so a short-lived member of the empty group commits instead.
   */
  async commit(groupId: string, topic: string, positions: Positions): Promise<void> {
    assertTopicName(topic);
    assertPositions(positions);
    if (positions.size === 0) return;
    await this.requirePartitions(topic);
    const admin = await this.admin();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      const state = groups[0]?.state ?? 'Dead';
      if (state !== 'Empty' && state !== 'Dead') {
        throw new ConflictError(`Cannot commit for group "${groupId}" while it has active members (${state}).`);
      }
      const committer = this.kafka.consumer({ ...this.consumerConfig, groupId, maxWaitTimeInMs: 100 });
      try {
        await committer.connect();
        await committer.subscribe({ topics: [topic] });
        await committer.run({ autoCommit: false, eachBatch: async () => undefined });
        committer.pause([{ topic }]);
        await committer.commitOffsets(
          [...positions].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
        );
      } finally {
        await committer.disconnect().catch(() => undefined);
      }
    } catch (error) {
      throw toEventLogError(error, 'commit offsets', topic);
    }
  }

  async health(): Promise<HealthStatus> {
    const timeoutMs = this.options.healthTimeoutMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const cluster = await Promise.race([
        this.admin().then((admin) => admin.describeCluster()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (cluster.brokers.length === 0) return { ok: false, detail: 'Kafka: the cluster reports no brokers' };
      return { ok: true };
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      return { ok: false, detail: `Kafka: ${cause instanceof Error ? cause.message : String(cause)}` };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.readers].map((reader) => reader.close()));
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
    await Promise.all(this.groupDeletions);
    const [producer, admin] = await Promise.all([
      this.producerPromise?.catch(() => undefined),
      this.adminPromise?.catch(() => undefined),
    ]);
    await Promise.all([producer?.disconnect().catch(() => undefined), admin?.disconnect().catch(() => undefined)]);
  }

  /** The shared admin client, connected on first use (and again after a failed attempt). */
  private admin(): Promise<Admin> {
    this.assertOpen();
    return this.connectAdmin();
  }

  private connectAdmin(): Promise<Admin> {
    this.adminPromise ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.adminPromise = undefined;
      throw toEventLogError(error, 'connect');
    });
    return this.adminPromise;
  }

  private producer(): Promise<Producer> {
    this.assertOpen();
    this.producerPromise ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        // One request in flight keeps batches in order even across retries.
        maxInFlightRequests: 1,
        // Bounded so an append fails (retriable) instead of hanging while Kafka is down.
        retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5000 },
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producerPromise = undefined;
      throw toEventLogError(error, 'connect');
    });
    return this.producerPromise;
  }

  /** A topic's partition count, cached for `metadataMaxAgeMs`; undefined when it does not exist. */
  private async partitionCount(
    topic: string,
    maxAgeMs = this.options.metadataMaxAgeMs ?? 30_000,
  ): Promise<number | undefined> {
    const cached = this.partitionCounts.get(topic);
    if (cached && Date.now() - cached.fetchedAt < maxAgeMs) return cached.partitions;
    const admin = await this.admin();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics.find((entry) => entry.name === topic)?.partitions.length;
      if (partitions === undefined || partitions === 0) return undefined;
      this.partitionCounts.set(topic, { partitions, fetchedAt: Date.now() });
      return partitions;
    } catch (error) {
      if (kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') {
        this.partitionCounts.delete(topic);
        return undefined;
      }
      throw toEventLogError(error, 'describe a topic', topic);
    }
  }

  private async requirePartitions(topic: string): Promise<number> {
    const partitions = await this.partitionCount(topic);
    if (partitions === undefined) throw topicNotFound(topic);
    return partitions;
  }

  private forgetGroup(groupId: string): void {
    // Also runs while close() is under way (readers close first), hence no open check here.
    const deletion = this.connectAdmin()
      .then((admin) => admin.deleteGroups([groupId]))
      .then(
        () => undefined,
        // Usually the group is already gone (empty and without offsets); nothing to do either way.
        () => undefined,
      )
      .finally(() => this.groupDeletions.delete(deletion));
    this.groupDeletions.add(deletion);
  }

  private assertOpen(): void {
    if (this.closed) throw new UnavailableError('The event log is closed.', { retriable: false });
  }
}

/** Creates the Kafka adapter of the event log. */
export function createKafkaEventLog(options: KafkaEventLogOptions): KafkaEventLog {
  return new KafkaEventLog(options);
}
