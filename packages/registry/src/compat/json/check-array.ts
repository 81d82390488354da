import type { Incompatibility } from '../types';
import { canonicalText } from './canonical-json-schema';
import type { CompatibilityChecker } from './checker';
import { childNode, displayPath, type SchemaNode } from './schema-documents';
import { incompatibility, type WriterSet } from './writer-set';

/**
 * An array schema in one shape for every draft: positional schemas (`items: [...]` before 2020-12,
 * `prefixItems` in 2020-12) and the schema for the rest (`additionalItems` / `items`, or
 * `unevaluatedItems` when neither is given).
 */
interface ArrayShape {
  prefix: SchemaNode[];
  prefixKeyword: 'items' | 'prefixItems';
  rest?: SchemaNode;
  restKeyword?: 'items' | 'additionalItems' | 'unevaluatedItems';
}

function shapeOf(c: CompatibilityChecker, node: SchemaNode): ArrayShape {
  const shape: ArrayShape = { prefix: [], prefixKeyword: node.doc.dialect === '2020-12' ? 'prefixItems' : 'items' };
  const items = c.keyword(node, 'items');
  if (node.doc.dialect === '2020-12') {
    const prefixItems = c.keyword(node, 'prefixItems');
    if (Array.isArray(prefixItems)) shape.prefix = prefixItems.map((_, i) => childNode(node, 'prefixItems', i));
    if (items !== undefined) {
      shape.rest = childNode(node, 'items');
      shape.restKeyword = 'items';
    }
  } else if (Array.isArray(items)) {
    shape.prefix = items.map((_, i) => childNode(node, 'items', i));
    if (c.keyword(node, 'additionalItems') !== undefined) {
      shape.rest = childNode(node, 'additionalItems');
      shape.restKeyword = 'additionalItems';
    }
  } else if (items !== undefined) {
    shape.rest = childNode(node, 'items');
    shape.restKeyword = 'items';
  }
  if (!shape.rest && c.keyword(node, 'unevaluatedItems') !== undefined) {
    shape.rest = childNode(node, 'unevaluatedItems');
    shape.restKeyword = 'unevaluatedItems';
  }
  return shape;
}

