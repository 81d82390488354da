import type {
  EventLog,
  GroupConsumer,
  LogCallback,
  LogRecord,
  RecordInput,
  SkippableRecords,
} from '@meshgate/event-log';
import type { InvalidRecordReason, RecordCheck } from '../record-check';
import { decodeRecordValue } from '../record-value';
import { toDeadLetterRecord } from './dead-letter-record';
import type { ValidatedRecords } from './validated-offsets';

/** One topic to check and where its invalid records go. */
export interface DeadLetterRoute {
  topic: string;
  deadLetterTopic: string;
}

/** Where the worker learns which topics to check (e.g. the event catalog). */
export interface DeadLetterRoutes {
  /** The routes now. A topic must appear at most once. */
  list(): Promise<DeadLetterRoute[]>;
  /** Calls `listener` whenever the routes may have changed; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** Hooks through which the worker reports (e.g. into Prometheus). Called synchronously; must not throw. */
export interface DeadLetterMetrics {
  /** Records appended to a dead-letter topic, after the append succeeded. */
  deadLettered?(eventType: string, reason: InvalidRecordReason, count: number): void;
  /**
   * Records of a handled batch: `checked` went through the record check, `skipped` did not
   * because this instance validated them before appending them (see `validated`).
   */
  handled?(topic: string, checked: number, skipped: number): void;
}

/** Options for {@link DeadLetterWorker}. */
export interface DeadLetterWorkerOptions {
  /** The platform to consume from and append to. The worker never closes it. */
  eventLog: EventLog;
  /** The same check the hub uses, so the worker dead-letters exactly what streams skip. */
  check: RecordCheck;
  routes: DeadLetterRoutes;
  /**
   * Prefix of the consumer groups: one group per source topic, `<groupId>.<topic>` (a kafkajs
   * group cannot mix members subscribed to different topics). Default `meshgate-dead-letter`.
   */
  groupId?: string;
  /** Where a topic's group starts when it has no committed position; default 'earliest'. */
  from?: 'earliest' | 'latest';
  /** How often the routes are re-listed even without a change notification; default 30 000 ms. */
  resyncIntervalMs?: number;
  /** Delay before retrying a topic the worker could not start on; default 5 000 ms. */
  retryDelayMs?: number;
  /**
   * Positions this instance's produce path validated and appended (a {@link ValidatedOffsets}):
   * records there are not checked again. Default: none, every record is checked.
   */
  validated?: ValidatedRecords;
  /**
   * With `validated`: how long a partition rests after a batch this instance had validated in
   * full, before the worker passes over (without reading them) the validated records appended
   * meanwhile and reads on. Default 1 000 ms. The price: a direct producer's record that
   * follows such a batch is checked (and dead-lettered) up to this much later — streams never
   * deliver an invalid record either way. 0 reads everything, as without the pause.
   */
  restMs?: number;
  metrics?: DeadLetterMetrics;
  onLog?: LogCallback;
}

/** The worker's state of one topic. */
interface Member {
  route: DeadLetterRoute;
  consumer: GroupConsumer;
}

/**
 * Validates records that reached event-type topics without going through the gateway and
 * appends the invalid ones to a dead-letter topic. Joins one consumer group per source topic,
 * so across any number of gateway instances exactly one member owns each partition and is its
 * only dead-letter writer. At least once: a batch's position is committed only after its
 * dead-letter append succeeded; a crash in between appends the same records again, which
 * readers recognise by the `meshgate-dlq-source` header. Follows route changes without a restart.
 * See README.md beside this file.
 */
export class DeadLetterWorker {
  private readonly members = new Map<string, Member>();
  private readonly groupId: string;
  private readonly resyncIntervalMs: number;
  private readonly retryDelayMs: number;
  private unsubscribe: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: DeadLetterWorkerOptions) {
    this.groupId = options.groupId ?? 'meshgate-dead-letter';
    this.resyncIntervalMs = options.resyncIntervalMs ?? 30_000;
    this.retryDelayMs = options.retryDelayMs ?? 5_000;
  }

  /** Starts following the routes; the first sync runs in the background (see {@link sync}). */
  start(): void {
    if (this.closed || this.unsubscribe) return;
    this.unsubscribe = this.options.routes.onChange(() => void this.sync());
    this.resyncTimer = setInterval(() => void this.sync(), this.resyncIntervalMs);
    this.resyncTimer.unref();
    void this.sync();
  }

  /** Topics the worker consumes now (joined, not necessarily owning partitions). */
  topics(): string[] {
    return [...this.members.keys()].sort();
  }

  /** Partitions of a topic this instance owns now. */
  assignment(topic: string): number[] {
    return this.members.get(topic)?.consumer.assignment() ?? [];
  }

