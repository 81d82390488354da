export type {
  EventLog,
  TopicSpec,
  TopicDescription,
  RecordInput,
  AppendResult,
  LogRecord,
  PartitionOffsets,
  ReadOptions,
  LogReader,
  ConsumeOptions,
  SkippableRecords,
  GroupConsumer,
  HealthStatus,
} from './event-log';
export type { LogCallback, LogLevel } from './log';
export { createEventLog, type EventLogConfig } from './create-event-log';
export { createPostgresEventLog, PostgresEventLog, type PostgresEventLogOptions } from './postgres/postgres-event-log';
export { createKafkaEventLog, KafkaEventLog, type KafkaEventLogOptions } from './kafka/kafka-event-log';
export { createPartitioner, partitionForKey, murmur2, toPositive, type Partitioner } from './partitioner';
