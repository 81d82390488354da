export {
  EventTypeCatalog,
  assertEventTypeName,
  resolveEventTypeDefaults,
  type EventType,
  type EventTypeInput,
  type EventTypeCatalogOptions,
} from './event-types';
