import type { Incompatibility } from '../types';
import { exampleDefault } from './default-value';
import { logicalLabel, logicalMismatch, logicalTypeOf } from './logical-types';
import {
  isNamed,
  kindLabel,
  shortName,
  typeLabel,
  type AvroNode,
  type EnumNode,
  type FieldNode,
  type FixedNode,
  type NamedNode,
  type PrimitiveName,
  type PrimitiveNode,
  type RecordNode,
  type UnionNode,
} from './model';

/**
 * Avro schema resolution (specification 1.11, "Schema Resolution"), reported the way Avro Java's
 * `SchemaCompatibility` — which Confluent runs — reports it, with a readable path and a fix.
 *
 * Paths are data paths through the reader's schema: the reader's root type by full name (or `$`
 * when the root is not a named type), then `.field` for a record field (the reader's field name),
 * `[]` for array items, `{}` for map values and `<Branch>` for the union branch being resolved —
 * the writer's branch when the writer's type is a union, else the reader's branch that was chosen
 * (short names, full names only when two branches share a short name). Examples:
 * `com.acme.Order.items[].sku`, `com.acme.Order.customer<Customer>.email`, `$<null>`.
 */

/** Rule ids: Avro's `SchemaIncompatibilityType` names, plus two of ours. */
export type AvroRule =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH'
  /** Same encoding, different meaning: decimal scale/precision, time units (Avro Java ignores these). */
  | 'LOGICAL_TYPE_MISMATCH'
  /** A reader field whose name and aliases match several writer fields (Avro Java throws here). */
  | 'AMBIGUOUS_FIELD_ALIAS';

type Segment =
  { readonly field: string } | { readonly items: true } | { readonly values: true } | { readonly branch: string };

interface Finding {
  readonly segments: readonly Segment[];
  readonly rule: AvroRule;
  readonly message: string;
  readonly old?: unknown;
  readonly new?: unknown;
  readonly fix: string;
}

// A schema whose shared types are reached through many paths could otherwise report the same
// problem an exponential number of times; past this many findings the verdict is already clear.
const maxFindings = 200;

const promotions: Readonly<Record<PrimitiveName, readonly PrimitiveName[]>> = {
  null: [],
  boolean: [],
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  double: [],
  bytes: ['string'],
  string: ['bytes'],
};

function readsAs(reader: PrimitiveName, writer: PrimitiveName): boolean {
  return reader === writer || promotions[writer].includes(reader);
}

function under(segment: Segment, findings: readonly Finding[]): Finding[] {
  return findings.map((finding) => ({ ...finding, segments: [segment, ...finding.segments] }));
}

function capped(findings: Finding[]): Finding[] {
  return findings.length > maxFindings ? findings.slice(0, maxFindings) : findings;
}

function renderSegments(segments: readonly Segment[]): string {
  return segments
    .map((segment) =>
      'field' in segment
        ? `.${segment.field}`
        : 'items' in segment
          ? '[]'
          : 'values' in segment
            ? '{}'
            : `<${segment.branch}>`,
    )
    .join('');
}

/** How a branch is named in a path: its short name, unless another branch of the union shares it. */
function branchLabel(branch: AvroNode, union: UnionNode): string {
  if (!isNamed(branch)) return kindLabel(branch);
  const short = shortName(branch.fullName);
  const clash = union.branches.some(
    (other) => other !== branch && isNamed(other) && shortName(other.fullName) === short,
  );
  return clash ? branch.fullName : short;
}

/** Avro Java's `schemaNameEquals`: same unqualified name, or a reader alias equal to the writer's full name. */
function namesMatch(reader: NamedNode, writer: NamedNode): boolean {
  return shortName(reader.fullName) === shortName(writer.fullName) || reader.aliases.includes(writer.fullName);
}

/** A type as Avro JSON a fix can show (`"int"`, `"com.acme.Customer"`), or undefined for structured types. */
function schemaName(node: AvroNode): string | undefined {
  if (isNamed(node)) return JSON.stringify(node.fullName);
  if (node.kind === 'primitive' && Object.keys(node.attrs).length === 0) return JSON.stringify(node.name);
  return undefined;
}

/** `["null", "X"]`, or words when the type has no short JSON spelling. */
function nullableOf(node: AvroNode): string {
  return `["null", ${schemaName(node) ?? `<its current ${kindLabel(node)} type>`}]`;
}

