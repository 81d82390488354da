/**
 * The JSON Schema documents of one parsed schema (the schema itself and its references), indexed
 * so any `$ref` can be resolved the way ajv resolves it: by `$id`, by anchor, by JSON pointer and
 * by the reference name the registry gave (Confluent style: the name is the URL the `$ref` uses).
 */

import { escapePointerToken, pointerOf, unescapePointerToken } from '@meshgate/core';

/** The JSON Schema drafts the engine understands, chosen by `$schema`. */
export type Dialect = 'draft-07' | '2019-09' | '2020-12';

/** A JSON object as it comes out of `JSON.parse`. */
export type JsonObject = { readonly [key: string]: unknown };

/** One schema document: the registered schema (name '') or one of its references. */
export interface SchemaDocument {
  /** Unique per document instance, so node ids of a reader and a writer never collide. */
  readonly uid: number;
  /** The reference name ('' for the schema itself); prefixes paths shown to people. */
  readonly name: string;
  readonly root: unknown;
  readonly dialect: Dialect;
  /** The base URI in force at each schema position (JSON pointer → absolute URI). */
  readonly bases: Map<string, string>;
  readonly index: SchemaIndex;
}

/** A location in one of the documents. */
export interface SchemaLocation {
  readonly doc: SchemaDocument;
  readonly pointer: string;
}

/** All documents of one parsed schema and where each `$id`, anchor and reference name points. */
export interface SchemaIndex {
  readonly documents: SchemaDocument[];
  /** Absolute URI without fragment → resource root. */
  readonly resources: Map<string, SchemaLocation>;
  /** Absolute URI with `#anchor` → schema. */
  readonly anchors: Map<string, SchemaLocation>;
  /** Reference names exactly as registered → reference root. */
  readonly names: Map<string, SchemaLocation>;
}

/** A schema at a location: the unit the comparison works on. */
export interface SchemaNode {
  /** Stable identity: document uid + pointer (or a synthetic key). */
  readonly id: string;
  readonly doc: SchemaDocument;
  /** JSON pointer inside the document ('' is the root). */
  readonly pointer: string;
  readonly value: unknown;
}

/** Base URI of a schema with no `$id`: relative reference names resolve against it. */
export const DEFAULT_BASE = 'meshgate:///';

let nextUid = 1;

