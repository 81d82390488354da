/**
 * The canonical text of a .proto schema: a deterministic re-serialisation of the parsed model,
 * itself a valid .proto file that parses back to the same canonical text.
 *
 * Folded (two schemas that differ only in these get the same canonical text):
 * - comments, whitespace, empty statements, quote style and adjacent string concatenation;
 * - type references: always fully qualified with a leading dot (`Item`, `Order.Item` and
 *   `.shop.Order.Item` are one type);
 * - order of imports (sorted, de-duplicated), options (sorted by name, aggregate values
 *   `(x) = { a: 1 }` flattened to `(x).a = 1`), fields and oneofs (by field number: the wire
 *   has no declaration order), reserved numbers (sorted, merged ranges, `max`) and reserved
 *   names (sorted), extension ranges, extend blocks and service methods (sorted);
 * - number spellings (hex/octal → decimal; `inf`, `-inf`, `nan`);
 * - options restating the default: `[packed = true]` on proto3 repeated scalars,
 *   `[packed = false]` in proto2;
 * - a missing `syntax` statement (written as `syntax = "proto2";`, protoc's default);
 * - `import public` is written as a plain `import` (protobufjs does not keep the distinction).
 *
 * Kept as written: names, numbers, labels (proto3 `optional` is presence, not noise), the
 * order of messages and enums (Confluent's message indexes count messages in declaration
 * order) and of enum values (the first value is the default).
 */
import { quoteProtoString } from './build-proto-model';
import type {
  EnumModel,
  ExtensionModel,
  FieldModel,
  FileModel,
  MessageModel,
  NumberRange,
  OptionEntry,
  ServiceModel,
  TypeModel,
  TypeRef,
} from './proto-model';

const indentUnit = '  ';
const maxNumber = 536_870_911;

function typeName(type: TypeRef): string {
  switch (type.kind) {
    case 'scalar':
      return type.name;
    case 'map':
      return `map<${type.key}, ${typeName(type.value)}>`;
    default:
      return `.${type.fullName}`;
  }
}

function inlineOptions(options: readonly OptionEntry[]): string {
  return options.length === 0 ? '' : ` [${options.map((option) => `${option.name} = ${option.value}`).join(', ')}]`;
}

function optionLines(options: readonly OptionEntry[], indent: string): string[] {
  return options.map((option) => `${indent}option ${option.name} = ${option.value};`);
}

function rangeText([start, end]: NumberRange): string {
  if (start === end) return String(start);
  return `${start} to ${end === maxNumber ? 'max' : end}`;
}

function reservedLines(ranges: readonly NumberRange[], names: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  if (ranges.length > 0) lines.push(`${indent}reserved ${ranges.map(rangeText).join(', ')};`);
  if (names.length > 0) lines.push(`${indent}reserved ${names.map(quoteProtoString).join(', ')};`);
  return lines;
}

class Printer {
  constructor(private readonly types: ReadonlyMap<string, TypeModel>) {}

  field(field: FieldModel, indent: string): string[] {
    const label = field.label === 'implicit' || field.type.kind === 'map' ? '' : `${field.label} `;
    const options = inlineOptions(field.options);
    if (field.type.kind === 'group') {
      const group = this.types.get(field.type.fullName);
      if (group?.kind === 'message') {
        return [
          `${indent}${label}group ${group.name} = ${field.number}${options} {`,
          ...this.messageBody(group, indent + indentUnit),
          `${indent}}`,
        ];
      }
    }
    return [`${indent}${label}${typeName(field.type)} ${field.name} = ${field.number}${options};`];
  }

  // Fields by number; a oneof block sits where its lowest-numbered member would.
  members(message: MessageModel, indent: string): string[] {
    const lines: string[] = [];
    const printed = new Set<string>();
    for (const field of message.fields) {
      if (field.oneof === undefined) {
        lines.push(...this.field(field, indent));
        continue;
      }
      if (printed.has(field.oneof)) continue;
      printed.add(field.oneof);
      const oneof = message.oneofs.find((candidate) => candidate.name === field.oneof);
      lines.push(`${indent}oneof ${field.oneof} {`);
      lines.push(...optionLines(oneof?.options ?? [], indent + indentUnit));
      for (const member of message.fields.filter((candidate) => candidate.oneof === field.oneof)) {
        lines.push(...this.field(member, indent + indentUnit));
      }
      lines.push(`${indent}}`);
    }
    return lines;
  }

