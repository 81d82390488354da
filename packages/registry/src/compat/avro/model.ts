/**
 * The engine's own model of an Avro schema: every name resolved to its node, every named type
 * carrying its full name, every attribute kept. avsc validates a schema but keeps neither
 * `logicalType` nor custom attributes and qualifies names its own way, so the canonical form and
 * the compatibility rules work on this model instead.
 */

/** Avro's primitive type names. */
export const primitiveNames = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;

/** One of Avro's primitive type names. */
export type PrimitiveName = (typeof primitiveNames)[number];

/** True for a primitive type name. */
export function isPrimitiveName(name: unknown): name is PrimitiveName {
  return typeof name === 'string' && (primitiveNames as readonly string[]).includes(name);
}

/** Attributes that do not change the structure: `doc`, `logicalType` and its parameters, custom metadata. */
export type Attributes = Readonly<Record<string, unknown>>;

/** `null`, `boolean`, `int`, `long`, `float`, `double`, `bytes` or `string` (with any attributes). */
export interface PrimitiveNode {
  readonly kind: 'primitive';
  readonly name: PrimitiveName;
  readonly attrs: Attributes;
}

/** What every named type (record, error, enum, fixed) has. */
interface NamedBase {
  /** The full name (`com.acme.Order`); namespace folded in. */
  readonly fullName: string;
  /** Aliases as full names (relative aliases take the type's namespace, as the specification says). */
  readonly aliases: readonly string[];
  readonly attrs: Attributes;
  /** The reference that defined this type, or undefined when the schema itself defines it. */
  readonly reference: string | undefined;
}

/** One field of a record. */
export interface FieldNode {
  readonly name: string;
  readonly type: AvroNode;
  readonly aliases: readonly string[];
  /** Whether the field has a default; `default` holds it (it may be `null`). */
  readonly hasDefault: boolean;
  readonly default: unknown;
  /** `ascending` (the default when absent), `descending` or `ignore`. */
  readonly order: string | undefined;
  readonly attrs: Attributes;
}

/** A record (or an `error`, which Avro reads exactly like a record). */
export interface RecordNode extends NamedBase {
  readonly kind: 'record';
  readonly error: boolean;
  /** Filled after the node is registered, so a record can refer to itself. */
  readonly fields: FieldNode[];
}

/** An enum. */
export interface EnumNode extends NamedBase {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
  /** The symbol readers use for symbols they do not know (Avro 1.9+). */
  readonly default: string | undefined;
}

/** A fixed-size byte sequence. */
export interface FixedNode extends NamedBase {
  readonly kind: 'fixed';
  readonly size: number;
}

/** An array. */
export interface ArrayNode {
  readonly kind: 'array';
  readonly items: AvroNode;
  readonly attrs: Attributes;
}

/** A map with string keys. */
export interface MapNode {
  readonly kind: 'map';
  readonly values: AvroNode;
  readonly attrs: Attributes;
}

/** A union of branches (never directly nested, at most one branch per unnamed kind). */
export interface UnionNode {
  readonly kind: 'union';
  readonly branches: readonly AvroNode[];
}

/** A named Avro type. */
export type NamedNode = RecordNode | EnumNode | FixedNode;

/** Any Avro type. */
export type AvroNode = PrimitiveNode | NamedNode | ArrayNode | MapNode | UnionNode;

/** True for records, errors, enums and fixed types. */
export function isNamed(node: AvroNode): node is NamedNode {
  return node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed';
}

/** The last dot-separated part of a full name. */
export function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

/** The namespace of a full name ('' for the null namespace). */
export function namespaceOf(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot === -1 ? '' : fullName.slice(0, dot);
}

/** The `logicalType` attribute of a node, if it has one. */
export function logicalTypeName(node: AvroNode): string | undefined {
  if (node.kind === 'union') return undefined;
  const logical = node.attrs.logicalType;
  return typeof logical === 'string' ? logical : undefined;
}

/**
 * A short, human label for a type, used in messages and in `old`/`new`: `string`,
 * `long (timestamp-millis)`, `com.acme.Order`, `array<int>`, `map<string>`, `["null", "string"]`.
 */
export function typeLabel(node: AvroNode, depth = 0): string {
  if (depth > 3) return '…';
  switch (node.kind) {
    case 'primitive': {
      const logical = logicalTypeName(node);
      return logical === undefined ? node.name : `${node.name} (${logical})`;
    }
    case 'record':
    case 'enum':
    case 'fixed':
      return node.fullName;
    case 'array':
      return `array<${typeLabel(node.items, depth + 1)}>`;
    case 'map':
      return `map<${typeLabel(node.values, depth + 1)}>`;
    case 'union':
      return `[${node.branches.map((branch) => JSON.stringify(typeLabel(branch, depth + 1))).join(', ')}]`;
  }
}

/** The word for a node's kind in sentences: `record`, `enum`, `fixed`, `array`, `map`, `union` or the primitive's name. */
export function kindLabel(node: AvroNode): string {
  if (node.kind === 'primitive') return node.name;
  if (node.kind === 'record' && node.error) return 'error';
  return node.kind;
}
