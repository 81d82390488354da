/** One top-level field of a JSON Schema, as the portal lists it above the raw document. */
export interface SchemaField {
  name: string;
  /** Human-readable type, e.g. `string (uuid)`, `array of object`, `"a" | "b"`. */
  type: string;
  required: boolean;
  description: string | null;
}

/** A registered schema prepared for display. */
export interface SchemaOutline {
  /** The document pretty-printed with two-space indentation, or the raw text if not JSON. */
  pretty: string;
  /** Schema title, if the document declares one. */
  title: string | null;
  /** Top-level object properties; empty when the schema is not an object schema. */
  fields: SchemaField[];
}

/** Parses a schema string from the registry into something pages can render. */
export function outlineJsonSchema(schema: string): SchemaOutline {
  let document: unknown;
  try {
    document = JSON.parse(schema) as unknown;
  } catch {
    // Show what the registry holds even if it is not JSON (e.g. a Protobuf schema).
    return { pretty: schema, title: null, fields: [] };
  }
  const pretty = JSON.stringify(document, null, 2);
  if (!isRecord(document)) return { pretty, title: null, fields: [] };

  const title = typeof document.title === 'string' ? document.title : null;
  const properties = isRecord(document.properties) ? document.properties : {};
  const required = new Set(
    Array.isArray(document.required)
      ? document.required.filter((item): item is string => typeof item === 'string')
      : [],
  );
  const fields = Object.entries(properties).map(([name, definition]): SchemaField => ({
    name,
    type: describeType(definition),
    required: required.has(name),
    description: isRecord(definition) && typeof definition.description === 'string' ? definition.description : null,
  }));
  return { pretty, title, fields };
}

function describeType(definition: unknown, depth = 0): string {
  if (definition === true) return 'any';
  if (definition === false) return 'never';
  if (!isRecord(definition) || depth > 3) return 'any';

  if ('const' in definition) return JSON.stringify(definition.const);
  if (Array.isArray(definition.enum)) {
    return definition.enum.map((value) => JSON.stringify(value)).join(' | ');
  }
  if (typeof definition.$ref === 'string') {
    return definition.$ref.split('/').pop() || definition.$ref;
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const options = definition[keyword];
    if (Array.isArray(options)) {
      return options.map((option) => describeType(option, depth + 1)).join(' | ');
    }
  }

  const types = Array.isArray(definition.type)
    ? definition.type.filter((item): item is string => typeof item === 'string')
    : typeof definition.type === 'string'
      ? [definition.type]
      : [];
  if (types.length === 0) return 'any';

  return types
    .map((type) => {
      if (type === 'array' && definition.items !== undefined) {
        return `array of ${describeType(definition.items, depth + 1)}`;
      }
      if (type === 'string' && typeof definition.format === 'string') {
        return `string (${definition.format})`;
      }
      return type;
    })
    .join(' | ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
