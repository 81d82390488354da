import { ConflictError, InputError, UnavailableError, type Positions } from '@meshgate/core';
import {
  Kafka,
  Partitioners,
  type Admin,
  type ConfigResourceTypes,
  type ConsumerConfig,
  type Message,
  type Producer,
} from 'kafkajs';
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
import { AppendQueue, type QueuedAppend } from './append-queue';
import { kafkaErrorType, toEventLogError } from './errors';
import { KafkaGroupConsumer } from './kafka-group-consumer';
import { KafkaReader } from './kafka-reader';
import { createLogCreator, toKafkaLogLevel } from './log-creator';
import { MetadataLock } from './metadata-lock';
import { delay } from '../signal';
import { byteLength, headersSizeBound, RECORD_BATCH_OVERHEAD, RECORD_OVERHEAD_BOUND, toKafkaMessage } from './records';

/** Attempts at reading offsets while partitions have no leader (about 3 s in all). */
const OFFSET_ATTEMPTS = 6;
/** kafkajs error types that mean "a partition's leader is not known (yet)". */
const LEADER_ERRORS = new Set(['NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER']);

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
  /**
   * How long an append waits for other appends to the same topic to share its produce call
   * (like the Java producer's `linger.ms`); default 0: until the next turn of the event loop.
   * Appends arriving while the topic's previous produce call is in flight share the next one
   * whatever this is.
   */
  lingerMs?: number;
  /** Most bytes (an upper bound of the encoded records) in one produce call; default 1 MiB. */
  maxSendBytes?: number;
  /** Most records in one produce call; default 1000 (kafkajs groups records per partition in quadratic time). */
  maxSendRecords?: number;
}

/** What an append needs to know of a topic beyond its partition count, from its configuration. */
interface TopicLimits {
  /** The topic's `max.message.bytes`: the largest record batch a partition accepts. */
  maxMessageBytes: number;
  /** `cleanup.policy` includes compact: the broker refuses records without a key. */
  compacted: boolean;
}

interface CachedLimits {
  limits: Promise<TopicLimits>;
  fetchedAt: number;
}

