import path from 'node:path';
import { InputError } from '@meshgate/core';
import type { ResolvedReference } from './compat';
import type { SchemaReference } from './registry-client';
import { readTextFile, schemaTypeOf } from './schema-file';

/** One entry of a `--references` file. */
export interface ReferenceEntry extends SchemaReference {
  /** The referenced schema's file, relative to the references file; needed offline. */
  file?: string;
  /** json|avro|protobuf; defaults from `file`'s extension. */
  type?: string;
}

/** A loaded `--references` file. */
export interface References {
  /** Where it was read from (absolute). */
  path: string;
  entries: ReferenceEntry[];
}

const none: References = { path: '', entries: [] };

/**
 * Reads a references file: a JSON array of `{name, subject, version, file?, type?}`, dependencies
 * first. `name`/`subject`/`version` are what the registry gets; `file` is what offline checks parse.
 */
export async function loadReferences(cwd: string, file: string | undefined): Promise<References> {
  if (file === undefined) return none;
  const text = await readTextFile(cwd, file, '--references');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--references ${file} is not valid JSON (${(error as Error).message})`);
  }
  const shape = `an array of {"name", "subject", "version", "file"?}`;
  if (!Array.isArray(value)) throw new InputError(`--references ${file} must hold ${shape}`);
  const entries = value.map((entry: unknown, index): ReferenceEntry => {
    const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { name, subject, version, file: refFile, type } = item;
    const valid =
      typeof name === 'string' &&
      typeof subject === 'string' &&
      typeof version === 'number' &&
      Number.isInteger(version) &&
      version > 0 &&
      (refFile === undefined || typeof refFile === 'string') &&
      (type === undefined || typeof type === 'string');
    if (!valid) {
      throw new InputError(
        `--references ${file}: entry ${index} must be {"name": string, "subject": string, "version": positive integer, "file"?: string}`,
      );
    }
    return { name, subject, version, file: refFile, type };
  });
  return { path: path.resolve(cwd, file), entries };
}

/** The references as the registry API takes them. */
export function registryReferences(references: References): SchemaReference[] | undefined {
  if (references.entries.length === 0) return undefined;
  return references.entries.map(({ name, subject, version }) => ({ name, subject, version }));
}

/**
 * The references resolved for an offline check, reading each `file` with `read` (the working
 * tree, or a git ref for the previous version).
 */
export async function resolveReferences(
  references: References,
  read: (absoluteFile: string) => Promise<string>,
): Promise<ResolvedReference[]> {
  const resolved: ResolvedReference[] = [];
  for (const entry of references.entries) {
    if (entry.file === undefined) {
      throw new InputError(
        `--references: '${entry.name}' has no "file"; offline checks parse the referenced schema from a file`,
      );
    }
    const file = path.resolve(path.dirname(references.path), entry.file);
    resolved.push({
      name: entry.name,
      subject: entry.subject,
      version: entry.version,
      schemaType: schemaTypeOf(file, entry.type),
      schema: await read(file),
    });
  }
  return resolved;
}
