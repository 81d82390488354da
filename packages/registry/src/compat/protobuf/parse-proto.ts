import { MeshgateError } from '@meshgate/core';
import protobuf from 'protobufjs';
import type { ParsedSchema, ResolvedReference } from '../types';
import {
  buildExtension,
  buildOptions,
  buildService,
  buildTypeIndex,
  fullNameOf,
  isExtensionField,
  normaliseRanges,
  type Syntax,
} from './build-proto-model';
import { printCanonicalProto } from './canonical-proto';
import type { ExtensionModel, FileModel, NumberRange, ServiceModel, TypeModel } from './proto-model';
import { addWellKnownFile } from './well-known-types';

/** A parsed Protobuf schema: the registry sees `text` and `canonical`; the engine keeps its model. */
export class ProtobufSchema implements ParsedSchema {
  readonly schemaType = 'PROTOBUF' as const;
  // Private fields keep the protobufjs Root (large, cyclic) out of JSON.stringify and spreads.
  readonly #file: FileModel;
  readonly #types: ReadonlyMap<string, TypeModel>;
  readonly #ownTypes: ReadonlySet<string>;
  readonly #root: protobuf.Root;

  constructor(
    readonly text: string,
    readonly canonical: string,
    model: { file: FileModel; types: ReadonlyMap<string, TypeModel>; ownTypes: ReadonlySet<string> },
    root: protobuf.Root,
  ) {
    this.#file = model.file;
    this.#types = model.types;
    this.#ownTypes = model.ownTypes;
    this.#root = root;
  }

  /** The schema's own file: syntax, package, imports, options and declarations in order. */
  get file(): FileModel {
    return this.#file;
  }

  /** Every message and enum the schema can see (its own, its references', well-known), by full name. */
  get types(): ReadonlyMap<string, TypeModel> {
    return this.#types;
  }

  /** Full names of the messages and enums declared in the schema itself (nested ones included). */
  get ownTypes(): ReadonlySet<string> {
    return this.#ownTypes;
  }

  /** The resolved protobufjs Root (own types and references), for encoding and decoding data. */
  get root(): protobuf.Root {
    return this.#root;
  }

  /** Full name of the first top-level message: the one Confluent's serializers default to (message index 0). */
  get firstMessage(): string | undefined {
    return this.#file.types.find((type) => type.kind === 'message')?.fullName;
  }
}

/** protobufjs reports the file being parsed through this (untyped) static property. */
const parseState = protobuf.parse as unknown as { filename: string | null };

// The highest field number and the block protobuf keeps for itself.
const maxFieldNumber = 536_870_911;
const implementationReserved: NumberRange = [19_000, 19_999];

function invalid(message: string, cause?: unknown): MeshgateError {
  return new MeshgateError('INVALID_SCHEMA', message, cause === undefined ? {} : { cause });
}

function invalidReference(message: string, cause?: unknown): MeshgateError {
  return new MeshgateError('INVALID_REFERENCE', message, cause === undefined ? {} : { cause });
}

function displayName(name: string): string {
  return name.replace(/^\./, '');
}

/**
 * protobufjs's reasons, reworded for people who write .proto files ("Type .shop.A" is a
 * message, "id" a field number). Syntax errors keep protobufjs's line information as is.
 */
export function describeProtobufjsError(error: unknown): string {
  if (error instanceof TypeError) {
    // The tokenizer runs off the end of an unterminated block and protobufjs dereferences null.
    return 'unexpected end of the schema: a closing "}" or ";" is missing';
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = (word: string): string => (word === 'Type' ? 'message' : word === 'Enum' ? 'enum' : word.toLowerCase());
  let match = /^no such Type or Enum '([^']+)' in (\w+) (\S+)$/.exec(message);
  if (match) return `unknown type '${match[1]}' in ${kind(match[2] ?? '')} ${displayName(match[3] ?? '')}`;
  match = /^no such type: (\S+)$/.exec(message);
  if (match) return `unknown type '${match[1]}'`;
  match = /^unresolvable extensions: 'extend ([^']+)'/.exec(message);
  if (match) return `unknown type '${match[1]}' in an extend block`;
  match = /^duplicate id (-?\d+) in (Type|Enum) (\S+)$/.exec(message);
  if (match) {
    return match[2] === 'Enum'
      ? `enum value number ${match[1]} is used twice in enum ${displayName(match[3] ?? '')} (set "option allow_alias = true;" to allow aliases)`
      : `field number ${match[1]} is used twice in message ${displayName(match[3] ?? '')}`;
  }
  match = /^duplicate name '([^']+)' in (\w+)(?: (\S+))?$/.exec(message);
  if (match) {
    const where = match[2] === 'Root' ? 'the root scope' : `${kind(match[2] ?? '')} ${displayName(match[3] ?? '')}`;
    return `the name '${match[1]}' is declared twice in ${where}`;
  }
  match = /^id (-?\d+) is reserved in (Type|Enum) (\S+)$/.exec(message);
  if (match) return `number ${match[1]} is reserved in ${kind(match[2] ?? '')} ${displayName(match[3] ?? '')}`;
  match = /^name '([^']+)' is reserved in (Type|Enum) (\S+)$/.exec(message);
  if (match) return `the name '${match[1]}' is reserved in ${kind(match[2] ?? '')} ${displayName(match[3] ?? '')}`;
  return message;
}

