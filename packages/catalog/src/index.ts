export {
  EventTypeCatalog,
  assertEventTypeName,
  resolveEventTypeDefaults,
  type EventType,
  type EventTypeInput,
} from './event-types';