/** kafkajs's `ConfigResourceTypes.TOPIC`: Node's ESM view of kafkajs does not export the enum. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/** Kafka's default `message.max.bytes` (1 MiB plus the 12-byte log overhead). */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** A connected idempotent producer and the produce calls it has in flight. */
interface ProducerHandle {
  producer: Promise<Producer>;
  inFlight: number;
  retired: boolean;
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
  private readonly topicLimitsCache = new Map<string, CachedLimits>();
  private readonly appends: AppendQueue;
  private readonly readers = new Set<KafkaReader>();
  private readonly consumers = new Set<KafkaGroupConsumer>();
  private readonly groupDeletions = new Set<Promise<void>>();
  private readonly consumerConfig: Omit<ConsumerConfig, 'groupId'>;
  private adminPromise: Promise<Admin> | undefined;
  /** Keeps explicit-topic metadata fetches apart from offset reads (a kafkajs race; see MetadataLock). */
  private readonly metadataLock = new MetadataLock();
  private currentProducer: ProducerHandle | undefined;
  private readonly retiredProducers = new Set<ProducerHandle>();
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
    this.appends = new AppendQueue({
      send: (topic, messages, appends) => this.send(topic, messages, appends),
      lingerMs: options.lingerMs ?? 0,
      maxSendBytes: options.maxSendBytes ?? 1024 * 1024,
      maxSendRecords: options.maxSendRecords ?? 1000,
    });
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
    this.assertOpen();
    assertTopicName(topic);
    assertRecords(records);
    if (records.length === 0) return [];
    const [partitions, limits] = await Promise.all([this.requirePartitions(topic), this.topicLimits(topic)]);
    this.assertOpen();
    const now = new Date();
    const nowMs = String(now.getTime());
    const timestamps: Date[] = new Array(records.length);
    const messages: Message[] = new Array(records.length);
    const partitionBytes = new Map<number, number>();
    let bytes = 0;
    let alone = false;
    // Records of one request usually share one headers object: size it once.
    let sizedHeaders: RecordInput['headers'] | null = null;
    let headerBytes = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      // The partition is chosen here, not by kafkajs, so both adapters place a key identically.
      const partition = this.partitioner(topic, partitions, record);
      const timestamp = record.timestamp ?? now;
      const message = toKafkaMessage(record, partition, timestamp === now ? nowMs : String(timestamp.getTime()));
      if (record.headers !== sizedHeaders) {
        sizedHeaders = record.headers;
        headerBytes = record.headers ? headersSizeBound(record.headers) : 0;
      }
      const size = RECORD_OVERHEAD_BOUND + byteLength(record.key) + byteLength(record.value) + headerBytes;
      partitionBytes.set(partition, (partitionBytes.get(partition) ?? 0) + size);
      bytes += size;
      // Records the broker may refuse one by one (a keyless record on a compacted topic, a
      // timestamp it may find out of range) would fail every append sharing their produce call.
      if ((limits.compacted && message.key == null) || record.timestamp !== undefined) alone = true;
      timestamps[i] = timestamp;
      messages[i] = message;
    }
    const offsets = await new Promise<number[]>((resolve, reject) => {
      const queued: QueuedAppend = {
        messages,
        partitionBytes,
        bytes,
        partitionCap: limits.maxMessageBytes - RECORD_BATCH_OVERHEAD,
        alone,
        resolve,
        reject,
      };
      this.appends.enqueue(topic, queued);
    });
    return offsets.map((offset, i) => ({ partition: messages[i]!.partition!, offset, timestamp: timestamps[i]! }));
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    assertTopicName(topic);
    // The metadata check fails fast on a missing topic; fetchTopicOffsets alone would retry for seconds.
    await this.requirePartitions(topic);
    const admin = await this.admin();
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await this.metadataLock.shared(() => admin.fetchTopicOffsets(topic));
        return offsets
          .map(({ partition, low, high }) => ({ partition, earliest: Number(low), next: Number(high) }))
          .sort((a, b) => a.partition - b.partition);
      } catch (error) {
        // Right after a topic is created (or while a broker fails over) a partition may have no
        // leader yet, and kafkajs does not retry ListOffsets for it: refresh the leaders and retry.
        const type = kafkaErrorType(error);
        if (attempt >= OFFSET_ATTEMPTS || !type || !LEADER_ERRORS.has(type)) {
          throw toEventLogError(error, 'read offsets', topic);
        }
        await delay(50 * 2 ** attempt);
        await this.metadataLock.shared(() => admin.fetchTopicMetadata({ topics: [topic] })).catch(() => undefined);
      }
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
    // Appends accepted before the close still get their produce call.
    await this.appends.drain();
    const handles = [...this.retiredProducers, ...(this.currentProducer ? [this.currentProducer] : [])];
    this.currentProducer = undefined;
    this.retiredProducers.clear();
    const [admin, ...producers] = await Promise.all([
      this.adminPromise?.catch(() => undefined),
      ...handles.map((handle) => handle.producer.catch(() => undefined)),
    ]);
    await Promise.all([
      admin?.disconnect().catch(() => undefined),
      ...producers.map((producer) => producer?.disconnect().catch(() => undefined)),
    ]);
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

  /**
   * One produce call for a topic (see {@link AppendQueue}): resolves with the base offset of each
   * partition written. kafkajs writes one batch per partition with the messages in input order.
   */
  private async send(topic: string, messages: Message[], appends: number): Promise<ReadonlyMap<number, number>> {
    const handle = this.producerHandle();
    handle.inFlight++;
    try {
      const producer = await handle.producer;
      const metadata = await producer.send({ topic, acks: -1, messages });
      return new Map(metadata.map((entry) => [entry.partition, Number(entry.baseOffset)]));
    } catch (error) {
      // A failed send leaves kafkajs's idempotence sequence numbers rolled back for every
      // partition of the request, also those the broker accepted: the next batch to such a
      // partition would be acknowledged as a duplicate without being written, or refused as out
      // of order. A new producer (a new producer id) starts clean.
      this.retireProducer(handle);
      const type = kafkaErrorType(error);
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        this.partitionCounts.delete(topic);
        this.topicLimitsCache.delete(topic);
      }
      const mapped = toEventLogError(error, 'append records', topic);
      if (appends > 1 && mapped.code === 'INVALID_REQUEST') {
        // The broker refused some records (the topic's limits changed since they were read):
        // which append they belong to is unknown, and the others' partitions may have been
        // written. Not the client's fault, so retriable; the retry goes with fresh limits.
        this.topicLimitsCache.delete(topic);
        throw new UnavailableError(
          `Kafka refused a produce call this append shared with ${appends - 1} other(s) (${type ?? 'unknown'}); some of its records may have been written.`,
          { cause: error, retriable: true },
        );
      }
      throw mapped;
    } finally {
      handle.inFlight--;
      if (handle.retired && handle.inFlight === 0) this.disconnectRetired(handle);
    }
  }

  /** The producer new sends use, connected on first use (and again after a failure). */
  private producerHandle(): ProducerHandle {
    if (this.currentProducer) return this.currentProducer;
    const handle: ProducerHandle = { producer: this.connectProducer(), inFlight: 0, retired: false };
    this.currentProducer = handle;
    return handle;
  }

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs's idempotent producer holds a lock per broker for each produce request, so it
      // never has more than one in flight per broker whatever this says; the append queue
      // batches what would wait behind it instead.
      maxInFlightRequests: 1,
      // Bounded so an append fails (retriable) instead of hanging while Kafka is down.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5000 },
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      throw toEventLogError(error, 'connect');
    }
    return producer;
  }

  /** Stops giving out a producer; it is disconnected once its sends in flight are done. */
  private retireProducer(handle: ProducerHandle): void {
    if (handle.retired) return;
    handle.retired = true;
    if (this.currentProducer === handle) this.currentProducer = undefined;
    this.retiredProducers.add(handle);
  }

  private disconnectRetired(handle: ProducerHandle): void {
    this.retiredProducers.delete(handle);
    handle.producer.then(
      (producer) => producer.disconnect().catch(() => undefined),
      () => undefined,
    );
  }

  /** A topic's `max.message.bytes` and cleanup policy, cached like its partition count. */
  private topicLimits(topic: string): Promise<TopicLimits> {
    const maxAgeMs = this.options.metadataMaxAgeMs ?? 30_000;
    const cached = this.topicLimitsCache.get(topic);
    if (cached && Date.now() - cached.fetchedAt < maxAgeMs) return cached.limits;
    const limits = this.fetchTopicLimits(topic);
    const entry = { limits, fetchedAt: Date.now() };
    this.topicLimitsCache.set(topic, entry);
    limits.catch(() => {
      if (this.topicLimitsCache.get(topic) === entry) this.topicLimitsCache.delete(topic);
    });
    return limits;
  }

  private async fetchTopicLimits(topic: string): Promise<TopicLimits> {
    const admin = await this.admin();
    try {
      const { resources } = await admin.describeConfigs({
        resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['max.message.bytes', 'cleanup.policy'] }],
        includeSynonyms: false,
      });
      const entries = new Map(
        (resources[0]?.configEntries ?? []).map((entry) => [entry.configName, entry.configValue]),
      );
      const maxMessageBytes = Number(entries.get('max.message.bytes'));
      return {
        maxMessageBytes:
          Number.isSafeInteger(maxMessageBytes) && maxMessageBytes > 0 ? maxMessageBytes : DEFAULT_MAX_MESSAGE_BYTES,
        compacted: (entries.get('cleanup.policy') ?? '').includes('compact'),
      };
    } catch (error) {
      // Without the right to describe configs, assume the broker's defaults: then only a topic
      // with a lower limit could refuse a shared produce call that separate ones would pass.
      this.options.onLog?.('warn', `kafka: could not read the configuration of topic ${topic}; assuming defaults`, {
        error: error instanceof Error ? error.message : String(error),
      });
      return { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES, compacted: false };
    }
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
      const { topics } = await this.metadataLock.exclusive(() => admin.fetchTopicMetadata({ topics: [topic] }));
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
