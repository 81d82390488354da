import { namespaceOf, type Attributes, type AvroNode, type FieldNode, type NamedNode } from './model';

/** Recursively sorts object keys: key order carries no meaning in JSON objects (defaults, metadata). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

function sortedUnique(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}

/** `doc` first, then every other attribute in key order. */
function appendAttributes(target: Record<string, unknown>, attrs: Attributes, skipDoc = false): void {
  for (const key of Object.keys(attrs).sort()) {
    if (skipDoc && key === 'doc') continue;
    target[key] = sortKeys(attrs[key]);
  }
}

/**
 * The canonical JSON of a schema model. It folds only spellings that mean the same schema:
 *
 * - whitespace, key order (fixed order for Avro's own keys, the rest sorted) and JSON escapes;
 * - `{"type": "int"}` → `"int"` (a primitive with no other attribute);
 * - names: every named type is written with its full name and no `namespace` (a type in the null
 *   namespace nested in a namespaced one keeps `"namespace": ""`, which it needs), every
 *   reference by full name (avsc's `.Name` for a null-namespace type referenced from a namespace);
 * - aliases as sorted full names; `"order": "ascending"` (the default) dropped;
 * - `{"type": "Named"}` references folded to `"Named"`.
 *
 * Unlike Avro's Parsing Canonical Form it keeps everything else — `doc`, defaults, aliases,
 * `order`, `logicalType` and its parameters, custom properties — because the registry uses this
 * text for identity and for `normalize=true`: a schema whose documentation, default or logical
 * type changed is a new version, and a normalised schema must still say everything the author
 * wrote. Types defined elsewhere (by references, or by other references when `owner` is one) are
 * written as names, never inlined.
 */
export function canonicalJson(root: AvroNode, owner: string | undefined): unknown {
  const emitted = new Set<NamedNode>();

  const referenceTo = (fullName: string, namespace: string): string =>
    fullName.includes('.') || namespace === '' ? fullName : `.${fullName}`;

  const field = (node: FieldNode, namespace: string): unknown => {
    const out: Record<string, unknown> = { name: node.name, type: emit(node.type, namespace) };
    if (node.attrs.doc !== undefined) out.doc = node.attrs.doc;
    if (node.hasDefault) out.default = sortKeys(node.default);
    if (node.order !== undefined && node.order !== 'ascending') out.order = node.order;
    if (node.aliases.length > 0) out.aliases = sortedUnique(node.aliases);
    appendAttributes(out, node.attrs, true);
    return out;
  };

  const named = (node: NamedNode, namespace: string): unknown => {
    if (node.reference !== owner || emitted.has(node)) return referenceTo(node.fullName, namespace);
    emitted.add(node);
    const out: Record<string, unknown> = { type: node.kind === 'record' && node.error ? 'error' : node.kind };
    out.name = node.fullName;
    if (!node.fullName.includes('.') && namespace !== '') out.namespace = '';
    if (node.attrs.doc !== undefined) out.doc = node.attrs.doc;
    if (node.aliases.length > 0) out.aliases = sortedUnique(node.aliases);
    const inner = namespaceOf(node.fullName);
    switch (node.kind) {
      case 'record':
        out.fields = node.fields.map((each) => field(each, inner));
        break;
      case 'enum':
        out.symbols = node.symbols;
        if (node.default !== undefined) out.default = node.default;
        break;
      case 'fixed':
        out.size = node.size;
        break;
    }
    appendAttributes(out, node.attrs, true);
    return out;
  };

  const emit = (node: AvroNode, namespace: string): unknown => {
    switch (node.kind) {
      case 'primitive': {
        if (Object.keys(node.attrs).length === 0) return node.name;
        const out: Record<string, unknown> = { type: node.name };
        appendAttributes(out, node.attrs);
        return out;
      }
      case 'record':
      case 'enum':
      case 'fixed':
        return named(node, namespace);
      case 'array': {
        const out: Record<string, unknown> = { type: 'array', items: emit(node.items, namespace) };
        appendAttributes(out, node.attrs);
        return out;
      }
      case 'map': {
        const out: Record<string, unknown> = { type: 'map', values: emit(node.values, namespace) };
        appendAttributes(out, node.attrs);
        return out;
      }
      case 'union':
        return node.branches.map((branch) => emit(branch, namespace));
    }
  };

  return emit(root, '');
}
