import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { MeshgateError } from '@meshgate/core';
import type { ParsedSchema, ResolvedReference } from '../types';
import { canonicalText } from './canonical-json-schema';
import {
  addDocument,
  collectReferences,
  createIndex,
  dialectOf,
  displayPath,
  isObject,
  nodeAt,
  resolveReference,
  type Dialect,
  type SchemaDocument,
  type SchemaNode,
} from './schema-documents';
import { show } from './writer-set';

/** A parsed JSON Schema: the registered text, its canonical form and everything needed to compare it. */
export interface JsonParsedSchema extends ParsedSchema {
  readonly schemaType: 'JSON';
  /** The draft chosen by `$schema` (draft-07 when absent). */
  readonly dialect: Dialect;
  /** The root schema, linked to the documents of its references. */
  readonly root: SchemaNode;
  /** Canonical text of the schema and of every reference: equal identities mean equal meaning. */
  readonly identity: string;
}

/** True for schemas this engine parsed. */
export function isJsonParsedSchema(schema: ParsedSchema): schema is JsonParsedSchema {
  return schema.schemaType === 'JSON' && 'root' in schema && 'identity' in schema;
}

const SUPPORTED = 'draft-07 (the default), 2019-09 and 2020-12';

/** "line 3, column 8" for a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** Parses JSON text, turning a syntax error into a message that says where. */
function parseJsonText(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = (error as Error).message;
    const position = /position (\d+)/.exec(reason);
    const offset = position ? Number(position[1]) : text.length;
    return { error: `not valid JSON at ${lineAndColumn(text, offset)} (${reason})` };
  }
}

function createAjv(dialect: Dialect, validateSchema: boolean): Ajv {
  // Same options as the event validator, so a schema that parses here also compiles there.
  const options = { allErrors: true, strict: false, validateFormats: true, logger: false, validateSchema } as const;
  const ajv =
    dialect === '2020-12' ? new Ajv2020(options) : dialect === '2019-09' ? new Ajv2019(options) : new Ajv(options);
  addFormats.default(ajv);
  return ajv;
}

const metaValidators = new Map<Dialect, Ajv>();

/**
 * Checks a schema against its draft's meta-schema. One ajv per draft is kept for this: compiling the
 * meta-schema is most of the cost of a parse, and this instance never holds user schemas, so it
 * does not grow.
 */
function metaErrors(schema: unknown, dialect: Dialect): string | undefined {
  let ajv = metaValidators.get(dialect);
  if (!ajv) {
    ajv = createAjv(dialect, true);
    metaValidators.set(dialect, ajv);
  }
  return ajv.validateSchema(schema as object) ? undefined : describeAjvErrors(ajv.errors);
}

function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const messages = [...new Set((errors ?? []).map((e) => `#${e.instancePath} ${e.message ?? 'is invalid'}`))];
  const shown = messages.slice(0, 5).join('; ');
  return messages.length > 5 ? `${shown}; and ${messages.length - 5} more` : shown;
}

function schemaRoot(value: unknown): boolean {
  return typeof value === 'boolean' || isObject(value);
}

/**
 * Parses and validates a JSON Schema with its resolved references (Confluent style: each
 * reference's `name` is the URL the schema's `$ref` uses). Throws INVALID_SCHEMA for text that is
 * not JSON, a root that is not an object or boolean, an unsupported `$schema`, a keyword ajv
 * rejects or a `$ref` pointing nowhere inside the schema; INVALID_REFERENCE for a `$ref` to a
 * document that is not among the references, or a reference that cannot be used.
 */
