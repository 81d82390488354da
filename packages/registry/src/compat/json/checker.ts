import type { Incompatibility } from '../types';
import { canonicalText } from './canonical-json-schema';
import { checkArray } from './check-array';
import { checkAllOf, checkConditional, checkNot, checkSum } from './check-combinators';
import { checkObject } from './check-object';
import {
  ALL_ATOMS,
  atomOfValue,
  atomsOfTypeKeyword,
  describeTypes,
  failedScalarKeywords,
  formatAppliesTo,
  isKnownFormat,
  jsonEqual,
  typeKeywordValue,
  type TypeAtom,
} from './json-values';
import {
  childNode,
  containsReference,
  displayPath,
  isObject,
  nodeAt,
  resolveReference,
  type Dialect,
  type JsonObject,
  type SchemaNode,
} from './schema-documents';
import {
  entryKey,
  entryObject,
  incompatibility,
  joinWriterSets,
  show,
  showList,
  type SumCase,
  type WriterEntry,
  type WriterSet,
} from './writer-set';

/** Thrown when a comparison grows past its budget; the engine turns it into one incompatibility. */
export class ComparisonLimitError extends Error {}

/** How many schema pairs one comparison may visit before giving up (pathological schemas only). */
const MAX_STEPS = 50_000;
/** How deep nested comparisons may go. */
const MAX_DEPTH = 150;
/** How many cases splitting a writer's anyOf/oneOf may produce at one place. */
const MAX_CASES = 256;

/** Keywords only some drafts evaluate (ajv ignores them elsewhere, and so must the comparison). */
const SINCE_2019 = new Set([
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  'minContains',
  'maxContains',
  '$recursiveRef',
]);
const ONLY_2020 = new Set(['prefixItems', '$dynamicRef']);
const NOT_2020 = new Set(['additionalItems', '$recursiveRef']);

/** True when ajv evaluates `keyword` in this draft. */
export function isActive(dialect: Dialect, keyword: string): boolean {
  if (SINCE_2019.has(keyword) && dialect === 'draft-07') return false;
  if (ONLY_2020.has(keyword) && dialect !== '2020-12') return false;
  if (NOT_2020.has(keyword) && dialect === '2020-12') return false;
  return true;
}

/** Keywords that constrain data; a schema with none of them accepts everything. */
const ASSERTIONS = new Set([
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'items',
  'prefixItems',
  'additionalItems',
  'maxItems',
  'minItems',
  'uniqueItems',
  'contains',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
]);

const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

/** Keywords whose presence alone tells which JSON type a schema without `type` is about. */
const FAMILY_KEYWORDS: Record<'object' | 'array' | 'string' | 'number', readonly string[]> = {
  object: [
    'properties',
    'required',
    'additionalProperties',
    'patternProperties',
    'minProperties',
    'maxProperties',
    'propertyNames',
    'dependencies',
    'dependentRequired',
    'dependentSchemas',
    'unevaluatedProperties',
  ],
  array: [
    'items',
    'prefixItems',
    'additionalItems',
    'minItems',
    'maxItems',
    'uniqueItems',
    'contains',
    'minContains',
    'maxContains',
    'unevaluatedItems',
  ],
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
};

/** Known formats where every value of the first is a value of the second. */
const FORMAT_SUBSETS: Record<string, readonly string[]> = {
  'date-time': ['iso-date-time'],
  time: ['iso-time'],
  uri: ['uri-reference'],
};

/** Rule names for a scalar keyword: [writer had none, writer's was looser]. */
const SCALAR_RULES: Record<string, readonly [string, string]> = {
  maxLength: ['MAX_LENGTH_ADDED', 'MAX_LENGTH_DECREASED'],
  minLength: ['MIN_LENGTH_ADDED', 'MIN_LENGTH_INCREASED'],
  pattern: ['PATTERN_ADDED', 'PATTERN_CHANGED'],
  format: ['FORMAT_ADDED', 'FORMAT_CHANGED'],
  maximum: ['MAXIMUM_ADDED', 'MAXIMUM_DECREASED'],
  minimum: ['MINIMUM_ADDED', 'MINIMUM_INCREASED'],
  exclusiveMaximum: ['EXCLUSIVE_MAXIMUM_ADDED', 'EXCLUSIVE_MAXIMUM_DECREASED'],
  exclusiveMinimum: ['EXCLUSIVE_MINIMUM_ADDED', 'EXCLUSIVE_MINIMUM_INCREASED'],
  multipleOf: ['MULTIPLE_OF_ADDED', 'MULTIPLE_OF_CHANGED'],
};

/** Patterns that match every string. */
const TRIVIAL_PATTERNS = new Set(['', '.*', '^.*$', '^.*', '.*$', '[\\s\\S]*', '^[\\s\\S]*$']);

/** A numeric bound: its value and whether it is exclusive. */
interface Bound {
  value: number;
  exclusive: boolean;
}

