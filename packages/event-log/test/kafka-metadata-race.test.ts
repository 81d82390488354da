import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaEventLog, type KafkaEventLog } from '../src';

const brokers = process.env.MESHGATE_TEST_KAFKA_BROKERS;
if (!brokers) throw new Error('MESHGATE_TEST_KAFKA_BROKERS is not set: the Kafka suite needs the real broker.');

describe('kafka event log: offsets read while other topics are described', () => {
  let log: KafkaEventLog;
  let admin: Admin;
  beforeAll(async () => {
    log = createKafkaEventLog({ brokers: brokers.split(',') });
    admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await log?.close();
    await admin?.disconnect();
  });

  // kafkajs's fetchTopicMetadata({ topics }) replaces the shared cluster metadata with just those
  // topics; an offsets read of another topic at the same moment used to crash inside kafkajs
  // ("Cannot destructure property 'partitions'"), which reached clients as UNAVAILABLE on stream
  // opens right after an event type was declared (the dead-letter worker describes its topics).
  it('reads offsets of one topic while topics it has never seen are described, without failing', async () => {
    const reading = `race.${randomUUID().slice(0, 8)}`;
    const others = Array.from({ length: 30 }, () => `race.${randomUUID().slice(0, 8)}`);
    await log.createTopic({ name: reading, partitions: 2 });
    await admin.createTopics({ topics: others.map((topic) => ({ topic, numPartitions: 2 })), waitForLeaders: true });
    // Ready: a fresh topic's leaders take a moment to be known everywhere.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await log.offsets(reading);
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const failures: string[] = [];
    let describing = true;
    const readLoop = async () => {
      let count = 0;
      while (describing || count < 10) {
        await log.offsets(reading).catch((error: Error) => failures.push(`${error.message}: ${String(error.cause)}`));
        count += 1;
      }
    };
    const reads = Promise.all([readLoop(), readLoop(), readLoop(), readLoop()]);
    for (let round = 0; round < 3; round += 1) await Promise.all(others.map((topic) => log.describeTopic(topic)));
    describing = false;
    await reads;
    expect(failures).toEqual([]);
  });
});
