import { type FilterNode } from './filter-node';

/**
 * ANDs filters, e.g. an access grant's row filter with the subscriber's own filter; absent
 * filters are skipped and nested `and`s are flattened. Returns undefined when none is given.
 */
export function andFilters(first: FilterNode, ...rest: (FilterNode | null | undefined)[]): FilterNode;
export function andFilters(...nodes: (FilterNode | null | undefined)[]): FilterNode | undefined;
export function andFilters(...nodes: (FilterNode | null | undefined)[]): FilterNode | undefined {
  const parts: FilterNode[] = [];
  for (const node of nodes) {
    if (!node) continue;
    if (node.op === 'and') parts.push(...node.nodes);
    else parts.push(node);
  }
  if (parts.length <= 1) return parts[0];
  return { op: 'and', nodes: parts };
}
