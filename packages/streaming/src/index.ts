export { openEventStream, type DeliveredEvent, type EventStream } from './open-event-stream';
export { resolveStartPositions, positionsFromOffsets, type StreamStart } from './start-positions';
export { FanoutHub, type FanoutHubOptions, type SubscribeOptions, type TopicStats } from './hub/fanout-hub';
export { openHubStream } from './hub/open-hub-stream';
export type { EventSink, Subscription, SubscriptionState } from './hub/subscription';
export type { ParsedRecord, SubscriptionView } from './hub/hub-record';
export type { FanoutHubMetrics } from './hub/hub-metrics';
export { SubscriptionEndedError, type EndReason, type SubscriptionEnd } from './hub/subscription-end';
