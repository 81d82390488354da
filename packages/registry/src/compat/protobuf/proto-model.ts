/**
 * A plain, resolved description of a .proto file and the types it can see. protobufjs objects
 * are mutable, camel-cased in places and full of lazily computed caches; the canonical printer
 * and the compatibility check work on this model instead, so both see exactly the same facts
 * (type references already resolved to full names, synthetic proto3-optional oneofs removed,
 * extension sister fields dropped) and neither depends on protobufjs internals.
 */

/** The scalar value types of the protobuf language. */
export const scalarTypes = [
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
] as const;

/** One scalar value type. */
export type ScalarType = (typeof scalarTypes)[number];

/** True when `name` is a scalar type name. */
export function isScalarType(name: string): name is ScalarType {
  return (scalarTypes as readonly string[]).includes(name);
}

/** What a field holds: full names have no leading dot (`shop.Order.Item`). */
export type TypeRef =
  | { kind: 'scalar'; name: ScalarType }
  | { kind: 'enum'; fullName: string }
  | { kind: 'message'; fullName: string }
  | { kind: 'group'; fullName: string }
  | { kind: 'map'; key: ScalarType; value: TypeRef };

/**
 * A field's cardinality as written: `implicit` is proto3's unlabelled singular field (and any
 * oneof member), `optional` an explicit-presence singular field (proto2 `optional`, proto3
 * `optional`).
 */
export type FieldLabel = 'implicit' | 'optional' | 'required' | 'repeated';

/** An option as the canonical text writes it: `name = value`, value already in .proto syntax. */
export interface OptionEntry {
  name: string;
  value: string;
}

/** An inclusive range of numbers (`reserved 8 to 10`, `extensions 100 to max`). */
export type NumberRange = readonly [start: number, end: number];

/** One field of a message (or an extension field). */
export interface FieldModel {
  name: string;
  number: number;
  label: FieldLabel;
  type: TypeRef;
  /** The real oneof the field belongs to; never a synthetic proto3-optional oneof. */
  oneof?: string;
  options: OptionEntry[];
}

/** A real (not synthetic) oneof. */
export interface OneofModel {
  name: string;
  options: OptionEntry[];
}

/** Fields declared in an `extend` block. */
export interface ExtensionModel {
  /** Full name of the extended message. */
  extendee: string;
  field: FieldModel;
}

/** A message type. */
export interface MessageModel {
  kind: 'message';
  /** `shop.Order.Item`. */
  fullName: string;
  /** `Item`. */
  name: string;
  /** The name inside its package: `Order.Item`. */
  localName: string;
  /** A proto2 group's message type (printed inline with its field). */
  group: boolean;
  /** Sorted by number. */
  fields: FieldModel[];
  /** Declaration order. */
  oneofs: OneofModel[];
  /** Nested messages and enums in declaration order; groups are printed with their field instead. */
  nested: TypeModel[];
  /** Extension fields declared inside this message. */
  extensions: ExtensionModel[];
  reservedRanges: NumberRange[];
  reservedNames: string[];
  extensionRanges: NumberRange[];
  options: OptionEntry[];
}

/** One enum constant. */
export interface EnumValueModel {
  name: string;
  number: number;
  options: OptionEntry[];
}

/** An enum type. */
export interface EnumModel {
  kind: 'enum';
  fullName: string;
  name: string;
  localName: string;
  /** Declaration order: the first value is the default. */
  values: EnumValueModel[];
  reservedRanges: NumberRange[];
  reservedNames: string[];
  options: OptionEntry[];
}

/** A message or an enum. */
export type TypeModel = MessageModel | EnumModel;

/** One rpc of a service. */
export interface MethodModel {
  name: string;
  requestType: string;
  requestStream: boolean;
  responseType: string;
  responseStream: boolean;
  options: OptionEntry[];
}

/** A service. */
export interface ServiceModel {
  name: string;
  fullName: string;
  methods: MethodModel[];
  options: OptionEntry[];
}

/** An `import` statement. */
export interface ImportModel {
  path: string;
  weak: boolean;
}

/** One .proto file: the schema itself, with its top-level declarations in declaration order. */
export interface FileModel {
  syntax: 'proto2' | 'proto3';
  /** `''` when the file has no package. */
  packageName: string;
  imports: ImportModel[];
  options: OptionEntry[];
  types: TypeModel[];
  extensions: ExtensionModel[];
  services: ServiceModel[];
}

/** How a field's type reads in messages and `old`/`new` values (`repeated shop.Item`, `map<string, int32>`). */
export function describeType(type: TypeRef): string {
  switch (type.kind) {
    case 'scalar':
      return type.name;
    case 'map':
      return `map<${type.key}, ${describeType(type.value)}>`;
    default:
      return type.fullName;
  }
}

/** A field as one line of .proto text, for `old`/`new` values (`repeated int32 ids = 3`). */
export function describeField(field: FieldModel): string {
  const label = field.label === 'implicit' || field.type.kind === 'map' ? '' : `${field.label} `;
  const oneof = field.oneof === undefined ? '' : ` (in oneof ${field.oneof})`;
  return `${label}${describeType(field.type)} ${field.name} = ${field.number}${oneof}`;
}
