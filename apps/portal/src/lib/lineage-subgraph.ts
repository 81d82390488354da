import type { LineageGraph } from './gateway-catalog';

/**
 * The part of a lineage graph around one node: the node, the produces/consumes edges that touch
 * it, the nodes at their other ends, and the `contains` edges of the domains holding any of them
 * (so they are still drawn in their domain's box).
 */
export function lineageAround(graph: LineageGraph, nodeId: string): LineageGraph {
  const flow = graph.edges.filter((edge) => edge.kind !== 'contains' && (edge.from === nodeId || edge.to === nodeId));
  const kept = new Set([nodeId, ...flow.flatMap((edge) => [edge.from, edge.to])]);
  const contains = graph.edges.filter((edge) => edge.kind === 'contains' && kept.has(edge.to));
  for (const edge of contains) kept.add(edge.from);
  return {
    nodes: graph.nodes.filter((node) => kept.has(node.id)),
    edges: [...contains, ...flow],
  };
}