/**
 * Answers "can a reader with schema R read every value written with schema W?" for JSON Schema,
 * one reader location at a time. The writer side is a {@link WriterSet}; the reader side is a
 * single schema node whose own keywords are compared, with `$ref`, `allOf`, `anyOf`, `oneOf`,
 * `not` and `if` handled as extra requirements. One instance serves one `canRead` call: it memoises
 * pairs already compared and treats a pair met again while still being compared (a recursive
 * schema) as compatible, the usual rule for recursive types.
 */
export class CompatibilityChecker {
  readonly lenient: boolean;
  private readonly memo = new Map<string, Incompatibility[]>();
  private readonly inProgress = new Set<string>();
  private steps = 0;
  private depth = 0;

  constructor(options: { lenient: boolean }) {
    this.lenient = options.lenient;
  }

  /** The value of a keyword of a node, when the node's draft evaluates it. */
  keyword(node: SchemaNode, name: string): unknown {
    const value = node.value;
    if (!isObject(value) || !isActive(node.doc.dialect, name)) return undefined;
    return Object.prototype.hasOwnProperty.call(value, name) ? value[name] : undefined;
  }

  /** True when a schema accepts every value (`true`, `{}` or only annotations). */
  isTrivial(node: SchemaNode): boolean {
    const value = node.value;
    if (value === true) return true;
    if (!isObject(value)) return false;
    for (const key of Object.keys(value)) {
      if (!ASSERTIONS.has(key) || !isActive(node.doc.dialect, key)) continue;
      if (key === 'format' && !(typeof value.format === 'string' && isKnownFormat(value.format))) continue;
      if (key === 'required' && Array.isArray(value.required) && value.required.length === 0) continue;
      if (key === 'uniqueItems' && value.uniqueItems !== true) continue;
      if (key === 'if' && value.then === undefined && value.else === undefined) continue;
      return false;
    }
    return true;
  }

  /** The schema a `$ref`-like keyword of a node points to; undefined when there is none or it is unknown (e.g. a meta-schema). */
  dereference(node: SchemaNode, keyword: (typeof REF_KEYWORDS)[number]): SchemaNode | undefined {
    const reference = this.keyword(node, keyword);
    if (typeof reference !== 'string') return undefined;
    // $recursiveRef / $dynamicRef are resolved statically: Meshgate schemas do not extend dialects.
    const location = resolveReference(node, keyword === '$recursiveRef' ? '#' : reference);
    return location ? nodeAt(location.doc, location.pointer) : undefined;
  }

  /** Everything a writer node stands for: itself, its `$ref` targets and its `allOf` members, recursively. */
  flatten(node: SchemaNode): WriterSet {
    const out: WriterEntry[] = [];
    const seen = new Set<string>();
    const visit = (current: SchemaNode): void => {
      if (seen.has(current.id)) return;
      seen.add(current.id);
      out.push({ node: current });
      if (!isObject(current.value)) return;
      for (const keyword of REF_KEYWORDS) {
        const target = this.dereference(current, keyword);
        if (target) visit(target);
      }
      const allOf = this.keyword(current, 'allOf');
      if (Array.isArray(allOf)) allOf.forEach((_, i) => visit(childNode(current, 'allOf', i)));
    };
    visit(node);
    return out;
  }

  /** {@link flatten} for several nodes, joined. */
  flattenAll(nodes: readonly SchemaNode[]): WriterSet {
    return joinWriterSets(...nodes.map((node) => this.flatten(node)));
  }

  /** The JSON types a writer's data can have. Used for the writer only: see {@link impliedTypes}. */
  writerTypes(set: WriterSet): Set<TypeAtom> {
    return this.declaredTypes(set, true);
  }

  /** The JSON types allowed by `type`, `enum` and `const` across a set of schemas. */
  declaredTypes(set: WriterSet, implied: boolean): Set<TypeAtom> {
    let types = new Set<TypeAtom>(ALL_ATOMS);
    for (const entry of set) {
      const value = entry.node.value;
      if (value === false) return new Set();
      if (!isObject(value)) continue;
      const own = atomsOfTypeKeyword(this.keyword(entry.node, 'type')) ?? (implied ? impliedTypes(value) : undefined);
      if (own) types = intersect(types, own);
      if (Array.isArray(value.enum)) types = intersect(types, new Set(value.enum.map(atomOfValue)));
      if ('const' in value) types = intersect(types, new Set([atomOfValue(value.const)]));
      // Every multiple of an integer is an integer, so such a "number" holds integers only.
      if (typeof value.multipleOf === 'number' && Number.isInteger(value.multipleOf)) types.delete('fractional');
    }
    return types;
  }

