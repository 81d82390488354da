import { MeshgateError } from '@meshgate/core';
import { avroEngine } from './avro';
import { jsonSchemaEngine } from './json';
import { protobufEngine } from './protobuf';
import type {
  CompatibilityLevel,
  CompatibilityOptions,
  Incompatibility,
  ParsedSchema,
  ResolvedReference,
  SchemaEngine,
  SchemaType,
} from './types';

/** Every compatibility level, in Confluent's order. */
export const compatibilityLevels: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

/** True when `value` names a compatibility level. */
export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (compatibilityLevels as readonly string[]).includes(value);
}

const engines: Record<SchemaType, SchemaEngine> = {
  JSON: jsonSchemaEngine,
  AVRO: avroEngine,
  PROTOBUF: protobufEngine,
};

/** The engine of a schema type; throws INVALID_SCHEMA for an unknown type. */
export function engineFor(schemaType: string): SchemaEngine {
  const engine = engines[schemaType as SchemaType];
  if (!engine) {
    throw new MeshgateError(
      'INVALID_SCHEMA',
      `Unknown schema type '${schemaType}'; use one of ${Object.keys(engines).join(', ')}.`,
    );
  }
  return engine;
}

/** Parses a schema of any supported type with its resolved references. */
export function parseSchema(
  schemaType: SchemaType,
  text: string,
  references: readonly ResolvedReference[] = [],
): ParsedSchema {
  return engineFor(schemaType).parse(text, references);
}

/** One incompatibility, with the version it conflicts with and the direction that fails. */
export interface VersionedIncompatibility extends Incompatibility {
  /** The existing version the candidate was compared with (undefined when compared with a bare schema). */
  version?: number;
  /** BACKWARD: the new schema cannot read data written with the old one; FORWARD: the reverse. */
  direction: 'BACKWARD' | 'FORWARD';
}

/** An existing schema version to check against, oldest first. */
export interface PreviousVersion {
  version?: number;
  schema: ParsedSchema;
}

/**
 * Checks a candidate against previous versions (oldest first) under a compatibility level:
 * non-transitive levels compare with the latest only, transitive ones with every version.
 * Returns every incompatibility found, each naming the version and direction; empty = compatible.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  previous: readonly PreviousVersion[],
  options: CompatibilityOptions = {},
): VersionedIncompatibility[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? previous : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const result: VersionedIncompatibility[] = [];
  for (const old of [...against].reverse()) {
    if (old.schema.schemaType !== candidate.schemaType) {
      result.push({
        path: '#',
        rule: 'SCHEMA_TYPE_CHANGED',
        message: `The schema type changed from ${old.schema.schemaType} to ${candidate.schemaType}.`,
        old: old.schema.schemaType,
        new: candidate.schemaType,
        fix: `Keep the schema type ${old.schema.schemaType}, or register the new type under a new subject.`,
        version: old.version,
        direction: 'BACKWARD',
      });
      continue;
    }
    const engine = engineFor(candidate.schemaType);
    if (backward) {
      for (const issue of engine.canRead(candidate, old.schema, options)) {
        result.push({ ...issue, version: old.version, direction: 'BACKWARD' });
      }
    }
    if (forward) {
      for (const issue of engine.canRead(old.schema, candidate, options)) {
        result.push({ ...issue, version: old.version, direction: 'FORWARD' });
      }
    }
  }
  return result;
}

/** A one-line, Confluent-style message for an incompatibility (used in `messages` of verbose answers). */
export function describeIncompatibility(issue: VersionedIncompatibility): string {
  const against = issue.version === undefined ? '' : ` (version ${issue.version})`;
  return `{errorType:'${issue.rule}', description:'${issue.message}', path:'${issue.path}', direction:'${issue.direction}'${against}, fix:'${issue.fix}'}`;
}
