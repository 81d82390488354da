import type { Route } from 'next';
import Link from 'next/link';
import type { LineageGraph } from '../lib/gateway-catalog';
import { formatTimestamp } from '../lib/format-timestamp';
import {
  layoutLineage,
  MAX_SUBTITLE_CHARS,
  MAX_TITLE_CHARS,
  nodeHref,
  truncate,
  type PlacedEdge,
  type PlacedNode,
} from '../lib/lineage-layout';

const KIND_LABEL: Readonly<Record<string, string>> = {
  'event-type': 'Event type',
  service: 'Service',
  application: 'Application',
  domain: 'Domain',
};

/**
 * The lineage graph, drawn on the server as SVG (laid out by dagre): domains as boxes around
 * their services and event types, data flowing left to right from producers through event types
 * to consumers. Declared edges are solid, observed-only ones dashed; observed volume sets an
 * edge's thickness and label. Every node links to its page. A table of every edge follows as
 * the text alternative.
 */
export function LineageGraphView({
  graph,
  caption,
  highlight,
  idPrefix = 'lineage',
}: {
  graph: LineageGraph;
  /** What the graph shows, e.g. "Lineage of the orders domain". */
  caption: string;
  /** A node id drawn emphasised (the page's own domain or event type). */
  highlight?: string;
  /** Prefix of the SVG's marker ids and the caption id (unique per page). */
  idPrefix?: string;
}) {
  const layout = layoutLineage(graph);
  const flowEdges = layout.edges;
  const partyCount = new Set(layout.nodes.map((node) => node.nodeId)).size;
  const captionId = `${idPrefix}-caption`;
  if (layout.nodes.length === 0) {
    return <p className="muted">Nothing to draw yet: no services or event types you may see.</p>;
  }
  return (
    <figure className="lineage" aria-labelledby={captionId}>
      <figcaption id={captionId} className="lineage__caption">
        {caption}: {count(partyCount, 'node')}, {count(flowEdges.length, 'edge')}. Producers on the left, event types in
        the middle, consumers on the right (a service that does both appears on both sides). Every edge is also listed
        in the table below the drawing.
      </figcaption>
      <LineageLegend />
      <div className="lineage__frame" tabIndex={0} role="region" aria-label={`${caption} (drawing; scrolls)`}>
        <svg
          className="lineage__svg"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          xmlns="http://www.w3.org/2000/svg"
        >
          <defs>
            {(['produces', 'consumes'] as const).map((kind) => (
              <marker
                key={kind}
                id={`${idPrefix}-arrow-${kind}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" className={`lineage__arrow lineage__arrow--${kind}`} />
              </marker>
            ))}
          </defs>
          {layout.clusters.map((cluster) => (
            <a
              key={cluster.id}
              href={cluster.href}
              className={`lineage__cluster${highlight === cluster.id ? ' lineage__cluster--highlight' : ''}`}
            >
              {/* An SVG link's accessible name comes from its <title>. */}
              <title>{`Domain ${cluster.label} (${cluster.name})`}</title>
              <rect x={cluster.x} y={cluster.y} width={cluster.width} height={cluster.height} rx={12} />
              <text x={cluster.x + 12} y={cluster.y + 18} className="lineage__cluster-label">
                {cluster.label}
                <tspan className="lineage__cluster-kind"> · domain</tspan>
              </text>
            </a>
          ))}
          <g aria-hidden="true">
            {flowEdges.map((edge) => (
              <EdgePath key={edge.id} edge={edge} idPrefix={idPrefix} />
            ))}
          </g>
          {layout.nodes.map((node) => (
            <GraphNode key={node.id} node={node} highlighted={highlight === node.nodeId} />
          ))}
        </svg>
      </div>
      <EdgeTable graph={graph} edges={flowEdges} />
    </figure>
  );
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

/** Stroke width grows with the logarithm of observed events: 1 event ≈ 2 px, 1 000 ≈ 4 px, 1 000 000 ≈ 6 px. */
function strokeWidth(edge: PlacedEdge): number {
  if (!edge.observed || !edge.events) return 1.6;
  return Math.round((2 + Math.min(4, Math.log10(edge.events + 1) * 0.7)) * 10) / 10;
}

function edgeClass(edge: PlacedEdge): string {
  const state = edge.declared ? (edge.observed ? 'both' : 'declared') : 'observed';
  return `lineage__edge lineage__edge--${edge.kind} lineage__edge--${state}`;
}

function EdgePath({ edge, idPrefix }: { edge: PlacedEdge; idPrefix: string }) {
  return (
    <g>
      <path
        d={edge.path}
        className={edgeClass(edge)}
        strokeWidth={strokeWidth(edge)}
        markerEnd={`url(#${idPrefix}-arrow-${edge.kind})`}
      />
      {edge.label ? (
        <g className="lineage__edge-label">
          <rect x={edge.label.x - 22} y={edge.label.y - 9} width={44} height={18} rx={9} />
          <text x={edge.label.x} y={edge.label.y + 4} textAnchor="middle">
            {edge.label.text}
          </text>
        </g>
      ) : null}
    </g>
  );
}

function GraphNode({ node, highlighted }: { node: PlacedNode; highlighted: boolean }) {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  const side = node.side === 'producer' ? ', as a producer' : node.side === 'consumer' ? ', as a consumer' : '';
  const description =
    node.kind === 'application'
      ? ', an observed application not in the catalog'
      : node.subtitle
        ? ` (${node.subtitle})`
        : '';
  // The <title> is the node's accessible name (and tooltip): the full text, where the drawing may shorten it.
  const name = `${KIND_LABEL[node.kind] ?? node.kind} ${node.title}${description}${side}`;
  const body = (
    <>
      <title>{name}</title>
      <rect x={left} y={top} width={node.width} height={node.height} rx={node.kind === 'event-type' ? 10 : 4} />
      <text x={left + 12} y={top + 21} className="lineage__node-title">
        {truncate(node.title, MAX_TITLE_CHARS)}
      </text>
      <text x={left + 12} y={top + 39} className="lineage__node-subtitle">
        {truncate(node.subtitle, MAX_SUBTITLE_CHARS)}
      </text>
    </>
  );
  const className = `lineage__node lineage__node--${node.kind}${highlighted ? ' lineage__node--highlight' : ''}`;
  return node.href ? (
    <a href={node.href} className={className}>
      {body}
    </a>
  ) : (
    <g className={className} role="img" aria-label={name}>
      {body}
    </g>
  );
}

/** The legend: what line styles, colours and shapes mean. */
export function LineageLegend() {
  return (
    <ul className="lineage-legend" aria-label="Legend">
      <li>
        <svg width="36" height="12" aria-hidden="true">
          <line x1="2" y1="6" x2="34" y2="6" className="lineage__edge lineage__edge--produces lineage__edge--both" />
        </svg>
        produces
      </li>
      <li>
        <svg width="36" height="12" aria-hidden="true">
          <line x1="2" y1="6" x2="34" y2="6" className="lineage__edge lineage__edge--consumes lineage__edge--both" />
        </svg>
        consumes
      </li>
      <li>
        <svg width="36" height="12" aria-hidden="true">
          <line x1="2" y1="6" x2="34" y2="6" className="lineage__edge lineage__edge--neutral" />
        </svg>
        solid: declared in the catalog
      </li>
      <li>
        <svg width="36" height="12" aria-hidden="true">
          <line x1="2" y1="6" x2="34" y2="6" className="lineage__edge lineage__edge--neutral lineage__edge--observed" />
        </svg>
        dashed: observed only, not declared
      </li>
      <li>
        <span className="lineage-legend__count" aria-hidden="true">
          1.2k
        </span>
        thicker with a count: events observed
      </li>
      <li>
        <span className="lineage-legend__box lineage-legend__box--application" aria-hidden="true" />
        dashed box: an application seen by the gateway, bound to no service
      </li>
    </ul>
  );
}

function EdgeTable({ graph, edges }: { graph: LineageGraph; edges: PlacedEdge[] }) {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const name = (id: string) => {
    const node = byId.get(id);
    if (!node) return <code>{id}</code>;
    const href = nodeHref(node);
    const text = node.kind === 'application' ? `${node.label || node.name} (application)` : node.name;
    return href ? (
      <Link href={href as Route} className="event-link">
        {text}
      </Link>
    ) : (
      <span>{text}</span>
    );
  };
  return (
    <details className="disclosure lineage__table">
      <summary>Every edge as a table ({edges.length})</summary>
      <div className="table-frame" tabIndex={0} role="region" aria-label="Edges of the lineage graph (scrolls)">
        <table className="data-table data-table--compact">
          <caption className="visually-hidden">Edges of the lineage graph</caption>
          <thead>
            <tr>
              <th scope="col">Service or application</th>
              <th scope="col">Relation</th>
              <th scope="col">Event type</th>
              <th scope="col">Declared</th>
              <th scope="col">Observed</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {edges.map((edge) => (
              <tr key={edge.id}>
                <td>{name(edge.party)}</td>
                <td>{edge.kind}</td>
                <td>{name(edge.eventType)}</td>
                <td>{edge.declared ? 'yes' : 'no'}</td>
                <td>
                  {edge.observed
                    ? `${(edge.events ?? 0).toLocaleString('en')} event${edge.events === 1 ? '' : 's'}`
                    : 'not seen'}
                </td>
                <td>{edge.lastSeen ? <time dateTime={edge.lastSeen}>{formatTimestamp(edge.lastSeen)}</time> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
