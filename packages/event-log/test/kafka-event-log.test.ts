import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createKafkaEventLog, type KafkaEventLog, type LogCallback } from '../src';
import { collect, text, uniqueName, waitFor } from './helpers';

const brokers = process.env.MESHGATE_TEST_KAFKA_BROKERS;
if (!brokers) {
  throw new Error(
    'MESHGATE_TEST_KAFKA_BROKERS is not set: run the tests through vitest at the repo root (its global setup starts Kafka).',
  );
}

// Behaviour only the Kafka adapter has, against the real broker.
describe('kafka event log', () => {
  let log: KafkaEventLog;
  let admin: Admin;
  const lines: Array<{ level: string; message: string }> = [];
  const onLog: LogCallback = (level, message) => void lines.push({ level, message });

  beforeAll(async () => {
    log = createKafkaEventLog({
      brokers: brokers.split(','),
      heartbeatIntervalMs: 300,
      maxWaitTimeMs: 250,
      onLog,
      logLevel: 'debug',
    });
    admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await log?.close();
    await admin?.disconnect();
  });

  it('removes the ephemeral group of a closed reader, and never commits for it', async () => {
    const topic = uniqueName('ephemeral');
    await log.createTopic({ name: topic, partitions: 2 });
    await log.append(topic, [{ value: 'a' }, { value: 'b' }]);
    const reader = log.read({ topic, from: 'earliest' });
    await collect(reader, 2);
    const readerGroups = async () =>
      (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith('meshgate-reader-'));
    const [groupId] = await readerGroups();
    expect(groupId).toBeDefined();
    const committed = await admin.fetchOffsets({ groupId: groupId!, topics: [topic] });
    expect(committed[0]?.partitions.every((partition) => partition.offset === '-1')).toBe(true);
    await reader.close();
    await waitFor(async () => !(await readerGroups()).includes(groupId!), 'the reader group to be deleted');
  });

  it('refuses an outside commit while the group has members (CONFLICT)', async () => {
    const topic = uniqueName('busy');
    await log.createTopic({ name: topic, partitions: 1 });
    const groupId = uniqueName('group');
    const consumer = await log.consume({ groupId, topic, handler: async () => undefined });
    onTestFinished(() => consumer.close());
    await expect(log.commit(groupId, topic, new Map([[0, 0]]))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('passes over a skippable run unread after an all-skippable batch, commits past it, and hands on the rest', async () => {
    const topic = uniqueName('skip');
    await log.createTopic({ name: topic, partitions: 1 });
    const values = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({ value: `v${from + index}` }));
    let appended = 0;
    await log.append(topic, values(0, 5));
    appended = 5;
    const seen: number[] = [];
    const passed: Array<[number, number, number]> = [];
    let resting!: () => void;
    const firstBatch = new Promise<void>((resolve) => (resting = resolve));
    const groupId = uniqueName('group');
    const consumer = await log.consume({
      groupId,
      topic,
      handler: async (records) => {
        seen.push(...records.map((record) => record.offset));
        resting();
      },
      // Offsets below 40 need not be read; from 40 on every record must be. Like the dead-letter
      // worker's, the run only covers records already appended.
      skip: {
        restMs: 3000,
        runEnd: (_partition, offset) => (offset < appended ? Math.min(40, appended) : offset),
        passed: (partition, from, to) => void passed.push([partition, from, to]),
      },
    });
    onTestFinished(() => consumer.close());
    await firstBatch;
    // Appended while the partition rests after its all-skippable first batch (0–4).
    await log.append(topic, values(5, 35));
    appended = 40;
    await log.append(topic, values(40, 3));
    appended = 43;
    await waitFor(() => seen.includes(42), 'the records after the skippable run');
    // A batch that was not all skippable does not rest: what follows is read at once.
    await log.append(topic, values(43, 2));
    appended = 45;
    await waitFor(() => seen.includes(44), 'the records after a batch that had to be read', 1000);
    expect(seen).toEqual([0, 1, 2, 3, 4, 40, 41, 42, 43, 44]);
    expect(passed).toEqual([[0, 5, 40]]);
    await waitFor(async () => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return committed?.partitions[0]?.offset === '45';
    }, 'the group to commit past everything');
  });

  it('routes kafkajs logs to the callback, protocol error responses as debug', async () => {
    // Only what this call logs: consumers of earlier tests may still be leaving their groups.
    const start = lines.length;
    expect(await log.describeTopic(uniqueName('missing'))).toBeUndefined();
    const logged = lines.slice(start);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => !line.message.startsWith('kafkajs: '))).toEqual([]);
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
  });

  /** Produce requests kafkajs has sent since `from` (an index into the collected log lines). */
  const produceRequests = (from: number) =>
    lines.slice(from).filter((line) => line.message.startsWith('kafkajs: Request Produce(')).length;

  it('sends concurrent appends to a topic in one produce request, each answered with its own positions', async () => {
    const topic = uniqueName('coalesce');
    await log.createTopic({ name: topic, partitions: 3 });
    await log.append(topic, [{ value: 'warm-up', partition: 0 }]);
    const from = lines.length;
    const appends = Array.from({ length: 12 }, (_, n) =>
      n % 3 === 0
        ? [{ key: 'order-1', value: `keyed-${n}` }]
        : [{ value: `a${n}-0` }, { key: `other-${n}`, value: `a${n}-1` }],
    );
    const results = await Promise.all(appends.map((records) => log.append(topic, records)));
    expect(produceRequests(from)).toBe(1);
    const stored = await collect(log.read({ topic, from: 'earliest' }), 1 + appends.flat().length);
    const byPosition = new Map(stored.map((record) => [`${record.partition}:${record.offset}`, text(record)]));
    expect(byPosition.size).toBe(1 + appends.flat().length);
    results.forEach((positions, n) => {
      expect(positions.map((p) => byPosition.get(`${p.partition}:${p.offset}`))).toEqual(
        appends[n]!.map((record) => record.value),
      );
    });
    // One key, one partition, in the order the appends were made.
    const keyed = results.filter((_, n) => n % 3 === 0).map((positions) => positions[0]!);
    expect(new Set(keyed.map((p) => p.partition)).size).toBe(1);
    expect(keyed.map((p) => p.offset)).toEqual([...keyed.map((p) => p.offset)].sort((a, b) => a - b));
  });

  it('appends arriving while a produce request is in flight share the next one', async () => {
    const topic = uniqueName('in-flight');
    await log.createTopic({ name: topic, partitions: 2 });
    await log.append(topic, [{ value: 'warm-up' }]);
    const from = lines.length;
    const first = log.append(topic, [{ value: 'first' }]);
    await waitFor(() => produceRequests(from) === 1, 'the first produce request');
    const rest = await Promise.all(Array.from({ length: 8 }, (_, n) => log.append(topic, [{ value: `next-${n}` }])));
    await first;
    expect(produceRequests(from)).toBeLessThanOrEqual(2);
    expect(new Set(rest.map(([p]) => `${p!.partition}:${p!.offset}`)).size).toBe(8);
  });

  it('fails every append of a refused produce request, writes nothing twice, and produces on afterwards', async () => {
    const topic = uniqueName('refused');
    await log.createTopic({ name: topic, partitions: 2 });
    await log.append(topic, [{ value: 'warm-up', partition: 0 }]);
    // Lower the limit behind the adapter's back: it still trusts the 1 MiB it read.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '400' }] },
      ],
    });
    // The broker applies the change a moment later: probe partition 1 until it refuses.
    const probe = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).producer({
      retry: { retries: 0 },
    });
    await probe.connect();
    onTestFinished(() => probe.disconnect());
    await waitFor(
      () =>
        probe.send({ topic, acks: -1, messages: [{ value: 'x'.repeat(600), partition: 1 }] }).then(
          () => false,
          (error: { type?: string }) => error.type === 'MESSAGE_TOO_LARGE',
        ),
      'the broker to apply max.message.bytes',
    );
    const [, before] = await log.offsets(topic);
    const from = lines.length;
    const shared = await Promise.allSettled([
      log.append(topic, [
        { value: 'a-0', partition: 0 },
        { value: 'a-1', partition: 0 },
      ]),
      log.append(topic, [{ value: 'x'.repeat(600), partition: 1 }]),
    ]);
    expect(produceRequests(from)).toBe(1);
    // Which append the broker refused is unknown, so both fail as retriable, not as bad input.
    for (const outcome of shared) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'UNAVAILABLE', retriable: true } });
    }
    // Alone (the limit read again), the oversized append is the client's fault.
    await expect(log.append(topic, [{ value: 'x'.repeat(600), partition: 1 }])).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    // Kafka wrote partition 0's batch of the refused request. kafkajs rolled its sequence
    // numbers back all the same, so a batch of the same size on the same producer would have
    // been acknowledged as a duplicate without being written: this one must be written.
    const after = await log.append(topic, [
      { value: 'd-0', partition: 0 },
      { value: 'd-1', partition: 0 },
    ]);
    const stored = await collect(log.read({ topic, from: new Map([[1, before!.next]]) }), 5);
    expect(stored.filter((record) => record.partition === 0).map(text)).toEqual([
      'warm-up',
      'a-0',
      'a-1',
      'd-0',
      'd-1',
    ]);
    expect(after.map((p) => `${p.partition}:${p.offset}`)).toEqual(['0:3', '0:4']);
    expect(await log.offsets(topic)).toEqual([{ partition: 0, earliest: 0, next: 5 }, before]);
  });

  it('reports an unreachable cluster as unhealthy, and its errors as retriable UNAVAILABLE', async () => {
    const down = createKafkaEventLog({ brokers: ['127.0.0.1:1'], connectionTimeoutMs: 200, healthTimeoutMs: 1000 });
    onTestFinished(() => down.close());
    const health = await down.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^Kafka: /);
    await expect(down.append('anything', [{ value: 'x' }])).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      retriable: true,
    });
  });
});
