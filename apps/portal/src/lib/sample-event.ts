/**
 * A placeholder event for copy-paste snippets, built from a JSON Schema: the schema's own
 * `examples`/`default`/`const`/first `enum` value where it gives one, else a value of the right
 * type for every **required** property (optional ones are left out, so the sample stays short
 * and still validates). Formats get plausible values (`date-time`, `email`, `uuid`, `uri`).
 * Not a faker: `$ref`, `oneOf` and pattern constraints are not followed — the first branch of
 * `oneOf`/`anyOf` is used, and an unresolvable part becomes `null`.
 */
export function sampleEvent(schemaText: string): unknown {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return {};
  }
  return sampleOf(schema, 0) ?? {};
}

const MAX_DEPTH = 6;

function sampleOf(schema: unknown, depth: number): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || depth > MAX_DEPTH) return null;
  const node = schema as Record<string, unknown>;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if ('const' in node) return node.const;
  if ('default' in node) return node.default;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches) && branches.length > 0 && node.type === undefined) {
      return sampleOf(branches[0], depth + 1);
    }
  }
  const type = Array.isArray(node.type) ? node.type.find((candidate) => candidate !== 'null') : node.type;
  switch (type) {
    case 'object':
      return objectSample(node, depth);
    case 'array': {
      const minItems = typeof node.minItems === 'number' ? node.minItems : 0;
      const item = sampleOf(node.items, depth + 1);
      return minItems > 0 ? Array.from({ length: Math.min(minItems, 3) }, () => item) : [item];
    }
    case 'string':
      return stringSample(node);
    case 'integer':
      return typeof node.minimum === 'number' ? Math.ceil(node.minimum) : 1;
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return node.properties ? objectSample(node, depth) : null;
  }
}

function objectSample(node: Record<string, unknown>, depth: number): Record<string, unknown> {
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(node.required) ? node.required.filter((key) => typeof key === 'string') : [];
  const result: Record<string, unknown> = {};
  for (const key of required) result[key] = sampleOf(properties[key], depth + 1);
  return result;
}

function stringSample(node: Record<string, unknown>): string {
  switch (node.format) {
    case 'date-time':
      return '2026-01-01T12:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'time':
      return '12:00:00Z';
    case 'email':
      return 'someone@example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    default: {
      const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
      return 'string'.padEnd(minLength, 'x');
    }
  }
}
