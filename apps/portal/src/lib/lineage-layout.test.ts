import { describe, expect, it } from 'vitest';
import type { LineageGraph } from './gateway-catalog';
import { compactCount, layoutLineage, nodeHref, sCurvePath, truncate } from './lineage-layout';

const graph: LineageGraph = {
  nodes: [
    { id: 'domain:orders', kind: 'domain', name: 'orders', label: 'Orders' },
    { id: 'event-type:orders.created', kind: 'event-type', name: 'orders.created', label: 'An order was placed.' },
    { id: 'event-type:orders.idle', kind: 'event-type', name: 'orders.idle', label: 'Nobody uses it.' },
    { id: 'service:checkout', kind: 'service', name: 'checkout', label: 'Checkout' },
    { id: 'service:billing', kind: 'service', name: 'billing', label: 'Billing' },
    { id: 'application:42', kind: 'application', name: '42', label: 'script' },
  ],
  edges: [
    {
      from: 'domain:orders',
      to: 'event-type:orders.created',
      kind: 'contains',
      declared: true,
      observed: false,
      events: null,
      lastSeen: null,
    },
    {
      from: 'domain:orders',
      to: 'event-type:orders.idle',
      kind: 'contains',
      declared: true,
      observed: false,
      events: null,
      lastSeen: null,
    },
    {
      from: 'service:checkout',
      to: 'event-type:orders.created',
      kind: 'produces',
      declared: true,
      observed: true,
      events: 1520,
      lastSeen: '2026-11-24T00:00:00.000Z',
    },
    {
      from: 'service:billing',
      to: 'event-type:orders.created',
      kind: 'consumes',
      declared: true,
      observed: false,
      events: null,
      lastSeen: null,
    },
    {
      from: 'service:checkout',
      to: 'event-type:orders.created',
      kind: 'consumes',
      declared: true,
      observed: false,
      events: null,
      lastSeen: null,
    },
    {
      from: 'application:42',
      to: 'event-type:orders.created',
      kind: 'produces',
      declared: false,
      observed: true,
      events: 3,
      lastSeen: '2026-11-24T00:00:00.000Z',
    },
    {
      from: 'service:gone',
      to: 'event-type:orders.created',
      kind: 'produces',
      declared: true,
      observed: false,
      events: null,
      lastSeen: null,
    },
  ],
};

describe('layoutLineage', () => {
  const layout = layoutLineage(graph);
  const node = (id: string) => layout.nodes.find((placed) => placed.id === id)!;

  it('puts producers left of event types and consumers right of them, a service doing both on both sides', () => {
    const eventType = node('event-type:orders.created');
    expect(node('produces|service:checkout').x).toBeLessThan(eventType.x);
    expect(node('produces|application:42').x).toBeLessThan(eventType.x);
    expect(node('consumes|service:billing').x).toBeGreaterThan(eventType.x);
    expect(node('consumes|service:checkout')).toMatchObject({ nodeId: 'service:checkout', side: 'consumer' });
    expect(node('produces|service:checkout')).toMatchObject({ nodeId: 'service:checkout', side: 'producer' });
  });

  it('boxes a domain around its event types, unconnected ones included', () => {
    expect(layout.clusters).toHaveLength(1);
    const [box] = layout.clusters;
    for (const id of ['event-type:orders.created', 'event-type:orders.idle']) {
      const inside = node(id);
      expect(inside.x - inside.width / 2).toBeGreaterThanOrEqual(box!.x);
      expect(inside.x + inside.width / 2).toBeLessThanOrEqual(box!.x + box!.width);
      expect(inside.y - inside.height / 2).toBeGreaterThan(box!.y);
    }
    expect(box).toMatchObject({ name: 'orders', label: 'Orders', href: '/domains/orders' });
  });

  it('never overlaps two nodes, and keeps everything on the canvas', () => {
    for (const a of layout.nodes) {
      expect(a.x - a.width / 2).toBeGreaterThanOrEqual(0);
      expect(a.y + a.height / 2).toBeLessThanOrEqual(layout.height);
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart =
          Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
  });

  it('draws every flow edge with both ends in the graph, labelled with observed counts', () => {
    expect(layout.edges.map((edge) => edge.id)).toEqual([
      'produces:service:checkout->event-type:orders.created',
      'consumes:service:billing->event-type:orders.created',
      'consumes:service:checkout->event-type:orders.created',
      'produces:application:42->event-type:orders.created',
    ]);
    expect(layout.edges[0]!.label?.text).toBe('1.5k');
    expect(layout.edges[1]!.label).toBeNull();
    expect(layout.edges[0]!.path).toMatch(/^M[\d.]+,[\d.]+C/);
  });

  it('links nodes to their pages; applications have none', () => {
    expect(nodeHref({ kind: 'event-type', name: 'a b' })).toBe('/event-types/a%20b');
    expect(nodeHref({ kind: 'service', name: 'checkout' })).toBe('/services/checkout');
    expect(nodeHref({ kind: 'application', name: '42' })).toBeNull();
  });
});

describe('drawing helpers', () => {
  it('compacts counts', () => {
    expect([0, 999, 1000, 1520, 12_345, 2_500_000, 3e9].map(compactCount)).toEqual([
      '0',
      '999',
      '1k',
      '1.5k',
      '12k',
      '2.5M',
      '3G',
    ]);
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('orders.order-created', 30)).toBe('orders.order-created');
    expect(truncate('abcdefghij', 6)).toBe('abcde…');
  });

  it('draws an S-curve that leaves and arrives horizontally', () => {
    expect(sCurvePath({ x: 0, y: 0 }, { x: 100, y: 50 })).toBe('M0,0C50,0 50,50 100,50');
  });
});
