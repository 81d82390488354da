import { unescapeFragmentToken } from '@meshgate/core';
import { parseTree, type Node } from 'jsonc-parser';
import type { SchemaType } from './compat';
import { findProtoDeclaration, scanProtoDeclarations } from './proto-declarations';

/** A position in a file, both 1-based (as editors and GitHub annotations count). */
export interface Location {
  line: number;
  column: number;
}

/**
 * Where in a schema file an incompatibility path points: a JSON pointer for JSON Schema
 * (`#/properties/total/type` → the `"type"` key), a field path for Avro (`Order.items[].sku` →
 * the field's `"name"`), a declaration name for Protobuf (`shop.Order.total#3` → the field).
 * A path that no longer exists in the file (a removed property) points at its nearest ancestor
 * that does; undefined when nothing matches or the file cannot be read as its type.
 */
export function locate(schemaType: SchemaType, text: string, path: string): Location | undefined {
  const offset =
    schemaType === 'JSON'
      ? locateJsonPointer(text, path)
      : schemaType === 'AVRO'
        ? locateAvroPath(text, path)
        : findProtoDeclaration(scanProtoDeclarations(text), path)?.offset;
  return offset === undefined ? undefined : positionAt(text, offset);
}

/** Converts an offset to a 1-based line and column. */
export function positionAt(text: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function parseJsonTree(text: string): Node | undefined {
  return parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
}

/** The offset of a property's key (or an array element) for a node, so annotations land on the name. */
function anchorOf(node: Node): number {
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

function propertyValue(node: Node, key: string): Node | undefined {
  if (node.type !== 'object') return undefined;
  const property = node.children?.find((child) => child.children?.[0]?.value === key);
  return property?.children?.[1];
}

/** Decodes a JSON pointer (with or without a leading `#`, URI-escaped or not) into its segments. */
export function pointerSegments(pointer: string): string[] {
  const body = pointer.replace(/^#/, '');
  if (body === '' || body === '/') return [];
  return body.replace(/^\//, '').split('/').map(unescapeFragmentToken);
}

function locateJsonPointer(text: string, pointer: string): number | undefined {
  const root = parseJsonTree(text);
  if (!root) return undefined;
  let node = root;
  for (const segment of pointerSegments(pointer)) {
    const next =
      node.type === 'array' && /^\d+$/.test(segment) ? node.children?.[Number(segment)] : propertyValue(node, segment);
    if (!next) break;
    node = next;
  }
  return anchorOf(node);
}

/** A named Avro type (record, error, enum, fixed) in the schema document. */
interface NamedType {
  fullName: string;
  node: Node;
}

function stringProperty(node: Node, key: string): string | undefined {
  const value = propertyValue(node, key);
  return value?.type === 'string' ? (value.value as string) : undefined;
}

function collectNamedTypes(node: Node, namespace: string, into: NamedType[]): void {
  if (node.type === 'array') {
    for (const child of node.children ?? []) collectNamedTypes(child, namespace, into);
    return;
  }
  if (node.type !== 'object') return;
  let inner = namespace;
  const type = stringProperty(node, 'type');
  const name = stringProperty(node, 'name');
  if (name && (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed')) {
    const explicit = stringProperty(node, 'namespace');
    const space = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : (explicit ?? namespace);
    const fullName = name.includes('.') || !space ? name : `${space}.${name}`;
    into.push({ fullName, node });
    inner = space;
  }
  for (const property of node.children ?? []) {
    const value = property.children?.[1];
    if (value) collectNamedTypes(value, inner, into);
  }
}

function findNamed(named: readonly NamedType[], name: string): NamedType | undefined {
  return (
    named.find((type) => type.fullName === name) ??
    named.find((type) => type.fullName.endsWith(`.${name}`) || name.endsWith(`.${type.fullName}`))
  );
}

/** The record/enum definitions a type node may hold: through names, arrays, maps and unions. */
function definitionsIn(node: Node | undefined, named: readonly NamedType[], depth = 0): Node[] {
  if (!node || depth > 16) return [];
  if (node.type === 'string') {
    const found = findNamed(named, node.value as string);
    return found ? [found.node] : [];
  }
  if (node.type === 'array') return (node.children ?? []).flatMap((child) => definitionsIn(child, named, depth + 1));
  if (node.type !== 'object') return [];
  const typeNode = propertyValue(node, 'type');
  const type = typeNode?.type === 'string' ? (typeNode.value as string) : undefined;
  if (type === 'record' || type === 'error' || type === 'enum') return [node];
  if (type === 'array') return definitionsIn(propertyValue(node, 'items'), named, depth + 1);
  if (type === 'map') return definitionsIn(propertyValue(node, 'values'), named, depth + 1);
  if (typeNode && typeNode.type !== 'string') return definitionsIn(typeNode, named, depth + 1);
  return [];
}

/** The `"name"` value of a record field (or the symbol of an enum) called `name` in a definition. */
function memberNamed(definition: Node, name: string): { anchor: Node; type?: Node } | undefined {
  const fields = propertyValue(definition, 'fields');
  for (const field of fields?.children ?? []) {
    const fieldName = propertyValue(field, 'name');
    if (fieldName?.value === name) return { anchor: fieldName, type: propertyValue(field, 'type') };
  }
  const symbol = propertyValue(definition, 'symbols')?.children?.find((child) => child.value === name);
  return symbol ? { anchor: symbol } : undefined;
}

function locateAvroPath(text: string, path: string): number | undefined {
  const root = parseJsonTree(text);
  if (!root) return undefined;
  const named: NamedType[] = [];
  collectNamedTypes(root, '', named);
  const segments = path
    .split('.')
    .map((segment) => segment.match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0] ?? '')
    .filter((segment) => segment !== '');

  // The path starts with the longest prefix that names a type (`com.acme.Order`, `Order`), else at the root type.
  let current: Node | undefined = root;
  let anchor: Node | undefined;
  let rest = segments;
  for (let length = segments.length; length >= 1; length--) {
    const type = findNamed(named, segments.slice(0, length).join('.'));
    if (type) {
      current = type.node;
      anchor = propertyValue(type.node, 'name');
      rest = segments.slice(length);
      break;
    }
  }
  for (const segment of rest) {
    const member: { anchor: Node; type?: Node } | undefined = definitionsIn(current, named)
      .map((definition) => memberNamed(definition, segment))
      .find((found) => found !== undefined);
    if (!member) break;
    anchor = member.anchor;
    current = member.type;
  }
  return anchor ? anchorOf(anchor) : undefined;
}
