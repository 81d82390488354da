import { escapePointerToken, unescapeFragmentToken } from '@meshgate/core';
import { sensitivityClasses } from '@meshgate/policy';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLEnumValueConfigMap,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
  type GraphQLScalarType,
} from 'graphql';
import { NameScope, toEnumValueName, toPropertyFieldName, toTypeName } from './names';

/** Options for {@link jsonSchemaToGraphQL}. */
export interface JsonSchemaTypeOptions {
  /** The schema-wide type names; every generated object and enum type claims its name here. */
  typeNames: NameScope;
  /** The `JSON` scalar, for everything that cannot be typed. */
  json: GraphQLScalarType;
  /** Nesting depth beyond which values are `JSON`; default 32. */
  maxDepth?: number;
  /** Told about every part that fell back to `JSON` and why (for debug logs). */
  onFallback?: (path: string, reason: string) => void;
}

/** A converted schema: the nullable GraphQL type and whether `null` is a valid value. */
export interface ConvertedType {
  type: GraphQLOutputType;
  nullable: boolean;
}

type JsonObject = Record<string, unknown>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Reads a JSON property by its original key (for fields renamed to a legal GraphQL name). */
function readProperty(key: string) {
  return (source: unknown): unknown => (isRecord(source) ? source[key] : undefined);
}

/**
 * Converts one JSON Schema (the payload schema of an event type) into GraphQL output types:
 * objects with properties become object types (nested ones named `{Parent}{Property}` or from
 * their `title`), string enums become enum types, arrays lists, scalar types Int/Float/String/
 * Boolean, required properties non-null; descriptions come from `description`. Local `$ref`s
 * (`#/definitions/…`, `#/$defs/…`) that point at objects become one named type each, so
 * recursive schemas give recursive GraphQL types. Anything else — mixed oneOf/anyOf,
 * patternProperties, external references, tuples, objects without properties — is `JSON`.
 * Throws only on a bug; callers fall back to `JSON` for the whole payload then.
 */
export function jsonSchemaToGraphQL(root: unknown, rootName: string, options: JsonSchemaTypeOptions): ConvertedType {
  return new JsonSchemaConverter(root, options).convert(root, { name: rootName, explicit: true }, '#', 0);
}

interface NameHint {
  /** The type name to use for an object or enum. */
  name: string;
  /** True for a name chosen by the caller (the payload root); otherwise a `title` wins. */
  explicit: boolean;
}

class JsonSchemaConverter {
  /** Converted local `$ref` targets by pointer, so each target is one GraphQL type. */
  private readonly refResults = new Map<string, ConvertedType>();
  /** Object types of `$ref` targets whose fields are being built (a recursive schema refers back). */
  private readonly refTypes = new Map<string, GraphQLObjectType>();
  /** References being expanded right now, to stop cycles through non-object schemas. */
  private readonly expanding = new Set<string>();
  private readonly maxDepth: number;

  constructor(
    private readonly root: unknown,
    private readonly options: JsonSchemaTypeOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 32;
  }

  convert(schema: unknown, hint: NameHint, path: string, depth: number, refKey?: string): ConvertedType {
    if (depth > this.maxDepth) return this.fallback(path, `nested deeper than ${this.maxDepth} levels`);
    if (!isRecord(schema)) return this.fallback(path, 'no constraints');
    if (typeof schema.$ref === 'string') return this.convertRef(schema.$ref, hint, path, depth);

    const types = typeList(schema.type);
    let nullable = types.includes('null') || schema.nullable === true;
    const concrete = types.filter((type) => type !== 'null');

    const alternatives = [schema.anyOf, schema.oneOf].find(Array.isArray);
    if (alternatives) {
      const nonNull = alternatives.filter((branch) => !(isRecord(branch) && branch.type === 'null'));
      if (nonNull.length < alternatives.length) nullable = true;
      const only = nonNull[0];
      if (nonNull.length !== 1 || concrete.length > 0 || isRecord(schema.properties)) {
        return this.fallback(path, 'oneOf/anyOf with more than one non-null alternative');
      }
      const converted = this.convert(only, this.innerHint(schema, hint), path, depth, refKey);
      return { type: converted.type, nullable: nullable || converted.nullable };
    }
    if (Array.isArray(schema.allOf)) {
      const merged = this.mergeAllOf(schema, new Set());
      if (!merged) return this.fallback(path, 'allOf that is not a plain merge of objects');
      return this.convert(merged, hint, path, depth, refKey);
    }
    if (Array.isArray(schema.enum)) return this.convertEnum(schema, schema.enum, hint, path, nullable);
    if ('const' in schema) return this.convertEnum(schema, [schema.const], hint, path, nullable);

    if (concrete.length > 1) {
      const numeric = concrete.every((type) => type === 'integer' || type === 'number');
      return numeric ? { type: GraphQLFloat, nullable } : this.fallback(path, `several types (${concrete.join(', ')})`);
    }
    const type = concrete[0] ?? (isRecord(schema.properties) ? 'object' : 'items' in schema ? 'array' : undefined);
    switch (type) {
      case 'string':
        return { type: GraphQLString, nullable };
      case 'integer':
        return { type: fitsInt32(schema) ? GraphQLInt : GraphQLFloat, nullable };
      case 'number':
        return { type: GraphQLFloat, nullable };
      case 'boolean':
        return { type: GraphQLBoolean, nullable };
      case 'array':
        return this.convertArray(schema, hint, path, depth, nullable);
      case 'object':
        return this.convertObject(schema, hint, path, depth, nullable, refKey);
      default:
        return this.fallback(path, type === 'null' ? 'always null' : 'no type');
    }
  }

