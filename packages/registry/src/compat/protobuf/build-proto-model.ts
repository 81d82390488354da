import protobuf from 'protobufjs';
import {
  isScalarType,
  type EnumModel,
  type ExtensionModel,
  type FieldLabel,
  type FieldModel,
  type MessageModel,
  type MethodModel,
  type NumberRange,
  type OptionEntry,
  type ServiceModel,
  type TypeModel,
  type TypeRef,
} from './proto-model';

/** Which syntax a type's labels are read in. */
export type Syntax = 'proto2' | 'proto3';

/** Facts protobufjs keeps but does not declare in its typings. */
interface LooseReflection {
  rule?: string;
  group?: boolean;
  _edition?: unknown;
}

function loose(object: protobuf.ReflectionObject): LooseReflection {
  return object as unknown as LooseReflection;
}

/** `.shop.Order` → `shop.Order`. */
export function fullNameOf(object: protobuf.ReflectionObject): string {
  return object.fullName.replace(/^\./, '');
}

/** True for the one-member oneof protobufjs invents for a proto3 `optional` field. */
export function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  const members = oneof.fieldsArray;
  return members.length === 1 && members[0]?.options?.['proto3_optional'] === true;
}

/** True for a field declared in an `extend` block (not the copy protobufjs adds to the extended type). */
export function isExtensionField(field: protobuf.Field): boolean {
  return field.extend !== undefined && field.declaringField === null;
}

// The syntax a type was declared in: protobufjs records it (privately) on each file's
// top-level objects. Only labels of the schema's own types reach the canonical text, and the
// caller passes their syntax explicitly; for other types the fallback changes nothing the
// compatibility check looks at (it only distinguishes repeated and required).
function syntaxOf(object: protobuf.ReflectionObject): Syntax {
  for (let current: protobuf.ReflectionObject | null = object; current; current = current.parent) {
    const edition = loose(current)._edition;
    if (edition === 'proto3' || edition === 'proto2') return edition;
  }
  return 'proto2';
}

// Standard options whose values are enum constants, written bare (`optimize_for = SPEED`).
const enumValuedStandardOptions = new Set([
  'optimize_for',
  'ctype',
  'jstype',
  'retention',
  'targets',
  'idempotency_level',
]);

/** Where an option is declared, so custom option names can be resolved. */
interface OptionScope {
  namespace: protobuf.Namespace;
  /** A field's `default` option takes an enum constant when the field is an enum. */
  defaultIsEnum?: boolean;
}

// True when a custom option path like `(my.opts.color)` or `(my.opts.agg).kind` ends at an
// enum-typed field, so its value is an enum constant rather than a string.
function customOptionIsEnum(name: string, scope: OptionScope): boolean {
  const match = /^\(([^)]+)\)(.*)$/.exec(name);
  if (!match?.[1]) return false;
  const extension = scope.namespace.lookup(match[1].replace(/^\./, ''));
  if (!(extension instanceof protobuf.Field)) return false;
  let type: protobuf.Type | protobuf.Enum | null = extension.resolvedType;
  for (const part of (match[2] ?? '').split('.').filter((segment) => segment !== '')) {
    if (!(type instanceof protobuf.Type)) return false;
    type = type.fields[part]?.resolvedType ?? null;
  }
  return type instanceof protobuf.Enum;
}

function optionIsEnum(name: string, scope: OptionScope): boolean {
  if (name === 'default') return scope.defaultIsEnum === true;
  if (enumValuedStandardOptions.has(name)) return true;
  return name.startsWith('(') && customOptionIsEnum(name, scope);
}

/** A string literal in .proto syntax: double quotes, C-style escapes, other text as is. */
export function quoteProtoString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

function renderNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

// protobufjs flattens aggregate option values (`(x) = { a: 1 }` becomes `(x).a = 1`), which is
// also valid .proto, so both spellings reach the same canonical entries.
function pushOption(entries: OptionEntry[], name: string, value: unknown, scope: OptionScope): void {
  if (Array.isArray(value)) {
    for (const item of value) pushOption(entries, name, item, scope);
  } else if (typeof value === 'boolean') {
    entries.push({ name, value: String(value) });
  } else if (typeof value === 'number') {
    entries.push({ name, value: renderNumber(value) });
  } else if (typeof value === 'string') {
    entries.push({ name, value: optionIsEnum(name, scope) ? value : quoteProtoString(value) });
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value).sort()) {
      pushOption(entries, `${name}.${key}`, (value as Record<string, unknown>)[key], scope);
    }
  }
}

