import type { CompatibilityOptions, Incompatibility, ParsedSchema, ResolvedReference, SchemaEngine } from '../types';
import { findIncompatibilities } from './compatibility';
import { AvroSchema, parseAvroSchema } from './parse';

export { AvroSchema } from './parse';
export type { AvroRule } from './compatibility';

// The registry may hand back a ParsedSchema that did not come from this engine (a copy, a cache
// entry); its text is all we need to get the model back.
function asAvroSchema(schema: ParsedSchema): AvroSchema {
  return schema instanceof AvroSchema ? schema : parseAvroSchema(schema.text, []);
}

/**
 * The Avro engine: avsc parses and validates, the engine's own model gives the canonical form and
 * Avro's schema resolution rules, reported with Confluent's incompatibility names.
 */
export const avroEngine: SchemaEngine<AvroSchema> = {
  schemaType: 'AVRO',
  parse(text: string, references: readonly ResolvedReference[]): AvroSchema {
    return parseAvroSchema(text, references);
  },
  // Options only tune JSON Schema checks; Avro resolution has no lenient mode.
  canRead(reader: AvroSchema, writer: AvroSchema, _options?: CompatibilityOptions): Incompatibility[] {
    return findIncompatibilities(asAvroSchema(reader).model, asAvroSchema(writer).model);
  },
};
