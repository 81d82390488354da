import { timestampLiteralMillis } from './check-condition';
import { type FilterField, type FilterInput, type FilterNode, type FilterScalar } from './filter-node';

/** A compiled filter: true when the event matches. Never throws for any payload. */
export type FilterPredicate = (event: FilterInput) => boolean;

type Getter = (event: FilterInput) => unknown;

// Array indexes a path segment can address; longer digit runs are plain object keys.
const INDEX = /^(?:0|[1-9]\d{0,8})$/;
const utf8 = new TextDecoder();

/**
 * Compiles a filter once into a predicate of closures: evaluation walks no AST, parses
 * nothing and allocates nothing except when it has to decode a binary `$key`.
 * A missing field (`undefined`) fails every condition except `ne`, `nin` and `exists: false`.
 */
export function compileFilter(node: FilterNode): FilterPredicate {
  switch (node.op) {
    case 'and': {
      const parts = node.nodes.map(compileFilter);
      const [a, b] = parts;
      if (parts.length === 1 && a) return a;
      if (parts.length === 2 && a && b) return (event) => a(event) && b(event);
      return (event) => {
        for (const part of parts) if (!part(event)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = node.nodes.map(compileFilter);
      const [a, b] = parts;
      if (parts.length === 1 && a) return a;
      if (parts.length === 2 && a && b) return (event) => a(event) || b(event);
      return (event) => {
        for (const part of parts) if (part(event)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileFilter(node.node);
      return (event) => !inner(event);
    }
    case 'exists': {
      const get = compileGetter(node.field);
      return node.value ? (event) => get(event) !== undefined : (event) => get(event) === undefined;
    }
    case 'in':
    case 'nin': {
      const get = compileGetter(node.field);
      const set = new Set<unknown>(node.values.map((value) => literal(node.field, value)));
      return node.op === 'in' ? (event) => set.has(get(event)) : (event) => !set.has(get(event));
    }
    case 'contains': {
      const get = compileGetter(node.field);
      const value = node.value;
      if (typeof value === 'string') {
        return (event) => {
          const actual = get(event);
          return typeof actual === 'string' ? actual.includes(value) : Array.isArray(actual) && actual.includes(value);
        };
      }
      return (event) => {
        const actual = get(event);
        return Array.isArray(actual) && actual.includes(value);
      };
    }
    case 'eq':
    case 'ne': {
      const get = compileGetter(node.field);
      const value = literal(node.field, node.value);
      // The literal is never undefined, so a missing field is unequal: `ne` holds, `eq` does not.
      return node.op === 'eq' ? (event) => get(event) === value : (event) => get(event) !== value;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compileOrdering(node.op, compileGetter(node.field), literal(node.field, node.value));
  }
}

function compileOrdering(op: 'gt' | 'gte' | 'lt' | 'lte', get: Getter, value: FilterScalar): FilterPredicate {
  const type = typeof value;
  // Both sides have the same primitive type (number, or string compared by UTF-16 code units);
  // the casts only tell TypeScript so. A different type, or a missing field, never matches.
  const bound = value as number;
  switch (op) {
    case 'gt':
      return (event) => {
        const actual = get(event);
        return typeof actual === type && (actual as number) > bound;
      };
    case 'gte':
      return (event) => {
        const actual = get(event);
        return typeof actual === type && (actual as number) >= bound;
      };
    case 'lt':
      return (event) => {
        const actual = get(event);
        return typeof actual === type && (actual as number) < bound;
      };
    case 'lte':
      return (event) => {
        const actual = get(event);
        return typeof actual === type && (actual as number) <= bound;
      };
  }
}

/** The literal as the getter's values compare with it: `$timestamp` compares epoch milliseconds. */
function literal(field: FilterField, value: FilterScalar): FilterScalar {
  if (field.kind !== 'meta' || field.name !== 'timestamp') return value;
  const millis = timestampLiteralMillis(value);
  if (millis === undefined) throw new TypeError(`not a $timestamp literal: ${String(value)}`); // validated on the way in
  return millis;
}

function compileGetter(field: FilterField): Getter {
  if (field.kind === 'meta') {
    switch (field.name) {
      case 'key':
        return (event) => {
          const key = event.key;
          return key === undefined || key === null || typeof key === 'string' ? key : utf8.decode(key);
        };
      case 'partition':
        return (event) => event.partition;
      case 'timestamp':
        return (event) => timestampMillis(event.timestamp);
    }
  }
  const keys = field.path;
  const indexes = keys.map((key) => (INDEX.test(key) ? Number(key) : -1));
  const [key0, key1] = keys;
  const [index0, index1] = indexes;
  if (keys.length === 1 && key0 !== undefined && index0 !== undefined) {
    return (event) => step(event.data, key0, index0);
  }
  if (keys.length === 2 && key0 !== undefined && key1 !== undefined && index0 !== undefined && index1 !== undefined) {
    return (event) => step(step(event.data, key0, index0), key1, index1);
  }
  return (event) => {
    let value = event.data;
    for (let i = 0; i < keys.length && value !== undefined; i++) value = step(value, keys[i] ?? '', indexes[i] ?? -1);
    return value;
  };
}

/** One path step: an own property of an object, or an element of an array by index. */
function step(value: unknown, key: string, index: number): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return index >= 0 ? value[index] : undefined;
  // Own properties only: `constructor` or `__proto__` must not reach the prototype chain.
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function timestampMillis(timestamp: FilterInput['timestamp']): number | undefined {
  const millis =
    timestamp instanceof Date ? timestamp.getTime() : typeof timestamp === 'string' ? Date.parse(timestamp) : timestamp;
  return millis === undefined || Number.isNaN(millis) ? undefined : millis;
}