  private convertRef(ref: string, hint: NameHint, path: string, depth: number): ConvertedType {
    const done = this.refResults.get(ref);
    if (done) return done;
    const building = this.refTypes.get(ref);
    if (building) return { type: building, nullable: false };
    if (!ref.startsWith('#')) return this.fallback(path, `external reference ${ref}`);
    if (this.expanding.has(ref)) return this.fallback(path, `reference cycle through ${ref}`);
    const target = this.resolvePointer(ref);
    if (target === undefined) return this.fallback(path, `unresolvable reference ${ref}`);
    const segment = ref.split('/').pop() ?? '';
    const refHint: NameHint = { name: toTypeName(unescapeFragmentToken(segment), hint.name), explicit: false };
    this.expanding.add(ref);
    try {
      const converted = this.convert(target, refHint, ref, depth + 1, ref);
      this.refResults.set(ref, converted);
      return converted;
    } finally {
      this.expanding.delete(ref);
    }
  }

  private convertArray(
    schema: JsonObject,
    hint: NameHint,
    path: string,
    depth: number,
    nullable: boolean,
  ): ConvertedType {
    if (Array.isArray(schema.items) || Array.isArray(schema.prefixItems)) {
      return this.fallback(path, 'tuple arrays');
    }
    const items =
      schema.items === undefined
        ? this.fallback(`${path}/items`, 'no item schema')
        : this.convert(schema.items, this.innerHint(schema, hint), `${path}/items`, depth + 1);
    return { type: new GraphQLList(items.nullable ? items.type : new GraphQLNonNull(items.type)), nullable };
  }

