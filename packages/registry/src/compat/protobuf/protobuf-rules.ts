/**
 * The rules of the Protobuf compatibility check, as data. Rule ids are Confluent's difference
 * types (`io.confluent.kafka.schemaregistry.protobuf.diff.Difference.Type`) where Confluent has
 * one; Meshgate's own additions say so in `source`.
 */

/** A rule that makes data written with one schema unreadable (or misread) with another. */
export interface ProtobufRuleInfo {
  /** `confluent`: Confluent reports the same difference as incompatible; `meshgate`: ours. */
  source: 'confluent' | 'meshgate';
  summary: string;
}

/** Every rule `protobufEngine.canRead` can report. */
export const protobufRules = {
  PACKAGE_CHANGED: {
    source: 'confluent',
    summary: 'The package changed, so every message has a new full name.',
  },
  MESSAGE_REMOVED: {
    source: 'confluent',
    summary: "A message of the writer's schema (top-level or nested) is missing from the reader's; renames count.",
  },
  FIELD_KIND_CHANGED: {
    source: 'confluent',
    summary: 'A field changed between scalar (enums included), message, group and map.',
  },
  FIELD_SCALAR_KIND_CHANGED: {
    source: 'confluent',
    summary: 'A scalar field changed to a type outside its wire-compatible group.',
  },
  FIELD_NAMED_TYPE_CHANGED: {
    source: 'confluent',
    summary: 'A message-typed field names a different message, or its message changed incompatibly.',
  },
  FIELD_NUMERIC_LABEL_CHANGED: {
    source: 'confluent',
    summary: 'A numeric (or enum) field changed between singular and repeated.',
  },
  REQUIRED_FIELD_ADDED: {
    source: 'confluent',
    summary: 'The reader requires a field the writer may leave out (added as required, or made required).',
  },
  REQUIRED_FIELD_REMOVED: {
    source: 'confluent',
    summary: 'A required field was removed or made optional; required fields are forever.',
  },
  ONEOF_FIELD_REMOVED: {
    source: 'confluent',
    summary: 'A member left a oneof that still exists (removed, or moved out of it).',
  },
  MULTIPLE_FIELDS_MOVED_TO_ONEOF: {
    source: 'confluent',
    summary: 'Several separate fields moved into one oneof; old data may set more than one.',
  },
  FIELD_MOVED_TO_EXISTING_ONEOF: {
    source: 'confluent',
    summary: 'A separate field moved into a oneof that already had members.',
  },
  FIELD_NUMBER_REUSED: {
    source: 'meshgate',
    summary: 'Field names and numbers were shuffled, so one field’s data is read as another’s.',
  },
  ENUM_CONST_NUMBER_REUSED: {
    source: 'meshgate',
    summary: 'Enum constant names and numbers were shuffled, so one constant is read as another.',
  },
} as const satisfies Record<string, ProtobufRuleInfo>;

/** A rule id the Protobuf engine reports. */
export type ProtobufRule = keyof typeof protobufRules;

/**
 * Confluent difference types the engine recognises but, like Confluent, does not report,
 * because data stays readable (see the tests for one proving row each).
 */
export const compatibleProtobufChanges = [
  'MESSAGE_ADDED',
  'MESSAGE_MOVED',
  'ENUM_ADDED',
  'ENUM_REMOVED',
  'ENUM_CONST_ADDED',
  'ENUM_CONST_CHANGED',
  'ENUM_CONST_REMOVED',
  'FIELD_ADDED',
  'FIELD_REMOVED',
  'FIELD_NAME_CHANGED',
  'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
  'ONEOF_ADDED',
  'ONEOF_REMOVED',
  'ONEOF_FIELD_ADDED',
] as const;
