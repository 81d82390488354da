import type { EventLog } from './event-log';
import { createKafkaEventLog, type KafkaEventLogOptions } from './kafka/kafka-event-log';
import { createPostgresEventLog, type PostgresEventLogOptions } from './postgres/postgres-event-log';

/** Configuration for {@link createEventLog}: Kafka when `kafkaBrokers` is given, else the embedded log. */
export type EventLogConfig =
  | ({ kafkaBrokers: string[] } & Omit<KafkaEventLogOptions, 'brokers'>)
  | ({ kafkaBrokers?: undefined } & PostgresEventLogOptions);

/** Creates the event log the configuration asks for: Kafka with brokers, else the one in PostgreSQL. */
export function createEventLog(config: EventLogConfig): EventLog {
  if (config.kafkaBrokers !== undefined) {
    const { kafkaBrokers, ...options } = config;
    return createKafkaEventLog({ ...options, brokers: kafkaBrokers });
  }
  const { kafkaBrokers: _none, ...options } = config;
  return createPostgresEventLog(options);
}