  private convertObject(
    schema: JsonObject,
    hint: NameHint,
    path: string,
    depth: number,
    nullable: boolean,
    refKey: string | undefined,
  ): ConvertedType {
    if (isRecord(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0) {
      return this.fallback(path, 'patternProperties');
    }
    const properties = isRecord(schema.properties) ? Object.entries(schema.properties) : [];
    if (properties.length === 0) return this.fallback(path, 'an object without declared properties');
    const required = new Set(
      Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
    );

    const name = this.options.typeNames.claim(this.typeName(schema, hint));
    const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
    const type = new GraphQLObjectType({
      name,
      ...(text(schema.description) ? { description: text(schema.description) } : {}),
      fields: () => fields,
    });
    // Registered before the fields are built, so a property referring back to it reuses it.
    if (refKey) this.refTypes.set(refKey, type);

    const fieldNames = new NameScope([], '_');
    for (const [property, propertySchema] of properties) {
      const fieldName = fieldNames.claim(toPropertyFieldName(property));
      const child = this.convert(
        propertySchema,
        { name: `${name}${toTypeName(property, 'Field')}`, explicit: false },
        `${path}/properties/${escapePointerToken(property)}`,
        depth + 1,
      );
      const descriptions = [isRecord(propertySchema) ? text(propertySchema.description) : undefined];
      if (fieldName !== property) descriptions.push(`Original name: \`${property}\`.`);
      // Sensitive fields are masked (absent) for readers whose grant does not unmask them, so
      // the type says so: nullable, and the description names the classes.
      const sensitive = isRecord(propertySchema) ? sensitivityClasses(propertySchema) : [];
      if (sensitive.length > 0)
        descriptions.push(`Sensitive (${sensitive.join(', ')}): null unless your grant unmasks it.`);
      const description = descriptions.filter((d) => d !== undefined).join('\n\n');
      const field: GraphQLFieldConfig<unknown, unknown> = {
        type:
          required.has(property) && !child.nullable && sensitive.length === 0
            ? new GraphQLNonNull(child.type)
            : child.type,
        ...(description ? { description } : {}),
        ...(fieldName === property ? {} : { resolve: readProperty(property) }),
      };
      fields[fieldName] = field;
    }
    return { type, nullable };
  }

  private convertEnum(
    schema: JsonObject,
    values: unknown[],
    hint: NameHint,
    path: string,
    nullableType: boolean,
  ): ConvertedType {
    const nullable = nullableType || values.includes(null);
    const present = values.filter((value) => value !== null);
    if (present.length === 0) return this.fallback(path, 'an enum of null only');
    if (present.every((value) => typeof value === 'boolean')) return { type: GraphQLBoolean, nullable };
    if (present.every((value) => typeof value === 'number')) {
      const integers = present.every((value) => Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX);
      return { type: integers ? GraphQLInt : GraphQLFloat, nullable };
    }
    if (!present.every((value) => typeof value === 'string')) return this.fallback(path, 'an enum of mixed types');

    const enumValues: GraphQLEnumValueConfigMap = {};
    for (const value of new Set(present)) {
      const name = toEnumValueName(value);
      // Two values sanitised to one name (`a-b`, `a.b`) cannot both be told apart: use String.
      if (name === undefined || name in enumValues) return { type: GraphQLString, nullable };
      enumValues[name] = { value, ...(name === value ? {} : { description: `Original value: \`${value}\`.` }) };
    }
    const type = new GraphQLEnumType({
      name: this.options.typeNames.claim(this.typeName(schema, hint)),
      ...(text(schema.description) ? { description: text(schema.description) } : {}),
      values: enumValues,
    });
    return { type, nullable };
  }

  /** Merges `allOf` branches that are all objects (after local references) into one object schema. */
  private mergeAllOf(schema: JsonObject, seen: Set<string>): JsonObject | undefined {
    const { allOf, ...own } = schema;
    const properties: JsonObject = isRecord(own.properties) ? { ...own.properties } : {};
    const required = new Set(Array.isArray(own.required) ? own.required : []);
    for (let branch of Array.isArray(allOf) ? allOf : []) {
      if (isRecord(branch) && typeof branch.$ref === 'string') {
        if (!branch.$ref.startsWith('#') || seen.has(branch.$ref)) return undefined;
        seen.add(branch.$ref);
        branch = this.resolvePointer(branch.$ref);
      }
      if (!isRecord(branch)) return undefined;
      if (Array.isArray(branch.allOf)) branch = this.mergeAllOf(branch, seen);
      if (!isRecord(branch) || branch.anyOf || branch.oneOf || branch.$ref) return undefined;
      const types = typeList(branch.type);
      if (types.length > 0 && !types.includes('object')) return undefined;
      for (const [key, value] of Object.entries(isRecord(branch.properties) ? branch.properties : {})) {
        properties[key] ??= value;
      }
      for (const key of Array.isArray(branch.required) ? branch.required : []) required.add(key);
      if (isRecord(branch.patternProperties)) own.patternProperties ??= branch.patternProperties;
    }
    return { ...own, type: 'object', properties, required: [...required] };
  }

  private resolvePointer(ref: string): unknown {
    const pointer = ref.slice(1);
    if (pointer === '') return this.root;
    if (!pointer.startsWith('/')) return undefined;
    let node: unknown = this.root;
    for (const segment of pointer.slice(1).split('/')) {
      const key = unescapeFragmentToken(segment);
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isRecord(node)) node = node[key];
      else return undefined;
    }
    return node;
  }

  private typeName(schema: JsonObject, hint: NameHint): string {
    const title = hint.explicit ? undefined : text(schema.title);
    return title ? toTypeName(title, hint.name) : hint.name;
  }

  /** The hint for a schema's own alternatives or items: its title if it has one, else the same. */
  private innerHint(schema: JsonObject, hint: NameHint): NameHint {
    return { name: this.typeName(schema, hint), explicit: hint.explicit };
  }

  private fallback(path: string, reason: string): ConvertedType {
    this.options.onFallback?.(path, reason);
    return { type: this.options.json, nullable: true };
  }
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/** True unless the schema's bounds allow integers beyond GraphQL's 32-bit Int. */
function fitsInt32(schema: JsonObject): boolean {
  const low = [schema.minimum, schema.exclusiveMinimum].find((v) => typeof v === 'number');
  const high = [schema.maximum, schema.exclusiveMaximum].find((v) => typeof v === 'number');
  return (low === undefined || low >= INT32_MIN) && (high === undefined || high <= INT32_MAX);
}
