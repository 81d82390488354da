import dagre from '@dagrejs/dagre';
import type { LineageEdge, LineageGraph, LineageNode } from './gateway-catalog';

// Lays the lineage graph out left to right as data flows: producers → event types → consumers,
// each domain drawn as a box around its services and event types. dagre (a layered, Sugiyama-
// style layout) does the placing and edge routing; this module only sizes nodes, feeds dagre
// and turns its answer into what the SVG needs. Pure and synchronous, so pages render the
// graph on the server.

/** A node placed on the canvas (centre `x`, `y`). */
export interface PlacedNode {
  id: string;
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
const MAX_NODE_WIDTH = 250;
/** Average advance of a 13 px character (names are mono, summaries sans): generous, so text fits. */
const CHAR_WIDTH = 7.4;
const NODE_PADDING = 24;
/** Longest title and subtitle drawn before an ellipsis (the full text is in the node's tooltip and the table). */
export const MAX_TITLE_CHARS = 30;
export const MAX_SUBTITLE_CHARS = 34;
const MARGIN = 16;
/** Room above a domain's members for its name. */
const CLUSTER_LABEL_HEIGHT = 26;

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
      return { title: node.label || node.name, subtitle: node.label && node.label !== node.name ? node.name : 'service' };
    case 'application':
      return { title: node.label || node.name, subtitle: 'application, observed' };
    default:
      return { title: node.label || node.name, subtitle: node.kind };
  }
}

function nodeWidth(title: string, subtitle: string): number {
  const chars = Math.max(Math.min(title.length, MAX_TITLE_CHARS), Math.min(subtitle.length, MAX_SUBTITLE_CHARS));
  return Math.round(Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, chars * CHAR_WIDTH + NODE_PADDING)));
}

/**
 * Places the graph's nodes and routes its edges. `contains` edges become domain boxes (a node
 * is boxed in the domain that contains it); `consumes` edges are drawn from the event type to
 * the consumer, so every edge points the way data flows. Edges whose ends are not both in the
 * graph are left out.
 */
export function layoutLineage(graph: LineageGraph): LineageLayout {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<string, string>();
  for (const edge of graph.edges) {
    if (edge.kind === 'contains' && byId.has(edge.from) && byId.has(edge.to)) parentOf.set(edge.to, edge.from);
  }
  const flowEdges = graph.edges.filter(
    (edge): edge is LineageEdge & { kind: 'produces' | 'consumes' } =>
      (edge.kind === 'produces' || edge.kind === 'consumes') && byId.has(edge.from) && byId.has(edge.to),
  );
  const clusterIds = new Set(parentOf.values());

  const g = new dagre.graphlib.Graph<object, Record<string, unknown>, Record<string, unknown>>({
    compound: true,
    multigraph: true,
  });
  g.setGraph({ rankdir: 'LR', nodesep: 22, ranksep: 90, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));

  const texts = new Map<string, { title: string; subtitle: string }>();
  for (const node of graph.nodes) {
    if (node.kind === 'domain') {
      if (clusterIds.has(node.id)) g.setNode(node.id, { paddingTop: CLUSTER_LABEL_HEIGHT });
      continue;
    }
    const text = describe(node);
    texts.set(node.id, text);
    g.setNode(node.id, { width: nodeWidth(text.title, text.subtitle), height: NODE_HEIGHT });
  }
  for (const [child, parent] of parentOf) {
    if (g.hasNode(child) && byId.get(parent)?.kind === 'domain') g.setParent(child, parent);
  }
  // A domain that ended up with no drawn members (contains edges only to domains) is no box.
  for (const id of clusterIds) if ((g.children(id) ?? []).length === 0) g.removeNode(id);

  flowEdges.forEach((edge, index) => {
    const [source, target] = edge.kind === 'produces' ? [edge.from, edge.to] : [edge.to, edge.from];
    const labelled = edge.observed && (edge.events ?? 0) > 0;
    g.setEdge(
      source,
      target,
      {
        // Observed edges pull harder, so busy paths stay short and straight.
        weight: edge.observed ? 2 : 1,
        ...(labelled ? { width: 44, height: 16, labelpos: 'c' } : {}),
      },
      `e${index}`,
    );
  });

  dagre.layout(g);

  const placedNodes: PlacedNode[] = [];
  const clusters: PlacedCluster[] = [];
  for (const id of g.nodes()) {
    const laid = g.node(id) as { x: number; y: number; width: number; height: number } | undefined;
    const node = byId.get(id);
    if (!laid || !node) continue;
    if (node.kind === 'domain') {
      clusters.push({
        id,
        name: node.name,
        label: node.label || node.name,
        href: nodeHref(node) ?? '#',
        x: laid.x - laid.width / 2,
        y: laid.y - laid.height / 2,
        width: laid.width,
        height: laid.height,
      });
      continue;
    }
    const text = texts.get(id) ?? { title: node.name, subtitle: node.kind };
    placedNodes.push({
      id,
      kind: node.kind,
      name: node.name,
      title: text.title,
      subtitle: text.subtitle,
      href: nodeHref(node),
      x: laid.x,
      y: laid.y,
      width: laid.width,
      height: laid.height,
    });
  }

  const placedEdges: PlacedEdge[] = flowEdges.map((edge, index) => {
    const [source, target] = edge.kind === 'produces' ? [edge.from, edge.to] : [edge.to, edge.from];
    const laid = g.edge(source, target, `e${index}`) as
      | { points?: { x: number; y: number }[]; x?: number; y?: number }
      | undefined;
    const points = laid?.points ?? [];
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
      path: basisPath(points),
      label:
        labelled && laid?.x !== undefined && laid.y !== undefined
          ? { x: laid.x, y: laid.y, text: compactCount(edge.events ?? 0) }
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

/** SVG path data of a uniform cubic B-spline through `points` (d3's curveBasis): smooth, and it ends on the last point. */
export function basisPath(points: readonly { x: number; y: number }[]): string {
  const r = (value: number) => Math.round(value * 10) / 10;
  let d = '';
  let x0 = NaN;
  let y0 = NaN;
  let x1 = NaN;
  let y1 = NaN;
  let state = 0;
  const curveTo = (x: number, y: number) =>
    `C${r((2 * x0 + x1) / 3)},${r((2 * y0 + y1) / 3)} ${r((x0 + 2 * x1) / 3)},${r((y0 + 2 * y1) / 3)} ${r((x0 + 4 * x1 + x) / 6)},${r((y0 + 4 * y1 + y) / 6)}`;
  for (const { x, y } of points) {
    if (state === 0) {
      d += `M${r(x)},${r(y)}`;
      state = 1;
    } else if (state === 1) {
      state = 2;
    } else {
      if (state === 2) {
        d += `L${r((5 * x0 + x1) / 6)},${r((5 * y0 + y1) / 6)}`;
        state = 3;
      }
      d += curveTo(x, y);
    }
    x0 = x1;
    x1 = x;
    y0 = y1;
    y1 = y;
  }
  if (state === 3) d += `${curveTo(x1, y1)}L${r(x1)},${r(y1)}`;
  else if (state === 2) d += `L${r(x1)},${r(y1)}`;
  return d;
}
