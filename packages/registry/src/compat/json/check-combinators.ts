import type { Incompatibility } from '../types';
import { canonicalText } from './canonical-json-schema';
import type { CompatibilityChecker } from './checker';
import { describeTypes, typeKeywordValue, type TypeAtom } from './json-values';
import { childNode, containsReference, displayPath, syntheticNode, type SchemaNode } from './schema-documents';
import { incompatibility, joinWriterSets, showList, type SumCase, type WriterSet } from './writer-set';

function members(c: CompatibilityChecker, node: SchemaNode, keyword: string): SchemaNode[] {
  const list = c.keyword(node, keyword);
  return Array.isArray(list) ? list.map((_, i) => childNode(node, keyword, i)) : [];
}

/**
 * A reader `allOf`: old data must satisfy every member. A member with no counterpart in the
 * writer's `allOf` that old data may fail is Confluent's PRODUCT_TYPE_EXTENDED; a writer sum turned
 * into a product is COMBINED_TYPE_CHANGED; otherwise the member's own reasons are reported.
 */
export function checkAllOf(
  c: CompatibilityChecker,
  set: WriterSet,
  reader: SchemaNode,
  sums: readonly SumCase[],
): Incompatibility[] {
  const readerMembers = members(c, reader, 'allOf');
  if (readerMembers.length === 0) return [];
  const writerMembers = set.flatMap((e) => members(c, e.node, 'allOf'));
  const writerCount = Math.max(0, ...set.map((e) => members(c, e.node, 'allOf').length));
  const writerTexts = new Set(writerMembers.map((m) => canonicalText(m.value)));
  const issues: Incompatibility[] = [];
  readerMembers.forEach((member, index) => {
    const sub = c.check(set, member, sums);
    if (sub.length === 0) return;
    if (writerCount === 0 && readerMembers.length > 1 && sums.some((s) => s.size > 1)) {
      issues.push(
        incompatibility(
          'COMBINED_TYPE_CHANGED',
          displayPath(reader, 'allOf'),
          `The old schema offered alternatives (${sums.at(-1)!.keyword}); the new one requires all of them at once (allOf), which old data matching one alternative may fail.`,
          `Keep "${sums.at(-1)!.keyword}" instead of "allOf".`,
          { old: sums.at(-1)!.keyword, new: 'allOf' },
        ),
      );
    } else if (readerMembers.length > writerCount && !writerTexts.has(canonicalText(member.value))) {
      issues.push(
        incompatibility(
          'PRODUCT_TYPE_EXTENDED',
          displayPath(member),
          `The new schema adds allOf member ${index}, which old data may not satisfy: ${sub[0]!.message}`,
          `Drop allOf member ${index}, or make it accept everything the old schema accepted.`,
          { new: member.value },
        ),
      );
    } else {
      issues.push(...sub);
    }
  });
  return issues;
}

/** Splits writer types into the groups a reader's alternatives are usually split by. */
function typeGroups(types: ReadonlySet<TypeAtom>): Set<TypeAtom>[] {
  const groups: Set<TypeAtom>[] = [];
  const numbers = new Set([...types].filter((t) => t === 'integer' || t === 'fractional'));
  for (const type of types) {
    if (type === 'integer' || type === 'fractional') continue;
    groups.push(new Set([type]));
  }
  if (numbers.size > 0) groups.push(numbers);
  return groups;
}

/**
 * A reader `anyOf`/`oneOf`: every old value must be accepted by some alternative (by exactly one
 * for `oneOf`). The writer's own alternatives were already split into cases, so each case must be
 * covered by one reader alternative; a writer with several types may be covered type by type.
 */
