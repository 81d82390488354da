import { pointerOf } from '@meshgate/core';
import { defaultProblem } from './default-value';
import {
  isPrimitiveName,
  namespaceOf,
  shortName,
  type ArrayNode,
  type AvroNode,
  type EnumNode,
  type FieldNode,
  type FixedNode,
  type MapNode,
  type NamedNode,
  type RecordNode,
  type UnionNode,
} from './model';

/** A schema the model cannot be built from; `pointer` is a JSON pointer into the schema document. */
export class AvroSchemaError extends Error {
  constructor(
    readonly code: 'INVALID_SCHEMA' | 'INVALID_REFERENCE',
    readonly reason: string,
    readonly pointer: string,
  ) {
    super(pointer === '' ? reason : `${reason} (at ${pointer})`);
    this.name = 'AvroSchemaError';
  }
}

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const fieldOrders = ['ascending', 'descending', 'ignore'];

function isValidFullName(name: string): boolean {
  return name.split('.').every((part) => namePattern.test(part));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointerTo(pointer: string, ...segments: (string | number)[]): string {
  return pointer + pointerOf(segments);
}

/** Every property of `json` except the structural ones, which the model holds itself. */
function attributesOf(json: Record<string, unknown>, structural: readonly string[]): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!structural.includes(key)) attrs[key] = value;
  }
  return attrs;
}

/**
 * Builds the model of one schema document. `named` holds the types defined so far (by references
 * and by this schema) and receives this schema's own; `reference` is the name of the reference
 * being built, or undefined for the schema itself. Throws AvroSchemaError.
 *
 * Name resolution follows the specification (and Avro Java, which Confluent runs): a dotted name
 * is a full name and ignores `namespace`; a simple name takes the `namespace` attribute or the
 * enclosing named type's namespace; a simple reference not found in the enclosing namespace falls
 * back to the null namespace, as Avro Java does. A leading dot (`.Foo`) is avsc's spelling of a
 * null-namespace reference and is accepted too.
 */
