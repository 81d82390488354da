import avsc, { type Type } from 'avsc';
import { MeshgateError } from '@meshgate/core';
import type { ParsedSchema, ResolvedReference } from '../types';
import { AvroSchemaError, buildModel } from './build-model';
import { canonicalJson } from './canonical';
import type { AvroNode, NamedNode } from './model';

/** A parsed Avro schema: the registry sees `text` and `canonical`; the engine keeps its model. */
export class AvroSchema implements ParsedSchema {
  readonly schemaType = 'AVRO' as const;
  // Private fields stay out of JSON.stringify and object spreads: the model may be cyclic.
  readonly #model: AvroNode;
  readonly #type: Type;

  constructor(
    readonly text: string,
    readonly canonical: string,
    model: AvroNode,
    type: Type,
  ) {
    this.#model = model;
    this.#type = type;
  }

  /** The engine's model of the schema (names resolved, references linked in). */
  get model(): AvroNode {
    return this.#model;
  }

  /** The avsc type, for encoding, decoding and validating data with this schema. */
  get type(): Type {
    return this.#type;
  }
}

// avsc's own messages can embed a whole schema; a reason should stay a sentence.
function shorten(message: string): string {
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

interface Registries {
  /** Named types of the engine's model, by full name. */
  readonly model: Map<string, NamedNode>;
  /** avsc types by full name (avsc also caches primitives here). */
  readonly avsc: Record<string, Type>;
}

/**
 * Builds one document into both registries: the model first (it gives located, specific
 * reasons), then avsc on the canonical JSON — where every name is already a full name, so avsc's
 * own namespace handling cannot disagree with ours — as a second validator and for data work.
 */
function compile(
  json: unknown,
  registries: Registries,
  reference: string | undefined,
): { model: AvroNode; canonical: string; type: Type } {
  const model = buildModel(json, registries.model, reference);
  const canonical = canonicalJson(model, reference);
  let type: Type;
  try {
    type = avsc.Type.forSchema(canonical as never, {
      registry: registries.avsc,
      noAnonymousTypes: true,
      wrapUnions: 'auto',
    });
  } catch (error) {
    throw new AvroSchemaError('INVALID_SCHEMA', shorten(error instanceof Error ? error.message : String(error)), '');
  }
  return { model, canonical: JSON.stringify(canonical), type };
}

/**
 * Parses an Avro schema with its references. References are other Avro schemas (dependencies
 * first, as the registry resolves them); whatever named types they define can be used by name,
 * whatever each reference's `name` (a full type name or a file name, as Confluent allows).
 */
export function parseAvroSchema(text: string, references: readonly ResolvedReference[]): AvroSchema {
  const registries: Registries = { model: new Map(), avsc: {} };
  for (const reference of references) {
    const about = `Invalid schema reference '${reference.name}' (subject '${reference.subject}' version ${reference.version})`;
    if (reference.schemaType !== 'AVRO') {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `${about}: it is a ${reference.schemaType} schema, and an Avro schema can only reference Avro schemas.`,
      );
    }
    const json = parseJson(reference.schema);
    if (!json.ok) throw new MeshgateError('INVALID_REFERENCE', `${about}: ${json.reason}.`);
    try {
      compile(json.value, registries, reference.name);
    } catch (error) {
      if (error instanceof AvroSchemaError) {
        throw new MeshgateError('INVALID_REFERENCE', `${about}: ${error.message}.`, { cause: error });
      }
      throw error;
    }
  }

  const json = parseJson(text);
  if (!json.ok) throw new MeshgateError('INVALID_SCHEMA', `Invalid Avro schema: ${json.reason}.`);
  try {
    const { model, canonical, type } = compile(json.value, registries, undefined);
    return new AvroSchema(text, canonical, model, type);
  } catch (error) {
    if (error instanceof AvroSchemaError) {
      const what = error.code === 'INVALID_REFERENCE' ? 'Invalid Avro schema reference' : 'Invalid Avro schema';
      throw new MeshgateError(error.code, `${what}: ${error.message}.`, { cause: error });
    }
    throw error;
  }
}
