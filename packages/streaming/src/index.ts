export {
  openEventStream,
  type DeliveredEvent,
  type EventStream,
  type OpenEventStreamOptions,
} from './open-event-stream';
export { resolveStartPositions, positionsFromOffsets, type StreamStart } from './start-positions';
export { FanoutHub, type FanoutHubOptions, type SubscribeOptions, type TopicStats } from './hub/fanout-hub';
export { openHubStream } from './hub/open-hub-stream';
export type { EventSink, Subscription, SubscriptionState } from './hub/subscription';
export type { ParsedRecord, SubscriptionView } from './hub/hub-record';
export type { FanoutHubMetrics } from './hub/hub-metrics';
export { SubscriptionEndedError, type EndReason, type SubscriptionEnd } from './hub/subscription-end';
export { parseRecordValue } from './parse-record-value';
export {
  CONFLUENT_HEADER_BYTES,
  CONFLUENT_MAGIC_BYTE,
  EVENT_TYPE_HEADER,
  SCHEMA_ID_HEADER,
  decodeRecordValue,
  encodeRecordValue,
  frameJsonValue,
  producedRecordHeaders,
  schemaIdFromHeader,
  valueFormats,
  type DecodedJson,
  type DecodedValue,
  type UndecodableValue,
  type ValueFormat,
} from './record-value';
export {
  MAX_VERDICT_DETAIL,
  describeProblems,
  invalidRecordReasons,
  type CheckableRecord,
  type InvalidRecord,
  type InvalidRecordReason,
  type RecordCheck,
  type RecordVerdict,
  type ValidRecord,
} from './record-check';
export {
  DeadLetterWorker,
  type DeadLetterMetrics,
  type DeadLetterRoute,
  type DeadLetterRoutes,
  type DeadLetterWorkerOptions,
} from './dead-letter/dead-letter-worker';
export {
  deadLetterHeaders,
  formatDeadLetterSource,
  parseDeadLetterSource,
  toDeadLetterRecord,
  type DeadLetterSource,
} from './dead-letter/dead-letter-record';
export {
  ValidatedOffsets,
  type AppendedPosition,
  type ValidatedOffsetsOptions,
  type ValidatedRecords,
} from './dead-letter/validated-offsets';