function parseInto(text: string, root: protobuf.Root, filename: string | null): protobuf.IParserResult {
  parseState.filename = filename;
  try {
    return protobuf.parse(text, root, { keepCase: true });
  } finally {
    parseState.filename = null;
  }
}

/**
 * The `syntax`/`edition` statement: protoc requires it before anything else, protobufjs does
 * not, so a late one is rejected here rather than silently changing how the rest is read. The
 * same pass rejects the identifier `__proto__`, which protobufjs silently drops.
 */
function readSyntax(text: string): Syntax {
  const tokens = protobuf.tokenize(text, false);
  let syntax: Syntax | undefined;
  let depth = 0;
  let previous: string | null = null;
  // A string literal comes as quote, content, quote; only its content is returned.
  const readString = (): string => {
    const content = tokens.next() ?? '';
    tokens.next();
    return content;
  };
  for (let token = tokens.next(); token !== null; previous = token, token = tokens.next()) {
    if (token === '"' || token === "'") {
      readString();
      token = 'string';
    } else if (token === '__proto__') {
      throw invalid('the name "__proto__" is not supported');
    } else if (token === '{') {
      depth += 1;
    } else if (token === '}') {
      depth -= 1;
    } else if (depth === 0 && (previous === null || previous === ';') && (token === 'syntax' || token === 'edition')) {
      if (tokens.peek() !== '=') continue;
      const first = previous === null;
      tokens.next();
      const quote = tokens.next();
      const value = quote === '"' || quote === "'" ? readString() : (quote ?? '');
      if (!first) throw invalid(`the ${token} statement must be the first statement of the schema`);
      if (token === 'edition') {
        throw invalid(`edition "${value}" is not supported; use syntax = "proto3" or syntax = "proto2"`);
      }
      if (value !== 'proto2' && value !== 'proto3')
        throw invalid(`unknown syntax "${value}"; use "proto3" or "proto2"`);
      syntax = value;
    }
  }
  // protoc's rule: a file without a syntax statement is proto2.
  return syntax ?? 'proto2';
}

function inRanges(value: number, ranges: readonly NumberRange[]): boolean {
  return ranges.some(([start, end]) => value >= start && value <= end);
}

function rangesOf(reserved: readonly (number[] | string)[] | undefined): NumberRange[] {
  return normaliseRanges((reserved ?? []).filter((entry): entry is number[] => Array.isArray(entry)));
}

function reservedNamesOf(reserved: readonly (number[] | string)[] | undefined): string[] {
  return (reserved ?? []).filter((entry): entry is string => typeof entry === 'string');
}

function checkRangesOrdered(reserved: readonly (number[] | string)[] | undefined, where: string): void {
  for (const entry of reserved ?? []) {
    if (Array.isArray(entry) && (entry[0] ?? 0) > (entry[1] ?? 0)) {
      throw invalid(`reserved range ${entry[0]} to ${entry[1]} in ${where} ends before it starts`);
    }
  }
}

function validateField(field: protobuf.Field, message: string, syntax: Syntax, type: protobuf.Type): void {
  const where = `field '${field.name}' in message ${message}`;
  if (field.id < 1 || field.id > maxFieldNumber) {
    throw invalid(`${where} has number ${field.id}; field numbers run from 1 to ${maxFieldNumber}`);
  }
  if (inRanges(field.id, [implementationReserved])) {
    throw invalid(`${where} has number ${field.id}; numbers 19000 to 19999 are reserved by Protocol Buffers`);
  }
  // protobufjs checks reservations only for fields declared after the `reserved` statement,
  // and treats the end of a range as exclusive; protoc checks both orders, inclusively.
  if (inRanges(field.id, rangesOf(type.reserved))) {
    throw invalid(`${where} uses number ${field.id}, which the message reserves`);
  }
  if (reservedNamesOf(type.reserved).includes(field.name)) {
    throw invalid(`${where} uses the name '${field.name}', which the message reserves`);
  }
  if (syntax === 'proto3' && field.options?.['default'] !== undefined) {
    throw invalid(`${where} has a default value; proto3 does not allow explicit defaults`);
  }
}

