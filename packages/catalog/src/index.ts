export {
  EventTypeCatalog,
  assertEventTypeName,
  resolveEventTypeDefaults,
  assertEventTypeValues,
  valueFormatOf,
  deadLetterTopicOf,
  valueFormats,
  domainOfName,
  eventTypeSnapshot,
  planEventType,
  putEventTypeIn,
  deleteEventTypeIn,
  readEventTypeSnapshot,
  sameJson,
  TRANSACTION_OPTIONS,
  type ValueFormat,
  type EventType,
  type EventTypeInput,
  type EventTypeBasics,
  type EventTypeCatalogOptions,
  type EventTypeFilter,
  type EventTypeSnapshot,
  type EventTypeWithLineage,
  type EventTypeWrite,
  type PutEventTypeContext,
  type WriteOptions,
} from './event-types';
export {
  lifecycles,
  isLifecycle,
  assertLifecycle,
  assertLifecycleTransition,
  assertNotRetired,
  type Lifecycle,
} from './lifecycle';
export {
  visibilities,
  TAG_PATTERN,
  readJsonPointer,
  keyFromPayload,
  normaliseTags,
  normaliseExamples,
  type Visibility,
  type EventTypeExample,
} from './event-type-fields';
export { resolveEventTypeSchema, validateExamples, type ExampleSchema, type SchemaDeps } from './examples';
export {
  DomainCatalog,
  assertDomainName,
  planDomain,
  putDomainIn,
  deleteDomainIn,
  type Domain,
  type DomainInput,
  type DomainSnapshot,
  type DomainWrite,
} from './domains';
export {
  ServiceCatalog,
  assertServiceName,
  putServiceIn,
  deleteServiceIn,
  readServiceSnapshot,
  type CatalogService,
  type ServiceInput,
  type ServiceSnapshot,
  type ServiceWrite,
} from './services';
export {
  declaredPartiesOf,
  declaredUseOf,
  type DeclaredParties,
  type DeclaredUse,
  type LineageRole,
} from './declared-lineage';
export {
  ChangeHistory,
  recordChange,
  recordSchemaChange,
  changeEntityKinds,
  type ChangeAction,
  type ChangeEntityKind,
  type ChangeEntry,
  type ChangeInput,
  type ChangeQuery,
  type Tx,
} from './change-history';
export {
  parseCatalogDocument,
  schemaText,
  type CatalogDocument,
  type CatalogDocumentDomain,
  type CatalogDocumentService,
  type CatalogDocumentEventType,
  type CatalogDocumentSchema,
  type DocumentIssue,
} from './document';
export {
  applyCatalogDocument,
  diffEntries,
  type ApplyAction,
  type ApplyChange,
  type ApplyDependencies,
  type ApplyOptions,
  type ApplyResult,
  type ApplyTarget,
  type FieldDiff,
} from './apply';
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
export {
  CatalogSearch,
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  type SearchHit,
  type SearchMatch,
  type SearchParams,
  type SearchResult,
} from './search/catalog-search';
export { parseSearchTerms, MAX_SEARCH_TEXT, MAX_SEARCH_WORDS } from './search/search-terms';
export { fullCatalogScope, scopeAllows, type CatalogScope, type ScopedEntry } from './catalog-scope';
export {
  buildAsyncApiDocument,
  serializeDocument,
  asyncApiMediaTypes,
  JSON_SCHEMA_FORMAT,
  AVRO_SCHEMA_FORMAT,
  PROTOBUF_SCHEMA_FORMAT,
  type ExportCatalog,
  type ExportDomain,
  type ExportEventType,
  type ExportOptions,
  type ExportSchema,
  type ExportService,
} from './asyncapi/export-asyncapi';
export { loadExportCatalog, type ExportSchemaSource } from './asyncapi/load-export-catalog';
export { parseAsyncApi, readAsyncApiText, asyncApiErrors, type AsyncApiProblem } from './asyncapi/parse-asyncapi';
export { asyncApiToCatalogDocument, type AsyncApiImportOptions } from './asyncapi/import-asyncapi';