export function checkSum(
  c: CompatibilityChecker,
  set: WriterSet,
  reader: SchemaNode,
  keyword: 'anyOf' | 'oneOf',
  sums: readonly SumCase[],
): Incompatibility[] {
  const branches = members(c, reader, keyword);
  if (branches.length === 0) return [];
  // The same alternatives as one the writer's data already satisfies: nothing to compare.
  const text = canonicalText(c.keyword(reader, keyword));
  if (
    !branches.some((b) => containsReference(b.value)) &&
    set.some((e) => e.node.doc.dialect === reader.doc.dialect && canonicalText(c.keyword(e.node, keyword)) === text)
  ) {
    return [];
  }
  const sum = sums.findLast((s) => s.keyword === keyword) ?? sums.at(-1);
  const issues: Incompatibility[] = [];
  const covering = (caseSet: WriterSet): number[] =>
    branches.flatMap((branch, i) => (c.check(caseSet, branch, sums).length === 0 ? [i] : []));

  const covered = (indexes: number[]): void => {
    if (keyword !== 'oneOf') return;
    if (indexes.length >= 2) {
      issues.push(
        incompatibility(
          'ONE_OF_BRANCHES_OVERLAP',
          displayPath(reader, 'oneOf'),
          `Old data matches oneOf subschemas ${showList(indexes)} at the same time, and oneOf rejects a value that matches more than one.`,
          `Make the oneOf subschemas exclusive (for example with a "const" discriminator property), or use "anyOf".`,
          { new: indexes },
        ),
      );
    } else if (sum?.keyword === 'anyOf' && sum.size > 1 && !pairwiseDisjoint(c, branches)) {
      issues.push(
        incompatibility(
          'COMBINED_TYPE_CHANGED',
          displayPath(reader, 'oneOf'),
          'The old schema used anyOf (a value may match several alternatives); the new oneOf rejects a value that matches more than one, and its alternatives can overlap.',
          'Keep "anyOf", or make the alternatives exclusive (for example with a "const" discriminator property).',
          { old: 'anyOf', new: 'oneOf' },
        ),
      );
    }
  };

  const whole = covering(set);
  if (whole.length > 0) {
    covered(whole);
    return issues;
  }
  const uncovered: WriterSet[] = [];
  const groups = typeGroups(c.writerTypes(set));
  if (groups.length > 1) {
    for (const group of groups) {
      const caseSet = joinWriterSets(set, [
        { node: syntheticNode(reader, { type: typeKeywordValue(group) as string | string[] }) },
      ]);
      const indexes = covering(caseSet);
      if (indexes.length === 0) uncovered.push(caseSet);
      else covered(indexes);
    }
  } else {
    uncovered.push(set);
  }

  for (const caseSet of uncovered) {
    if (sum && branches.length < sum.size) {
      issues.push(
        incompatibility(
          'SUM_TYPE_NARROWED',
          displayPath(reader, keyword),
          `The new ${keyword} has ${branches.length} subschema(s) where the old schema had ${sum.size}; old data matching old subschema ${sum.index} matches none of the new ones.`,
          `Keep a subschema that accepts what old subschema ${sum.index} accepted.`,
          { old: sum.size, new: branches.length },
        ),
      );
      continue;
    }
    const caseTypes = c.writerTypes(caseSet);
    const candidates = branches
      .map((branch, index) => ({ branch, index }))
      .filter(({ branch }) => {
        const types = c.declaredTypes(c.flatten(branch), false);
        return [...caseTypes].some((t) => types.has(t));
      });
    if (candidates.length === 0) {
      issues.push(
        incompatibility(
          sum ? 'COMBINED_TYPE_SUBSCHEMAS_CHANGED' : 'TYPE_CHANGED',
          displayPath(reader, keyword),
          `None of the new ${keyword} subschemas accepts ${describeTypes(caseTypes)}, which old data may hold${sum ? ` (old subschema ${sum.index})` : ''}.`,
          `Add a subschema to "${keyword}" that accepts ${describeTypes(caseTypes)}.`,
          { new: branches.length },
        ),
      );
      continue;
    }
    // Explain with the closest alternative: fewest reasons, then the one at the old position.
    let best: { index: number; reasons: Incompatibility[] } | undefined;
    for (const { branch, index } of candidates) {
      const reasons = c.check(caseSet, branch, sums);
      const better =
        !best ||
        reasons.length < best.reasons.length ||
        (reasons.length === best.reasons.length && index === sum?.index && best.index !== sum.index);
      if (better) best = { index, reasons };
    }
    issues.push(...best!.reasons);
  }
  return issues;
}

function pairwiseDisjoint(c: CompatibilityChecker, branches: readonly SchemaNode[]): boolean {
  for (let i = 0; i < branches.length; i++) {
    for (let j = i + 1; j < branches.length; j++) {
      if (!c.disjoint(c.flatten(branches[i]!), branches[j]!)) return false;
    }
  }
  return true;
}

/**
 * A reader `not`: old data must never match it. Fine when it excludes no more than the writer's
 * own `not` did, or when old data cannot match it at all; otherwise NOT_TYPE_EXTENDED.
 */
export function checkNot(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  if (c.keyword(reader, 'not') === undefined) return [];
  const excluded = childNode(reader, 'not');
  if (!c.isTrivial(excluded)) {
    const writerNots = set.filter((e) => c.keyword(e.node, 'not') !== undefined).map((e) => childNode(e.node, 'not'));
    if (writerNots.some((old) => c.check(c.flatten(excluded), old).length === 0)) return [];
    if (c.disjoint(set, excluded)) return [];
  }
  return [
    incompatibility(
      'NOT_TYPE_EXTENDED',
      displayPath(excluded),
      'The new "not" schema excludes values that old data may hold.',
      'Narrow the "not" schema so it excludes only values the old schema already excluded, or remove it.',
      { new: excluded.value },
    ),
  ];
}

/**
 * A reader `if`/`then`/`else`: old data matching `if` must satisfy `then`, other old data `else`.
 * Unchanged conditionals are skipped; otherwise the branch's own reasons are reported.
 */
export function checkConditional(
  c: CompatibilityChecker,
  set: WriterSet,
  reader: SchemaNode,
  sums: readonly SumCase[],
): Incompatibility[] {
  if (c.keyword(reader, 'if') === undefined) return [];
  const condition = childNode(reader, 'if');
  const text = (node: SchemaNode, keyword: string): string =>
    c.keyword(node, keyword) === undefined ? '' : canonicalText(childNode(node, keyword).value);
  const signature = (node: SchemaNode): string => ['if', 'then', 'else'].map((k) => text(node, k)).join('\u0000');
  if (set.some((e) => c.keyword(e.node, 'if') !== undefined && signature(e.node) === signature(reader))) return [];
  const issues: Incompatibility[] = [];
  if (c.keyword(reader, 'then') !== undefined) {
    const then = childNode(reader, 'then');
    if (!c.isTrivial(then) && !c.disjoint(set, condition)) {
      issues.push(...c.check(joinWriterSets(set, c.flatten(condition)), then, sums));
    }
  }
  if (c.keyword(reader, 'else') !== undefined) {
    const otherwise = childNode(reader, 'else');
    // When all old data matches `if`, `else` never applies.
    if (!c.isTrivial(otherwise) && c.check(set, condition).length > 0) {
      issues.push(...c.check(set, otherwise, sums));
    }
  }
  return issues;
}
