import type { CompatibilityOptions, Incompatibility, ParsedSchema, ResolvedReference, SchemaEngine } from '../types';
import { findProtobufIncompatibilities } from './check-proto-compat';
import { ProtobufSchema, parseProtobufSchema } from './parse-proto';

export { ProtobufSchema } from './parse-proto';
export { protobufRules, compatibleProtobufChanges, type ProtobufRule } from './protobuf-rules';

// The registry may hand back a ParsedSchema that did not come from this engine (a copy, a cache
// entry); its text is all we need to get the model back when it has no imports.
function asProtobufSchema(schema: ParsedSchema): ProtobufSchema {
  return schema instanceof ProtobufSchema ? schema : parseProtobufSchema(schema.text, []);
}

/**
 * The Protobuf engine: protobufjs parses and resolves `.proto` files (references are imports
 * named by their path), the engine's model gives the canonical text and Confluent's wire
 * compatibility rules, each incompatibility with a path and a fix.
 */
export const protobufEngine: SchemaEngine<ProtobufSchema> = {
  schemaType: 'PROTOBUF',
  parse(text: string, references: readonly ResolvedReference[]): ProtobufSchema {
    return parseProtobufSchema(text, references);
  },
  // Options only tune JSON Schema checks; Protobuf has no lenient mode.
  canRead(reader: ProtobufSchema, writer: ProtobufSchema, _options?: CompatibilityOptions): Incompatibility[] {
    return findProtobufIncompatibilities(asProtobufSchema(reader), asProtobufSchema(writer));
  },
};
