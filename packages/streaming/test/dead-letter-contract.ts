import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { EventLog, LogRecord, RecordInput } from '@meshgate/event-log';
import {
  DeadLetterWorker,
  deadLetterHeaders,
  encodeRecordValue,
  parseDeadLetterSource,
  type DeadLetterRoute,
  type DeadLetterRoutes,
  type DeadLetterWorkerOptions,
  type RecordCheck,
  type RecordVerdict,
  ValidatedOffsets,
} from '../src';
import { range, uniqueName, waitFor } from './helpers';

/** Opens an EventLog under test (called once per simulated gateway instance); the suite closes them. */
export type EventLogFactory = () => Promise<EventLog>;

const TEST_TIMEOUT_MS = 120_000;
const VALID: RecordVerdict = { valid: true, eventType: 'counter' };

/** A check of the test's own: valid when the value is a JSON object with a numeric `n`. */
const check: RecordCheck = {
  check: (_topic, records) =>
    records.map((record): RecordVerdict => {
      const { value } = record;
      if (!value.ok)
        return {
          valid: false,
          eventType: 'counter',
          reason: 'NOT_JSON',
          detail: value.problem,
          schemaId: value.schemaId,
        };
      const n = (value.data as { n?: unknown } | null)?.n;
      if (typeof n === 'number') return VALID;
      return {
        valid: false,
        eventType: 'counter',
        reason: 'SCHEMA_MISMATCH',
        detail: '/n: must be number',
        schemaId: value.schemaId,
      };
    }),
};

