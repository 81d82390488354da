import { formatFieldCompact } from './field-path';
import { type FilterNode, type FilterScalar } from './filter-node';

const SYMBOLS = { eq: '==', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Formats a filter in the compact string form. `parseFilter(formatFilter(node))` returns an
 * AST equal to `node`: groups nested in groups keep their parentheses, so structure survives.
 */
export function formatFilter(node: FilterNode): string {
  switch (node.op) {
    case 'and':
      // `or` binds looser than `&&`, and a nested `and` would be flattened without parentheses.
      return node.nodes
        .map((child) => (child.op === 'and' || child.op === 'or' ? `(${formatFilter(child)})` : formatFilter(child)))
        .join(' && ');
    case 'or':
      return node.nodes
        .map((child) => (child.op === 'or' ? `(${formatFilter(child)})` : formatFilter(child)))
        .join(' || ');
    case 'not':
      // `!exists(f)` spells {"exists": false}, so a negated exists(f) keeps its parentheses.
      return `!(${formatFilter(node.node)})`;
    case 'exists':
      return `${node.value ? '' : '!'}exists(${formatFieldCompact(node.field)})`;
    case 'contains':
      return `contains(${formatFieldCompact(node.field)}, ${formatScalar(node.value)})`;
    case 'in':
    case 'nin':
      return `${formatFieldCompact(node.field)} ${node.op === 'in' ? 'in' : 'not in'} [${node.values.map(formatScalar).join(', ')}]`;
    default:
      return `${formatFieldCompact(node.field)} ${SYMBOLS[node.op]} ${formatScalar(node.value)}`;
  }
}

function formatScalar(value: FilterScalar): string {
  // JSON.stringify writes strings with the escapes the parser reads and numbers in its number grammar.
  return JSON.stringify(value);
}