  /**
   * Brings the consumed topics in line with the routes now: joins new topics, leaves removed
   * ones. Concurrent calls share one run (plus one more if a change came meanwhile). Never rejects.
   */
  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = async () => {
      do {
        this.syncAgain = false;
        await this.reconcile();
      } while (this.syncAgain && !this.closed);
    };
    this.syncing = run().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Leaves every group (after the batch in hand) and stops following the routes. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.unsubscribe?.();
      clearInterval(this.resyncTimer);
      clearTimeout(this.retryTimer);
      await this.syncing;
      const members = [...this.members.values()];
      this.members.clear();
      await Promise.all(members.map((member) => this.leave(member)));
    })();
    return this.closing;
  }

  private async reconcile(): Promise<void> {
    let routes: DeadLetterRoute[];
    try {
      routes = await this.options.routes.list();
    } catch (error) {
      this.log('warn', 'dead-letter worker: listing the topics to check failed', { error: String(error) });
      this.retryLater();
      return;
    }
    const wanted = new Map<string, DeadLetterRoute>();
    const deadLetterTopics = new Set(routes.map((route) => route.deadLetterTopic));
    for (const route of routes) {
      // A dead-letter topic is never checked itself, even if an event type points at it.
      if (!deadLetterTopics.has(route.topic) && !wanted.has(route.topic)) wanted.set(route.topic, route);
    }
    const leaving: Member[] = [];
    for (const [topic, member] of this.members) {
      if (wanted.get(topic)?.deadLetterTopic !== member.route.deadLetterTopic) {
        this.members.delete(topic);
        leaving.push(member);
      }
    }
    await Promise.all(leaving.map((member) => this.leave(member)));
    const joining = [...wanted.values()].filter((route) => !this.members.has(route.topic));
    const failed = await Promise.all(joining.map((route) => this.join(route)));
    if (failed.some((ok) => !ok)) this.retryLater();
  }

  /** Joins a topic's group; resolves false (logged) when it could not. */
  private async join(route: DeadLetterRoute): Promise<boolean> {
    const { eventLog } = this.options;
    try {
      const source = await eventLog.describeTopic(route.topic);
      if (!source) {
        this.log('warn', 'dead-letter worker: the topic does not exist yet', { topic: route.topic });
        return false;
      }
      await eventLog.createTopic({ name: route.deadLetterTopic, partitions: source.partitions });
      const target = await eventLog.describeTopic(route.deadLetterTopic);
      const partitions = target?.partitions ?? source.partitions;
      if (this.closed) return true;
      const skip = this.skippable(route.topic);
      const consumer = await eventLog.consume({
        groupId: `${this.groupId}.${route.topic}`,
        topic: route.topic,
        from: this.options.from ?? 'earliest',
        handler: (records) => this.handle(route, partitions, records),
        ...(skip ? { skip } : {}),
      });
      if (this.closed) {
        await consumer.close().catch(() => undefined);
        return true;
      }
      this.members.set(route.topic, { route, consumer });
      this.log('info', 'dead-letter worker: checking a topic', route as unknown as Record<string, unknown>);
      return true;
    } catch (error) {
      this.log('warn', 'dead-letter worker: could not start on a topic', { ...route, error: String(error) });
      return false;
    }
  }

  /** What the worker need not read of a topic: runs this instance validated (Kafka only). */
  private skippable(topic: string): SkippableRecords | undefined {
    const { validated, restMs = 1000 } = this.options;
    if (!validated || restMs <= 0) return undefined;
    return {
      restMs,
      runEnd: (partition, offset) => validated.runEnd(topic, partition, offset),
      passed: (_partition, from, to) => this.options.metrics?.handled?.(topic, 0, to - from),
    };
  }

  private async leave(member: Member): Promise<void> {
    await member.consumer.close().catch((error: unknown) => {
      this.log('warn', 'dead-letter worker: leaving a group failed', {
        topic: member.route.topic,
        error: String(error),
      });
    });
  }

  /**
   * One batch (one partition, in order): check every record this instance did not validate
   * itself when producing it, append the invalid ones, then let the commit follow.
   */
  private async handle(route: DeadLetterRoute, partitions: number, records: LogRecord[]): Promise<void> {
    const { validated } = this.options;
    let unchecked = records;
    if (validated) {
      const covered = (record: LogRecord) => validated.covers(route.topic, record.partition, record.offset);
      unchecked = records.filter((record) => !covered(record));
      // A record may be read before the append that wrote it has been told its positions.
      const appends = unchecked.length > 0 ? validated.settled(route.topic) : undefined;
      if (appends) {
        await appends;
        unchecked = unchecked.filter((record) => !covered(record));
      }
    }
    const dead: RecordInput[] = [];
    const counts = new Map<string, { eventType: string; reason: InvalidRecordReason; count: number }>();
    if (unchecked.length > 0) {
      const inputs = unchecked.map((record) => ({
        headers: record.headers,
        value: decodeRecordValue(record.value, record.headers),
      }));
      const verdicts = await this.options.check.check(route.topic, inputs);
      if (verdicts.length !== unchecked.length) {
        throw new Error(`The record check returned ${verdicts.length} verdicts for ${unchecked.length} records.`);
      }
      const now = new Date();
      unchecked.forEach((record, index) => {
        const verdict = verdicts[index]!;
        if (verdict.valid) return;
        dead.push(toDeadLetterRecord(record, verdict, now, partitions));
        const eventType = verdict.eventType ?? '';
        const key = `${eventType}\n${verdict.reason}`;
        const entry = counts.get(key) ?? { eventType, reason: verdict.reason, count: 0 };
        entry.count += 1;
        counts.set(key, entry);
      });
    }
    if (dead.length > 0) await this.options.eventLog.append(route.deadLetterTopic, dead);
    for (const { eventType, reason, count } of counts.values()) {
      this.options.metrics?.deadLettered?.(eventType, reason, count);
    }
    this.options.metrics?.handled?.(route.topic, unchecked.length, records.length - unchecked.length);
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.sync();
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  private log(level: 'info' | 'warn', message: string, extra?: Record<string, unknown>): void {
    this.options.onLog?.(level, message, extra);
  }
}