  /** The finite set of values the writer allows (from enum/const, or null/boolean only), or undefined. */
  writerValues(set: WriterSet, types: ReadonlySet<TypeAtom>): unknown[] | undefined {
    let values: unknown[] | undefined;
    for (const entry of set) {
      const value = entryObject(entry);
      if (!value) continue;
      const own = Array.isArray(value.enum) ? value.enum : 'const' in value ? [value.const] : undefined;
      if (own) values = values ? values.filter((v) => own.some((o) => jsonEqual(o, v))) : [...own];
    }
    if (!values) {
      if ([...types].some((t) => t !== 'null' && t !== 'boolean')) return undefined;
      values = [];
      if (types.has('null')) values.push(null);
      if (types.has('boolean')) values.push(true, false);
    }
    const distinct: unknown[] = [];
    for (const v of values) {
      if (!types.has(atomOfValue(v)) || distinct.some((d) => jsonEqual(d, v))) continue;
      // A value the writer's own keywords reject can never be written.
      if (set.some((entry) => failedScalarKeywords(entryObject(entry) ?? {}, v).length > 0)) continue;
      distinct.push(v);
    }
    return distinct;
  }

  /** True when a scalar value is valid under a schema (object and array keywords do not apply to scalars). */
  matchesScalar(node: SchemaNode, value: unknown, depth = 0): boolean {
    const schema = node.value;
    if (schema === true || depth > 50) return true;
    if (!isObject(schema)) return false;
    if (failedScalarKeywords(this.activeScalars(node), value).length > 0) return false;
    for (const keyword of REF_KEYWORDS) {
      const target = this.dereference(node, keyword);
      if (target && !this.matchesScalar(target, value, depth + 1)) return false;
    }
    const list = (name: string): SchemaNode[] => {
      const members = this.keyword(node, name);
      return Array.isArray(members) ? members.map((_, i) => childNode(node, name, i)) : [];
    };
    if (!list('allOf').every((m) => this.matchesScalar(m, value, depth + 1))) return false;
    const anyOf = list('anyOf');
    if (anyOf.length > 0 && !anyOf.some((m) => this.matchesScalar(m, value, depth + 1))) return false;
    const oneOf = list('oneOf');
    if (oneOf.length > 0 && oneOf.filter((m) => this.matchesScalar(m, value, depth + 1)).length !== 1) return false;
    if (this.keyword(node, 'not') !== undefined && this.matchesScalar(childNode(node, 'not'), value, depth + 1)) {
      return false;
    }
    if (this.keyword(node, 'if') !== undefined) {
      const branch = this.matchesScalar(childNode(node, 'if'), value, depth + 1) ? 'then' : 'else';
      if (this.keyword(node, branch) !== undefined && !this.matchesScalar(childNode(node, branch), value, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  /** A node's scalar keywords, without `format`s ajv does not know. */
  private activeScalars(node: SchemaNode): JsonObject {
    const value = node.value;
    if (!isObject(value)) return {};
    if (typeof value.format === 'string' && !isKnownFormat(value.format)) {
      const { format: _format, ...rest } = value;
      return rest;
    }
    return value;
  }

  /** True when no value can satisfy both the writer set and a schema (so a reader's `not`/`if` never applies). */
  disjoint(set: WriterSet, node: SchemaNode): boolean {
    const other = this.flatten(node);
    const writerTypes = this.writerTypes(set);
    const shared = intersect(writerTypes, this.declaredTypes(other, false));
    if (shared.size === 0) return true;
    const values = this.writerValues(set, writerTypes);
    if (values && values.every((v) => atomOfValue(v) !== 'object' && atomOfValue(v) !== 'array')) {
      return values.every((v) => !this.matchesScalar(node, v));
    }
    if ([...shared].some((t) => t !== 'object')) return false;
    // Objects only: disjoint when a property both sides have takes values from disjoint sets (a discriminator).
    for (const entry of other) {
      const properties = this.keyword(entry.node, 'properties');
      if (!isObject(properties)) continue;
      for (const name of Object.keys(properties)) {
        if (!this.writerRequires(set, name)) continue;
        const writerProperty = this.flattenAll(
          set.flatMap((e) => {
            const own = this.keyword(e.node, 'properties');
            return isObject(own) && name in own ? [childNode(e.node, 'properties', name)] : [];
          }),
        );
        const writerPropertyValues = this.writerValues(writerProperty, this.writerTypes(writerProperty));
        const readerProperty = childNode(entry.node, 'properties', name);
        if (writerPropertyValues && writerPropertyValues.every((v) => !this.matchesScalar(readerProperty, v))) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when some writer schema requires the property. */
  writerRequires(set: WriterSet, name: string): boolean {
    return set.some((entry) => {
      const required = this.keyword(entry.node, 'required');
      return Array.isArray(required) && required.includes(name);
    });
  }

  /**
   * Every reason a value valid under all of `set` may be invalid under `reader`. `sums` names the
   * writer `anyOf`/`oneOf` cases being compared at this place, so a reader sum can be matched to them.
   */
  check(set: WriterSet, reader: SchemaNode, sums: readonly SumCase[] = []): Incompatibility[] {
    if (++this.steps > MAX_STEPS) throw new ComparisonLimitError('The schemas are too large to compare.');
    if (this.isTrivial(reader)) return [];
    if (set.some((entry) => entry.node.value === false)) return [];
    const writerTypes = this.writerTypes(set);
    if (writerTypes.size === 0) return [];
    if (reader.value === false) {
      return [
        incompatibility(
          'TYPE_CHANGED',
          displayPath(reader),
          'The new schema accepts no value here (it is `false`), but old data may hold one.',
          'Replace `false` with a schema that accepts what the old schema accepted.',
          { new: false },
        ),
      ];
    }
    if (!isObject(reader.value)) return [];
    // Old data satisfies every schema in the writer set, so a reader schema identical to one of them
    // (and self-contained, so identical text means identical meaning) accepts it all.
    if (!containsReference(reader.value)) {
      const text = canonicalText(reader.value);
      if (set.some((e) => e.node.doc.dialect === reader.doc.dialect && canonicalText(e.node.value) === text)) return [];
    }
    const key = `${set.map(entryKey).sort().join('&')}>${reader.id}|${sums.map((s) => `${s.keyword}${s.size}.${s.index}:${s.types.join('+')}`).join(',')}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key)) return [];
    if (this.depth >= MAX_DEPTH) throw new ComparisonLimitError('The schemas nest too deeply to compare.');
    this.inProgress.add(key);
    this.depth++;
    try {
      const result = dedupe(this.compare(set, reader, sums, writerTypes));
      this.memo.set(key, result);
      return result;
    } finally {
      this.depth--;
      this.inProgress.delete(key);
    }
  }

  private compare(
    set: WriterSet,
    reader: SchemaNode,
    sums: readonly SumCase[],
    writerTypes: Set<TypeAtom>,
  ): Incompatibility[] {
    const sum = this.firstUnsplitSum(set);
    if (sum) return this.compareCases(set, reader, sums, sum);
    const values = this.writerValues(set, writerTypes);
    if (values?.length === 0) return []; // the writer's enum/const admits no value: there is no old data

    const issues: Incompatibility[] = [];
    for (const keyword of REF_KEYWORDS) {
      const target = this.dereference(reader, keyword);
      if (target) issues.push(...this.check(set, target, sums));
    }
    issues.push(...this.checkType(reader, writerTypes, sums.at(-1)?.types));
    const readerTypes = atomsOfTypeKeyword(this.keyword(reader, 'type')) ?? new Set(ALL_ATOMS);
    const shared = intersect(writerTypes, readerTypes);
    const scalarValues = values?.every((v) => atomOfValue(v) !== 'object' && atomOfValue(v) !== 'array');
    if (values && scalarValues) {
      issues.push(...this.checkValues(set, reader, values, readerTypes));
    } else {
      issues.push(...this.checkEnum(set, reader, values, writerTypes));
      if (shared.has('string')) issues.push(...this.checkString(set, reader));
      if (shared.has('integer') || shared.has('fractional')) issues.push(...this.checkNumber(set, reader, writerTypes));
      if (shared.has('object')) issues.push(...checkObject(this, set, reader));
      if (shared.has('array')) issues.push(...checkArray(this, set, reader));
    }
    issues.push(...checkAllOf(this, set, reader, sums));
    issues.push(...checkSum(this, set, reader, 'anyOf', sums));
    issues.push(...checkSum(this, set, reader, 'oneOf', sums));
    issues.push(...checkNot(this, set, reader));
    issues.push(...checkConditional(this, set, reader, sums));
    return issues;
  }

  private firstUnsplitSum(
    set: WriterSet,
  ): { entry: WriterEntry; keyword: 'anyOf' | 'oneOf'; branches: SchemaNode[] } | undefined {
    for (const entry of set) {
      for (const keyword of ['anyOf', 'oneOf'] as const) {
        if (entry.split?.has(keyword)) continue;
        const members = this.keyword(entry.node, keyword);
        if (Array.isArray(members) && members.length > 0) {
          return { entry, keyword, branches: members.map((_, i) => childNode(entry.node, keyword, i)) };
        }
      }
    }
    return undefined;
  }

  /** Splits a writer's anyOf/oneOf into one case per subschema: each case must be readable. */
  private compareCases(
    set: WriterSet,
    reader: SchemaNode,
    sums: readonly SumCase[],
    sum: { entry: WriterEntry; keyword: 'anyOf' | 'oneOf'; branches: SchemaNode[] },
  ): Incompatibility[] {
    let cases = 1;
    for (const entry of set) {
      for (const keyword of ['anyOf', 'oneOf'] as const) {
        const members = entry.split?.has(keyword) ? undefined : this.keyword(entry.node, keyword);
        if (Array.isArray(members) && members.length > 0) cases *= members.length;
      }
    }
    if (cases > MAX_CASES) {
      // Too many combinations: stop splitting this sum and keep splitting the others. The writer then
      // looks looser than it is here, which can only report more incompatibilities, never fewer.
      const split = new Set(sum.entry.split ?? []);
      split.add(sum.keyword);
      return this.check(
        set.map((entry) => (entry === sum.entry ? { node: entry.node, split } : entry)),
        reader,
        sums,
      );
    }
    const split = new Set(sum.entry.split ?? []);
    split.add(sum.keyword);
    const rest = set.map((entry) => (entry === sum.entry ? { node: entry.node, split } : entry));
    const size = new Set(sum.branches.map((b) => canonicalText(b.value))).size;
    const caseSets = sum.branches.map((branch) => joinWriterSets(rest, this.flatten(branch)));
    const types = new Set<TypeAtom>();
    for (const caseSet of caseSets) this.writerTypes(caseSet).forEach((t) => types.add(t));
    const allTypes = ALL_ATOMS.filter((t) => types.has(t));
    const issues: Incompatibility[] = [];
    caseSets.forEach((caseSet, index) => {
      issues.push(...this.check(caseSet, reader, [...sums, { keyword: sum.keyword, size, index, types: allTypes }]));
    });
    return dedupe(issues);
  }

  /** `sumTypes`: when comparing one case of a writer anyOf/oneOf, the types of all its cases. */
  private checkType(
    reader: SchemaNode,
    caseTypes: ReadonlySet<TypeAtom>,
    sumTypes: readonly TypeAtom[] = [],
  ): Incompatibility[] {
    const readerTypes = atomsOfTypeKeyword(this.keyword(reader, 'type'));
    if (!readerTypes) return [];
    const missing = new Set([...caseTypes].filter((t) => !readerTypes.has(t)));
    if (missing.size === 0) return [];
    const writerTypes = new Set([...caseTypes, ...sumTypes]);
    const overlap = [...writerTypes].some((t) => readerTypes.has(t));
    const wanted = new Set([...readerTypes, ...missing]);
    const oldTypes = typeKeywordValue(writerTypes);
    const anything = writerTypes.size === ALL_ATOMS.length;
    const context = anything
      ? ' (the old schema allowed any JSON type)'
      : missing.size < writerTypes.size
        ? ` (the old schema allowed ${describeTypes(writerTypes)})`
        : '';
    return [
      incompatibility(
        overlap ? 'TYPE_NARROWED' : 'TYPE_CHANGED',
        displayPath(reader, 'type'),
        `The new schema allows ${describeTypes(readerTypes)} here, but old data may hold ${describeTypes(missing)}${context}.`,
        overlap
          ? `Keep accepting ${describeTypes(missing)}: set "type" to ${show(typeKeywordValue(wanted))}.`
          : `Keep "type": ${show(oldTypes)} (or accept both with ${show(typeKeywordValue(wanted))}); to change the shape, add a new property instead.`,
        { old: anything ? undefined : oldTypes, new: this.keyword(reader, 'type') },
      ),
    ];
  }

  /** The writer allows only a few scalar values: check each against the reader's scalar keywords. */
  private checkValues(
    set: WriterSet,
    reader: SchemaNode,
    values: readonly unknown[],
    readerTypes: ReadonlySet<TypeAtom>,
  ): Incompatibility[] {
    const schema = this.activeScalars(reader);
    const failing = new Map<string, unknown[]>();
    for (const value of values) {
      if (!readerTypes.has(atomOfValue(value))) continue; // reported by the type check
      for (const keyword of failedScalarKeywords(schema, value)) {
        if (keyword === 'type') continue;
        failing.set(keyword, [...(failing.get(keyword) ?? []), value]);
      }
    }
    const issues: Incompatibility[] = [];
    for (const [keyword, rejected] of failing) {
      const path = displayPath(reader, keyword);
      const readerValue = schema[keyword];
      if (keyword === 'enum' || keyword === 'const') {
        const allowed = keyword === 'enum' ? (readerValue as unknown[]) : [readerValue];
        const narrowed = allowed.every((a) => values.some((v) => jsonEqual(a, v)));
        issues.push(
          incompatibility(
            narrowed ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED',
            path,
            `Old data may hold ${showList(rejected)}, which the new schema's ${keyword} no longer allows.`,
            keyword === 'enum'
              ? `Add ${showList(rejected, 20)} back to "enum" (deprecate values instead of removing them).`
              : `Keep "const" ${show(values.length === 1 ? values[0] : rejected[0])}, or use "enum" with both the old and new values.`,
            { old: values.length === 1 ? values[0] : values, new: readerValue },
          ),
        );
        continue;
      }
      const rules = SCALAR_RULES[keyword];
      if (!rules) continue;
      const writerHas = set.some((entry) => entryObject(entry)?.[keyword] !== undefined);
      issues.push(
        incompatibility(
          writerHas ? rules[1] : rules[0],
          path,
          `Old data may hold ${showList(rejected)} (allowed by the old schema), which fails the new ${keyword} ${show(readerValue)}.`,
          scalarFix(keyword, readerValue, rejected),
          { old: this.writerKeyword(set, keyword), new: readerValue },
        ),
      );
    }
    return issues;
  }

  /** A reader `enum`/`const` when the writer allows infinitely many values (or object/array values). */
  private checkEnum(
    set: WriterSet,
    reader: SchemaNode,
    writerValues: readonly unknown[] | undefined,
    writerTypes: ReadonlySet<TypeAtom>,
  ): Incompatibility[] {
    const issues: Incompatibility[] = [];
    for (const keyword of ['enum', 'const'] as const) {
      const value = this.keyword(reader, keyword);
      if (value === undefined || (keyword === 'enum' && !Array.isArray(value))) continue;
      const allowed = keyword === 'enum' ? (value as unknown[]) : [value];
      const path = displayPath(reader, keyword);
      if (writerValues) {
        const rejected = writerValues.filter((v) => !allowed.some((a) => jsonEqual(a, v)));
        if (rejected.length === 0) continue;
        const narrowed = allowed.every((a) => writerValues.some((v) => jsonEqual(a, v)));
        issues.push(
          incompatibility(
            narrowed ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED',
            path,
            `Old data may hold ${showList(rejected)}, which the new schema's ${keyword} no longer allows.`,
            `Allow ${showList(rejected, 20)} again in "${keyword === 'const' ? 'enum' : keyword}".`,
            { old: writerValues, new: value },
          ),
        );
        continue;
      }
      const anyAllowed = allowed.some((a) => writerTypes.has(atomOfValue(a)));
      issues.push(
        incompatibility(
          anyAllowed ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED',
          path,
          `The old schema allowed any ${describeTypes(writerTypes)} value here; the new one allows only ${showList(allowed)}.`,
          `Remove "${keyword}" (old data may hold other values), or introduce the restricted value as a new property.`,
          { new: value },
        ),
      );
    }
    return issues;
  }

  /** The tightest value of a keyword across the writer set (for `old`). */
  private writerKeyword(set: WriterSet, keyword: string): unknown {
    const values = set.map((entry) => entryObject(entry)?.[keyword]).filter((v) => v !== undefined);
    if (values.length === 0) return undefined;
    if (values.every((v) => typeof v === 'number')) {
      const numbers = values as number[];
      return keyword.startsWith('max') || keyword === 'exclusiveMaximum' ? Math.min(...numbers) : Math.max(...numbers);
    }
    return values.length === 1 ? values[0] : values;
  }

  private numbers(set: WriterSet, keyword: string): number[] {
    return set.map((entry) => entryObject(entry)?.[keyword]).filter((v): v is number => typeof v === 'number');
  }

  private strings(set: WriterSet, keyword: string): string[] {
    return set.map((entry) => entryObject(entry)?.[keyword]).filter((v): v is string => typeof v === 'string');
  }

  private checkString(set: WriterSet, reader: SchemaNode): Incompatibility[] {
    const issues: Incompatibility[] = [];
    const maxLength = this.keyword(reader, 'maxLength');
    if (typeof maxLength === 'number') {
      const writer = this.numbers(set, 'maxLength');
      const tightest = writer.length > 0 ? Math.min(...writer) : undefined;
      if (tightest === undefined || tightest > maxLength) {
        issues.push(
          incompatibility(
            tightest === undefined ? 'MAX_LENGTH_ADDED' : 'MAX_LENGTH_DECREASED',
            displayPath(reader, 'maxLength'),
            tightest === undefined
              ? `The new schema limits strings to ${maxLength} characters; old data may hold longer ones (there was no limit).`
              : `The new schema lowers maxLength from ${tightest} to ${maxLength}; old strings may be longer.`,
            tightest === undefined
              ? `Remove "maxLength", or validate the limit in the producer before registering it.`
              : `Keep "maxLength" at ${tightest} or more.`,
            { old: tightest, new: maxLength },
          ),
        );
      }
    }
    const minLength = this.keyword(reader, 'minLength');
    if (typeof minLength === 'number' && minLength > 0) {
      const writer = this.numbers(set, 'minLength');
      const tightest = writer.length > 0 ? Math.max(...writer) : undefined;
      if (tightest === undefined || tightest < minLength) {
        issues.push(
          incompatibility(
            tightest === undefined ? 'MIN_LENGTH_ADDED' : 'MIN_LENGTH_INCREASED',
            displayPath(reader, 'minLength'),
            `The new schema requires at least ${minLength} characters; old strings may have ${tightest ?? 0}.`,
            tightest === undefined ? `Remove "minLength".` : `Keep "minLength" at ${tightest} or less.`,
            { old: tightest, new: minLength },
          ),
        );
      }
    }
    const pattern = this.keyword(reader, 'pattern');
    if (typeof pattern === 'string' && !TRIVIAL_PATTERNS.has(pattern)) {
      const writer = this.strings(set, 'pattern');
      if (!writer.includes(pattern)) {
        issues.push(
          incompatibility(
            writer.length === 0 ? 'PATTERN_ADDED' : 'PATTERN_CHANGED',
            displayPath(reader, 'pattern'),
            writer.length === 0
              ? `The new schema requires strings to match ${show(pattern)}; old strings were not checked against any pattern.`
              : `The pattern changed from ${show(writer[0])} to ${show(pattern)}; old strings may not match the new one.`,
            writer.length === 0 ? `Remove "pattern".` : `Keep the pattern ${show(writer[0])}.`,
            { old: writer.length === 0 ? undefined : writer.length === 1 ? writer[0] : writer, new: pattern },
          ),
        );
      }
    }
    issues.push(...this.checkFormat(set, reader, 'string'));
    return issues;
  }

  private checkFormat(set: WriterSet, reader: SchemaNode, kind: 'string' | 'number'): Incompatibility[] {
    const format = this.keyword(reader, 'format');
    if (typeof format !== 'string' || !isKnownFormat(format) || formatAppliesTo(format) !== kind) return [];
    const writer = this.strings(set, 'format').filter(isKnownFormat);
    if (writer.some((w) => w === format || (FORMAT_SUBSETS[w] ?? []).includes(format))) return [];
    return [
      incompatibility(
        writer.length === 0 ? 'FORMAT_ADDED' : 'FORMAT_CHANGED',
        displayPath(reader, 'format'),
        writer.length === 0
          ? `The new schema requires format ${show(format)}, which old values were not checked against.`
          : `The format changed from ${show(writer[0])} to ${show(format)}; old values may not match it.`,
        writer.length === 0 ? `Remove "format", or add it as a new property.` : `Keep "format": ${show(writer[0])}.`,
        { old: writer.length === 0 ? undefined : writer[0], new: format },
      ),
    ];
  }

  private checkNumber(set: WriterSet, reader: SchemaNode, writerTypes: ReadonlySet<TypeAtom>): Incompatibility[] {
    const issues: Incompatibility[] = [];
    const integersOnly = !writerTypes.has('fractional');
    const upper = this.bound(set, 'maximum', 'exclusiveMaximum', 'upper', integersOnly);
    const lower = this.bound(set, 'minimum', 'exclusiveMinimum', 'lower', integersOnly);
    const describe = (bound: Bound | undefined, side: 'up to' | 'down to'): string =>
      bound === undefined ? 'any value' : `values ${side} ${bound.value}${bound.exclusive ? ' (exclusive)' : ''}`;

    const maximum = this.keyword(reader, 'maximum');
    if (typeof maximum === 'number' && !(upper && upper.value <= maximum)) {
      issues.push(
        this.boundIssue(set, reader, 'maximum', maximum, upper, `old data may hold ${describe(upper, 'up to')}`),
      );
    }
    const exclusiveMaximum = this.keyword(reader, 'exclusiveMaximum');
    if (
      typeof exclusiveMaximum === 'number' &&
      !(upper && (upper.value < exclusiveMaximum || (upper.value === exclusiveMaximum && upper.exclusive)))
    ) {
      issues.push(
        this.boundIssue(
          set,
          reader,
          'exclusiveMaximum',
          exclusiveMaximum,
          upper,
          `old data may hold ${describe(upper, 'up to')}`,
        ),
      );
    }
    const minimum = this.keyword(reader, 'minimum');
    if (typeof minimum === 'number' && !(lower && lower.value >= minimum)) {
      issues.push(
        this.boundIssue(set, reader, 'minimum', minimum, lower, `old data may hold ${describe(lower, 'down to')}`),
      );
    }
    const exclusiveMinimum = this.keyword(reader, 'exclusiveMinimum');
    if (
      typeof exclusiveMinimum === 'number' &&
      !(lower && (lower.value > exclusiveMinimum || (lower.value === exclusiveMinimum && lower.exclusive)))
    ) {
      issues.push(
        this.boundIssue(
          set,
          reader,
          'exclusiveMinimum',
          exclusiveMinimum,
          lower,
          `old data may hold ${describe(lower, 'down to')}`,
        ),
      );
    }
    const multipleOf = this.keyword(reader, 'multipleOf');
    if (typeof multipleOf === 'number' && !(integersOnly && multipleOf === 1)) {
      const writer = this.numbers(set, 'multipleOf');
      if (!writer.some((w) => isMultiple(w, multipleOf))) {
        const rule =
          writer.length === 0
            ? 'MULTIPLE_OF_ADDED'
            : writer.some((w) => isMultiple(multipleOf, w))
              ? 'MULTIPLE_OF_EXPANDED'
              : 'MULTIPLE_OF_CHANGED';
        issues.push(
          incompatibility(
            rule,
            displayPath(reader, 'multipleOf'),
            writer.length === 0
              ? `The new schema requires multiples of ${multipleOf}; old numbers were not restricted.`
              : `The new schema requires multiples of ${multipleOf}; old numbers were multiples of ${writer[0]}, which need not be.`,
            writer.length === 0
              ? `Remove "multipleOf".`
              : `Use a "multipleOf" that divides ${writer[0]} (for example ${writer[0]} itself).`,
            { old: writer.length === 0 ? undefined : writer[0], new: multipleOf },
          ),
        );
      }
    }
    issues.push(...this.checkFormat(set, reader, 'number'));
    return issues;
  }

  private boundIssue(
    set: WriterSet,
    reader: SchemaNode,
    keyword: 'maximum' | 'exclusiveMaximum' | 'minimum' | 'exclusiveMinimum',
    value: number,
    writerBound: Bound | undefined,
    reason: string,
  ): Incompatibility {
    const rules = SCALAR_RULES[keyword]!;
    const writerHas = set.some((entry) => typeof entryObject(entry)?.[keyword] === 'number');
    const loosen =
      keyword === 'maximum' || keyword === 'exclusiveMaximum' ? 'raise it to at least' : 'lower it to at most';
    return incompatibility(
      writerHas ? rules[1] : rules[0],
      displayPath(reader, keyword),
      `The new ${keyword} is ${value}, but ${reason}.`,
      writerBound === undefined ? `Remove "${keyword}".` : `Remove "${keyword}" or ${loosen} ${writerBound.value}.`,
      { old: this.writerKeyword(set, keyword), new: value },
    );
  }

  /** The tightest bound the writer puts on numbers on one side, adjusted to whole numbers for integer data. */
  private bound(
    set: WriterSet,
    inclusiveKeyword: string,
    exclusiveKeyword: string,
    side: 'upper' | 'lower',
    integersOnly: boolean,
  ): Bound | undefined {
    const candidates: Bound[] = [
      ...this.numbers(set, inclusiveKeyword).map((value) => ({ value, exclusive: false })),
      ...this.numbers(set, exclusiveKeyword).map((value) => ({ value, exclusive: true })),
    ].map((bound) => {
      if (!integersOnly) return bound;
      // Integer data under "< 10" is data "<= 9".
      if (side === 'upper') {
        return { value: bound.exclusive ? Math.ceil(bound.value) - 1 : Math.floor(bound.value), exclusive: false };
      }
      return { value: bound.exclusive ? Math.floor(bound.value) + 1 : Math.ceil(bound.value), exclusive: false };
    });
    let best: Bound | undefined;
    for (const candidate of candidates) {
      if (
        !best ||
        (side === 'upper' ? candidate.value < best.value : candidate.value > best.value) ||
        (candidate.value === best.value && candidate.exclusive)
      ) {
        best = candidate;
      }
    }
    return best;
  }
}

/** The types a schema without `type` is plainly about, when all its keywords belong to one JSON type. */
function impliedTypes(schema: JsonObject): Set<TypeAtom> | undefined {
  // Follows Confluent: a schema with only `properties` is treated as an object schema, so adding
  // "type": "object" later is not reported. A schema that also uses $ref or combinators is left alone.
  if (
    ['enum', 'const', '$ref', '$dynamicRef', '$recursiveRef', 'allOf', 'anyOf', 'oneOf', 'not', 'if'].some(
      (k) => k in schema,
    )
  ) {
    return undefined;
  }
  const families = (Object.keys(FAMILY_KEYWORDS) as (keyof typeof FAMILY_KEYWORDS)[]).filter((family) =>
    FAMILY_KEYWORDS[family].some((k) => k in schema),
  );
  if (families.length !== 1) return undefined;
  const family = families[0]!;
  return new Set(family === 'number' ? ['integer', 'fractional'] : [family]);
}

function intersect<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** True when `a` is a whole multiple of `b` (with a tolerance for binary fractions such as 0.1). */
function isMultiple(a: number, b: number): boolean {
  if (b === 0) return false;
  const ratio = a / b;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

function scalarFix(keyword: string, readerValue: unknown, rejected: readonly unknown[]): string {
  switch (keyword) {
    case 'maxLength':
      return `Raise "maxLength" to at least ${Math.max(...rejected.map((v) => String(v).length))}.`;
    case 'minLength':
      return `Lower "minLength" to at most ${Math.min(...rejected.map((v) => String(v).length))}.`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `Raise "${keyword}" so that ${showList(rejected)} stay valid.`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `Lower "${keyword}" so that ${showList(rejected)} stay valid.`;
    default:
      return `Change "${keyword}" (now ${show(readerValue)}) so that ${showList(rejected)} stay valid.`;
  }
}

/** Drops repeated incompatibilities (the same rule at the same path with the same message). */
export function dedupe(issues: readonly Incompatibility[]): Incompatibility[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.rule}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
