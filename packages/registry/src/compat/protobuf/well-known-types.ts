import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

/**
 * The Protocol Buffers well-known types a schema may import without registering them as
 * references, as protobufjs ships them: `protobuf.common` holds the small ones (Any, Timestamp,
 * Struct, …), and the package carries pre-parsed JSON for descriptor.proto (needed to declare
 * custom options) and the api/type/source_context trio.
 */

const require = createRequire(import.meta.url);

/** A protobufjs JSON root definition (`{ nested: { google: … } }`). */
interface JsonRoot {
  nested?: Record<string, protobuf.AnyNestedObject>;
}

// protobufjs's api.json leaves out the types it borrows from type.proto (Option needs Any).
const wellKnownDependencies: Readonly<Record<string, readonly string[]>> = {
  'google/protobuf/api.proto': ['google/protobuf/type.proto'],
};

// Loaded on first use: descriptor.json is large and most schemas never import it.
const packagedJson: Readonly<Record<string, string>> = {
  'google/protobuf/descriptor.proto': 'protobufjs/google/protobuf/descriptor.json',
  'google/protobuf/api.proto': 'protobufjs/google/protobuf/api.json',
  'google/protobuf/type.proto': 'protobufjs/google/protobuf/type.json',
  'google/protobuf/source_context.proto': 'protobufjs/google/protobuf/source_context.json',
};

function wellKnownJson(path: string): JsonRoot | undefined {
  if (Object.hasOwn(packagedJson, path)) return require(packagedJson[path] ?? '') as JsonRoot;
  // Own properties only: an import path such as "__proto__" must not reach Object.prototype.
  const common = Object.hasOwn(protobuf.common, path)
    ? (protobuf.common as unknown as Record<string, unknown>)[path]
    : undefined;
  return typeof common === 'object' && common !== null ? (common as JsonRoot) : undefined;
}

/**
 * Adds the well-known file `path` to `root`. protobufjs's packaged JSON files are
 * self-contained (type.proto's carries Any and SourceContext too), so definitions the root
 * already has (from another well-known file, or a registered reference of the same name) are
 * skipped rather than added twice. Returns false when `path` is not well-known.
 */
export function addWellKnownFile(root: protobuf.Root, path: string): boolean {
  const json = wellKnownJson(path);
  if (json === undefined) return false;
  for (const dependency of wellKnownDependencies[path] ?? []) addWellKnownFile(root, dependency);
  root.addJSON(withoutExisting(root, json.nested ?? {}));
  return true;
}

function isPlainNamespace(definition: protobuf.AnyNestedObject): boolean {
  return !('fields' in definition) && !('values' in definition) && !('methods' in definition);
}

function withoutExisting(
  namespace: protobuf.Namespace,
  nested: Record<string, protobuf.AnyNestedObject>,
): Record<string, protobuf.AnyNestedObject> {
  const missing: Record<string, protobuf.AnyNestedObject> = {};
  for (const [name, definition] of Object.entries(nested)) {
    const existing = namespace.get(name);
    if (existing === null) {
      missing[name] = definition;
    } else if (isPlainNamespace(definition) && existing instanceof protobuf.Namespace && 'nested' in definition) {
      const inner = withoutExisting(existing, definition.nested ?? {});
      if (Object.keys(inner).length > 0) missing[name] = { ...definition, nested: inner };
    }
  }
  return missing;
}