/** Every array rule: tuple items added/removed under open, closed and partially open models, items, counts, uniqueness, contains. */
export function checkArray(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const shapes = set.map((entry) => shapeOf(c, entry.node));
  const readerShape = shapeOf(c, reader);
  const numbers = (keyword: string): number[] =>
    set.map((e) => c.keyword(e.node, keyword)).filter((v): v is number => typeof v === 'number');
  const maxLimits = [
    ...numbers('maxItems'),
    ...shapes.filter((s) => s.rest?.value === false).map((s) => s.prefix.length),
  ];
  const writerMax = maxLimits.length > 0 ? Math.min(...maxLimits) : undefined;
  const minLimits = numbers('minItems');
  const writerMin = minLimits.length > 0 ? Math.max(...minLimits) : 0;

  const writerAt = (index: number): { schemas: SchemaNode[]; positional: boolean } => {
    const schemas: SchemaNode[] = [];
    let positional = false;
    for (const shape of shapes) {
      const positionalSchema = shape.prefix[index];
      if (positionalSchema) {
        positional = true;
        schemas.push(positionalSchema);
      } else if (shape.rest) {
        schemas.push(shape.rest);
      }
    }
    return { schemas, positional };
  };

  const prefixLength = Math.max(readerShape.prefix.length, ...shapes.map((s) => s.prefix.length));
  for (let index = 0; index < prefixLength; index++) {
    if (writerMax !== undefined && index >= writerMax) break; // old arrays never reach this position
    const writer = writerAt(index);
    if (writer.schemas.some((s) => s.value === false)) continue;
    const writerSet = c.flattenAll(writer.schemas);
    const writerOpen = writer.schemas.every((s) => c.isTrivial(s));
    const readerItem = readerShape.prefix[index];
    if (readerItem) {
      if (writer.positional) {
        issues.push(...c.check(writerSet, readerItem));
      } else if (writerOpen) {
        if (!c.isTrivial(readerItem)) {
          issues.push(
            incompatibility(
              'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
              displayPath(readerItem),
              `Position ${index} is new in the tuple, but the old schema allowed any further items, so old arrays may hold a value there that the new schema rejects.`,
              `Close the old tuple first ("${readerShape.prefixKeyword === 'items' ? 'additionalItems' : 'items'}": false) in a version of its own, or give position ${index} an empty schema ({}).`,
              { new: readerItem.value },
            ),
          );
        }
      } else {
        const sub = c.check(writerSet, readerItem);
        if (sub.length > 0) {
          issues.push(
            incompatibility(
              'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
              displayPath(readerItem),
              `Position ${index} is new in the tuple, and the old schema's schema for further items allowed values the new one rejects there: ${sub[0]!.message}`,
              `Make position ${index} accept everything the old schema for further items accepted.`,
              { old: writer.schemas[0]?.value, new: readerItem.value },
            ),
          );
        }
      }
      continue;
    }
    // The reader's tuple is shorter: its schema for further items now covers this position.
    const rest = readerShape.rest;
    if (!rest || c.isTrivial(rest)) continue;
    const path = displayPath(reader, readerShape.prefixKeyword, index);
    if (rest.value === false) {
      issues.push(
        incompatibility(
          'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
          path,
          `Position ${index} was removed from the tuple and the new schema allows no further items, so old arrays with an item there are rejected.`,
          `Keep position ${index} in the tuple, or allow further items.`,
          { old: writer.schemas[0]?.value },
        ),
      );
      continue;
    }
    const sub = c.check(writerSet, rest);
    if (sub.length === 0) continue;
    if (readerShape.prefix.length === 0) {
      issues.push(...sub); // a plain list reading an old tuple: the item schema's own reasons say most
    } else {
      issues.push(
        incompatibility(
          'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
          path,
          `Position ${index} was removed from the tuple, and the new schema for further items rejects values old arrays may hold there: ${sub[0]!.message}`,
          `Keep position ${index} in the tuple, or widen the schema for further items.`,
          { old: writer.schemas[0]?.value, new: rest.value },
        ),
      );
    }
  }

  // Items past every tuple.
  if (writerMax === undefined || writerMax > prefixLength) {
    const writerRest = shapes.flatMap((s) => (s.rest ? [s.rest] : []));
    const rest = readerShape.rest;
    if (rest && !writerRest.some((s) => s.value === false) && !c.isTrivial(rest)) {
      const unevaluated = readerShape.restKeyword === 'unevaluatedItems';
      if (rest.value === false) {
        issues.push(
          incompatibility(
            unevaluated ? 'UNEVALUATED_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_REMOVED',
            displayPath(rest),
            prefixLength === 0
              ? 'The new schema allows no items, but old arrays may hold some.'
              : `The new schema allows no items after position ${prefixLength - 1}, but the old schema allowed them.`,
            `Allow further items again (remove "${readerShape.restKeyword}": false).`,
            { new: false },
          ),
        );
      } else if (writerRest.every((s) => c.isTrivial(s)) && readerShape.prefix.length > 0) {
        issues.push(
          incompatibility(
            unevaluated ? 'UNEVALUATED_ITEMS_NARROWED' : 'ADDITIONAL_ITEMS_NARROWED',
            displayPath(rest),
            `The new schema constrains items after the tuple, but the old schema allowed any, so old arrays may hold further items it rejects.`,
            `Remove the "${readerShape.restKeyword}" schema, or make it accept any value.`,
            { new: rest.value },
          ),
        );
      } else {
        issues.push(...c.check(c.flattenAll(writerRest), rest));
      }
    }
  }

  const maxItems = c.keyword(reader, 'maxItems');
  if (typeof maxItems === 'number' && (writerMax === undefined || writerMax > maxItems)) {
    issues.push(
      incompatibility(
        numbers('maxItems').length === 0 ? 'MAX_ITEMS_ADDED' : 'MAX_ITEMS_DECREASED',
        displayPath(reader, 'maxItems'),
        `The new schema allows at most ${maxItems} items; old arrays may have ${writerMax === undefined ? 'more' : writerMax}.`,
        writerMax === undefined ? `Remove "maxItems".` : `Keep "maxItems" at ${writerMax} or more.`,
        { old: writerMax, new: maxItems },
      ),
    );
  }
  const minItems = c.keyword(reader, 'minItems');
  if (typeof minItems === 'number' && minItems > writerMin) {
    issues.push(
      incompatibility(
        minLimits.length === 0 ? 'MIN_ITEMS_ADDED' : 'MIN_ITEMS_INCREASED',
        displayPath(reader, 'minItems'),
        `The new schema requires at least ${minItems} items; old arrays may have ${writerMin}.`,
        minLimits.length === 0 ? `Remove "minItems".` : `Keep "minItems" at ${writerMin} or less.`,
        { old: minLimits.length === 0 ? undefined : writerMin, new: minItems },
      ),
    );
  }
  if (
    c.keyword(reader, 'uniqueItems') === true &&
    !set.some((e) => c.keyword(e.node, 'uniqueItems') === true) &&
    !(writerMax !== undefined && writerMax <= 1)
  ) {
    issues.push(
      incompatibility(
        'UNIQUE_ITEMS_ADDED',
        displayPath(reader, 'uniqueItems'),
        'The new schema requires unique items; old arrays may hold duplicates.',
        'Remove "uniqueItems", or de-duplicate in the consumer instead.',
        { new: true },
      ),
    );
  }
  issues.push(...checkContains(c, set, reader, shapes, writerMin, writerMax));
  return issues;
}

