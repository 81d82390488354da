import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@meshgate/core';
import type { SchemaType } from './compat';

/** `--type` values and the registry's names for them. */
const typeNames: Record<string, SchemaType> = { json: 'JSON', avro: 'AVRO', protobuf: 'PROTOBUF' };

/** File extensions the CLI recognises as schemas. */
const extensionTypes: Record<string, SchemaType> = { '.json': 'JSON', '.avsc': 'AVRO', '.proto': 'PROTOBUF' };

/** True when the file's extension names a schema type (.json, .avsc, .proto). */
export function isSchemaFile(file: string): boolean {
  return path.extname(file).toLowerCase() in extensionTypes;
}

/** The schema type from `--type` (json|avro|protobuf, any case), else from the file's extension. */
export function schemaTypeOf(file: string, typeOption: string | undefined): SchemaType {
  if (typeOption !== undefined) {
    const type = typeNames[typeOption.toLowerCase()];
    if (!type) throw new InputError(`--type '${typeOption}' is not a schema type; use json, avro or protobuf`);
    return type;
  }
  const type = extensionTypes[path.extname(file).toLowerCase()];
  if (!type) {
    throw new InputError(
      `cannot tell the schema type of ${file} from its extension; name it .json, .avsc or .proto, or pass --type json|avro|protobuf`,
    );
  }
  return type;
}

/** A path as the user wrote it relative to the working directory, with forward slashes (as GitHub wants). */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(cwd, file) : relative)
    .split(path.sep)
    .join('/');
}

/** Reads a UTF-8 file; a missing or unreadable file is a usage error naming the option. */
export async function readTextFile(cwd: string, file: string, option: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(`${option} ${file}: cannot read the file (${code}); check the path`, { cause: error });
  }
}