function validateEnum(enumType: protobuf.Enum, syntax: Syntax): void {
  const name = fullNameOf(enumType);
  const values = Object.entries(enumType.values);
  if (values.length === 0) throw invalid(`enum ${name} has no values; an enum needs at least one`);
  if (syntax === 'proto3' && values[0]?.[1] !== 0) {
    throw invalid(`the first value of enum ${name} is ${values[0]?.[1]}; proto3 requires it to be 0 (the default)`);
  }
  checkRangesOrdered(enumType.reserved, `enum ${name}`);
  const ranges = rangesOf(enumType.reserved);
  const names = reservedNamesOf(enumType.reserved);
  for (const [valueName, number] of values) {
    if (inRanges(number, ranges))
      throw invalid(`value ${valueName} of enum ${name} uses number ${number}, which the enum reserves`);
    if (names.includes(valueName)) throw invalid(`value ${valueName} of enum ${name} uses a name the enum reserves`);
  }
}

/** The checks protoc makes and protobufjs does not, over every declaration of the schema's own file. */
function validateOwnFile(namespace: protobuf.Namespace, syntax: Syntax): void {
  for (const child of namespace.nestedArray) {
    if (child instanceof protobuf.Type) {
      const name = fullNameOf(child);
      if (syntax === 'proto3' && (child as unknown as { group?: boolean }).group === true) {
        throw invalid(`group ${name} is not allowed in proto3; use a nested message`);
      }
      checkRangesOrdered(child.reserved, `message ${name}`);
      for (const field of child.fieldsArray) {
        if (field.declaringField === null) validateField(field, name, syntax, child);
      }
      validateOwnFile(child, syntax);
    } else if (child instanceof protobuf.Enum) {
      validateEnum(child, syntax);
    } else if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Service)) {
      validateOwnFile(child, syntax);
    }
  }
}

interface Loader {
  readonly root: protobuf.Root;
  readonly references: readonly ResolvedReference[];
  /** Files already in the root (references by name, well-known files by path). */
  readonly loaded: Set<string>;
}

function importsOf(result: protobuf.IParserResult): string[] {
  return [...(result.imports ?? []), ...(result.weakImports ?? [])];
}

/**
 * Adds the files `imports` name to the loader's root, each file's own imports first. A
 * reference is matched by its `name` (the import path, Confluent-style); well-known files come
 * from protobufjs; nothing is read from disk.
 */
function loadImports(
  loader: Loader,
  imports: readonly string[],
  importer: string | null,
  stack: readonly string[],
): void {
  for (const path of imports) {
    if (stack.includes(path)) {
      throw invalidReference(`circular import: ${[...stack, path].map((name) => `"${name}"`).join(' imports ')}`);
    }
    if (loader.loaded.has(path)) continue;
    const reference = loader.references.find((candidate) => candidate.name === path);
    if (reference) {
      loadReference(loader, reference, [...stack, path]);
    } else if (addWellKnownFile(loader.root, path)) {
      loader.loaded.add(path);
    } else {
      const by = importer === null ? '' : ` (imported by reference "${importer}")`;
      throw invalidReference(
        `import "${path}"${by} is not among the schema's references; register that file and add a reference named "${path}"`,
      );
    }
  }
}

function loadReference(loader: Loader, reference: ResolvedReference, stack: readonly string[]): void {
  const label = `reference "${reference.name}" (subject ${reference.subject}, version ${reference.version})`;
  if (reference.schemaType !== 'PROTOBUF') {
    throw invalidReference(
      `${label} is a ${reference.schemaType} schema; a .proto file can only import Protobuf schemas`,
    );
  }
  // Parsed alone first: its syntax errors belong to it, and its imports go in before it.
  let result: protobuf.IParserResult;
  try {
    result = parseInto(reference.schema, new protobuf.Root(), reference.name);
  } catch (error) {
    throw invalidReference(`${label} is not a valid .proto file: ${describeProtobufjsError(error)}`, error);
  }
  loadImports(loader, importsOf(result), reference.name, stack);
  loader.loaded.add(reference.name);
  try {
    parseInto(reference.schema, loader.root, reference.name);
  } catch (error) {
    throw invalidReference(`${label} conflicts with another file: ${describeProtobufjsError(error)}`, error);
  }
}