/** A declaration's options as sorted canonical entries; `skip` names options that carry no meaning of their own. */
export function buildOptions(
  options: Record<string, unknown> | undefined,
  scope: OptionScope,
  skip: readonly string[] = [],
): OptionEntry[] {
  const entries: OptionEntry[] = [];
  for (const name of Object.keys(options ?? {})) {
    if (!skip.includes(name)) pushOption(entries, name, options?.[name], scope);
  }
  // Stable sort: repeated values of one option keep their order.
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reserved or extension ranges, inclusive, sorted and merged where they touch. */
export function normaliseRanges(ranges: readonly (readonly number[])[]): NumberRange[] {
  const sorted = ranges
    .map((range): NumberRange => [range[0] ?? 0, range[1] ?? range[0] ?? 0])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function splitReserved(reserved: readonly (number[] | string)[] | undefined): {
  ranges: NumberRange[];
  names: string[];
} {
  const list = reserved ?? [];
  return {
    ranges: normaliseRanges(list.filter((entry): entry is number[] => Array.isArray(entry))),
    names: [...new Set(list.filter((entry): entry is string => typeof entry === 'string'))].sort(),
  };
}

function typeRefOf(field: protobuf.Field): TypeRef {
  const resolved = field.resolvedType;
  let value: TypeRef;
  if (resolved instanceof protobuf.Enum) value = { kind: 'enum', fullName: fullNameOf(resolved) };
  else if (resolved instanceof protobuf.Type) {
    value = { kind: loose(resolved).group === true ? 'group' : 'message', fullName: fullNameOf(resolved) };
  } else if (isScalarType(field.type)) value = { kind: 'scalar', name: field.type };
  // Unreachable after a successful resolveAll(); kept total so the model never throws.
  else value = { kind: 'message', fullName: field.type.replace(/^\./, '') };
  if (field instanceof protobuf.MapField) {
    const key = isScalarType(field.keyType) ? field.keyType : 'string';
    return { kind: 'map', key, value };
  }
  return value;
}

function labelOf(field: protobuf.Field, syntax: Syntax): FieldLabel {
  const rule = loose(field).rule;
  if (field.partOf && !isSyntheticOneof(field.partOf)) return 'implicit';
  if (field.map || rule === 'repeated') return 'repeated';
  if (rule === 'required') return 'required';
  if (field.options?.['proto3_optional'] === true) return 'optional';
  return syntax === 'proto3' ? 'implicit' : 'optional';
}

// Options that only restate the syntax's default are dropped, so `[packed = true]` on a proto3
// repeated scalar (packed anyway) does not make two equal schemas differ.
function redundantFieldOptions(field: protobuf.Field, syntax: Syntax): string[] {
  const skip = ['proto3_optional'];
  const packed = field.options?.['packed'];
  if ((syntax === 'proto3' && packed === true) || (syntax === 'proto2' && packed === false)) skip.push('packed');
  return skip;
}

/** One field (or extension field) of the model. */
export function buildField(field: protobuf.Field, syntax: Syntax): FieldModel {
  const oneof = field.partOf && !isSyntheticOneof(field.partOf) ? field.partOf.name : undefined;
  const namespace = field.parent instanceof protobuf.Namespace ? field.parent : field.root;
  return {
    name: field.name,
    number: field.id,
    label: labelOf(field, syntax),
    type: typeRefOf(field),
    ...(oneof === undefined ? {} : { oneof }),
    options: buildOptions(
      field.options,
      { namespace, defaultIsEnum: field.resolvedType instanceof protobuf.Enum },
      redundantFieldOptions(field, syntax),
    ),
  };
}

/** An extension field with the full name of the message it extends. */
export function buildExtension(field: protobuf.Field, syntax: Syntax): ExtensionModel {
  const extended = field.extensionField?.parent;
  const extendee = extended ? fullNameOf(extended) : (field.extend ?? '').replace(/^\./, '');
  return { extendee, field: buildField(field, syntax) };
}

/** A service with resolved request and response types, methods sorted by name. */
export function buildService(service: protobuf.Service): ServiceModel {
  const methods = service.methodsArray
    .map((method): MethodModel => {
      method.resolve();
      return {
        name: method.name,
        requestType: method.resolvedRequestType ? fullNameOf(method.resolvedRequestType) : method.requestType,
        requestStream: method.requestStream === true,
        responseType: method.resolvedResponseType ? fullNameOf(method.resolvedResponseType) : method.responseType,
        responseStream: method.responseStream === true,
        options: buildOptions(method.options, { namespace: service }),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name: service.name,
    fullName: fullNameOf(service),
    methods,
    options: buildOptions(service.options, { namespace: service }),
  };
}

function buildEnum(enumType: protobuf.Enum, localName: string): EnumModel {
  const scope: OptionScope = { namespace: enumType.parent ?? enumType.root };
  const { ranges, names } = splitReserved(enumType.reserved);
  return {
    kind: 'enum',
    fullName: fullNameOf(enumType),
    name: enumType.name,
    localName,
    // `values` keeps declaration order, aliases included.
    values: Object.entries(enumType.values).map(([name, number]) => ({
      name,
      number,
      options: buildOptions(enumType.valuesOptions?.[name], scope),
    })),
    reservedRanges: ranges,
    reservedNames: names,
    options: buildOptions(enumType.options, scope),
  };
}

function buildMessage(
  type: protobuf.Type,
  localName: string,
  syntax: Syntax,
  index: Map<string, TypeModel>,
): MessageModel {
  const fields = type.fieldsArray
    .filter((field) => field.declaringField === null)
    .map((field) => buildField(field, syntax))
    .sort((a, b) => a.number - b.number);
  const nested: TypeModel[] = [];
  const extensions: ExtensionModel[] = [];
  for (const child of type.nestedArray) {
    if (child instanceof protobuf.Type || child instanceof protobuf.Enum) {
      const model = buildType(child, `${localName}.${child.name}`, syntax, index);
      if (!(model.kind === 'message' && model.group)) nested.push(model);
    } else if (child instanceof protobuf.Field && isExtensionField(child)) {
      extensions.push(buildExtension(child, syntax));
    }
  }
  const { ranges, names } = splitReserved(type.reserved);
  return {
    kind: 'message',
    fullName: fullNameOf(type),
    name: type.name,
    localName,
    group: loose(type).group === true,
    fields,
    oneofs: type.oneofsArray
      .filter((oneof) => !isSyntheticOneof(oneof))
      .map((oneof) => ({ name: oneof.name, options: buildOptions(oneof.options, { namespace: type }) })),
    nested,
    extensions,
    reservedRanges: ranges,
    reservedNames: names,
    extensionRanges: normaliseRanges(type.extensions ?? []),
    options: buildOptions(type.options, { namespace: type }),
  };
}

function buildType(
  type: protobuf.Type | protobuf.Enum,
  localName: string,
  syntax: Syntax,
  index: Map<string, TypeModel>,
): TypeModel {
  const model =
    type instanceof protobuf.Enum ? buildEnum(type, localName) : buildMessage(type, localName, syntax, index);
  index.set(model.fullName, model);
  return model;
}

/**
 * Every message and enum in a resolved Root, by full name. Types named in `ownSyntax` get their
 * labels read in that syntax (the schema's own file); all others in the syntax protobufjs
 * recorded for their file.
 */
export function buildTypeIndex(
  root: protobuf.Root,
  own: ReadonlySet<string>,
  ownSyntax: Syntax,
): Map<string, TypeModel> {
  const index = new Map<string, TypeModel>();
  const visit = (namespace: protobuf.Namespace): void => {
    for (const child of namespace.nestedArray) {
      if (child instanceof protobuf.Type || child instanceof protobuf.Enum) {
        const syntax = own.has(fullNameOf(child)) ? ownSyntax : syntaxOf(child);
        buildType(child, child.name, syntax, index);
      } else if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Service)) {
        visit(child);
      }
    }
  };
  visit(root);
  return index;
}