function article(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

class ResolutionChecker {
  // Record pairs: their findings once known (relative to the pair), null while being compared,
  // which breaks recursion the way Avro Java does: a pair already in progress is assumed to match.
  private readonly records = new Map<RecordNode, Map<RecordNode, Finding[] | null>>();

  compare(reader: AvroNode, writer: AvroNode): Finding[] {
    if (writer.kind === 'union') {
      const findings: Finding[] = [];
      for (const branch of writer.branches) {
        const segment = { branch: branchLabel(branch, writer) };
        const found = reader.kind === 'union' ? this.fromUnion(reader, branch, false) : this.compare(reader, branch);
        findings.push(...under(segment, found));
      }
      return capped(findings);
    }
    if (reader.kind === 'union') return this.fromUnion(reader, writer, true);
    return this.compareSingle(reader, writer);
  }

  /**
   * A reader union reading one writer type. Like Avro Java, any branch that reads it fully is
   * enough. When none does, we explain through the branch Avro would pick (same name or kind) —
   * more useful than Java's bare MISSING_UNION_BRANCH — and report MISSING_UNION_BRANCH only when
   * no branch is even of the right kind.
   */
  private fromUnion(reader: UnionNode, writer: AvroNode, nameBranch: boolean): Finding[] {
    const attempts = reader.branches.map((branch) => this.compare(branch, writer));
    if (attempts.some((findings) => findings.length === 0)) return [];
    const index = this.closestBranch(reader, writer);
    const branch = index === undefined ? undefined : reader.branches[index];
    const attempt = index === undefined ? undefined : attempts[index];
    if (branch !== undefined && attempt !== undefined) {
      return nameBranch ? under({ branch: branchLabel(branch, reader) }, attempt) : attempt;
    }
    const wrote = typeLabel(writer);
    const isNull = writer.kind === 'primitive' && writer.name === 'null';
    return [
      {
        segments: [],
        rule: 'MISSING_UNION_BRANCH',
        message: `The reader's union ${typeLabel(reader)} has no branch that can read data written as ${wrote}.`,
        old: wrote,
        new: typeLabel(reader),
        fix: isNull
          ? 'Add "null" to the union.'
          : `Add ${schemaName(writer) ?? `${article(kindLabel(writer))} branch (${wrote})`} to the reader's union, or stop writing ${wrote} here.`,
      },
    ];
  }

  /** The reader branch Avro resolution would choose for a writer type: same name, then same kind, then a promotion. */
  private closestBranch(reader: UnionNode, writer: AvroNode): number | undefined {
    const branches = reader.branches;
    if (isNamed(writer)) {
      const sameName = branches.findIndex((branch) => branch.kind === writer.kind && namesMatch(branch, writer));
      if (sameName !== -1) return sameName;
      const sameKind = branches.flatMap((branch, index) => (branch.kind === writer.kind ? [index] : []));
      return sameKind.length === 1 ? sameKind[0] : undefined;
    }
    if (writer.kind === 'primitive') {
      const same = branches.findIndex((branch) => branch.kind === 'primitive' && branch.name === writer.name);
      if (same !== -1) return same;
      const promoted = branches.findIndex((branch) => branch.kind === 'primitive' && readsAs(branch.name, writer.name));
      return promoted === -1 ? undefined : promoted;
    }
    const sameKind = branches.findIndex((branch) => branch.kind === writer.kind);
    return sameKind === -1 ? undefined : sameKind;
  }

  private compareSingle(reader: Exclude<AvroNode, UnionNode>, writer: Exclude<AvroNode, UnionNode>): Finding[] {
    if (reader.kind === 'primitive' && writer.kind === 'primitive') {
      return readsAs(reader.name, writer.name) ? this.compareLogical(reader, writer) : [typeMismatch(reader, writer)];
    }
    if (reader.kind === 'array' && writer.kind === 'array') {
      return under({ items: true }, this.compare(reader.items, writer.items));
    }
    if (reader.kind === 'map' && writer.kind === 'map') {
      return under({ values: true }, this.compare(reader.values, writer.values));
    }
    if (reader.kind === 'record' && writer.kind === 'record') return this.compareRecords(reader, writer);
    if (reader.kind === 'enum' && writer.kind === 'enum') return compareEnums(reader, writer);
    if (reader.kind === 'fixed' && writer.kind === 'fixed') {
      const findings = [...nameMismatch(reader, writer), ...fixedSizeMismatch(reader, writer)];
      return findings.length > 0 ? findings : this.compareLogical(reader, writer);
    }
    return [typeMismatch(reader, writer)];
  }

  private compareLogical(reader: PrimitiveNode | FixedNode, writer: PrimitiveNode | FixedNode): Finding[] {
    const readerLogical = logicalTypeOf(reader);
    const writerLogical = logicalTypeOf(writer);
    if (readerLogical === undefined || writerLogical === undefined) return [];
    const why = logicalMismatch(readerLogical, writerLogical);
    if (why === undefined) return [];
    return [
      {
        segments: [],
        rule: 'LOGICAL_TYPE_MISMATCH',
        message: `The logical type changes: ${why}.`,
        old: logicalLabel(writerLogical),
        new: logicalLabel(readerLogical),
        fix: `Keep ${logicalLabel(writerLogical)} here, or add a new field with the new logical type (and a default) instead of changing this one.`,
      },
    ];
  }

  private compareRecords(reader: RecordNode, writer: RecordNode): Finding[] {
    let pairs = this.records.get(reader);
    if (!pairs) {
      pairs = new Map();
      this.records.set(reader, pairs);
    }
    if (pairs.has(writer)) return pairs.get(writer) ?? [];
    pairs.set(writer, null);
    const findings: Finding[] = [...nameMismatch(reader, writer)];
    for (const field of reader.fields) {
      const segment = { field: field.name };
      const matches = writerFieldsFor(field, writer);
      const [match] = matches;
      if (matches.length > 1) {
        findings.push(ambiguousAlias(reader, field, matches));
      } else if (match === undefined) {
        if (!field.hasDefault) findings.push(missingDefault(reader, writer, field));
      } else {
        findings.push(...under(segment, this.compare(field.type, match.type)));
      }
    }
    const result = capped(findings);
    pairs.set(writer, result);
    return result;
  }
}

/** Writer fields a reader field reads: the one with its name and those named by its aliases (Avro Java's lookupWriterField). */
function writerFieldsFor(field: FieldNode, writer: RecordNode): FieldNode[] {
  const found: FieldNode[] = [];
  for (const name of [field.name, ...field.aliases]) {
    const match = writer.fields.find((candidate) => candidate.name === name);
    if (match && !found.includes(match)) found.push(match);
  }
  return found;
}

function typeMismatch(reader: AvroNode, writer: AvroNode): Finding {
  const wrote = typeLabel(writer);
  const read = typeLabel(reader);
  const base = { segments: [], rule: 'TYPE_MISMATCH' as const, old: wrote, new: read };
  if (writer.kind === 'primitive' && writer.name === 'null') {
    return {
      ...base,
      message: `Data written as null cannot be read as ${read}.`,
      fix: `Add "null" to the reader's type here (a union such as ${nullableOf(reader)}), or stop writing null here.`,
    };
  }
  if (reader.kind === 'primitive' && writer.kind === 'primitive') {
    const targets = promotions[writer.name];
    const readable = targets.length > 0 ? ` or a type it promotes to (${targets.join(', ')})` : '';
    return {
      ...base,
      message: `Data written as ${wrote} cannot be read as ${read}; Avro only promotes int → long → float → double and string ↔ bytes.`,
      fix: `Read it as ${wrote}${readable}, or add a new field with the new type (and a default) instead of changing this one.`,
    };
  }
  return {
    ...base,
    message: `Data written as ${kindLabel(writer)} ${wrote} cannot be read as ${kindLabel(reader)} ${read}.`,
    fix: `Keep the type ${wrote} here, or add a new field with the new type (and a default) instead of changing this one.`,
  };
}

function nameMismatch(reader: NamedNode, writer: NamedNode): Finding[] {
  if (namesMatch(reader, writer)) return [];
  const kind = kindLabel(reader);
  return [
    {
      segments: [],
      rule: 'NAME_MISMATCH',
      message: `The reader's ${kind} ${reader.fullName} cannot read the writer's ${writer.fullName}: the names differ and no alias of ${reader.fullName} is ${writer.fullName}.`,
      old: writer.fullName,
      new: reader.fullName,
      fix: `Keep the name ${shortName(writer.fullName)}, or add "${writer.fullName}" to the aliases of ${reader.fullName}.`,
    },
  ];
}

function fixedSizeMismatch(reader: FixedNode, writer: FixedNode): Finding[] {
  if (reader.size === writer.size) return [];
  return [
    {
      segments: [],
      rule: 'FIXED_SIZE_MISMATCH',
      message: `Fixed ${reader.fullName} is ${reader.size} bytes in the reader's schema but ${writer.size} bytes in the writer's.`,
      old: writer.size,
      new: reader.size,
      fix: `Keep the size ${writer.size}; for another size, add a new field with a new fixed type (and a default).`,
    },
  ];
}

function compareEnums(reader: EnumNode, writer: EnumNode): Finding[] {
  const findings = nameMismatch(reader, writer);
  const missing = writer.symbols.filter((symbol) => !reader.symbols.includes(symbol));
  // An enum default (Avro 1.9+) is what readers use for symbols they do not know.
  if (missing.length > 0 && reader.default === undefined) {
    const plural = missing.length > 1 ? 's' : '';
    findings.push({
      segments: [],
      rule: 'MISSING_ENUM_SYMBOLS',
      message: `Enum ${reader.fullName} in the reader's schema lacks symbol${plural} ${quoteList(missing)}, which the writer's schema can write, and has no default symbol.`,
      old: writer.symbols,
      new: reader.symbols,
      fix: `Keep symbol${plural} ${quoteList(missing)} in ${reader.fullName}, or give the reader's enum a default (for example "default": "${reader.symbols[0] ?? ''}") so unknown symbols read as it.`,
    });
  }
  return findings;
}

function missingDefault(reader: RecordNode, writer: RecordNode, field: FieldNode): Finding {
  const type = field.type;
  const example = exampleDefault(type);
  const nullLater =
    type.kind === 'union' && type.branches.some((branch, index) => index > 0 && kindLabel(branch) === 'null');
  const suggestion = nullLater
    ? `Give field '${field.name}' a default (move "null" first in its union and use "default": null)`
    : example !== undefined
      ? `Give field '${field.name}' a default (for example "default": ${example})`
      : type.kind === 'union'
        ? `Give field '${field.name}' a default (a value of its first branch)`
        : `Give field '${field.name}' a default (or make it ${nullableOf(type)} with "default": null)`;
  // Resolution only uses the reader's aliases; point at the writer field that tried to alias itself.
  const renamed = writer.fields.find((candidate) => candidate.aliases.includes(field.name));
  const aliasHint = renamed
    ? `; or, since the writer's field '${renamed.name}' was renamed from it, add "aliases": ["${renamed.name}"] to the reader's field '${field.name}' (the writer's aliases are not used when reading)`
    : '';
  return {
    segments: [{ field: field.name }],
    rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
    message: `Field '${field.name}' of ${reader.fullName} has no default in the reader's schema, and data written with the writer's schema does not have it.`,
    new: typeLabel(field.type),
    fix: `${suggestion}, or keep writing field '${field.name}'${aliasHint}.`,
  };
}

function ambiguousAlias(reader: RecordNode, field: FieldNode, matches: readonly FieldNode[]): Finding {
  const names = matches.map((match) => match.name);
  const others = names.filter((name) => name !== field.name);
  return {
    segments: [{ field: field.name }],
    rule: 'AMBIGUOUS_FIELD_ALIAS',
    message: `Field '${field.name}' of ${reader.fullName} matches the writer's fields ${quoteList(names)} through its name and aliases, so a reader cannot tell which one to read.`,
    old: names,
    new: [field.name, ...field.aliases],
    fix: `Remove alias${others.length > 1 ? 'es' : ''} ${quoteList(others)} from field '${field.name}', or stop writing ${quoteList(others)}.`,
  };
}

/**
 * Every reason data written with `writer` cannot be read with `reader`, in a stable order: the
 * reader's fields in declaration order, writer union branches in declaration order, name
 * problems before the members of a type. Never throws.
 */
export function findIncompatibilities(reader: AvroNode, writer: AvroNode): Incompatibility[] {
  const root = isNamed(reader) ? reader.fullName : '$';
  return new ResolutionChecker().compare(reader, writer).map((finding) => {
    const issue: Incompatibility = {
      path: root + renderSegments(finding.segments),
      rule: finding.rule,
      message: finding.message,
      fix: finding.fix,
    };
    if (finding.old !== undefined) issue.old = finding.old;
    if (finding.new !== undefined) issue.new = finding.new;
    return issue;
  });
}