  extensions(extensions: readonly ExtensionModel[], indent: string): string[] {
    const sorted = [...extensions].sort(
      (a, b) => (a.extendee < b.extendee ? -1 : a.extendee > b.extendee ? 1 : 0) || a.field.number - b.field.number,
    );
    const lines: string[] = [];
    let current: string | undefined;
    for (const extension of sorted) {
      if (extension.extendee !== current) {
        if (current !== undefined) lines.push(`${indent}}`);
        current = extension.extendee;
        lines.push(`${indent}extend .${current} {`);
      }
      lines.push(...this.field(extension.field, indent + indentUnit));
    }
    if (current !== undefined) lines.push(`${indent}}`);
    return lines;
  }

  messageBody(message: MessageModel, indent: string): string[] {
    return [
      ...optionLines(message.options, indent),
      ...reservedLines(message.reservedRanges, message.reservedNames, indent),
      ...(message.extensionRanges.length > 0
        ? [`${indent}extensions ${message.extensionRanges.map(rangeText).join(', ')};`]
        : []),
      ...this.members(message, indent),
      ...message.nested.flatMap((nested) => this.type(nested, indent)),
      ...this.extensions(message.extensions, indent),
    ];
  }

  enumBody(enumType: EnumModel, indent: string): string[] {
    return [
      ...optionLines(enumType.options, indent),
      ...reservedLines(enumType.reservedRanges, enumType.reservedNames, indent),
      ...enumType.values.map((value) => `${indent}${value.name} = ${value.number}${inlineOptions(value.options)};`),
    ];
  }

  type(type: TypeModel, indent: string): string[] {
    const keyword = type.kind === 'message' ? 'message' : 'enum';
    const body =
      type.kind === 'message' ? this.messageBody(type, indent + indentUnit) : this.enumBody(type, indent + indentUnit);
    if (body.length === 0) return [`${indent}${keyword} ${type.name} {}`];
    return [`${indent}${keyword} ${type.name} {`, ...body, `${indent}}`];
  }

  service(service: ServiceModel): string[] {
    const lines = [`service ${service.name} {`, ...optionLines(service.options, indentUnit)];
    for (const method of service.methods) {
      const request = `${method.requestStream ? 'stream ' : ''}.${method.requestType}`;
      const response = `${method.responseStream ? 'stream ' : ''}.${method.responseType}`;
      const signature = `${indentUnit}rpc ${method.name}(${request}) returns (${response})`;
      if (method.options.length === 0) lines.push(`${signature};`);
      else lines.push(`${signature} {`, ...optionLines(method.options, indentUnit + indentUnit), `${indentUnit}}`);
    }
    lines.push('}');
    return lines;
  }
}

/** The canonical .proto text of a schema's own file (see the module comment for what is folded). */
export function printCanonicalProto(file: FileModel, types: ReadonlyMap<string, TypeModel>): string {
  const printer = new Printer(types);
  const blocks: string[][] = [];
  const header = [`syntax = "${file.syntax}";`];
  if (file.packageName !== '') header.push(`package ${file.packageName};`);
  blocks.push(header);
  if (file.imports.length > 0) {
    blocks.push(file.imports.map((entry) => `import ${entry.weak ? 'weak ' : ''}${quoteProtoString(entry.path)};`));
  }
  if (file.options.length > 0) blocks.push(optionLines(file.options, ''));
  for (const type of file.types) blocks.push(printer.type(type, ''));
  if (file.extensions.length > 0) blocks.push(printer.extensions(file.extensions, ''));
  for (const service of file.services) blocks.push(printer.service(service));
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}
