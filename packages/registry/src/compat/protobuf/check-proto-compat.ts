/**
 * Can data written with one .proto schema be read with another? The checks follow Confluent
 * Schema Registry's Protobuf provider (compare the writer's schema, "original", with the
 * reader's, "update", and fail on any difference outside its compatible set), with a few
 * deliberate differences, each marked "Differs from Confluent" below.
 *
 * Paths name the reader's element when it exists, else the writer's:
 * - `.` — the file itself (package);
 * - `shop.Order`, `shop.Order.Item` — a message (full name);
 * - `shop.Order.total#3` — a field, with its number (the number is what the wire carries);
 * - `shop.Order.payment` — a oneof (oneofs share their message's name scope);
 * - `shop.Status.ACTIVE` — an enum constant.
 */
import type { Incompatibility } from '../types';
import type { ProtobufSchema } from './parse-proto';
import {
  describeField,
  describeType,
  type EnumModel,
  type FieldLabel,
  type FieldModel,
  type MessageModel,
  type TypeModel,
  type TypeRef,
} from './proto-model';
import type { ProtobufRule } from './protobuf-rules';

// Scalars that share an encoding and may replace one another (protobuf's "Updating a message
// type" rules, grouped as Confluent groups them). Enums are varints, so they join the first.
const scalarGroups: readonly (readonly string[])[] = [
  ['int32', 'int64', 'uint32', 'uint64', 'bool', 'enum'],
  ['sint32', 'sint64'],
  ['string', 'bytes'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['float'],
  ['double'],
];

function scalarName(type: TypeRef): string {
  return type.kind === 'enum' ? 'enum' : type.kind === 'scalar' ? type.name : '';
}

function scalarGroupOf(type: TypeRef): readonly string[] {
  const name = scalarName(type);
  return scalarGroups.find((group) => group.includes(name)) ?? [name];
}

type Kind = 'scalar' | 'message' | 'group' | 'map';

function kindOf(type: TypeRef): Kind {
  return type.kind === 'enum' ? 'scalar' : type.kind;
}

function typeWord(type: TypeRef): string {
  return type.kind === 'scalar' || type.kind === 'map' ? describeType(type) : `${type.kind} ${type.fullName}`;
}

function isRepeated(label: FieldLabel): boolean {
  return label === 'repeated';
}

function byNumber(fields: readonly FieldModel[]): Map<number, FieldModel> {
  return new Map(fields.map((field) => [field.number, field]));
}

function byName(fields: readonly FieldModel[]): Map<string, FieldModel> {
  return new Map(fields.map((field) => [field.name, field]));
}

// A message's shape without names, to recognise a renamed message.
function shapeOf(message: MessageModel): string {
  return message.fields
    .map(
      (field) => `${field.number}:${field.label}:${field.type.kind === 'scalar' ? field.type.name : field.type.kind}`,
    )
    .join(',');
}

/** One field of the writer's and the reader's schema with the same number. */
interface FieldPair {
  path: string;
  number: number;
  written: FieldModel;
  read: FieldModel;
}

type Role = 'field' | 'map key' | 'map value';

class ProtoCompatibility {
  readonly issues: Incompatibility[] = [];
  readonly #reported = new Set<string>();
  // Message pairs already compared (true = compatible); 'pending' breaks recursive types.
  readonly #pairs = new Map<string, boolean | 'pending'>();

  constructor(
    private readonly reader: ProtobufSchema,
    private readonly writer: ProtobufSchema,
  ) {}

  run(): Incompatibility[] {
    const written = this.writer.file.packageName;
    const read = this.reader.file.packageName;
    if (written !== read) {
      const show = (name: string): string => (name === '' ? '(no package)' : `'${name}'`);
      this.report('PACKAGE_CHANGED', {
        path: '.',
        message: `The package is ${show(written)} in the writer's schema and ${show(read)} in the reader's, so every message has a different full name.`,
        old: written,
        new: read,
        fix:
          written === ''
            ? 'Keep the schema without a package; a schema with a package belongs under a new subject.'
            : `Keep the package '${written}'; register a schema with package ${show(read)} under a new subject.`,
      });
    }
    this.compareTypeLists(this.writer.file.types, this.reader.file.types);
    return this.issues;
  }

  private report(rule: ProtobufRule, issue: Omit<Incompatibility, 'rule'>): void {
    // Only exact repeats are dropped: a map's key and value may both change under one rule.
    const key = `${issue.path}\u0000${rule}\u0000${issue.message}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.issues.push({ path: issue.path, rule, message: issue.message, ...pick(issue), fix: issue.fix });
  }

  /** Declarations at one level (the file, or inside a message), matched by simple name as Confluent does. */
  private compareTypeLists(written: readonly TypeModel[], read: readonly TypeModel[]): void {
    const readByName = new Map(read.map((type) => [type.name, type]));
    const writtenNames = new Set(written.map((type) => type.name));
    for (const type of written) {
      const counterpart = readByName.get(type.name);
      if (type.kind === 'message') {
        if (counterpart?.kind === 'message') this.compareMessages(type, counterpart);
        else
          this.messageRemoved(
            type,
            read.filter((candidate) => !writtenNames.has(candidate.name)),
          );
      } else if (counterpart?.kind === 'enum') {
        this.compareEnums(type, counterpart);
      }
      // An enum missing from the reader is compatible (Confluent's ENUM_REMOVED): fields that
      // used it now read plain numbers.
    }
  }

  private messageRemoved(message: MessageModel, added: readonly TypeModel[]): void {
    const shape = shapeOf(message);
    const renamed =
      shape === ''
        ? undefined
        : added.find((candidate) => candidate.kind === 'message' && shapeOf(candidate) === shape);
    this.report('MESSAGE_REMOVED', {
      path: message.fullName,
      message: `Message ${message.fullName} is in the writer's schema but not in the reader's; data that names it (Confluent's message indexes, type names) cannot be resolved.`,
      old: message.fullName,
      ...(renamed ? { new: renamed.fullName } : {}),
      fix: renamed
        ? `Keep the name '${message.name}': it looks renamed to '${renamed.name}'. Rename it back (add '${renamed.name}' as a new message if both are needed).`
        : `Keep message '${message.name}' in the schema (an unused message costs nothing on the wire).`,
    });
  }

  /** Compares two messages once per pair; true when every difference is compatible. */
  private compareMessages(written: MessageModel, read: MessageModel): boolean {
    const key = `${written.fullName}\u0000${read.fullName}`;
    const known = this.#pairs.get(key);
    // A recursive type compared inside itself: the outer comparison decides.
    if (known === 'pending') return true;
    if (known !== undefined) return known;
    this.#pairs.set(key, 'pending');
    const before = this.issues.length;
    this.compareMessageBodies(written, read);
    const compatible = this.issues.length === before;
    this.#pairs.set(key, compatible);
    return compatible;
  }

  // Differs from Confluent, which leaves fields that moved into (or out of) a oneof out of its
  // field-by-field comparison: here fields are matched by number wherever they sit, so a type
  // change that comes with a oneof move is still caught.
  private compareMessageBodies(written: MessageModel, read: MessageModel): void {
    const writtenByNumber = byNumber(written.fields);
    const readByNumber = byNumber(read.fields);
    const readOneofs = new Set(read.oneofs.map((oneof) => oneof.name));
    const numbers = [...new Set([...writtenByNumber.keys(), ...readByNumber.keys()])].sort((a, b) => a - b);
    for (const number of numbers) {
      const writtenField = writtenByNumber.get(number);
      const readField = readByNumber.get(number);
      if (writtenField && readField) {
        const pair = {
          path: `${read.fullName}.${readField.name}#${number}`,
          number,
          written: writtenField,
          read: readField,
        };
        this.compareFields(pair, written, read, readOneofs);
      } else if (writtenField) {
        this.fieldRemoved(writtenField, read, readOneofs);
      } else if (readField?.label === 'required') {
        this.report('REQUIRED_FIELD_ADDED', {
          path: `${read.fullName}.${readField.name}#${number}`,
          message: `The reader requires field '${readField.name}' (#${number}), which the writer's schema does not have, so no written message carries it.`,
          new: describeField(readField),
          fix: `Declare '${readField.name}' as optional; required fields cannot be added to an existing message.`,
        });
      }
    }
    this.compareOneofMoves(read, writtenByNumber);
    this.compareTypeLists(written.nested, read.nested);
  }

  private fieldRemoved(field: FieldModel, read: MessageModel, readOneofs: ReadonlySet<string>): void {
    const path = `${read.fullName}.${field.name}#${field.number}`;
    if (field.label === 'required') {
      this.report('REQUIRED_FIELD_REMOVED', {
        path,
        message: `Required field '${field.name}' (#${field.number}) of the writer's schema is missing from the reader's; required fields are forever, and any consumer that still requires it rejects messages without it.`,
        old: describeField(field),
        fix: `Keep '${field.name}' (#${field.number}) as a required field; mark it [deprecated = true] if it is no longer used.`,
      });
    } else if (field.oneof !== undefined && readOneofs.has(field.oneof)) {
      this.report('ONEOF_FIELD_REMOVED', {
        path,
        message: `Field '${field.name}' (#${field.number}) was removed from oneof '${field.oneof}'; data that chose it reads as if the oneof were unset.`,
        old: describeField(field),
        fix: `Keep '${field.name}' (#${field.number}) in oneof '${field.oneof}'; mark it [deprecated = true] instead of removing it.`,
      });
    }
    // Any other removed field is compatible (Confluent's FIELD_REMOVED): readers skip unknown numbers.
  }

  private compareFields(
    pair: FieldPair,
    writtenMessage: MessageModel,
    readMessage: MessageModel,
    readOneofs: ReadonlySet<string>,
  ): void {
    const { path, number, written, read } = pair;
    const values = { old: describeField(written), new: describeField(read) };
    if (written.oneof !== undefined && readOneofs.has(written.oneof) && read.oneof !== written.oneof) {
      this.report('ONEOF_FIELD_REMOVED', {
        path,
        message: `Field '${read.name}' (#${number}) left oneof '${written.oneof}', which still exists; data that chose it reads as if the oneof were unset.`,
        ...values,
        fix: `Keep '${read.name}' (#${number}) in oneof '${written.oneof}'.`,
      });
    }
    // Differs from Confluent, which compares labels only for numeric fields (and so lets a
    // string become required): required-ness is judged the same way for every type.
    if (read.label === 'required' && written.label !== 'required') {
      this.report('REQUIRED_FIELD_ADDED', {
        path,
        message: `Field '${read.name}' (#${number}) is required by the reader but ${written.label} in the writer's schema, so written messages may lack it.`,
        ...values,
        fix: `Keep '${read.name}' (#${number}) ${written.label}; a field cannot become required once data exists.`,
      });
    } else if (written.label === 'required' && read.label !== 'required') {
      this.report('REQUIRED_FIELD_REMOVED', {
        path,
        message: `Field '${read.name}' (#${number}) is required in the writer's schema but not in the reader's; required fields are forever, and consumers that still require it reject messages without it.`,
        ...values,
        fix: `Keep '${read.name}' (#${number}) required.`,
      });
    }
    const before = this.issues.length;
    this.compareTypes(pair, written.type, read.type, 'field');
    if (this.issues.length === before && written.name !== read.name) {
      this.checkNumberReuse(pair, writtenMessage, readMessage);
    }
  }

  // Differs from Confluent, which accepts any rename (FIELD_NAME_CHANGED). A rename is fine;
  // names that trade numbers (swap, or a field renumbered onto another's number) are not,
  // because the wire carries numbers and one field's values would be read as another's.
  private checkNumberReuse(pair: FieldPair, writtenMessage: MessageModel, readMessage: MessageModel): void {
    const { path, number, written, read } = pair;
    const writtenNameInReader = byName(readMessage.fields).get(written.name);
    const readNameInWriter = byName(writtenMessage.fields).get(read.name);
    let how: string | undefined;
    if (writtenNameInReader && writtenNameInReader.number !== number) {
      how = `while '${written.name}' moved to number ${writtenNameInReader.number}`;
    } else if (readNameInWriter && readNameInWriter.number !== number) {
      how = `and '${read.name}' was number ${readNameInWriter.number} in the writer's schema`;
    }
    if (how === undefined) return;
    this.report('FIELD_NUMBER_REUSED', {
      path,
      message: `Field number ${number} is '${written.name}' in the writer's schema and '${read.name}' in the reader's, ${how}: values written as '${written.name}' would be read as '${read.name}'.`,
      old: describeField(written),
      new: describeField(read),
      fix: `Numbers, not names, identify fields on the wire: keep '${written.name}' at number ${number}; to retire it, reserve ${number} and give new fields unused numbers.`,
    });
  }

  private subject(pair: FieldPair, role: Role): string {
    const { number, written, read } = pair;
    const field =
      written.name === read.name
        ? `field '${read.name}' (#${number})`
        : `field number ${number} ('${written.name}' in the writer's schema, '${read.name}' in the reader's)`;
    return role === 'field' ? `The type of ${field}` : `The ${role} type of ${field}`;
  }

  private typeFix(pair: FieldPair, written: TypeRef): string {
    const { number, written: writtenField, read } = pair;
    if (writtenField.name !== read.name) {
      return `Number ${number} belonged to '${writtenField.name}' (${describeType(writtenField.type)}); do not reuse it: add 'reserved ${number};' and 'reserved "${writtenField.name}";' to the message and give '${read.name}' an unused number.`;
    }
    const group = scalarGroupOf(written).filter((name) => name !== 'enum' && name !== scalarName(written));
    const enumToo = written.kind === 'scalar' && scalarGroupOf(written).includes('enum') ? ' or an enum' : '';
    const alternatives = group.length > 0 ? ` (or the wire-compatible ${group.join('/')}${enumToo})` : '';
    return `Keep '${read.name}' as ${describeType(written)}${alternatives}; to change its type, reserve number ${number} and the name '${read.name}' and add a new field with a new number.`;
  }

  private compareTypes(pair: FieldPair, written: TypeRef, read: TypeRef, role: Role): void {
    const values = { old: describeField(pair.written), new: describeField(pair.read) };
    const writtenKind = kindOf(written);
    const readKind = kindOf(read);
    if (writtenKind !== readKind) {
      this.report('FIELD_KIND_CHANGED', {
        path: pair.path,
        message: `${this.subject(pair, role)} changed from ${typeWord(written)} to ${typeWord(read)}; they are encoded differently on the wire.`,
        ...values,
        fix: this.typeFix(pair, written),
      });
      return;
    }
    if (written.kind === 'map' && read.kind === 'map') {
      this.compareTypes(pair, { kind: 'scalar', name: written.key }, { kind: 'scalar', name: read.key }, 'map key');
      this.compareTypes(pair, written.value, read.value, 'map value');
      return;
    }
    if (writtenKind === 'scalar') {
      this.compareScalars(pair, written, read, role);
      return;
    }
    if (
      (written.kind === 'message' || written.kind === 'group') &&
      (read.kind === 'message' || read.kind === 'group')
    ) {
      this.compareNamedTypes(pair, written.fullName, read.fullName, role);
    }
  }

  private compareScalars(pair: FieldPair, written: TypeRef, read: TypeRef, role: Role): void {
    const values = { old: describeField(pair.written), new: describeField(pair.read) };
    const group = scalarGroupOf(written);
    if (!group.includes(scalarName(read))) {
      this.report('FIELD_SCALAR_KIND_CHANGED', {
        path: pair.path,
        message: `${this.subject(pair, role)} changed from ${typeWord(written)} to ${typeWord(read)}, which is not wire-compatible (compatible groups: int32/int64/uint32/uint64/bool/enums, sint32/sint64, string/bytes, fixed32/sfixed32, fixed64/sfixed64).`,
        ...values,
        fix: this.typeFix(pair, written),
      });
      return;
    }
    // Differs from Confluent, which skips the label check when either side is an unlabelled
    // proto3 field: `int32 x` and `repeated int32 x` disagree on the wire all the same.
    const repeatedChanged = role === 'field' && isRepeated(pair.written.label) !== isRepeated(pair.read.label);
    if (repeatedChanged && !group.includes('string')) {
      const word = (label: FieldLabel): string => (isRepeated(label) ? 'repeated' : 'singular');
      this.report('FIELD_NUMERIC_LABEL_CHANGED', {
        path: pair.path,
        message: `Field '${pair.read.name}' (#${pair.number}) changed from ${word(pair.written.label)} to ${word(pair.read.label)}; repeated numbers are packed on the wire, so the two readings disagree.`,
        ...values,
        fix: `Keep '${pair.read.name}' ${word(pair.written.label)}; to switch, add a new field with a new number and reserve ${pair.number}.`,
      });
    }
    // string/bytes fields may switch between singular and repeated (Confluent's
    // FIELD_STRING_OR_BYTES_LABEL_CHANGED): a singular reader keeps the last element.
  }

  private compareNamedTypes(pair: FieldPair, writtenName: string, readName: string, role: Role): void {
    const values = { old: describeField(pair.written), new: describeField(pair.read) };
    const writtenType = this.writer.types.get(writtenName);
    const readType = this.reader.types.get(readName);
    // Names are compared inside their packages (Confluent's rule), so a type that moved to an
    // import under another package is still the same type if its local name is.
    const writtenLocal = writtenType?.localName ?? writtenName;
    const readLocal = readType?.localName ?? readName;
    if (writtenLocal !== readLocal) {
      this.report('FIELD_NAMED_TYPE_CHANGED', {
        path: pair.path,
        message: `${this.subject(pair, role)} changed from message ${writtenName} to message ${readName}.`,
        ...values,
        fix:
          pair.written.name === pair.read.name
            ? `Keep '${pair.read.name}' typed ${writtenName} (rename the message back); for a different message, add a new field with a new number and reserve ${pair.number}.`
            : this.typeFix(pair, { kind: 'message', fullName: writtenName }),
      });
      return;
    }
    // The schemas' own messages are compared where they are declared; a field only needs to
    // look inside types that come from references (or moved between the file and one).
    if (this.writer.ownTypes.has(writtenName) && this.reader.ownTypes.has(readName)) return;
    if (writtenType?.kind !== 'message' || readType?.kind !== 'message') return;
    if (this.compareMessages(writtenType, readType)) return;
    this.report('FIELD_NAMED_TYPE_CHANGED', {
      path: pair.path,
      message: `${this.subject(pair, role)} is still ${readName}, but that message changed incompatibly (see the issues under ${readName}).`,
      ...values,
      fix: `Make the changes to ${readName} compatible, or give '${pair.read.name}' a new message type through a new field number.`,
    });
  }

  private compareOneofMoves(read: MessageModel, writtenByNumber: ReadonlyMap<number, FieldModel>): void {
    for (const oneof of read.oneofs) {
      const members = read.fields.filter((field) => field.oneof === oneof.name);
      const moved = members.filter((field) => {
        const before = writtenByNumber.get(field.number);
        return before !== undefined && before.oneof === undefined;
      });
      const existing = members.filter((field) => writtenByNumber.get(field.number)?.oneof !== undefined);
      const path = `${read.fullName}.${oneof.name}`;
      const names = moved.map((field) => `'${field.name}' (#${field.number})`);
      if (moved.length > 1) {
        this.report('MULTIPLE_FIELDS_MOVED_TO_ONEOF', {
          path,
          message: `Fields ${names.join(', ')} are separate in the writer's schema but members of oneof '${oneof.name}' in the reader's; written messages may set several, and the reader keeps only one.`,
          old: moved.map((field) => describeField(writtenByNumber.get(field.number) ?? field)),
          new: moved.map(describeField),
          fix: `Move at most one existing field into oneof '${oneof.name}' and keep the others outside it; new members need new numbers.`,
        });
      } else if (moved.length === 1 && existing.length > 0) {
        const others = existing.map((field) => `'${field.name}'`).join(', ');
        this.report('FIELD_MOVED_TO_EXISTING_ONEOF', {
          path,
          message: `Field ${names[0]} is separate in the writer's schema but joins oneof '${oneof.name}' (with ${others}) in the reader's; written messages may set it together with another member.`,
          old: moved.map((field) => describeField(writtenByNumber.get(field.number) ?? field)),
          new: moved.map(describeField),
          fix: `Keep ${names[0]} outside oneof '${oneof.name}', or give it a oneof of its own.`,
        });
      }
    }
    // A oneof added around a single former field (ONEOF_ADDED), removed (ONEOF_REMOVED) or
    // given new members (ONEOF_FIELD_ADDED) is compatible.
  }

  // Enum changes are compatible for Confluent (unknown numbers survive as numbers). Differs from
  // Confluent: constants that trade numbers are reported, since values change meaning.
  private compareEnums(written: EnumModel, read: EnumModel): void {
    const namesByNumber = (type: EnumModel): Map<number, string[]> => {
      const map = new Map<number, string[]>();
      for (const value of type.values) map.set(value.number, [...(map.get(value.number) ?? []), value.name]);
      return map;
    };
    const numberByName = (type: EnumModel): Map<string, number> =>
      new Map(type.values.map((value) => [value.name, value.number]));
    const writtenNames = namesByNumber(written);
    const readNames = namesByNumber(read);
    const writtenNumbers = numberByName(written);
    const readNumbers = numberByName(read);
    for (const [number, names] of [...writtenNames].sort(([a], [b]) => a - b)) {
      const readAtNumber = readNames.get(number);
      if (!readAtNumber || names.some((name) => readAtNumber.includes(name))) continue;
      const movedName = names.find((name) => readNumbers.has(name));
      const formerName = readAtNumber.find((name) => writtenNumbers.has(name));
      if (movedName === undefined && formerName === undefined) continue; // a plain rename
      const readName = readAtNumber[0] ?? '';
      const writtenName = names[0] ?? '';
      const how =
        movedName !== undefined
          ? `while ${movedName} moved to ${readNumbers.get(movedName)}`
          : `and ${formerName} was ${writtenNumbers.get(formerName ?? '')} in the writer's schema`;
      this.report('ENUM_CONST_NUMBER_REUSED', {
        path: `${read.fullName}.${readName}`,
        message: `Enum value ${number} of ${read.fullName} is ${writtenName} in the writer's schema and ${readName} in the reader's, ${how}: data written as ${writtenName} would be read as ${readName}.`,
        old: `${writtenName} = ${number}`,
        new: `${readName} = ${number}`,
        fix: `Keep ${writtenName} = ${number}; to retire a constant, reserve its number and name and add new constants with unused numbers.`,
      });
    }
  }
}

function pick(issue: Omit<Incompatibility, 'rule'>): Pick<Incompatibility, 'old' | 'new'> {
  return {
    ...(issue.old === undefined ? {} : { old: issue.old }),
    ...(issue.new === undefined ? {} : { new: issue.new }),
  };
}

/**
 * Every reason data written with `writer` cannot be read with `reader`, in a stable order: the
 * package, then the writer's messages in declaration order, each one's fields by number, its
 * oneofs, then its nested types.
 */
export function findProtobufIncompatibilities(reader: ProtobufSchema, writer: ProtobufSchema): Incompatibility[] {
  return new ProtoCompatibility(reader, writer).run();
}
