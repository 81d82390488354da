export {
  EventTypeCatalog,
  assertEventTypeName,
  resolveEventTypeDefaults,
  valueFormatOf,
  deadLetterTopicOf,
  valueFormats,
  type ValueFormat,
  type EventType,
  type EventTypeInput,
  type EventTypeCatalogOptions,
} from './event-types';
