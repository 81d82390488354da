/**
 * The contract every schema type (JSON Schema, Avro, Protobuf) implements, so the registry can
 * parse, normalise and compare schemas without knowing their language. Compatibility is asked
 * one direction at a time — "can a reader with schema R read data written with schema W?" — and
 * the registry composes the seven Confluent levels from that (BACKWARD: reader = new, writer =
 * each old; FORWARD: reader = old, writer = new; FULL: both; *_TRANSITIVE: against every
 * version instead of the latest).
 */

/** Confluent's compatibility levels. */
export type CompatibilityLevel =
  'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

/** Schema types the registry supports, as Confluent names them. */
export type SchemaType = 'JSON' | 'AVRO' | 'PROTOBUF';

/** A referenced schema, already resolved by the registry (transitively, dependencies first). */
export interface ResolvedReference {
  /** The name the referencing schema uses: a URL/`$id` for JSON, a full type name or file for Avro, an import path for Protobuf. */
  name: string;
  subject: string;
  version: number;
  schemaType: SchemaType;
  schema: string;
}

/** One reason a change is incompatible, precise enough to act on. */
export interface Incompatibility {
  /**
   * Where in the schema: a JSON pointer into the schema document for JSON Schema
   * (e.g. `#/properties/total/type`), a field path for Avro (`Order.items[].sku`) and Protobuf
   * (`shop.Order.total` / `shop.Order.total#3`).
   */
  path: string;
  /**
   * A stable rule id in SCREAMING_SNAKE_CASE. Use Confluent's difference type names where one
   * exists (e.g. `PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`, `TYPE_NARROWED`,
   * `READER_FIELD_MISSING_DEFAULT_VALUE`, `FIELD_KIND_CHANGED`), otherwise a clear new one.
   */
  rule: string;
  /** One sentence a developer understands without knowing the rule id. */
  message: string;
  /** The value before (writer side), when there is one to show. */
  old?: unknown;
  /** The value after (reader side), when there is one to show. */
  new?: unknown;
  /** A concrete suggested fix ("give field 'x' a default", "keep field number 3 reserved", …). */
  fix: string;
}

/** Options of one compatibility check. */
export interface CompatibilityOptions {
  /**
   * JSON Schema only: lenient mode allows adding an optional property to an open content model
   * (Confluent's strict default rejects it, since old data may hold that property with any type).
   */
  lenient?: boolean;
}

/** A parsed, validated schema, opaque outside its engine. */
export interface ParsedSchema {
  readonly schemaType: SchemaType;
  /** The schema text as registered. */
  readonly text: string;
  /**
   * A canonical text: the same schema written differently (whitespace, key order and, for
   * JSON/Avro, other equivalent spellings the engine chooses to fold) gives the same string.
   * Used for `normalize=true` and for global schema identity.
   */
  readonly canonical: string;
}

/** One schema language. */
export interface SchemaEngine<P extends ParsedSchema = ParsedSchema> {
  readonly schemaType: SchemaType;
  /**
   * Parses and validates a schema with its resolved references. Throws a MeshgateError with
   * code INVALID_SCHEMA whose message gives the parser's reason (and where, when known).
   * Throws with code INVALID_REFERENCE when a name the schema uses is not among `references`.
   */
  parse(text: string, references: readonly ResolvedReference[]): P;
  /**
   * Every reason data written with `writer` cannot be read with `reader`; empty when it can.
   * Must be deterministic (stable order) and never throw for parsed schemas.
   */
  canRead(reader: P, writer: P, options?: CompatibilityOptions): Incompatibility[];
}
