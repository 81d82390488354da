import { isObject } from './schema-documents';

/** Keywords whose value is one subschema. */
const SINGLE = new Set([
  'additionalItems',
  'additionalProperties',
  'contains',
  'contentSchema',
  'else',
  'if',
  'not',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const MAP = new Set(['$defs', 'definitions', 'dependentSchemas', 'patternProperties', 'properties']);

/** Data (enum values, defaults, unknown keywords): only object keys are sorted, since their order carries no meaning. */
function canonicalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalData);
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) result[key] = canonicalData(value[key]);
  return result;
}

function sortedUniqueStrings(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return canonicalData(value);
  return [...new Set(value as string[])].sort();
}

/**
 * The canonical value of a schema: keys sorted everywhere, and only spellings that mean exactly the
 * same folded — a one-element `type` array becomes its string, `type` arrays, `required` and
 * dependency lists are sorted and de-duplicated. Everything else (annotations, enum order, unknown
 * keywords such as `x-meshgate-pii`) is kept, because other tools read them.
 */
export function canonicalSchemaValue(schema: unknown): unknown {
  if (!isObject(schema)) return canonicalData(schema);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(schema).sort()) {
    const value = schema[key];
    if (key === 'type' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      const types = [...new Set(value as string[])].sort();
      result[key] = types.length === 1 ? types[0] : types;
    } else if (key === 'required') {
      result[key] = sortedUniqueStrings(value);
    } else if (SINGLE.has(key)) {
      result[key] = canonicalSchemaValue(value);
    } else if (LIST.has(key) && Array.isArray(value)) {
      result[key] = value.map(canonicalSchemaValue);
    } else if (key === 'items') {
      result[key] = Array.isArray(value) ? value.map(canonicalSchemaValue) : canonicalSchemaValue(value);
    } else if (MAP.has(key) && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const name of Object.keys(value).sort()) map[name] = canonicalSchemaValue(value[name]);
      result[key] = map;
    } else if ((key === 'dependencies' || key === 'dependentRequired') && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const name of Object.keys(value).sort()) {
        const dependency = value[name];
        map[name] = Array.isArray(dependency) ? sortedUniqueStrings(dependency) : canonicalSchemaValue(dependency);
      }
      result[key] = map;
    } else {
      result[key] = canonicalData(value);
    }
  }
  return result;
}

const cache = new WeakMap<object, string>();

/** The canonical text of a schema (compact JSON of {@link canonicalSchemaValue}); cached per schema object. */
export function canonicalText(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return JSON.stringify(canonicalSchemaValue(schema));
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  const text = JSON.stringify(canonicalSchemaValue(schema));
  cache.set(schema, text);
  return text;
}
