import type { CompatibilityOptions, Incompatibility, ParsedSchema, SchemaEngine } from '../types';
import { CompatibilityChecker, ComparisonLimitError } from './checker';
import { isJsonParsedSchema, parseJsonSchema, type JsonParsedSchema } from './parse-json-schema';

/** Sorts by path, then rule, then message: the order must not depend on traversal details or locale. */
function byPath(a: Incompatibility, b: Incompatibility): number {
  const keyA = [a.path, a.rule, a.message];
  const keyB = [b.path, b.rule, b.message];
  for (let i = 0; i < keyA.length; i++) {
    if (keyA[i]! < keyB[i]!) return -1;
    if (keyA[i]! > keyB[i]!) return 1;
  }
  return 0;
}

/** A schema parsed by this engine; one parsed elsewhere (e.g. rebuilt from stored text) is parsed again. */
function asJson(schema: ParsedSchema): JsonParsedSchema {
  return isJsonParsedSchema(schema) ? schema : parseJsonSchema(schema.text, []);
}

/**
 * Every reason data written with `writer` may be rejected by `reader`, following Confluent Schema
 * Registry's JSON Schema rules (see README.md in this folder for the rule table and where Meshgate
 * differs). Never throws: a comparison that cannot finish is itself reported.
 */
function canRead(reader: ParsedSchema, writer: ParsedSchema, options: CompatibilityOptions = {}): Incompatibility[] {
  try {
    const readerSchema = asJson(reader);
    const writerSchema = asJson(writer);
    if (readerSchema.identity === writerSchema.identity) return [];
    const checker = new CompatibilityChecker({ lenient: options.lenient === true });
    const issues = checker.check(checker.flatten(writerSchema.root), readerSchema.root);
    return [...issues].sort(byPath);
  } catch (error) {
    const tooLarge = error instanceof ComparisonLimitError;
    return [
      {
        path: '#',
        rule: tooLarge ? 'COMPARISON_LIMIT_REACHED' : 'COMPARISON_FAILED',
        message: tooLarge
          ? `${(error as Error).message} Meshgate cannot prove the schemas compatible.`
          : `The schemas could not be compared: ${(error as Error).message}`,
        fix: tooLarge
          ? 'Split the schema into referenced parts or simplify its anyOf/oneOf nesting, then check again.'
          : 'Check that both schemas parse on their own, then report this as a Meshgate bug.',
      },
    ];
  }
}

/** The JSON Schema engine: parses drafts 07, 2019-09 and 2020-12 with ajv and compares them the Confluent way. */
export const jsonSchemaEngine: SchemaEngine = {
  schemaType: 'JSON',
  parse: parseJsonSchema,
  canRead,
};