function checkContains(
  c: CompatibilityChecker,
  set: WriterSet,
  reader: SchemaNode,
  shapes: ArrayShape[],
  writerMin: number,
  writerMax: number | undefined,
): Incompatibility[] {
  if (c.keyword(reader, 'contains') === undefined) return [];
  const contains = childNode(reader, 'contains');
  const minContains = c.keyword(reader, 'minContains');
  const maxContains = c.keyword(reader, 'maxContains');
  const readerMin = typeof minContains === 'number' ? minContains : 1;
  const readerMax = typeof maxContains === 'number' ? maxContains : undefined;
  if (readerMin === 0 && readerMax === undefined) return [];
  const same = set.filter(
    (e) =>
      c.keyword(e.node, 'contains') !== undefined &&
      canonicalText(childNode(e.node, 'contains').value) === canonicalText(contains.value),
  );
  if (same.length > 0) {
    const issues: Incompatibility[] = [];
    const writerMinContains = Math.max(
      ...same.map((e) => {
        const value = c.keyword(e.node, 'minContains');
        return typeof value === 'number' ? value : 1;
      }),
    );
    if (writerMinContains < readerMin) {
      issues.push(
        incompatibility(
          'MIN_CONTAINS_INCREASED',
          displayPath(reader, 'minContains'),
          `The new schema needs at least ${readerMin} matching items; old arrays may have ${writerMinContains}.`,
          `Keep "minContains" at ${writerMinContains} or less.`,
          { old: writerMinContains, new: readerMin },
        ),
      );
    }
    if (readerMax !== undefined) {
      const limits = same
        .map((e) => c.keyword(e.node, 'maxContains'))
        .filter((v): v is number => typeof v === 'number');
      const writerMaxContains = limits.length > 0 ? Math.min(...limits) : undefined;
      if (writerMaxContains === undefined || writerMaxContains > readerMax) {
        issues.push(
          incompatibility(
            writerMaxContains === undefined ? 'MAX_CONTAINS_ADDED' : 'MAX_CONTAINS_DECREASED',
            displayPath(reader, 'maxContains'),
            `The new schema allows at most ${readerMax} matching items; old arrays may have more.`,
            writerMaxContains === undefined
              ? `Remove "maxContains".`
              : `Keep "maxContains" at ${writerMaxContains} or more.`,
            { old: writerMaxContains, new: readerMax },
          ),
        );
      }
    }
    return issues;
  }
  // No matching `contains` in the writer: fine only if every old item matches and old arrays are long enough.
  const positions = [...shapes.flatMap((s) => s.prefix), ...shapes.flatMap((s) => (s.rest ? [s.rest] : []))];
  const everyItemMatches =
    shapes.some((s) => s.rest) && positions.every((p) => c.check(c.flatten(p), contains).length === 0);
  const enough = writerMin >= readerMin;
  const capped = readerMax === undefined || (writerMax !== undefined && writerMax <= readerMax);
  if (everyItemMatches && enough && capped) return [];
  const hadContains = set.some((e) => c.keyword(e.node, 'contains') !== undefined);
  return [
    incompatibility(
      hadContains ? 'CONTAINS_CHANGED' : 'CONTAINS_ADDED',
      displayPath(contains),
      hadContains
        ? 'The "contains" schema changed; old arrays may hold no item matching the new one.'
        : 'The new schema requires arrays to contain a matching item ("contains"); old arrays may hold none.',
      hadContains ? 'Keep the old "contains" schema.' : 'Remove "contains", or add it in a new property.',
      { new: contains.value },
    ),
  ];
}