export function parseJsonSchema(text: string, references: readonly ResolvedReference[]): JsonParsedSchema {
  const parsed = parseJsonText(text);
  if ('error' in parsed) throw new MeshgateError('INVALID_SCHEMA', `Invalid schema: ${parsed.error}.`);
  const root = parsed.value;
  if (!schemaRoot(root)) {
    throw new MeshgateError(
      'INVALID_SCHEMA',
      `Invalid schema: a JSON Schema must be an object or a boolean, not ${Array.isArray(root) ? 'an array' : root === null ? 'null' : `a ${typeof root}`}.`,
    );
  }
  const dialect = dialectOf(root);
  if (!dialect) {
    throw new MeshgateError(
      'INVALID_SCHEMA',
      `Invalid schema: unsupported "$schema" ${show((root as { $schema?: unknown }).$schema)}; Meshgate supports ${SUPPORTED}.`,
    );
  }

  const index = createIndex();
  const main = addDocument(index, '', root, dialect);
  const referenceDocuments: { reference: ResolvedReference; root: unknown }[] = [];
  for (const reference of references) {
    const label = `reference ${show(reference.name)} (subject ${show(reference.subject)} version ${reference.version})`;
    if (reference.schemaType !== 'JSON') {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `Invalid reference: ${label} is a ${reference.schemaType} schema; a JSON Schema can only reference JSON Schemas.`,
      );
    }
    if (index.names.has(reference.name)) continue;
    const referenceParsed = parseJsonText(reference.schema);
    if ('error' in referenceParsed) {
      throw new MeshgateError('INVALID_REFERENCE', `Invalid reference: ${label} is ${referenceParsed.error}.`);
    }
    const referenceDialect = dialectOf(referenceParsed.value);
    if (!schemaRoot(referenceParsed.value) || !referenceDialect) {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `Invalid reference: ${label} is not a JSON Schema object or boolean of a supported draft (${SUPPORTED}).`,
      );
    }
    addDocument(index, reference.name, referenceParsed.value, referenceDialect);
    referenceDocuments.push({ reference, root: referenceParsed.value });
  }

  // A fresh instance per schema: references and $ids of one schema must not leak into another.
  const ajv = createAjv(dialect, false);
  for (const { reference, root: referenceRoot } of referenceDocuments) {
    const problems = metaErrors(referenceRoot, dialectOf(referenceRoot) ?? dialect);
    if (problems) {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `Invalid reference: ${show(reference.name)} is not a valid schema: ${problems}.`,
      );
    }
    try {
      ajv.addSchema(referenceRoot as object, reference.name);
    } catch (error) {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `Invalid reference: ${show(reference.name)} cannot be used: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  checkReferences(index.documents, ajv);

  const problems = metaErrors(root, dialect);
  if (problems) throw new MeshgateError('INVALID_SCHEMA', `Invalid schema: ${problems}.`);
  try {
    // Compiled without its root $id, as the event validator compiles it, so both resolve references alike.
    const copy = isObject(root) ? { ...root } : root;
    if (isObject(copy)) delete (copy as { $id?: unknown }).$id;
    ajv.compile(copy as object);
  } catch (error) {
    const missing = (error as { missingRef?: unknown }).missingRef;
    const code = typeof missing === 'string' && !missing.startsWith('#') ? 'INVALID_REFERENCE' : 'INVALID_SCHEMA';
    throw new MeshgateError(code, `Invalid schema: ${(error as Error).message}.`, { cause: error });
  }

  const canonical = canonicalText(root);
  const identity = [
    canonical,
    ...referenceDocuments
      .map(({ reference, root: referenceRoot }) => `${reference.name}=${canonicalText(referenceRoot)}`)
      .sort(),
  ].join('\n');
  return { schemaType: 'JSON', text, canonical, dialect, root: nodeAt(main, ''), identity };
}

/** Every `$ref` must point somewhere: into the schema, into a reference, or at a meta-schema ajv knows. */
function checkReferences(documents: readonly SchemaDocument[], ajv: Ajv): void {
  const names = documents.filter((d) => d.name !== '').map((d) => d.name);
  for (const doc of documents) {
    for (const { pointer, keyword, reference } of collectReferences(doc)) {
      if (keyword === '$recursiveRef' || (keyword === '$dynamicRef' && doc.dialect !== '2020-12')) continue;
      const node = nodeAt(doc, pointer);
      if (resolveReference(node, reference)) continue;
      const uriPart = reference.split('#')[0] ?? '';
      const where = displayPath(node, keyword);
      const target = uriPart === '' ? undefined : resolveReference(node, uriPart);
      if (uriPart === '' || target) {
        const inside = target ? target.doc.name || 'the schema' : doc.name || 'the schema';
        throw new MeshgateError(
          'INVALID_SCHEMA',
          `Invalid schema: ${keyword} ${show(reference)} at ${where} points to nothing in ${inside === 'the schema' ? inside : show(inside)}.`,
        );
      }
      if (knownToAjv(ajv, uriPart)) continue;
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `Invalid reference: ${keyword} ${show(reference)} at ${where} names ${show(uriPart)}, which is not among the schema's references (${names.length > 0 ? names.map((n) => show(n)).join(', ') : 'none given'}). Register it and list it in "references" with name ${show(uriPart)}.`,
      );
    }
  }
}

function knownToAjv(ajv: Ajv, uri: string): boolean {
  try {
    return ajv.getSchema(uri) !== undefined;
  } catch {
    return false;
  }
}
