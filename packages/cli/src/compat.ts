import { InputError, MeshgateError, isMeshgateError } from '@meshgate/core';
import type * as Registry from '@meshgate/registry/compat';
import type {
  CompatibilityLevel,
  PreviousVersion,
  ResolvedReference,
  SchemaType,
  VersionedIncompatibility,
} from '@meshgate/registry/compat';

export type { CompatibilityLevel, ResolvedReference, SchemaType, VersionedIncompatibility };

/** The levels as `--help` lists them; the registry's list is the authority (see {@link parseLevel}). */
export const levelsHelp = 'NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE';

/** A schema read from somewhere, ready to parse. */
export interface SchemaSource {
  /** Where it came from, for messages (`schemas/order.json`, `HEAD~1:schemas/order.json`). */
  label: string;
  schemaType: SchemaType;
  text: string;
  references: ResolvedReference[];
}

/** What an offline check compares. */
export interface OfflineCheck {
  level: CompatibilityLevel;
  candidate: SchemaSource;
  previous: SchemaSource;
  lenient: boolean;
}

/**
 * The registry's compatibility engines (`@meshgate/registry/compat`, no database layer), loaded on
 * demand: `--help` and the online commands have no use for them.
 */
function loadRegistry(): Promise<typeof Registry> {
  return import('@meshgate/registry/compat');
}

/** Validates a `--level` value (case-insensitive) against the registry's levels. */
export async function parseLevel(value: string): Promise<CompatibilityLevel> {
  const { compatibilityLevels, isCompatibilityLevel } = await loadRegistry();
  const level = value.toUpperCase();
  if (!isCompatibilityLevel(level)) {
    throw new InputError(
      `--level '${value}' is not a compatibility level; use one of ${compatibilityLevels.join(', ')}`,
    );
  }
  return level;
}

/**
 * Checks offline with the registry's own engines, so a verdict without a server is the verdict
 * the server would give. Throws INVALID_SCHEMA (naming the source) when a schema does not parse.
 */
export async function checkOffline(check: OfflineCheck): Promise<VersionedIncompatibility[]> {
  const registry = await loadRegistry();
  const parse = (source: SchemaSource) => {
    try {
      return registry.parseSchema(source.schemaType, source.text, source.references);
    } catch (error) {
      if (!isMeshgateError(error)) throw error;
      throw new MeshgateError(error.code, `${source.label}: ${error.message}`, { cause: error });
    }
  };
  const candidate = parse(check.candidate);
  const previous: PreviousVersion[] = [{ schema: parse(check.previous) }];
  return registry.checkCompatibility(check.level, candidate, previous, { lenient: check.lenient });
}
