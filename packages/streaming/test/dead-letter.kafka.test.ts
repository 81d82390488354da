import { createKafkaEventLog, type LogCallback } from '@meshgate/event-log';
import { describeDeadLetterWorker } from './dead-letter-contract';

// The run's global setup starts a real broker and names it here; without one this suite must
// fail, never skip.
const brokers = process.env.MESHGATE_TEST_KAFKA_BROKERS;
if (!brokers) {
  throw new Error(
    'MESHGATE_TEST_KAFKA_BROKERS is not set: run the tests through vitest at the repo root (its global setup starts Kafka).',
  );
}

const onLog: LogCallback = (level, message, extra) => {
  if (level === 'error') console.error(message, extra);
};

// Short heartbeats and fetch waits make group joins, rebalances and closes quick on a test broker.
describeDeadLetterWorker('kafka', async () =>
  createKafkaEventLog({
    brokers: brokers.split(','),
    clientId: 'meshgate-dead-letter-test',
    heartbeatIntervalMs: 300,
    sessionTimeoutMs: 10_000,
    maxWaitTimeMs: 250,
    retryBackoffMs: 100,
    onLog,
    logLevel: 'error',
  }),
);
