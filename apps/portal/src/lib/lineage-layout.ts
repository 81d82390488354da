import dagre from '@dagrejs/dagre';
import type { LineageEdge, LineageGraph, LineageNode } from './gateway-catalog';

// Lays the lineage graph out left to right as data flows: producers → event types → consumers,
// each domain drawn as a box around its services and event types. dagre (a layered, Sugiyama-
// style layout) does the placing and edge routing; this module only sizes nodes, feeds dagre
// and turns its answer into what the SVG needs. Pure and synchronous, so pages render the
// graph on the server.

/** A node placed on the canvas (centre `x`, `y`). */
export interface PlacedNode {
  /** Unique in the drawing: a party drawn on both sides has two. */
  id: string;
  /** The graph node it draws. */
  nodeId: string;
  /** For services and applications: drawn as a producer (left) or a consumer (right). */
  side: 'producer' | 'consumer' | null;
  kind: string;
  name: string;
  /** First line: the event type's or application's name, the service's display name. */
  title: string;
  /** Second line: the event type's summary, the service's name, "observed application". */
  subtitle: string;
  /** The portal page of the node, when it has one. */
  href: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A produces or consumes edge, drawn in the direction data flows. */
export interface PlacedEdge {
  id: string;
  /** The service or application (`produces`: source; `consumes`: target). */
  party: string;
  eventType: string;
  kind: 'produces' | 'consumes';
  declared: boolean;
  observed: boolean;
  events: number | null;
  lastSeen: string | null;
  /** SVG path data, from the source's border to the target's. */
  path: string;
  /** Where to write the observed volume, when there is one. */
  label: { x: number; y: number; text: string } | null;
}

/** A domain drawn as a box around its members. */
export interface PlacedCluster {
  id: string;
  name: string;
  label: string;
  href: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The whole drawing; coordinates in CSS pixels from the top left. */
export interface LineageLayout {
  width: number;
  height: number;
  clusters: PlacedCluster[];
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const NODE_HEIGHT = 52;
const MIN_NODE_WIDTH = 150;
const MAX_NODE_WIDTH = 290;
/** Average advance of a title character (bold 13 px sans, or 12.5 px mono): generous, so text fits. */
const TITLE_CHAR_WIDTH = 8;
/** Average advance of a subtitle character (11.5 px). */
const SUBTITLE_CHAR_WIDTH = 6.9;
const NODE_PADDING = 26;
/** Longest title and subtitle drawn before an ellipsis (the full text is in the node's tooltip and the table). */
export const MAX_TITLE_CHARS = 32;
export const MAX_SUBTITLE_CHARS = 38;
const MARGIN = 16;

/** Shortens `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** 1234 → "1.2k", 2_500_000 → "2.5M": compact counts for edge labels. */
export function compactCount(value: number): string {
  if (value < 1000) return String(value);
  const [divisor, suffix] = value < 1_000_000 ? [1000, 'k'] : value < 1_000_000_000 ? [1_000_000, 'M'] : [1e9, 'G'];
  const scaled = value / divisor;
  return `${scaled < 10 ? scaled.toFixed(1).replace(/\.0$/, '') : Math.round(scaled)}${suffix}`;
}

/** The portal page of a graph node (`null` for applications: they have no catalog page). */
export function nodeHref(node: Pick<LineageNode, 'kind' | 'name'>): string | null {
  switch (node.kind) {
    case 'event-type':
      return `/event-types/${encodeURIComponent(node.name)}`;
    case 'domain':
      return `/domains/${encodeURIComponent(node.name)}`;
    case 'service':
      return `/services/${encodeURIComponent(node.name)}`;
    default:
      return null;
  }
}

function describe(node: LineageNode): { title: string; subtitle: string } {
  switch (node.kind) {
    case 'event-type':
      return { title: node.name, subtitle: node.label === node.name ? 'event type' : node.label };
    case 'service':
      return {
        title: node.label || node.name,
        subtitle: node.label && node.label !== node.name ? node.name : 'service',
      };
    case 'application':
      return { title: node.label || node.name, subtitle: 'application, observed' };
    default:
      return { title: node.label || node.name, subtitle: node.kind };
  }
}

function nodeWidth(title: string, subtitle: string): number {
  const text = Math.max(
    Math.min(title.length, MAX_TITLE_CHARS) * TITLE_CHAR_WIDTH,
    Math.min(subtitle.length, MAX_SUBTITLE_CHARS) * SUBTITLE_CHAR_WIDTH,
  );
  return Math.round(Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, text + NODE_PADDING)));
}

/**
 * Places the graph's nodes and routes its edges, data flowing left to right: producers in the
 * first column, event types in the middle (boxed by domain), consumers in the last. A service
 * that both produces and consumes appears on both sides, so no edge ever runs backwards and
 * nothing crosses the middle column twice. `contains` edges from a domain to its event types
 * become the domain boxes. Edges whose ends are not both in the graph are left out.
 */
export function layoutLineage(graph: LineageGraph): LineageLayout {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const domainOf = new Map<string, string>();
  for (const edge of graph.edges) {
    if (edge.kind === 'contains' && byId.get(edge.from)?.kind === 'domain' && byId.has(edge.to)) {
      domainOf.set(edge.to, edge.from);
    }
  }
  const flowEdges = graph.edges.filter(
    (edge): edge is LineageEdge & { kind: 'produces' | 'consumes' } =>
      (edge.kind === 'produces' || edge.kind === 'consumes') && byId.has(edge.from) && byId.has(edge.to),
  );

  const g = new dagre.graphlib.Graph<object, Record<string, unknown>, Record<string, unknown>>({
    compound: true,
    multigraph: true,
  });
  // Domain boxes are dagre clusters, whose borders are spaced by `edgesep` and sit
  // (edgesep + nodesep) / 2 = 33 px from their first member: room for the domain's name inside the box.
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 110, edgesep: 36, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));

  // Drawn ids: event types keep theirs; parties get one per side (`produces|…`, `consumes|…`).
  const drawn = new Map<string, { node: LineageNode; side: 'producer' | 'consumer' | null }>();
  const add = (drawnId: string, node: LineageNode, side: 'producer' | 'consumer' | null) => {
    if (drawn.has(drawnId)) return;
    drawn.set(drawnId, { node, side });
    const text = describe(node);
    g.setNode(drawnId, { width: nodeWidth(text.title, text.subtitle), height: NODE_HEIGHT });
    const domain = node.kind === 'event-type' ? domainOf.get(node.id) : undefined;
    if (domain) {
      if (!g.hasNode(domain)) g.setNode(domain, {});
      g.setParent(drawnId, domain);
    }
  };
  const partyId = (edge: LineageEdge) => `${edge.kind}|${edge.from}`;
  // Event types without edges are drawn too (in their domain's box), so a domain shows all it holds.
  for (const node of graph.nodes) if (node.kind === 'event-type') add(node.id, node, null);
  flowEdges.forEach((edge, index) => {
    add(partyId(edge), byId.get(edge.from)!, edge.kind === 'produces' ? 'producer' : 'consumer');
    const [source, target] = edge.kind === 'produces' ? [partyId(edge), edge.to] : [edge.to, partyId(edge)];
    // Observed edges pull harder, so busy paths stay short and straight.
    g.setEdge(source, target, { weight: edge.observed ? 2 : 1 }, `e${index}`);
  });

  dagre.layout(g);

  const placedNodes: PlacedNode[] = [];
  const clusters: PlacedCluster[] = [];
  for (const id of g.nodes()) {
    const laid = g.node(id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!laid) continue;
    const entry = drawn.get(id);
    if (!entry) {
      const domain = byId.get(id);
      if (domain?.kind !== 'domain') continue;
      clusters.push({
        id,
        name: domain.name,
        label: domain.label || domain.name,
        href: nodeHref(domain) ?? '#',
        x: laid.x - laid.width / 2,
        y: laid.y - laid.height / 2,
        width: laid.width,
        height: laid.height,
      });
      continue;
    }
    const text = describe(entry.node);
    placedNodes.push({
      id,
      nodeId: entry.node.id,
      side: entry.side,
      kind: entry.node.kind,
      name: entry.node.name,
      title: text.title,
      subtitle: text.subtitle,
      href: nodeHref(entry.node),
      x: laid.x,
      y: laid.y,
      width: laid.width,
      height: laid.height,
    });
  }

  type Box = { x: number; y: number; width: number; height: number };
  const ends = flowEdges.map((edge, index) => {
    const [source, target] = edge.kind === 'produces' ? [partyId(edge), edge.to] : [edge.to, partyId(edge)];
    return { index, source, target, from: g.node(source) as Box, to: g.node(target) as Box };
  });
  // Where each edge leaves its source and reaches its target: spread over the box's side in the
  // order of the other ends, so edges meeting at one box neither overlap nor cross there.
  const portY = new Map<string, number>();
  const spread = (side: 'out' | 'in') => {
    const byNode = new Map<string, typeof ends>();
    for (const end of ends) {
      const key = side === 'out' ? end.source : end.target;
      byNode.set(key, [...(byNode.get(key) ?? []), end]);
    }
    for (const group of byNode.values()) {
      const sorted = group.toSorted((a, b) => (side === 'out' ? a.to.y - b.to.y : a.from.y - b.from.y));
      sorted.forEach((end, position) => {
        const box = side === 'out' ? end.from : end.to;
        const step = Math.min(8, (box.height - 16) / Math.max(1, sorted.length - 1));
        portY.set(`${side}:${end.index}`, box.y + (position - (sorted.length - 1) / 2) * step);
      });
    }
  };
  spread('out');
  spread('in');

  const placedEdges: PlacedEdge[] = flowEdges.map((edge, index) => {
    const { from, to } = ends[index]!;
    // Every edge runs left to right, from its port on the source's right side to its port on the
    // target's left side, as an S-curve (horizontal at both ends). dagre's order of the nodes in
    // each column keeps crossings few; its own edge routes are not used.
    const start = { x: from.x + from.width / 2, y: portY.get(`out:${index}`) ?? from.y };
    const end = { x: to.x - to.width / 2 - 2, y: portY.get(`in:${index}`) ?? to.y };
    const labelled = edge.observed && (edge.events ?? 0) > 0;
    return {
      id: `${edge.kind}:${edge.from}->${edge.to}`,
      party: edge.from,
      eventType: edge.to,
      kind: edge.kind,
      declared: edge.declared,
      observed: edge.observed,
      events: edge.events,
      lastSeen: edge.lastSeen,
      path: sCurvePath(start, end),
      label: labelled
        ? { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2, text: compactCount(edge.events ?? 0) }
        : null,
    };
  });

  const size = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    clusters: clusters.toSorted((a, b) => a.name.localeCompare(b.name)),
    nodes: placedNodes,
    edges: placedEdges,
  };
}

/** SVG path data of a cubic curve from `start` to `end` that leaves and arrives horizontally. */
export function sCurvePath(start: { x: number; y: number }, end: { x: number; y: number }): string {
  const r = (value: number) => Math.round(value * 10) / 10;
  const bend = Math.max(20, (end.x - start.x) / 2);
  return `M${r(start.x)},${r(start.y)}C${r(start.x + bend)},${r(start.y)} ${r(end.x - bend)},${r(end.y)} ${r(end.x)},${r(end.y)}`;
}
