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
} from './event-types';
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
export { fullCatalogScope, scopeAllows, type CatalogScope, type ScopedEntry } from './search/catalog-scope';
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
export {
  parseAsyncApi,
  readAsyncApiText,
  asyncApiErrors,
  importableAsyncApiVersions,
  type AsyncApiProblem,
} from './asyncapi/parse-asyncapi';
export { asyncApiToCatalogDocument, type AsyncApiImportOptions } from './asyncapi/import-asyncapi';
export type {
  CatalogDocumentShape,
  CatalogDocumentDomain,
  CatalogDocumentService,
  CatalogDocumentEventType,
} from './asyncapi/catalog-document-shape';
