import { fullFormats } from 'ajv-formats/dist/formats';
import { isObject, type JsonObject } from './schema-documents';

/**
 * JSON value kinds as the comparison sees them. `number` is split in two so that
 * `integer` ⊂ `number` is plain set inclusion: a `number` schema accepts integer and fractional.
 */
export type TypeAtom = 'null' | 'boolean' | 'integer' | 'fractional' | 'string' | 'array' | 'object';

/** Every kind, in the order messages list them. */
export const ALL_ATOMS: readonly TypeAtom[] = ['null', 'boolean', 'integer', 'fractional', 'string', 'array', 'object'];

/** The kinds one JSON Schema type name stands for. */
function atomsOfTypeName(name: string): TypeAtom[] {
  switch (name) {
    case 'number':
      return ['integer', 'fractional'];
    case 'null':
    case 'boolean':
    case 'integer':
    case 'string':
    case 'array':
    case 'object':
      return [name];
    default:
      return [];
  }
}

/** The kinds a `type` keyword allows; undefined when there is no `type` keyword. */
export function atomsOfTypeKeyword(type: unknown): Set<TypeAtom> | undefined {
  if (typeof type === 'string') return new Set(atomsOfTypeName(type));
  if (Array.isArray(type)) return new Set(type.flatMap((t) => (typeof t === 'string' ? atomsOfTypeName(t) : [])));
  return undefined;
}

/** The kind of one JSON value. */
export function atomOfValue(value: unknown): TypeAtom {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'fractional';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** JSON Schema type names for a set of kinds, as a schema author would write them. */
export function typeNames(atoms: ReadonlySet<TypeAtom>): string[] {
  const names: string[] = [];
  for (const atom of ALL_ATOMS) {
    if (!atoms.has(atom)) continue;
    if (atom === 'integer') names.push(atoms.has('fractional') ? 'number' : 'integer');
    else if (atom === 'fractional') {
      if (!atoms.has('integer')) names.push('number');
    } else names.push(atom);
  }
  return names;
}

/** `type` keyword value for a set of kinds: a string for one, an array for several. */
export function typeKeywordValue(atoms: ReadonlySet<TypeAtom>): string | string[] {
  const names = typeNames(atoms);
  return names.length === 1 ? names[0]! : names;
}

/** Structural equality of JSON values (object key order ignored), as `enum` and `const` compare. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

const regexCache = new Map<string, RegExp | null>();

/** The regular expression of a `pattern`, compiled with the `u` flag as ajv does; null if it does not compile. */
export function patternRegex(pattern: string): RegExp | null {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null;
    }
    regexCache.set(pattern, regex);
  }
  return regex;
}

type FormatCheck = (value: unknown) => boolean;
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

function formatCheck(name: string): FormatCheck | undefined {
  const format = (fullFormats as Record<string, unknown>)[name];
  if (format === undefined) return undefined;
  // ajv-formats gives a RegExp, a function, a boolean, or an object holding one of those in `validate`.
  const validate =
    format instanceof RegExp || typeof format !== 'object' || format === null
      ? format
      : (format as { validate?: unknown }).validate;
  if (validate instanceof RegExp) return (value) => validate.test(String(value));
  if (typeof validate === 'function') return (value) => Boolean((validate as (v: unknown) => unknown)(value));
  return () => validate !== false;
}

/** True when ajv (with ajv-formats) validates this format; unknown formats are annotations and ignored. */
export function isKnownFormat(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(fullFormats, name);
}

/** Which kind of value a known format applies to. */
export function formatAppliesTo(name: string): 'number' | 'string' {
  return NUMBER_FORMATS.has(name) ? 'number' : 'string';
}

/** Length of a string as JSON Schema counts it (code points, like ajv). */
export function stringLength(value: string): number {
  let length = 0;
  for (const _char of value) length++;
  return length;
}

/**
 * The scalar keywords of one schema object that a scalar value fails, in keyword order. Only the
 * schema's own keywords: `$ref` and combinators are followed by the caller. Objects and arrays pass
 * every scalar keyword except `type`, `enum` and `const`.
 */
export function failedScalarKeywords(schema: JsonObject, value: unknown): string[] {
  const failed: string[] = [];
  const types = atomsOfTypeKeyword(schema.type);
  const atom = atomOfValue(value);
  if (types && !types.has(atom)) failed.push('type');
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => jsonEqual(v, value))) failed.push('enum');
  if ('const' in schema && !jsonEqual(schema.const, value)) failed.push('const');
  if (typeof value === 'string') {
    const length = stringLength(value);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) failed.push('maxLength');
    if (typeof schema.minLength === 'number' && length < schema.minLength) failed.push('minLength');
    if (typeof schema.pattern === 'string' && patternRegex(schema.pattern)?.test(value) === false) {
      failed.push('pattern');
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.maximum === 'number' && value > schema.maximum) failed.push('maximum');
    if (typeof schema.minimum === 'number' && value < schema.minimum) failed.push('minimum');
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) {
      failed.push('exclusiveMaximum');
    }
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
      failed.push('exclusiveMinimum');
    }
    if (typeof schema.multipleOf === 'number' && !Number.isInteger(value / schema.multipleOf)) {
      failed.push('multipleOf');
    }
  }
  if (typeof schema.format === 'string' && isKnownFormat(schema.format)) {
    const appliesTo = formatAppliesTo(schema.format);
    if (typeof value === appliesTo && formatCheck(schema.format)?.(value) === false) failed.push('format');
  }
  return failed;
}

/** Types in words: "string", "string or null", "any JSON value", "non-integer numbers". */
export function describeTypes(types: ReadonlySet<TypeAtom>): string {
  if (types.size === ALL_ATOMS.length) return 'any JSON type';
  if (types.size === 1 && types.has('fractional')) return 'non-integer numbers';
  const names = typeNames(types);
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
