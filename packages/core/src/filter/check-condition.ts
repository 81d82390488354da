import { FILTER_LIMITS, type FilterCondition, type FilterField, type FilterScalar } from './filter-node';

// UTC date, or date-time with an explicit offset: without one, Date.parse would read local time.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds of a `$timestamp` literal (ISO 8601 string or epoch ms), or undefined if it is not one. */
export function timestampLiteralMillis(value: FilterScalar): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

/** How a literal reads in an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string')
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  return String(value);
}

/** Checks one literal is a JSON scalar within limits; returns an error message or undefined. */
export function checkScalar(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.length > FILTER_LIMITS.maxStringLength
      ? `a string literal is longer than ${FILTER_LIMITS.maxStringLength} characters`
      : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'a number must be finite';
  if (typeof value === 'boolean' || value === null) return undefined;
  return `expected a string, number, boolean or null, found ${describeValue(value)}`;
}

type Operand = 'equality' | 'ordering' | 'contains';

function checkOperand(field: FilterField, kind: Operand, label: string, value: FilterScalar): string | undefined {
  const found = describeValue(value);
  if (field.kind === 'meta') {
    switch (field.name) {
      case 'key':
        if (typeof value === 'string' || (value === null && kind === 'equality')) return undefined;
        return `'${label}' on $key needs a string${kind === 'equality' ? ' or null' : ''}, found ${found}`;
      case 'partition':
        if (kind === 'contains') return `'${label}' does not apply to $partition (a number)`;
        return typeof value === 'number' ? undefined : `'${label}' on $partition needs a number, found ${found}`;
      case 'timestamp':
        if (kind === 'contains') return `'${label}' does not apply to $timestamp`;
        return timestampLiteralMillis(value) === undefined
          ? `'${label}' on $timestamp needs an ISO 8601 timestamp (e.g. "2024-05-01T12:00:00Z") or epoch milliseconds, found ${found}`
          : undefined;
    }
  }
  if (kind === 'ordering' && typeof value !== 'number' && typeof value !== 'string') {
    return `'${label}' compares with a number or a string, found ${found}`;
  }
  return undefined;
}

/**
 * Checks a condition's operand against its operator and field (both forms share these
 * rules); `label` is the operator as the user wrote it. Returns an error message or undefined.
 */
export function checkCondition(node: FilterCondition, label: string): string | undefined {
  switch (node.op) {
    case 'eq':
    case 'ne':
      return checkOperand(node.field, 'equality', label, node.value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return checkOperand(node.field, 'ordering', label, node.value);
    case 'contains':
      return checkOperand(node.field, 'contains', label, node.value);
    case 'in':
    case 'nin':
      if (node.values.length === 0) return `'${label}' needs at least one value`;
      for (const value of node.values) {
        const error = checkOperand(node.field, 'equality', label, value);
        if (error) return error;
      }
      return undefined;
    case 'exists':
      return undefined;
  }
}

/** Nodes a condition counts toward {@link FILTER_LIMITS.maxNodes}. */
export function conditionWeight(node: FilterCondition): number {
  return node.op === 'in' || node.op === 'nin' ? 1 + node.values.length : 1;
}