/** Routes the test changes at will, announcing each change. */
class TestRoutes implements DeadLetterRoutes {
  private readonly listeners = new Set<() => void>();
  constructor(public routes: DeadLetterRoute[]) {}
  list(): Promise<DeadLetterRoute[]> {
    return Promise.resolve([...this.routes]);
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(routes: DeadLetterRoute[]): void {
    this.routes = routes;
    for (const listener of this.listeners) listener();
  }
}

/** Waits until the worker created a dead-letter topic. */
async function topicCreated(log: EventLog, topic: string): Promise<void> {
  // Readable once it exists and has leaders (Kafka creates a topic before electing them).
  await waitFor(
    () =>
      log.offsets(topic).then(
        () => true,
        () => false,
      ),
    `topic ${topic} to be created`,
  );
}

/** Reads a topic from the start until `count` records arrived (or fails after the timeout). */
async function readAll(log: EventLog, topic: string, count: number, timeoutMs = 60_000): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  await topicCreated(log, topic);
  const reader = log.read({ topic, from: 'earliest' });
  const timer = setTimeout(() => void reader.close(), timeoutMs);
  try {
    for await (const batch of reader) {
      records.push(...batch);
      if (records.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await reader.close();
  }
  if (records.length < count) throw new Error(`read ${records.length} of ${count} records from ${topic}`);
  return records;
}

/** Reads a dead-letter topic until every expected source was seen; returns every source seen. */
async function readSources(log: EventLog, topic: string, expected: ReadonlySet<string>): Promise<Set<string>> {
  const seen = new Set<string>();
  const missing = new Set(expected);
  await topicCreated(log, topic);
  const reader = log.read({ topic, from: 'earliest' });
  const timer = setTimeout(() => void reader.close(), 60_000);
  try {
    for await (const batch of reader) {
      for (const record of batch) {
        const source = record.headers[deadLetterHeaders.source]!;
        seen.add(source);
        missing.delete(source);
      }
      if (missing.size === 0) break;
    }
  } finally {
    clearTimeout(timer);
    await reader.close();
  }
  return seen;
}

/**
 * The dead-letter worker on a real event log (no mocks): the same suite for the embedded
 * PostgreSQL log and for Kafka.
 */
export function describeDeadLetterWorker(name: string, factory: EventLogFactory): void {
  describe(`DeadLetterWorker on ${name}`, { timeout: TEST_TIMEOUT_MS }, () => {
    const logs: EventLog[] = [];
    let log: EventLog;

    beforeAll(async () => {
      log = await factory();
      logs.push(log);
    });
    afterAll(async () => {
      await Promise.all(logs.map((opened) => opened.close()));
    });

    async function newRoute(partitions = 3): Promise<DeadLetterRoute> {
      const topic = uniqueName('dlq-src');
      await log.createTopic({ name: topic, partitions });
      return { topic, deadLetterTopic: `${topic}.dlq` };
    }

    function startWorker(options: Partial<DeadLetterWorkerOptions> & Pick<DeadLetterWorkerOptions, 'routes'>) {
      const worker = new DeadLetterWorker({ eventLog: log, check, groupId: uniqueName('dlq-group'), ...options });
      onTestFinished(() => worker.close());
      worker.start();
      return worker;
    }

    it('appends exactly the invalid records, with their key, value bytes and headers, and commits after', async () => {
      const route = await newRoute();
      const groupId = uniqueName('dlq-group');
      const deadLettered: Array<[string, string, number]> = [];
      startWorker({
        routes: new TestRoutes([route]),
        groupId,
        metrics: { deadLettered: (eventType, reason, count) => deadLettered.push([eventType, reason, count]) },
      });
      const records: RecordInput[] = [
        { key: 'a', value: JSON.stringify({ n: 1 }), headers: { trace: 'valid' } },
        { key: 'b', value: JSON.stringify({ n: 'one' }), headers: { trace: 'mismatch' } },
        { key: 'c', value: 'not json at all', headers: { trace: 'not-json' } },
        { key: 'd', value: encodeRecordValue({ n: 'x' }, 'confluent', 42), headers: { trace: 'framed' } },
        { key: 'e', value: encodeRecordValue({ n: 2 }, 'confluent', 42), headers: { trace: 'framed-valid' } },
        { key: null, value: null, headers: { trace: 'tombstone' } },
      ];
      const positions = await log.append(route.topic, records);
      const invalid = [1, 2, 3, 5];

      const dead = await readAll(log, route.deadLetterTopic, invalid.length);
      expect((await log.describeTopic(route.deadLetterTopic))?.partitions).toBe(3);
      const bySource = new Map(dead.map((record) => [record.headers[deadLetterHeaders.source], record]));
      expect(bySource.size).toBe(invalid.length);
      for (const index of invalid) {
        const input = records[index]!;
        const { partition, offset } = positions[index]!;
        const copy = bySource.get(`${route.topic}/${partition}/${offset}`);
        expect(copy, `record ${index}`).toBeDefined();
        expect(copy!.partition).toBe(partition);
        expect(copy!.key?.toString() ?? null).toBe(input.key);
        expect(copy!.value === null ? null : Buffer.from(copy!.value)).toEqual(
          input.value === null ? null : Buffer.from(input.value),
        );
        expect(copy!.headers.trace).toBe(input.headers!.trace);
        expect(Date.parse(copy!.headers[deadLetterHeaders.time]!)).not.toBeNaN();
        expect(copy!.headers[deadLetterHeaders.eventType]).toBe('counter');
      }
      const reasons = (index: number) => {
        const { partition, offset } = positions[index]!;
        const headers = bySource.get(`${route.topic}/${partition}/${offset}`)!.headers;
        return [headers[deadLetterHeaders.reason], headers[deadLetterHeaders.schemaId]];
      };
      expect(reasons(1)).toEqual(['SCHEMA_MISMATCH', undefined]);
      expect(reasons(2)).toEqual(['NOT_JSON', undefined]);
      expect(reasons(3)).toEqual(['SCHEMA_MISMATCH', '42']);
      expect(reasons(5)).toEqual(['NOT_JSON', undefined]);
      expect(
        bySource.get(`${route.topic}/${positions[1]!.partition}/${positions[1]!.offset}`)!.headers[
          deadLetterHeaders.detail
        ],
      ).toBe('/n: must be number');

      // Committed up to the end of every partition once everything was handled.
      const ends = new Map((await log.offsets(route.topic)).map(({ partition, next }) => [partition, next]));
      await waitFor(async () => {
        const committed = await log.committed(`${groupId}.${route.topic}`, route.topic);
        return [...ends].every(([partition, next]) => next === 0 || committed.get(partition) === next);
      }, 'the group to commit every partition');
      const total = (reason: string) =>
        deadLettered.filter(([, r]) => r === reason).reduce((sum, [, , count]) => sum + count, 0);
      expect(total('SCHEMA_MISMATCH')).toBe(2);
      expect(total('NOT_JSON')).toBe(2);
    });

    it('does not check again what this instance validated and appended; a record written around it is checked whatever its headers', async () => {
      const route = await newRoute(2);
      const validated = new ValidatedOffsets();
      const checkedValues: string[] = [];
      const counting: RecordCheck = {
        check: (topic, records) => {
          for (const record of records) checkedValues.push(JSON.stringify(record.value.ok ? record.value.data : null));
          return check.check(topic, records);
        },
      };
      // Headers exactly like the gateway's own records: they are no reason to skip a record.
      const headers = { 'meshgate-event-type': 'counter', 'meshgate-schema-id': '1' };
      const appendOwn = async (records: RecordInput[]) => {
        const acknowledged = validated.begin(route.topic);
        acknowledged(await log.append(route.topic, records));
      };
      // "Own" records include one the test's check would refuse: that it is not dead-lettered
      // shows it was not checked again.
      await appendOwn([
        { key: 'a', value: JSON.stringify({ n: 1 }), headers },
        { key: 'b', value: JSON.stringify({ n: 'own' }), headers },
      ]);
      const [forged] = await log.append(route.topic, [{ key: 'a', value: JSON.stringify({ n: 'forged' }), headers }]);
      await appendOwn([{ key: 'a', value: JSON.stringify({ n: 2 }), headers }]);
      let checked = 0;
      let skipped = 0;
      startWorker({
        routes: new TestRoutes([route]),
        check: counting,
        validated,
        metrics: {
          handled: (_topic, c, s) => {
            checked += c;
            skipped += s;
          },
        },
      });
      const [dead] = await readAll(log, route.deadLetterTopic, 1);
      expect(parseDeadLetterSource(dead!.headers[deadLetterHeaders.source])).toEqual({
        topic: route.topic,
        partition: forged!.partition,
        offset: forged!.offset,
      });
      await waitFor(() => checked + skipped === 4, 'every record to be handled');
      expect({ checked, skipped }).toEqual({ checked: 1, skipped: 3 });
      expect(checkedValues).toEqual([JSON.stringify({ n: 'forged' })]);
    });

    it('follows route changes without a restart: joins new topics, leaves removed ones', async () => {
      const first = await newRoute(1);
      const routes = new TestRoutes([first]);
      const worker = startWorker({ routes });
      await waitFor(() => worker.topics().includes(first.topic), 'the first topic');
      const second = await newRoute(2);
      routes.set([first, second]);
      await waitFor(() => worker.topics().includes(second.topic), 'the second topic');
      await log.append(second.topic, [{ key: 'x', value: '{"n":"bad"}' }]);
      const [dead] = await readAll(log, second.deadLetterTopic, 1);
      expect(dead!.headers[deadLetterHeaders.reason]).toBe('SCHEMA_MISMATCH');
      routes.set([second]);
      await waitFor(() => worker.topics().join() === second.topic, 'the first topic to be left');
    });

    it('retries a batch whose check failed and commits nothing before the dead-letter append', async () => {
      const route = await newRoute(1);
      let failures = 0;
      const flaky: RecordCheck = {
        check: (topic, records) => {
          if (failures < 2) {
            failures += 1;
            throw new Error('registry unavailable');
          }
          return check.check(topic, records);
        },
      };
      const groupId = uniqueName('dlq-group');
      startWorker({ routes: new TestRoutes([route]), groupId, check: flaky });
      await log.append(route.topic, [{ key: 'k', value: '{}' }]);
      const [dead] = await readAll(log, route.deadLetterTopic, 1);
      expect(failures).toBe(2);
      expect(parseDeadLetterSource(dead!.headers[deadLetterHeaders.source])).toEqual({
        topic: route.topic,
        partition: 0,
        offset: 0,
      });
      await waitFor(
        async () => (await log.committed(`${groupId}.${route.topic}`, route.topic)).get(0) === 1,
        'the commit',
      );
    });

    it('two instances share the partitions: every invalid record dead-lettered, no valid one', async () => {
      const other = await factory();
      logs.push(other);
      const route = await newRoute(4);
      const groupId = uniqueName('dlq-group');
      const routes = new TestRoutes([route]);
      const a = startWorker({ routes, groupId });
      const b = startWorker({ routes, groupId, eventLog: other });
      // Both members joined and split the partitions between them.
      // (A rebalance settles in steps: wait until the split is complete, not just begun.)
      const split = () => [...a.assignment(route.topic), ...b.assignment(route.topic)].sort();
      await waitFor(
        () =>
          a.assignment(route.topic).length > 0 && b.assignment(route.topic).length > 0 && split().join() === '0,1,2,3',
        () => `both members to own partitions (a: ${a.assignment(route.topic)}, b: ${b.assignment(route.topic)})`,
        60_000,
      );
      expect(split()).toEqual([0, 1, 2, 3]);

      const records = range(0, 80).map((n) => ({
        key: `k${n}`,
        value: n % 2 === 0 ? JSON.stringify({ n }) : JSON.stringify({ n: `s${n}` }),
      }));
      const positions = await log.append(route.topic, records);
      const invalid = new Set(
        positions
          .filter((_, index) => index % 2 === 1)
          .map(({ partition, offset }) => `${route.topic}/${partition}/${offset}`),
      );
      // At least once: duplicates are possible around a rebalance; readers drop them by source.
      const sources = await readSources(log, route.deadLetterTopic, invalid);
      expect(sources).toEqual(invalid);
    });
  });
}
