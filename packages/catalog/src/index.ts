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
