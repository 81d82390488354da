import { logLevel, type logCreator } from 'kafkajs';
import type { LogCallback, LogLevel } from '../log';

/** kafkajs's level for ours. */
export function toKafkaLogLevel(level: LogLevel | undefined, onLog: LogCallback | undefined): logLevel {
  if (!onLog) return logLevel.NOTHING;
  switch (level ?? 'warn') {
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    case 'debug':
      return logLevel.DEBUG;
  }
}

function fromKafkaLevel(level: logLevel): LogLevel {
  if (level <= logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}

// We cap the idempotent producer's retries on purpose (an append must fail rather than hang
// while Kafka is down); kafkajs warns about that on every start, which is noise, not news.
const EXPECTED_WARNINGS = [/Limiting retries for the idempotent producer/];

/**
 * The level a kafkajs line deserves. kafkajs logs every error *response* of the protocol at
 * error level, including the routine ones (a rebalance in progress, a metadata probe for a
 * topic that does not exist yet); whatever matters among them also surfaces as a thrown error
 * or a crash event, which the adapter reports itself.
 */
function levelFor(namespace: string, level: logLevel, message: string): LogLevel {
  if (namespace === 'Connection' && message.startsWith('Response ')) return 'debug';
  if (EXPECTED_WARNINGS.some((pattern) => pattern.test(message))) return 'debug';
  return fromKafkaLevel(level);
}

/** Routes kafkajs's log lines to `onLog` instead of the console. */
export function createLogCreator(onLog: LogCallback | undefined): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (!onLog) return;
      const { message, timestamp: _timestamp, ...extra } = log;
      onLog(levelFor(namespace, level, message), `kafkajs: ${message}`, { namespace, ...extra });
    };
}
