import type { PrismaClient } from '@meshgate/db';
import { declaredPartiesOf } from './declared-lineage';

/** A principal seen producing to or consuming from an event type through the gateway. */
export interface ObservedParty {
  principalKind: string;
  principalId: string;
  name: string;
  /** The catalog service bound to that application, if any. */
  service: string | null;
  events: number;
  sessions: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** Observed producers and consumers of one event type, most recently seen first. */
export interface ObservedParties {
  producers: ObservedParty[];
  consumers: ObservedParty[];
}

/** Reads the observed lineage of one event type (recorded by the produce and subscribe paths). */
export async function observedPartiesOf(prisma: PrismaClient, eventType: string): Promise<ObservedParties> {
  const rows = await prisma.observedLineage.findMany({ where: { eventType }, orderBy: { lastSeen: 'desc' } });
  const services = await boundServices(
    prisma,
    rows.filter((row) => row.principalKind === 'application').map((row) => row.principalId),
  );
  const result: ObservedParties = { producers: [], consumers: [] };
  for (const row of rows) {
    const party: ObservedParty = {
      principalKind: row.principalKind,
      principalId: row.principalId,
      name: row.principalName,
      service: row.principalKind === 'application' ? (services.get(row.principalId) ?? null) : null,
      events: Number(row.events),
      sessions: Number(row.sessions),
      firstSeen: row.firstSeen,
      lastSeen: row.lastSeen,
    };
    (row.role === 'producer' ? result.producers : result.consumers).push(party);
  }
  return result;
}

/** Catalog services by the application id they are bound to. */
async function boundServices(prisma: PrismaClient, applicationIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(applicationIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0) return new Map();
  const rows = await prisma.catalogService.findMany({
    where: { applicationId: { in: ids } },
    select: { name: true, applicationId: true },
  });
  return new Map(rows.map((row) => [row.applicationId!, row.name]));
}

/** A node of the lineage graph; ids are `{kind}:{name}` (applications: `application:{id}`). */
export interface LineageNode {
  id: string;
  kind: 'domain' | 'service' | 'event-type' | 'application';
  name: string;
  label: string;
}

/**
 * An edge of the lineage graph. `produces` and `consumes` go from a service (or an application
 * no service is bound to) to an event type; `contains` from a domain to its event types and
 * services. `declared` and `observed` say who knows about it: the owners, the gateway's traffic, or both.
 */
export interface LineageEdge {
  from: string;
  to: string;
  kind: 'produces' | 'consumes' | 'contains';
  declared: boolean;
  observed: boolean;
  events?: number;
  lastSeen?: Date;
}

/** The lineage graph of the catalog, or of one domain (its event types, and whoever produces or consumes them). */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/**
 * Builds the lineage graph from declared lineage and observed traffic: domains contain event
 * types and services; services (or bare applications) produce and consume event types.
 * Observed traffic of an application bound to a service is drawn on that service's edge.
 */
export async function lineageGraph(
  prisma: PrismaClient,
  filter: { domain?: string | undefined } = {},
): Promise<LineageGraph> {
  const domainWhere = filter.domain ? { domain: filter.domain } : {};
  const [domains, eventTypes] = await Promise.all([
    prisma.domain.findMany({ where: filter.domain ? { name: filter.domain } : {}, orderBy: { name: 'asc' } }),
    prisma.eventType.findMany({
      where: domainWhere,
      select: { name: true, summary: true, domain: true },
      orderBy: { name: 'asc' },
    }),
  ]);
  const names = eventTypes.map((eventType) => eventType.name);
  const [declared, observed, ownServices] = await Promise.all([
    declaredPartiesOf(prisma, names),
    prisma.observedLineage.findMany({ where: { eventType: { in: names }, principalKind: 'application' } }),
    prisma.catalogService.findMany({ where: domainWhere, select: { name: true } }),
  ]);
  const bound = await boundServices(
    prisma,
    observed.map((row) => row.principalId),
  );
  const serviceNames = new Set(ownServices.map((service) => service.name));
  for (const parties of declared.values())
    for (const name of [...parties.producers, ...parties.consumers]) serviceNames.add(name);
  for (const name of bound.values()) serviceNames.add(name);
  const services = await prisma.catalogService.findMany({
    where: { name: { in: [...serviceNames] } },
    select: { name: true, displayName: true, domain: true },
    orderBy: { name: 'asc' },
  });

  const nodes: LineageNode[] = [
    ...domains.map((d) => ({ id: `domain:${d.name}`, kind: 'domain' as const, name: d.name, label: d.displayName })),
    ...services.map((s) => ({ id: `service:${s.name}`, kind: 'service' as const, name: s.name, label: s.displayName })),
    ...eventTypes.map((e) => ({
      id: `event-type:${e.name}`,
      kind: 'event-type' as const,
      name: e.name,
      label: e.summary,
    })),
  ];
  const domainIds = new Set(domains.map((d) => d.name));
  const edges = new Map<string, LineageEdge>();
  const edge = (from: string, to: string, kind: LineageEdge['kind']): LineageEdge => {
    const key = `${from}|${kind}|${to}`;
    let found = edges.get(key);
    if (!found) edges.set(key, (found = { from, to, kind, declared: false, observed: false }));
    return found;
  };
  for (const eventType of eventTypes) {
    if (domainIds.has(eventType.domain))
      edge(`domain:${eventType.domain}`, `event-type:${eventType.name}`, 'contains').declared = true;
    const parties = declared.get(eventType.name)!;
    for (const service of parties.producers)
      edge(`service:${service}`, `event-type:${eventType.name}`, 'produces').declared = true;
    for (const service of parties.consumers)
      edge(`service:${service}`, `event-type:${eventType.name}`, 'consumes').declared = true;
  }
  for (const service of services) {
    if (service.domain !== null && domainIds.has(service.domain)) {
      edge(`domain:${service.domain}`, `service:${service.name}`, 'contains').declared = true;
    }
  }
  const applications = new Map<string, string>();
  for (const row of observed) {
    const service = bound.get(row.principalId);
    const from = service ? `service:${service}` : `application:${row.principalId}`;
    if (!service) applications.set(row.principalId, row.principalName);
    const found = edge(from, `event-type:${row.eventType}`, row.role === 'producer' ? 'produces' : 'consumes');
    found.observed = true;
    found.events = (found.events ?? 0) + Number(row.events);
    if (!found.lastSeen || row.lastSeen > found.lastSeen) found.lastSeen = row.lastSeen;
  }
  for (const [id, name] of applications)
    nodes.push({ id: `application:${id}`, kind: 'application', name, label: name });
  return { nodes, edges: [...edges.values()] };
}
