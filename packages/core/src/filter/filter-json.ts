import { pointerOf } from '../json-pointer';
import { InputError } from '../errors';
import { checkCondition, checkScalar, describeValue } from './check-condition';
import { formatFieldText, parseFieldText } from './field-path';
import { FILTER_LIMITS, type FilterCondition, type FilterNode, type FilterScalar } from './filter-node';

/** A condition of the JSON form: a field and exactly one operator. */
export type FilterJsonCondition = { field: string } & (
  | { eq: FilterScalar }
  | { ne: FilterScalar }
  | { gt: number | string }
  | { gte: number | string }
  | { lt: number | string }
  | { lte: number | string }
  | { in: FilterScalar[] }
  | { nin: FilterScalar[] }
  | { exists: boolean }
  | { contains: FilterScalar }
);

/** The JSON form of a filter (GraphQL input, JSON bodies, stored grant row filters). */
export type FilterJson = { and: FilterJson[] } | { or: FilterJson[] } | { not: FilterJson } | FilterJsonCondition;

const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'exists', 'contains'] as const;
type ConditionOp = (typeof CONDITION_OPS)[number];
const CONDITION_OP_SET: ReadonlySet<string> = new Set(CONDITION_OPS);
const OP_LIST = CONDITION_OPS.join(', ');

class State {
  nodes = 0;

  count(weight: number, pointer: readonly (string | number)[]): void {
    this.nodes += weight;
    if (this.nodes > FILTER_LIMITS.maxNodes) {
      throw jsonError(
        pointer,
        `the filter has more than ${FILTER_LIMITS.maxNodes} nodes (conditions, operators and list values)`,
      );
    }
  }
}

/**
 * Validates the JSON form and returns its AST. Throws INVALID_FILTER whose message and
 * `details.pointer` give the JSON Pointer (RFC 6901) of the offending node.
 */
export function filterFromJson(value: unknown): FilterNode {
  return fromJson(value, [], 1, new State());
}

/** Returns the JSON form of a filter; {@link filterFromJson} reads it back to an equal AST. */
export function filterToJson(node: FilterNode): FilterJson {
  switch (node.op) {
    case 'and':
      return { and: node.nodes.map(filterToJson) };
    case 'or':
      return { or: node.nodes.map(filterToJson) };
    case 'not':
      return { not: filterToJson(node.node) };
    case 'in':
      return { field: formatFieldText(node.field), in: [...node.values] };
    case 'nin':
      return { field: formatFieldText(node.field), nin: [...node.values] };
    default:
      return { field: formatFieldText(node.field), [node.op]: node.value } as FilterJsonCondition;
  }
}

function fromJson(value: unknown, pointer: (string | number)[], depth: number, state: State): FilterNode {
  if (depth > FILTER_LIMITS.maxDepth) {
    throw jsonError(pointer, `the filter nests deeper than ${FILTER_LIMITS.maxDepth} levels`);
  }
  if (!isObject(value)) {
    throw jsonError(
      pointer,
      `expected a filter object (and, or, not, or a field condition), found ${describeValue(value)}`,
    );
  }
  const keys = Object.keys(value);
  if (keys.includes('field')) return conditionFromJson(value, keys, pointer, state);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'an empty object' : `${keys.map((key) => `'${key}'`).join(', ')}`;
    throw jsonError(
      pointer,
      `expected exactly one of 'and', 'or', 'not', or a 'field' with an operator, found ${found}`,
    );
  }
  const key = keys[0] ?? '';
  const operand = value[key];
  state.count(1, pointer);
  if (key === 'not') return { op: 'not', node: fromJson(operand, [...pointer, 'not'], depth + 1, state) };
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(operand) || operand.length === 0) {
      throw jsonError(
        [...pointer, key],
        `'${key}' needs a non-empty array of filters, found ${describeValue(operand)}`,
      );
    }
    const nodes = operand.map((child: unknown, i) => fromJson(child, [...pointer, key, i], depth + 1, state));
    // A one-element group means its element; collapsing it keeps one AST per meaning, which both forms share.
    return nodes.length === 1 && nodes[0] !== undefined ? nodes[0] : { op: key, nodes };
  }
  const hint = CONDITION_OP_SET.has(key) ? ` ('${key}' needs a 'field' beside it)` : '';
  throw jsonError(pointer, `unknown key '${key}'; expected 'and', 'or', 'not' or 'field'${hint}`);
}

function conditionFromJson(
  value: Record<string, unknown>,
  keys: string[],
  pointer: (string | number)[],
  state: State,
): FilterCondition {
  const fieldText = value.field;
  if (typeof fieldText !== 'string') {
    throw jsonError([...pointer, 'field'], `'field' must be a string, found ${describeValue(fieldText)}`);
  }
  const field = parseFieldText(fieldText);
  if (typeof field === 'string') throw jsonError([...pointer, 'field'], field);
  const ops = keys.filter((key) => key !== 'field');
  const unknown = ops.find((key) => !CONDITION_OP_SET.has(key));
  if (unknown !== undefined) {
    throw jsonError([...pointer, unknown], `unknown operator '${unknown}'; expected one of ${OP_LIST}`);
  }
  if (ops.length !== 1) {
    throw jsonError(
      pointer,
      ops.length === 0
        ? `expected an operator beside 'field' (one of ${OP_LIST})`
        : `a condition has exactly one operator, found ${ops.map((op) => `'${op}'`).join(' and ')} (combine conditions with 'and')`,
    );
  }
  const op = ops[0] as ConditionOp;
  const operand = value[op];
  const at = [...pointer, op];
  let node: FilterCondition;
  if (op === 'in' || op === 'nin') {
    if (!Array.isArray(operand))
      throw jsonError(at, `'${op}' needs an array of values, found ${describeValue(operand)}`);
    state.count(1 + operand.length, pointer);
    operand.forEach((item: unknown, i) => {
      const error = checkScalar(item) ?? checkCondition({ op, field, values: [item as FilterScalar] }, op);
      if (error) throw jsonError([...at, i], error);
    });
    node = { op, field, values: (operand as FilterScalar[]).map(withoutNegativeZero) };
  } else if (op === 'exists') {
    if (typeof operand !== 'boolean')
      throw jsonError(at, `'exists' needs true or false, found ${describeValue(operand)}`);
    state.count(1, pointer);
    node = { op, field, value: operand };
  } else {
    const error = checkScalar(operand);
    if (error) throw jsonError(at, error);
    state.count(1, pointer);
    node = { op, field, value: withoutNegativeZero(operand as FilterScalar) };
  }
  const error = checkCondition(node, op);
  if (error) throw jsonError(at, error);
  return node;
}

// JSON.parse('-0') is -0; the compact form cannot spell it, and it equals 0 anyway.
function withoutNegativeZero(value: FilterScalar): FilterScalar {
  return value === 0 ? 0 : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonError(pointer: readonly (string | number)[], message: string): InputError {
  const text = pointerOf(pointer);
  return new InputError(`at ${text === '' ? 'the root' : text}: ${message}`, {
    code: 'INVALID_FILTER',
    details: { pointer: text },
  });
}
