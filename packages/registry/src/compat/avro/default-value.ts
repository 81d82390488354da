import type { AvroNode } from './model';

// avsc keeps longs as JavaScript numbers and refuses those it cannot hold exactly; JSON.parse has
// already rounded anything larger, so accepting it would silently register a different default.
const maxSafeLong = 9007199254740990;
const int32 = { min: -2147483648, max: 2147483647 };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByteString(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  for (let index = 0; index < value.length; index++) {
    if (value.charCodeAt(index) > 0xff) return false;
  }
  return true;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function where(path: readonly string[]): string {
  return path.length === 0 ? '' : ` at ${path.join('')}`;
}

/**
 * Why `value` is not a valid default for `node` (the specification's table: a union's default
 * belongs to its first branch, bytes and fixed are strings of code points 0–255), or undefined
 * when it is. `path` locates the problem inside a structured default (`.items[2].sku`).
 */
export function defaultProblem(node: AvroNode, value: unknown, path: readonly string[] = []): string | undefined {
  const expected = (what: string) => `expected ${what}, got ${describe(value)}${where(path)}`;
  switch (node.kind) {
    case 'primitive':
      switch (node.name) {
        case 'null':
          return value === null ? undefined : expected('null');
        case 'boolean':
          return typeof value === 'boolean' ? undefined : expected('a boolean');
        case 'int':
          return Number.isInteger(value) && (value as number) >= int32.min && (value as number) <= int32.max
            ? undefined
            : expected('a 32-bit integer');
        case 'long':
          if (!Number.isInteger(value)) return expected('an integer');
          return Math.abs(value as number) <= maxSafeLong
            ? undefined
            : `${describe(value)}${where(path)} is beyond ±${maxSafeLong}, which cannot be kept exactly`;
        case 'float':
        case 'double':
          return typeof value === 'number' ? undefined : expected('a number');
        case 'bytes':
          return isByteString(value) ? undefined : expected('a string of code points 0-255 (\\u0000-\\u00ff)');
        case 'string':
          return typeof value === 'string' ? undefined : expected('a string');
      }
      break;
    case 'enum':
      return typeof value === 'string' && node.symbols.includes(value)
        ? undefined
        : expected(`one of the symbols of ${node.fullName}`);
    case 'fixed':
      return isByteString(value) && value.length === node.size
        ? undefined
        : expected(`a string of ${node.size} code points 0-255`);
    case 'array': {
      if (!Array.isArray(value)) return expected('an array');
      for (const [index, item] of value.entries()) {
        const problem = defaultProblem(node.items, item, [...path, `[${index}]`]);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'map': {
      if (!isPlainObject(value)) return expected('an object');
      for (const [key, item] of Object.entries(value)) {
        const problem = defaultProblem(node.values, item, [...path, `{${JSON.stringify(key)}}`]);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'record': {
      if (!isPlainObject(value)) return expected(`an object for ${node.fullName}`);
      for (const field of node.fields) {
        if (Object.hasOwn(value, field.name)) {
          const problem = defaultProblem(field.type, value[field.name], [...path, `.${field.name}`]);
          if (problem !== undefined) return problem;
        } else if (!field.hasDefault) {
          return `the value for ${node.fullName} has no '${field.name}'${where(path)}, and that field has no default`;
        }
      }
      return undefined;
    }
    case 'union': {
      const first = node.branches[0];
      if (first === undefined) return expected('nothing (the union is empty)');
      const problem = defaultProblem(first, value, path);
      return problem === undefined ? undefined : `${problem} (a union's default must match its first branch)`;
    }
  }
  return undefined;
}

/** A default to suggest in a fix, as JSON text, or undefined when no short one exists (records, fixed). */
export function exampleDefault(node: AvroNode): string | undefined {
  switch (node.kind) {
    case 'primitive':
      switch (node.name) {
        case 'null':
          return 'null';
        case 'boolean':
          return 'false';
        case 'int':
        case 'long':
        case 'float':
        case 'double':
          return '0';
        case 'bytes':
        case 'string':
          return '""';
      }
      break;
    case 'enum':
      return JSON.stringify(node.default ?? node.symbols[0]);
    case 'array':
      return '[]';
    case 'map':
      return '{}';
    case 'union': {
      const first = node.branches[0];
      return first === undefined ? undefined : exampleDefault(first);
    }
    case 'record':
    case 'fixed':
      return undefined;
  }
  return undefined;
}