export function buildModel(json: unknown, named: Map<string, NamedNode>, reference: string | undefined): AvroNode {
  // Defaults are checked once every type is complete: a record's default may use the record itself.
  const pendingDefaults: { record: RecordNode; field: FieldNode; pointer: string }[] = [];

  const fail = (reason: string, pointer: string, code: AvroSchemaError['code'] = 'INVALID_SCHEMA'): never => {
    throw new AvroSchemaError(code, reason, pointer);
  };

  const lookup = (name: string, namespace: string, pointer: string): AvroNode => {
    if (isPrimitiveName(name)) return { kind: 'primitive', name, attrs: {} };
    const candidates = name.startsWith('.')
      ? [name.slice(1)]
      : name.includes('.') || namespace === ''
        ? [name]
        : [`${namespace}.${name}`, name];
    for (const candidate of candidates) {
      const found = named.get(candidate);
      if (found) return found;
    }
    const tried = candidates.map((candidate) => `'${candidate}'`).join(' or ');
    return fail(
      `Unknown type '${name}': no type named ${tried} is defined before this point in the schema or in its references`,
      pointer,
      'INVALID_REFERENCE',
    );
  };

  const register = (fullName: string, pointer: string): void => {
    if (!isValidFullName(fullName)) {
      fail(`Invalid type name '${fullName}': each dot-separated part must match [A-Za-z_][A-Za-z0-9_]*`, pointer);
    }
    if (isPrimitiveName(shortName(fullName))) {
      fail(`A named type cannot be called '${shortName(fullName)}', which is a primitive type`, pointer);
    }
    const existing = named.get(fullName);
    if (existing) {
      const where = existing.reference === undefined ? 'earlier in the schema' : `by reference '${existing.reference}'`;
      fail(`Type '${fullName}' is defined twice; it is already defined ${where}`, pointer);
    }
  };

  const fullNameOf = (json: Record<string, unknown>, enclosing: string, pointer: string): string => {
    const name = json.name;
    if (typeof name !== 'string' || name === '') {
      return fail(`A ${String(json.type)} needs a "name" (a non-empty string)`, pointer);
    }
    if (name.includes('.')) return name;
    const namespace = json.namespace;
    if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
      return fail('"namespace" must be a string', pointerTo(pointer, 'namespace'));
    }
    const space = typeof namespace === 'string' ? namespace : enclosing;
    return space === '' ? name : `${space}.${name}`;
  };

  const aliasesOf = (json: Record<string, unknown>, namespace: string, pointer: string, qualify: boolean): string[] => {
    const aliases = json.aliases;
    if (aliases === undefined || aliases === null) return [];
    if (!Array.isArray(aliases) || !aliases.every((alias) => typeof alias === 'string')) {
      return fail('"aliases" must be an array of strings', pointerTo(pointer, 'aliases'));
    }
    if (!qualify) return aliases as string[];
    return (aliases as string[]).map((alias, index) => {
      const full = alias.includes('.') || namespace === '' ? alias : `${namespace}.${alias}`;
      if (!isValidFullName(full)) {
        fail(
          `Invalid alias '${alias}': each dot-separated part must match [A-Za-z_][A-Za-z0-9_]*`,
          pointerTo(pointer, 'aliases', index),
        );
      }
      return full;
    });
  };

  const buildRecord = (json: Record<string, unknown>, enclosing: string, pointer: string): RecordNode => {
    const fullName = fullNameOf(json, enclosing, pointer);
    register(fullName, pointerTo(pointer, 'name'));
    const namespace = namespaceOf(fullName);
    const record: RecordNode = {
      kind: 'record',
      error: json.type === 'error',
      fullName,
      aliases: aliasesOf(json, namespace, pointer, true),
      attrs: attributesOf(json, ['type', 'name', 'namespace', 'aliases', 'fields']),
      reference,
      fields: [],
    };
    named.set(fullName, record);
    if (!Array.isArray(json.fields)) return fail(`Record '${fullName}' needs "fields" (an array)`, pointer);
    const seen = new Set<string>();
    for (const [index, fieldJson] of (json.fields as unknown[]).entries()) {
      const at = pointerTo(pointer, 'fields', index);
      if (!isObject(fieldJson)) return fail(`Each field of '${fullName}' must be an object`, at);
      const name = fieldJson.name;
      if (typeof name !== 'string' || !namePattern.test(name)) {
        return fail(
          `Invalid field name ${JSON.stringify(name)} in '${fullName}': it must match [A-Za-z_][A-Za-z0-9_]*`,
          at,
        );
      }
      if (seen.has(name)) return fail(`Record '${fullName}' has two fields named '${name}'`, at);
      seen.add(name);
      if (!Object.hasOwn(fieldJson, 'type')) return fail(`Field '${name}' of '${fullName}' has no "type"`, at);
      const order = fieldJson.order;
      if (order !== undefined && !(typeof order === 'string' && fieldOrders.includes(order))) {
        fail(
          `Field '${name}' of '${fullName}': "order" must be one of ${fieldOrders.join(', ')}`,
          pointerTo(at, 'order'),
        );
      }
      const field: FieldNode = {
        name,
        type: build(fieldJson.type, namespace, pointerTo(at, 'type')),
        aliases: aliasesOf(fieldJson, namespace, at, false),
        hasDefault: Object.hasOwn(fieldJson, 'default'),
        default: fieldJson.default,
        order: typeof order === 'string' ? order : undefined,
        attrs: attributesOf(fieldJson, ['name', 'type', 'default', 'order', 'aliases']),
      };
      record.fields.push(field);
      if (field.hasDefault) pendingDefaults.push({ record, field, pointer: pointerTo(at, 'default') });
    }
    return record;
  };

  const buildEnum = (json: Record<string, unknown>, enclosing: string, pointer: string): EnumNode => {
    const fullName = fullNameOf(json, enclosing, pointer);
    register(fullName, pointerTo(pointer, 'name'));
    const symbols = json.symbols;
    if (!Array.isArray(symbols) || symbols.length === 0) {
      return fail(`Enum '${fullName}' needs "symbols" (a non-empty array of names)`, pointer);
    }
    const seen = new Set<string>();
    for (const [index, symbol] of symbols.entries()) {
      const at = pointerTo(pointer, 'symbols', index);
      if (typeof symbol !== 'string' || !namePattern.test(symbol)) {
        return fail(
          `Invalid symbol ${JSON.stringify(symbol)} in enum '${fullName}': it must match [A-Za-z_][A-Za-z0-9_]*`,
          at,
        );
      }
      if (seen.has(symbol)) return fail(`Enum '${fullName}' lists symbol '${symbol}' twice`, at);
      seen.add(symbol);
    }
    // Avro Java reads "default": null as no default.
    const fallback = json.default;
    if (fallback !== undefined && fallback !== null && !(typeof fallback === 'string' && seen.has(fallback))) {
      fail(
        `The default of enum '${fullName}' must be one of its symbols, not ${JSON.stringify(fallback)}`,
        pointerTo(pointer, 'default'),
      );
    }
    const node: EnumNode = {
      kind: 'enum',
      fullName,
      aliases: aliasesOf(json, namespaceOf(fullName), pointer, true),
      attrs: attributesOf(json, ['type', 'name', 'namespace', 'aliases', 'symbols', 'default']),
      reference,
      symbols: symbols as string[],
      default: typeof fallback === 'string' ? fallback : undefined,
    };
    named.set(fullName, node);
    return node;
  };

  const buildFixed = (json: Record<string, unknown>, enclosing: string, pointer: string): FixedNode => {
    const fullName = fullNameOf(json, enclosing, pointer);
    register(fullName, pointerTo(pointer, 'name'));
    const size = json.size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 2147483647) {
      return fail(`Fixed '${fullName}' needs "size" (a non-negative integer)`, pointerTo(pointer, 'size'));
    }
    const node: FixedNode = {
      kind: 'fixed',
      fullName,
      aliases: aliasesOf(json, namespaceOf(fullName), pointer, true),
      attrs: attributesOf(json, ['type', 'name', 'namespace', 'aliases', 'size']),
      reference,
      size,
    };
    named.set(fullName, node);
    return node;
  };

  const buildUnion = (json: unknown[], namespace: string, pointer: string): UnionNode => {
    if (json.length === 0) return fail('A union needs at least one branch', pointer);
    const seen = new Map<string, number>();
    const branches = json.map((branchJson, index) => {
      const at = pointerTo(pointer, index);
      const branch = build(branchJson, namespace, at);
      if (branch.kind === 'union') return fail('A union cannot directly contain another union', at);
      const key = branch.kind === 'primitive' ? branch.name : 'fullName' in branch ? branch.fullName : branch.kind;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        fail(`A union cannot hold two '${key}' branches (branches ${earlier} and ${index})`, at);
      }
      seen.set(key, index);
      return branch;
    });
    return { kind: 'union', branches };
  };

  const build = (json: unknown, namespace: string, pointer: string): AvroNode => {
    if (typeof json === 'string') return lookup(json, namespace, pointer);
    if (Array.isArray(json)) return buildUnion(json, namespace, pointer);
    if (!isObject(json)) {
      return fail(`A schema must be a type name, an object or a union array, not ${JSON.stringify(json)}`, pointer);
    }
    const type = json.type;
    if (typeof type !== 'string') {
      return fail(
        type === undefined ? 'A schema object needs a "type"' : '"type" must be a string naming a type',
        pointer,
      );
    }
    if (isPrimitiveName(type)) return { kind: 'primitive', name: type, attrs: attributesOf(json, ['type']) };
    switch (type) {
      case 'record':
      case 'error':
        return buildRecord(json, namespace, pointer);
      case 'enum':
        return buildEnum(json, namespace, pointer);
      case 'fixed':
        return buildFixed(json, namespace, pointer);
      case 'array': {
        if (!Object.hasOwn(json, 'items')) return fail('An array needs "items"', pointer);
        const node: ArrayNode = {
          kind: 'array',
          items: build(json.items, namespace, pointerTo(pointer, 'items')),
          attrs: attributesOf(json, ['type', 'items']),
        };
        return node;
      }
      case 'map': {
        if (!Object.hasOwn(json, 'values')) return fail('A map needs "values"', pointer);
        const node: MapNode = {
          kind: 'map',
          values: build(json.values, namespace, pointerTo(pointer, 'values')),
          attrs: attributesOf(json, ['type', 'values']),
        };
        return node;
      }
      default:
        // Avro Java reads {"type": "SomeNamedType"} as a reference to that type; so do we.
        return lookup(type, namespace, pointerTo(pointer, 'type'));
    }
  };

  const root = build(json, '', '');
  for (const { record, field, pointer } of pendingDefaults) {
    const problem = defaultProblem(field.type, field.default);
    if (problem !== undefined) {
      fail(`Invalid default for field '${field.name}' of '${record.fullName}': ${problem}`, pointer);
    }
  }
  return root;
}