/** Full names of every message, enum, service and extension field declared in a file parsed alone. */
function collectDeclarations(namespace: protobuf.Namespace, into: Set<string>): Set<string> {
  for (const child of namespace.nestedArray) {
    if (child instanceof protobuf.Field) {
      if (isExtensionField(child)) into.add(fullNameOf(child));
      continue;
    }
    if (child instanceof protobuf.Type || child instanceof protobuf.Enum || child instanceof protobuf.Service) {
      into.add(fullNameOf(child));
    }
    if (child instanceof protobuf.Namespace) collectDeclarations(child, into);
  }
  return into;
}

/** The package namespace of a file parsed alone (the root when it has none). */
function packageNamespace(root: protobuf.Root, packageName: string): protobuf.Namespace {
  if (packageName === '') return root;
  const found = root.lookup(packageName);
  return found instanceof protobuf.Namespace ? found : root;
}

function buildFileModel(
  alone: protobuf.Root,
  result: protobuf.IParserResult,
  syntax: Syntax,
  root: protobuf.Root,
  types: ReadonlyMap<string, TypeModel>,
): FileModel {
  const packageName = result.package ?? '';
  // Declaration order comes from the file parsed alone: in the shared root, files of the same
  // package share one namespace.
  const own = packageNamespace(alone, packageName);
  const declarations: TypeModel[] = [];
  const services: ServiceModel[] = [];
  const extensions: ExtensionModel[] = [];
  for (const child of own.nestedArray) {
    const resolved = root.lookup(child.fullName);
    if (child instanceof protobuf.Type || child instanceof protobuf.Enum) {
      const model = types.get(fullNameOf(child));
      if (model) declarations.push(model);
    } else if (child instanceof protobuf.Service && resolved instanceof protobuf.Service) {
      services.push(buildService(resolved));
    } else if (child instanceof protobuf.Field && resolved instanceof protobuf.Field && isExtensionField(resolved)) {
      extensions.push(buildExtension(resolved, syntax));
    }
  }
  const weak = new Set(result.weakImports ?? []);
  const imports = [...new Set(importsOf(result))].sort().map((path) => ({ path, weak: weak.has(path) }));
  const scope = packageName === '' ? root : (root.lookup(packageName) ?? root);
  return {
    syntax,
    packageName,
    imports,
    // File options sit on the package namespace; in the file parsed alone they are this file's only.
    options: buildOptions(own.options, { namespace: scope instanceof protobuf.Namespace ? scope : root }),
    types: declarations,
    extensions,
    services,
  };
}

/**
 * Parses a .proto schema with its Confluent-style references (each reference's `name` is the
 * path the schema imports it by) into a resolved model and its canonical text. Throws
 * INVALID_SCHEMA for syntax and semantic errors, INVALID_REFERENCE for a missing, circular or
 * broken import.
 */
export function parseProtobufSchema(text: string, references: readonly ResolvedReference[]): ProtobufSchema {
  // 1. The file alone: syntax errors, its own declarations, and the protoc checks.
  const alone = new protobuf.Root();
  let result: protobuf.IParserResult;
  try {
    result = parseInto(text, alone, null);
  } catch (error) {
    throw invalid(`Invalid Protobuf schema: ${describeProtobufjsError(error)}`, error);
  }
  const syntax = readSyntax(text);
  validateOwnFile(alone, syntax);

  // 2. Its imports, then the file itself, into one root, and every type name resolved.
  const root = new protobuf.Root();
  loadImports({ root, references, loaded: new Set() }, importsOf(result), null, []);
  try {
    parseInto(text, root, null);
    root.resolveAll();
  } catch (error) {
    throw invalid(`Invalid Protobuf schema: ${describeProtobufjsError(error)}`, error);
  }

  // 3. The model and the canonical text.
  const declared = collectDeclarations(alone, new Set());
  const types = buildTypeIndex(root, declared, syntax);
  const ownTypes = new Set([...types.keys()].filter((name) => declared.has(name)));
  const file = buildFileModel(alone, result, syntax, root, types);
  return new ProtobufSchema(text, printCanonicalProto(file, types), { file, types, ownTypes }, root);
}
