export {
  EventTypeCatalog,
  assertEventTypeName,
  resolveEventTypeDefaults,
  assertEventTypeValues,
  valueFormatOf,
  deadLetterTopicOf,
  valueFormats,
  type ValueFormat,
  type EventType,
  type EventTypeInput,
  type EventTypeCatalogOptions,
} from './event-types';
