import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createKafkaEventLog, type KafkaEventLog, type LogCallback } from '../src';
import { collect, uniqueName, waitFor } from './helpers';

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

  it('routes kafkajs logs to the callback, protocol error responses as debug', async () => {
    expect(await log.describeTopic(uniqueName('missing'))).toBeUndefined();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.message.startsWith('kafkajs: '))).toBe(true);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
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
