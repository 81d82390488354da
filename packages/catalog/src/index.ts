export {
  EventTypeCatalog,
  assertEventTypeName,
  resolveEventTypeDefaults,
  assertEventTypeValues,
  valueFormatOf,
  deadLetterTopicOf,
  valueFormats,
  lifecycles,
  domainOfName,
  type Lifecycle,
  type ValueFormat,
  type EventType,
  type EventTypeInput,
  type EventTypeCatalogOptions,
  type CatalogActor,
} from './event-types';
export {
  ObservedLineageRecorder,
  type ObservedLineageRecorderOptions,
  type ObservedPrincipal,
  type DeliveryCounter,
  type ObservedRole,
} from './lineage/observed-lineage-recorder';
export {
  LineageReader,
  type LineageService,
  type ObservedLineageEntry,
  type EventTypeLineage,
  type ImpactedConsumer,
  type LineageGraphNode,
  type LineageGraphEdge,
  type LineageGraphResult,
  type LineageGraphScope,
} from './lineage/lineage-reader';
export {
  webhookEntityKinds,
  webhookActions,
  parseWebhookEvents,
  webhookMatches,
  PING_EVENT,
  ALL_EVENTS,
} from './webhooks/webhook-events';
export {
  SIGNATURE_HEADER,
  newWebhookSecret,
  signWebhookBody,
  verifyWebhookSignature,
  type VerifyWebhookSignatureOptions,
} from './webhooks/webhook-signature';
export {
  WebhookStore,
  assertWebhookUrl,
  type WebhookView,
  type WebhookInput,
  type WebhookPatch,
  type WebhookAttemptView,
  type WebhookDeliveryView,
  type DeliveryQuery,
} from './webhooks/webhook-store';
export {
  WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookAttemptOutcome,
} from './webhooks/webhook-dispatcher';