/** Picks the draft from `$schema` (draft-07 when absent); undefined for a draft the engine does not support. */
export function dialectOf(root: unknown): Dialect | undefined {
  const uri = isObject(root) ? root.$schema : undefined;
  if (uri === undefined) return 'draft-07';
  if (typeof uri !== 'string') return undefined;
  const normalized = uri.replace(/#$/, '');
  if (/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema$/.test(normalized)) return '2020-12';
  if (/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema$/.test(normalized)) return '2019-09';
  if (/^https?:\/\/json-schema\.org\/draft-07\/schema$/.test(normalized)) return 'draft-07';
  return undefined;
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a URI reference against a base; undefined when it cannot be parsed. */
export function resolveUri(reference: string, base: string): string | undefined {
  try {
    return new URL(reference, base).href;
  } catch {
    return undefined;
  }
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}

/** Reads the value at a JSON pointer; undefined when there is none. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = unescapePointerToken(raw);
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (isObject(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Keywords whose value is one subschema. */
const SINGLE_SCHEMA_KEYWORDS = [
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
] as const;
/** Keywords whose value is an array of subschemas. */
const ARRAY_SCHEMA_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
/** Keywords whose value maps names to subschemas. */
const MAP_SCHEMA_KEYWORDS = ['$defs', 'definitions', 'dependentSchemas', 'patternProperties', 'properties'] as const;

/** Calls `visit` for every direct subschema of a schema, with its pointer. Only schema positions, never data. */
export function forEachSubschema(value: unknown, pointer: string, visit: (child: unknown, at: string) => void): void {
  if (!isObject(value)) return;
  for (const keyword of SINGLE_SCHEMA_KEYWORDS) {
    if (keyword in value) visit(value[keyword], `${pointer}/${keyword}`);
  }
  for (const keyword of ARRAY_SCHEMA_KEYWORDS) {
    const list = value[keyword];
    if (Array.isArray(list)) list.forEach((child, i) => visit(child, `${pointer}/${keyword}/${i}`));
  }
  for (const keyword of MAP_SCHEMA_KEYWORDS) {
    const map = value[keyword];
    if (isObject(map)) {
      for (const key of Object.keys(map)) visit(map[key], `${pointer}/${keyword}/${escapePointerToken(key)}`);
    }
  }
  const items = value.items;
  if (Array.isArray(items)) items.forEach((child, i) => visit(child, `${pointer}/items/${i}`));
  else if (items !== undefined) visit(items, `${pointer}/items`);
  const dependencies = value.dependencies;
  if (isObject(dependencies)) {
    for (const key of Object.keys(dependencies)) {
      const dependency = dependencies[key];
      if (!Array.isArray(dependency)) visit(dependency, `${pointer}/dependencies/${escapePointerToken(key)}`);
    }
  }
}

/** Creates an empty index; documents are added with {@link addDocument}. */
export function createIndex(): SchemaIndex {
  return { documents: [], resources: new Map(), anchors: new Map(), names: new Map() };
}

/**
 * Adds a document to an index, recording every `$id` and anchor it declares. `name` is '' for the
 * registered schema and the reference name otherwise; the root `$id` of the registered schema is not
 * used as its base, matching how the schema is compiled (see parse).
 */
export function addDocument(index: SchemaIndex, name: string, root: unknown, dialect: Dialect): SchemaDocument {
  const doc: SchemaDocument = { uid: nextUid++, name, root, dialect, bases: new Map(), index };
  index.documents.push(doc);
  const base = name === '' ? DEFAULT_BASE : (resolveUri(name, DEFAULT_BASE) ?? DEFAULT_BASE);
  if (name !== '') index.names.set(name, { doc, pointer: '' });
  index.resources.set(withoutFragment(base), { doc, pointer: '' });
  const walk = (value: unknown, pointer: string, inherited: string): void => {
    let current = inherited;
    if (isObject(value)) {
      const id = value.$id;
      if (typeof id === 'string') {
        if (dialect === 'draft-07' && id.startsWith('#')) {
          index.anchors.set(`${withoutFragment(current)}${id}`, { doc, pointer });
        } else {
          const resolved = resolveUri(id, current);
          if (resolved !== undefined) {
            index.resources.set(withoutFragment(resolved), { doc, pointer });
            // The registered schema is compiled without its root $id (as the event validator does), so
            // relative references in it keep resolving against the reference names, not against that $id.
            if (!(name === '' && pointer === '')) current = resolved;
          }
        }
      }
      for (const anchorKeyword of ['$anchor', '$dynamicAnchor'] as const) {
        const anchor = value[anchorKeyword];
        if (typeof anchor === 'string' && dialect !== 'draft-07') {
          index.anchors.set(`${withoutFragment(current)}#${anchor}`, { doc, pointer });
        }
      }
    }
    doc.bases.set(pointer, current);
    forEachSubschema(value, pointer, (child, at) => walk(child, at, current));
  };
  walk(root, '', base);
  return doc;
}

/** The node at a location. */
export function nodeAt(doc: SchemaDocument, pointer: string): SchemaNode {
  return { id: `${doc.uid}#${pointer}`, doc, pointer, value: valueAt(doc.root, pointer) };
}

/** The child node under a keyword path of a node (e.g. `properties/name`). */
export function childNode(node: SchemaNode, ...segments: (string | number)[]): SchemaNode {
  const pointer = `${node.pointer}/${segments.map((s) => escapePointerToken(String(s))).join('/')}`;
  if (node.id.startsWith('synthetic:')) {
    let value: unknown = node.value;
    for (const segment of segments) {
      value = Array.isArray(value) ? value[Number(segment)] : isObject(value) ? value[String(segment)] : undefined;
    }
    return { id: `${node.id}${pointer}`, doc: node.doc, pointer, value };
  }
  return nodeAt(node.doc, pointer);
}

/** A schema made up by the comparison (e.g. "type: string" to split a writer by type); never shown as a path. */
export function syntheticNode(like: SchemaNode, value: JsonObject): SchemaNode {
  return { id: `synthetic:${JSON.stringify(value)}`, doc: like.doc, pointer: '', value };
}

/** The path people see for a node: `#/properties/a` in the schema itself, `customer.json#/…` in a reference. */
export function displayPath(node: SchemaNode, ...keywords: (string | number)[]): string {
  const suffix = pointerOf(keywords);
  return `${node.doc.name}#${node.pointer}${suffix}`;
}

/** The location a `$ref`-like value points to from a node, or undefined when nothing matches. */
export function resolveReference(node: SchemaNode, reference: string): SchemaLocation | undefined {
  const { doc } = node;
  const index = doc.index;
  const base = doc.bases.get(node.pointer) ?? DEFAULT_BASE;
  const hash = reference.indexOf('#');
  const uriPart = hash < 0 ? reference : reference.slice(0, hash);
  const fragment = hash < 0 ? '' : reference.slice(hash + 1);
  let target: SchemaLocation | undefined;
  let targetBase: string | undefined;
  if (uriPart === '') {
    targetBase = withoutFragment(base);
    target = index.resources.get(targetBase);
  } else {
    const absolute = resolveUri(uriPart, base);
    if (absolute !== undefined) {
      targetBase = withoutFragment(absolute);
      target = index.resources.get(targetBase);
    }
    if (!target) {
      target = index.names.get(uriPart);
      if (target) targetBase = withoutFragment(target.doc.bases.get(target.pointer) ?? DEFAULT_BASE);
    }
  }
  if (!target || targetBase === undefined) return undefined;
  if (fragment === '') return target;
  let decoded = fragment;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    // Keep the raw fragment; a malformed escape simply will not match.
  }
  if (decoded.startsWith('/')) {
    const pointer = `${target.pointer}${decoded}`;
    return valueAt(target.doc.root, pointer) === undefined ? undefined : { doc: target.doc, pointer };
  }
  return index.anchors.get(`${targetBase}#${decoded}`);
}

/** Every `$ref` (and `$dynamicRef` / `$recursiveRef`) in a document, with the pointer of the schema holding it. */
export function collectReferences(doc: SchemaDocument): { pointer: string; keyword: string; reference: string }[] {
  const found: { pointer: string; keyword: string; reference: string }[] = [];
  const walk = (value: unknown, pointer: string): void => {
    if (isObject(value)) {
      for (const keyword of ['$ref', '$dynamicRef', '$recursiveRef'] as const) {
        const reference = value[keyword];
        if (typeof reference === 'string') found.push({ pointer, keyword, reference });
      }
    }
    forEachSubschema(value, pointer, walk);
  };
  walk(doc.root, '');
  return found;
}

/** True when a schema contains a reference anywhere (its meaning then depends on other documents). */
export function containsReference(schema: unknown): boolean {
  let found = false;
  const visit = (value: unknown): void => {
    if (found) return;
    if (isObject(value) && ['$ref', '$dynamicRef', '$recursiveRef'].some((k) => typeof value[k] === 'string')) {
      found = true;
      return;
    }
    forEachSubschema(value, '', (child) => visit(child));
  };
  visit(schema);
  return found;
}
