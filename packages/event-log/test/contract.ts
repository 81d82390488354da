import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  partitionForKey,
  type ConsumeOptions,
  type EventLog,
  type GroupConsumer,
  type LogReader,
  type LogRecord,
  type ReadOptions,
} from '../src';
import { collect, nextBatchWithin, position, text, uniqueName, waitFor, withTimeout } from './helpers';

/** Opens a fresh EventLog on the platform under test; the contract closes every one it opens. */
export type EventLogFactory = () => EventLog | Promise<EventLog>;

// Consumer-group joins and rebalances are the slow part on Kafka; one generous budget for all.
const TEST_TIMEOUT_MS = 90_000;

/**
 * The one contract both adapters must meet, run against the real platform (no mocks). Every
 * test works in topics and groups of its own, so tests never see each other's records.
 */
export function describeEventLogContract(name: string, factory: EventLogFactory): void {
  describe(`EventLog contract: ${name}`, { timeout: TEST_TIMEOUT_MS }, () => {
    const opened: EventLog[] = [];
    let log: EventLog;

    async function open(): Promise<EventLog> {
      const instance = await factory();
      opened.push(instance);
      return instance;
    }

    beforeAll(async () => {
      log = await open();
    });

    afterAll(async () => {
      await Promise.all(opened.map((instance) => instance.close()));
    });

    async function newTopic(partitions: number, prefix = 'topic'): Promise<string> {
      const topic = uniqueName(prefix);
      expect(await log.createTopic({ name: topic, partitions })).toBe(true);
      return topic;
    }

    function openReader(options: ReadOptions, on: EventLog = log): LogReader {
      const reader = on.read(options);
      onTestFinished(() => reader.close());
      return reader;
    }

    async function join(options: ConsumeOptions, on: EventLog = log): Promise<GroupConsumer> {
      const consumer = await on.consume(options);
      onTestFinished(() => consumer.close());
      return consumer;
    }

    /** A handler that records every record it is handed. */
    function recorder(): { seen: LogRecord[]; handler: (records: LogRecord[]) => Promise<void> } {
      const seen: LogRecord[] = [];
      return { seen, handler: async (records) => void seen.push(...records) };
    }

    function distinct(records: LogRecord[]): Set<string> {
      return new Set(records.map(position));
    }

    async function endOffsets(topic: string): Promise<Map<number, number>> {
      return new Map((await log.offsets(topic)).map(({ partition, next }) => [partition, next]));
    }

    it('creates a topic once, describes it, and rejects bad names', async () => {
      const topic = uniqueName('create');
      expect(await log.createTopic({ name: topic, partitions: 3 })).toBe(true);
      expect(await log.createTopic({ name: topic, partitions: 3 })).toBe(false);
      expect(await log.describeTopic(topic)).toEqual({ name: topic, partitions: 3 });
      expect(await log.describeTopic(uniqueName('missing'))).toBeUndefined();

      const raced = uniqueName('race');
      const results = await Promise.all([1, 2, 3].map(() => log.createTopic({ name: raced, partitions: 2 })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await log.describeTopic(raced)).toEqual({ name: raced, partitions: 2 });

      await expect(log.createTopic({ name: 'no spaces allowed', partitions: 1 })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
      await expect(log.createTopic({ name: uniqueName('zero'), partitions: 0 })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
    });

    it('appends with dense, ordered offsets per partition, in input order', async () => {
      const topic = await newTopic(3);
      const first = await log.append(
        topic,
        Array.from({ length: 5 }, (_, i) => ({ value: `a${i}`, partition: 1 })),
      );
      expect(first.map((r) => [r.partition, r.offset])).toEqual([
        [1, 0],
        [1, 1],
        [1, 2],
        [1, 3],
        [1, 4],
      ]);

      const mixed = await log.append(topic, [
        { value: 'b0', partition: 0 },
        { value: 'b1', partition: 1 },
        { value: 'b2', partition: 0 },
        { value: 'b3', partition: 2 },
        { value: 'b4', partition: 1 },
      ]);
      expect(mixed.map((r) => [r.partition, r.offset])).toEqual([
        [0, 0],
        [1, 5],
        [0, 1],
        [2, 0],
        [1, 6],
      ]);
      for (const result of [...first, ...mixed]) expect(result.timestamp).toBeInstanceOf(Date);
      expect(await log.append(topic, [])).toEqual([]);
      await expect(log.append(topic, [{ value: 'x', partition: 3 }])).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
      await expect(log.append(uniqueName('missing'), [{ value: 'x' }])).rejects.toMatchObject({
        code: 'TOPIC_NOT_FOUND',
      });
    });

    it('reads back keys, values, headers and timestamps exactly as written', async () => {
      const topic = await newTopic(1);
      const timestamp = new Date('2026-01-02T03:04:05.678Z');
      const binary = Buffer.from([0, 1, 2, 254, 255]);
      await log.append(topic, [
        { key: 'k1', value: '{"n":1}', headers: { 'content-type': 'application/json', trace: 'ä✓' }, timestamp },
        { key: binary, value: binary },
        { key: null, value: null },
      ]);
      const records = await collect(openReader({ topic, from: 'earliest' }), 3);
      expect(records).toHaveLength(3);
      const [json, bytes, empty] = records;
      expect(json).toMatchObject({
        topic,
        partition: 0,
        offset: 0,
        headers: { 'content-type': 'application/json', trace: 'ä✓' },
      });
      expect(json!.key?.toString()).toBe('k1');
      expect(json!.value?.toString()).toBe('{"n":1}');
      expect(json!.timestamp.toISOString()).toBe(timestamp.toISOString());
      expect(bytes!.key?.equals(binary)).toBe(true);
      expect(bytes!.value?.equals(binary)).toBe(true);
      expect(bytes!.headers).toEqual({});
      expect(empty!.key).toBeNull();
      expect(empty!.value).toBeNull();
    });

    it("puts a key in murmur2's partition, the same number in every adapter", async () => {
      const topic = await newTopic(8);
      // Pinned from kafkajs's DefaultPartitioner (the Java client's algorithm) for 8 partitions.
      const pinned: Array<[string, number]> = [
        ['order-1', 6],
        ['order-2', 3],
        ['order-3', 7],
        ['customer:7f3a', 2],
        ['ünïcødé', 6],
        ['a', 4],
        ['', 1],
      ];
      const keys = [...pinned.map(([key]) => key), ...Array.from({ length: 30 }, (_, i) => `user-${i}`)];
      const results = await log.append(
        topic,
        keys.map((key) => ({ key, value: key })),
      );
      results.forEach((result, i) => expect(result.partition, keys[i]).toBe(partitionForKey(keys[i]!, 8)));
      pinned.forEach(([key, partition], i) => expect(results[i]!.partition, key).toBe(partition));

      const again = await log.append(topic, [{ key: 'order-1', value: 'again' }]);
      expect(again[0]!.partition).toBe(6);
      // Keyless records are spread over the partitions rather than piled on one.
      const keyless = await log.append(
        topic,
        Array.from({ length: 16 }, (_, i) => ({ value: `n${i}` })),
      );
      expect(new Set(keyless.map((r) => r.partition)).size).toBe(8);
    });

    it('keeps the order of one partition across appends', async () => {
      const topic = await newTopic(3);
      for (let round = 0; round < 4; round++) {
        await log.append(
          topic,
          Array.from({ length: 5 }, (_, i) => ({ key: 'same-key', value: String(round * 5 + i) })),
        );
      }
      const records = await collect(openReader({ topic, from: 'earliest', maxBatchSize: 7 }), 20);
      expect(records.map(text)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
      expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(new Set(records.map((r) => r.partition))).toEqual(new Set([partitionForKey('same-key', 3)]));
    });

    it('reads from earliest, from explicit positions (absent partitions from earliest) and from latest', async () => {
      const topic = await newTopic(2);
      for (const partition of [0, 1]) {
        await log.append(
          topic,
          Array.from({ length: 4 }, (_, i) => ({ value: `old-${partition}-${i}`, partition })),
        );
      }

      const earliest = await collect(openReader({ topic, from: 'earliest' }), 8);
      expect([...distinct(earliest)].sort()).toEqual(['0:0', '0:1', '0:2', '0:3', '1:0', '1:1', '1:2', '1:3']);

      const explicit = await collect(openReader({ topic, from: new Map([[0, 2]]) }), 6);
      expect([...distinct(explicit)].sort()).toEqual(['0:2', '0:3', '1:0', '1:1', '1:2', '1:3']);

      const atEnd = openReader({
        topic,
        from: new Map([
          [0, 4],
          [1, 3],
        ]),
      });
      const tail = await collect(atEnd, 1);
      expect(tail.map(position)).toEqual(['1:3']);

      // 'latest' skips what is already there. When exactly the reader settles its start is not
      // observable, so keep appending markers until one arrives: none of the old records may.
      const latest = openReader({ topic, from: 'latest' });
      const first = latest[Symbol.asyncIterator]().next();
      let markers = 0;
      const batch = await withTimeout(
        (async () => {
          for (;;) {
            await log.append(topic, [{ value: `marker-${markers++}`, partition: markers % 2 }]);
            const settled = await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 250))]);
            if (settled) return (settled as IteratorResult<LogRecord[]>).value as LogRecord[];
          }
        })(),
        30_000,
        () => 'a record through a reader from latest',
      );
      expect(batch.length).toBeGreaterThan(0);
      for (const record of batch) expect(text(record)).toMatch(/^marker-/);
    });

    it('tails: a reader receives records appended after it opened, in batches no larger than asked', async () => {
      const topic = await newTopic(2);
      const reader = openReader({ topic, from: 'earliest', maxBatchSize: 3 });
      const pending = collect(reader, 10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await log.append(
        topic,
        Array.from({ length: 4 }, (_, i) => ({ key: 'k', value: `t${i}` })),
      );
      await log.append(
        topic,
        Array.from({ length: 6 }, (_, i) => ({ key: 'k', value: `t${i + 4}` })),
      );
      const records = await pending;
      expect(records.map(text)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));

      const small = openReader({ topic, from: 'earliest', maxBatchSize: 3 });
      const batch = await small[Symbol.asyncIterator]().next();
      expect(batch.done).toBe(false);
      expect(batch.value!.length).toBeGreaterThan(0);
      expect(batch.value!.length).toBeLessThanOrEqual(3);
    });

    it('a closed reader ends pending and later iteration', async () => {
      const topic = await newTopic(1);
      const reader = log.read({ topic, from: 'latest' });
      const pending = reader[Symbol.asyncIterator]().next();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await reader.close();
      expect(await withTimeout(pending, 15_000, () => 'pending next() to end')).toEqual({
        done: true,
        value: undefined,
      });
      expect(await reader[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });

      const missing = log.read({ topic: uniqueName('missing'), from: 'earliest' });
      onTestFinished(() => missing.close());
      await expect(missing[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
    });

    it('delivers at least once through a consumer group and resumes from the committed position', async () => {
      const topic = await newTopic(2);
      const groupId = uniqueName('group');
      await log.append(
        topic,
        Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `first-${i}` })),
      );

      const before = recorder();
      const first = await join({ groupId, topic, handler: before.handler });
      await waitFor(
        () => before.seen.length >= 10,
        () => `10 records, got ${before.seen.length}`,
      );
      const end = await endOffsets(topic);
      await waitFor(
        async () =>
          JSON.stringify([...(await log.committed(groupId, topic))].sort()) === JSON.stringify([...end].sort()),
        'commits to reach the end of every partition',
      );
      await first.close();
      expect(first.assignment()).toEqual([]);

      await log.append(
        topic,
        Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `second-${i}` })),
      );
      const after = recorder();
      await join({ groupId, topic, handler: after.handler });
      await waitFor(
        () => after.seen.length >= 5,
        () => `5 new records, got ${after.seen.length}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(after.seen.map(text).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `second-${i}`));
    });

    it('hands a batch again when its handler fails, and commits only after success', async () => {
      const topic = await newTopic(1);
      const groupId = uniqueName('group');
      await log.append(
        topic,
        ['r0', 'r1', 'poison', 'r3'].map((value) => ({ value })),
      );
      const attempts: string[][] = [];
      let failed = false;
      await join({
        groupId,
        topic,
        handler: async (records) => {
          attempts.push(records.map(text));
          if (!failed && records.some((record) => text(record) === 'poison')) {
            failed = true;
            throw new Error('handler failure for the test');
          }
        },
      });
      await waitFor(async () => (await log.committed(groupId, topic)).get(0) === 4, 'the commit after the retry');
      expect(failed).toBe(true);
      const poisonAttempts = attempts.filter((batch) => batch.includes('poison'));
      expect(poisonAttempts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(attempts.flat())).toEqual(new Set(['r0', 'r1', 'poison', 'r3']));
    });

    it('commits positions explicitly, and a group starts there; without commits `from` decides', async () => {
      const topic = await newTopic(2);
      for (const partition of [0, 1]) {
        await log.append(
          topic,
          Array.from({ length: 3 }, (_, i) => ({ value: `p${partition}-${i}`, partition })),
        );
      }
      const groupId = uniqueName('group');
      expect(await log.committed(groupId, topic)).toEqual(new Map());
      await log.commit(
        groupId,
        topic,
        new Map([
          [0, 2],
          [1, 1],
        ]),
      );
      expect(await log.committed(groupId, topic)).toEqual(
        new Map([
          [0, 2],
          [1, 1],
        ]),
      );

      const resumed = recorder();
      await join({ groupId, topic, handler: resumed.handler, from: 'latest' });
      await waitFor(
        () => resumed.seen.length >= 3,
        () => `3 records, got ${resumed.seen.length}`,
      );
      expect(resumed.seen.map(text).sort()).toEqual(['p0-2', 'p1-1', 'p1-2']);

      // A group with no commits, told to start from 'latest', skips what is already there.
      const fresh = recorder();
      await join({ groupId: uniqueName('group'), topic, handler: fresh.handler, from: 'latest' });
      let markers = 0;
      await waitFor(
        async () => {
          if (fresh.seen.length > 0) return true;
          await log.append(topic, [{ value: `marker-${markers++}`, partition: markers % 2 }]);
          await new Promise((resolve) => setTimeout(resolve, 200));
          return fresh.seen.length > 0;
        },
        'a record through a group starting from latest',
        30_000,
      );
      for (const record of fresh.seen) expect(text(record)).toMatch(/^marker-/);
    });

    it('concurrent producers: every record is read back exactly once, without gaps', async () => {
      const topic = await newTopic(3);
      const other = await open();
      const producers = 6;
      const appendsEach = 5;
      const perAppend = 20;
      const results = await Promise.all(
        Array.from({ length: producers }, async (_, p) => {
          const via = p % 2 === 0 ? log : other;
          const landed = [];
          for (let a = 0; a < appendsEach; a++) {
            const records = Array.from({ length: perAppend }, (_, i) => ({
              key: i % 3 === 0 ? null : `key-${p}-${i % 5}`,
              value: `p${p}-a${a}-r${i}`,
            }));
            landed.push(...(await via.append(topic, records)));
          }
          return landed;
        }),
      );
      const total = producers * appendsEach * perAppend;
      const positions = results.flat().map(position);
      expect(new Set(positions).size).toBe(total);

      const records = await collect(openReader({ topic, from: 'earliest' }), total, 30_000);
      expect(records).toHaveLength(total);
      expect(new Set(records.map(text)).size).toBe(total);
      expect(new Set(records.map(position))).toEqual(new Set(positions));
      for (const { partition, earliest, next } of await log.offsets(topic)) {
        const offsets = records.filter((r) => r.partition === partition).map((r) => r.offset);
        expect(offsets).toEqual(Array.from({ length: next - earliest }, (_, i) => earliest + i));
      }
    });

    it('several consumers: two groups each get everything; members of one group share the partitions', async () => {
      const topic = await newTopic(4);
      const other = await open();
      const batch = (prefix: string) =>
        Array.from({ length: 40 }, (_, i) => ({ key: `key-${i}`, value: `${prefix}-${i}` }));
      await log.append(topic, batch('one'));

      const groupA = recorder();
      const groupB = recorder();
      await join({ groupId: uniqueName('group-a'), topic, handler: groupA.handler });
      await join({ groupId: uniqueName('group-b'), topic, handler: groupB.handler }, other);

      const shared = uniqueName('group-shared');
      const first = recorder();
      const second = recorder();
      const memberOne = await join({ groupId: shared, topic, handler: first.handler });
      const memberTwo = await join({ groupId: shared, topic, handler: second.handler }, other);
      await waitFor(
        () => {
          const one = memberOne.assignment();
          const two = memberTwo.assignment();
          return (
            one.length > 0 && two.length > 0 && new Set([...one, ...two]).size === 4 && one.length + two.length === 4
          );
        },
        () => `the members to split 4 partitions: ${memberOne.assignment()} / ${memberTwo.assignment()}`,
        30_000,
      );

      await log.append(topic, batch('two'));
      await waitFor(
        () => distinct(groupA.seen).size === 80,
        () => `group A to get 80 records, got ${distinct(groupA.seen).size}`,
      );
      await waitFor(
        () => distinct(groupB.seen).size === 80,
        () => `group B to get 80 records, got ${distinct(groupB.seen).size}`,
      );
      const together = () => distinct([...first.seen, ...second.seen]).size;
      await waitFor(
        () => together() === 80,
        () => `the shared group to get 80 records, got ${together()}`,
      );
      expect(second.seen.length).toBeGreaterThan(0);

      // A member that leaves hands its partitions to the one that stays.
      await memberTwo.close();
      await waitFor(
        () => memberOne.assignment().length === 4,
        () => `member one to take over, has ${memberOne.assignment()}`,
        30_000,
      );
      await log.append(topic, batch('three'));
      await waitFor(
        () => together() === 120,
        () => `the shared group to get 120 records, got ${together()}`,
      );
    });

    it('reports offsets: earliest retained and next per partition', async () => {
      const topic = await newTopic(2);
      expect(await log.offsets(topic)).toEqual([
        { partition: 0, earliest: 0, next: 0 },
        { partition: 1, earliest: 0, next: 0 },
      ]);
      await log.append(
        topic,
        Array.from({ length: 3 }, () => ({ value: 'x', partition: 1 })),
      );
      expect(await log.offsets(topic)).toEqual([
        { partition: 0, earliest: 0, next: 0 },
        { partition: 1, earliest: 0, next: 3 },
      ]);
      await expect(log.offsets(uniqueName('missing'))).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
      await expect(
        log.consume({ groupId: uniqueName('group'), topic: uniqueName('missing'), handler: async () => undefined }),
      ).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
    });

    it('reports health', async () => {
      expect(await log.health()).toEqual({ ok: true });
    });

    it('close() ends every reader and consumer the instance opened', async () => {
      const topic = await newTopic(1);
      const instance = await factory();
      const reader = instance.read({ topic, from: 'earliest' });
      const pending = reader[Symbol.asyncIterator]().next();
      const consumer = await instance.consume({ groupId: uniqueName('group'), topic, handler: async () => undefined });
      await withTimeout(instance.close(), 30_000, () => 'close()');
      expect(await withTimeout(pending, 5_000, () => 'pending next() to end')).toEqual({
        done: true,
        value: undefined,
      });
      expect(consumer.assignment()).toEqual([]);
      expect(() => instance.read({ topic, from: 'earliest' })).toThrow();
      // Nothing else to release: a second close is harmless.
      await instance.close();
      expect(await nextBatchWithin(reader, 50)).toBeUndefined();
    });
  });
}
