/**
 * Field masking. A JSON Schema marks a property sensitive with `"x-meshgate-pii": true` (class
 * `pii`) or `"x-meshgate-sensitive": "financial"` (one class or a list); a reader whose grants do
 * not unmask a property's classes does not receive that property at all — in SSE, NDJSON, fetch
 * and GraphQL alike (the typed GraphQL field is nullable and comes back null).
 */

import { escapePointerToken, unescapePointerToken } from '@meshgate/core';

/** One sensitive property: where it is (JSON pointer; `*` stands for every array item) and its classes. */
export interface SensitiveField {
  pointer: string;
  classes: readonly string[];
}

/** A tree of sensitive places: per property name, its classes (if itself sensitive) and sensitive children. */
interface MaskNode {
  classes?: readonly string[];
  properties?: Map<string, MaskNode>;
  items?: MaskNode;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The sensitivity classes one property schema declares (`x-meshgate-pii: true` → `pii`, `x-meshgate-sensitive`). */
export function sensitivityClasses(schema: JsonObject): string[] {
  const classes = new Set<string>();
  if (schema['x-meshgate-pii'] === true) classes.add('pii');
  const sensitive = schema['x-meshgate-sensitive'];
  for (const value of Array.isArray(sensitive) ? sensitive : [sensitive]) {
    if (typeof value === 'string' && value.trim() !== '') classes.add(value.trim());
  }
  return [...classes].sort();
}

function resolveRef(root: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith('#')) return undefined; // remote references are not followed for masking
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const part = unescapePointerToken(decodeURIComponent(raw));
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as JsonObject)[part];
  }
  return isObject(node) ? node : undefined;
}

function merge(into: MaskNode, from: MaskNode): void {
  if (from.classes) into.classes = [...new Set([...(into.classes ?? []), ...from.classes])].sort();
  for (const [name, child] of from.properties ?? []) {
    into.properties ??= new Map();
    const existing = into.properties.get(name);
    if (existing) merge(existing, child);
    else into.properties.set(name, child);
  }
  if (from.items) {
    if (into.items) merge(into.items, from.items);
    else into.items = from.items;
  }
}

/** Builds the sensitive-place tree of a schema node; undefined when nothing under it is sensitive. */
function build(root: JsonObject, schema: unknown, seen: Set<object>, depth: number): MaskNode | undefined {
  if (!isObject(schema) || depth > 64 || seen.has(schema)) return undefined;
  seen.add(schema);
  try {
    const node: MaskNode = {};
    if (typeof schema.$ref === 'string') {
      const target = resolveRef(root, schema.$ref);
      const built = target && build(root, target, seen, depth + 1);
      if (built) merge(node, built);
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        const built = build(root, branch, seen, depth + 1);
        if (built) merge(node, built);
      }
    }
    for (const keyword of ['then', 'else']) {
      const built = build(root, schema[keyword], seen, depth + 1);
      if (built) merge(node, built);
    }
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        if (!isObject(property)) continue;
        const child = build(root, property, seen, depth + 1) ?? {};
        const classes = sensitivityClasses(property);
        if (classes.length > 0) child.classes = [...new Set([...(child.classes ?? []), ...classes])].sort();
        if (child.classes || child.properties || child.items) {
          const wrapped: MaskNode = { properties: new Map([[name, child]]) };
          merge(node, wrapped);
        }
      }
    }
    const items = Array.isArray(schema.prefixItems) ? [...schema.prefixItems, schema.items] : [schema.items];
    for (const item of items) {
      const built = build(root, item, seen, depth + 1);
      if (built) merge(node, { items: built });
    }
    return node.classes || node.properties || node.items ? node : undefined;
  } finally {
    seen.delete(schema);
  }
}

/** Every sensitive property of a schema, with its classes. */
export function sensitiveFields(schema: unknown): SensitiveField[] {
  if (!isObject(schema)) return [];
  const out: SensitiveField[] = [];
  const walk = (node: MaskNode, pointer: string) => {
    if (node.classes) out.push({ pointer, classes: node.classes });
    for (const [name, child] of node.properties ?? []) {
      walk(child, `${pointer}/${escapePointerToken(name)}`);
    }
    if (node.items) walk(node.items, `${pointer}/*`);
  };
  const tree = build(schema, schema, new Set(), 0);
  if (tree) walk(tree, '');
  return out;
}

/** A function returning the event payload as a reader may see it; the input is never mutated. */
export type Masker = (data: unknown) => unknown;

const identity: Masker = (data) => data;

/**
 * The masker for a schema and the classes a reader may see (`*` = all). Copies only along
 * paths that hide something; returns the identity when the reader sees everything.
 */
export function createMasker(schema: unknown, unmask: ReadonlySet<string>): Masker {
  if (unmask.has('*') || !isObject(schema)) return identity;
  const tree = build(schema, schema, new Set(), 0);
  if (!tree) return identity;
  // Which nodes hide something from this reader, worked out once per masker (not per record).
  const hiding = new Set<MaskNode>();
  const mark = (node: MaskNode): boolean => {
    let hides = node.classes?.some((cls) => !unmask.has(cls)) ?? false;
    for (const child of node.properties?.values() ?? []) hides = mark(child) || hides;
    if (node.items) hides = mark(node.items) || hides;
    if (hides) hiding.add(node);
    return hides;
  };
  if (!mark(tree)) return identity;
  const apply = (node: MaskNode, value: unknown): unknown => {
    if (Array.isArray(value)) {
      return node.items && hiding.has(node.items) ? value.map((item) => apply(node.items!, item)) : value;
    }
    if (!isObject(value) || !node.properties) return value;
    let copy: JsonObject | undefined;
    for (const [name, child] of node.properties) {
      if (!hiding.has(child) || !Object.prototype.hasOwnProperty.call(value, name)) continue;
      if (child.classes?.some((cls) => !unmask.has(cls))) {
        copy ??= { ...value };
        delete copy[name];
      } else {
        const masked = apply(child, value[name]);
        if (masked !== value[name]) {
          copy ??= { ...value };
          copy[name] = masked;
        }
      }
    }
    return copy ?? value;
  };
  return (data) => apply(tree, data);
}
