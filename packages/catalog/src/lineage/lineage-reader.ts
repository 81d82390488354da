import { isUuid } from '@meshgate/core';
import type { PrismaClient } from '@meshgate/db';
import type { EventType } from '../event-types';

/** A catalog service as lineage shows it. */
export interface LineageService {
  name: string;
  displayName: string;
  summary: string;
  domain: string | null;
  ownerTeam: string;
  /** The policy application whose traffic is this service's, if bound. */
  applicationId: string | null;
  repository: string | null;
}

/** A principal seen producing to or consuming an event type through the gateway. */
export interface ObservedLineageEntry {
  principalKind: 'application' | 'user';
  principalId: string;
  /** Application name or user email. */
  name: string;
  /** The catalog service bound to that application (`catalog_services.application_id`), or null. */
  service: LineageService | null;
  /** Events produced (producers) or delivered (consumers), since first seen. */
  events: number;
  /** Produce requests (producers) or subscriptions opened (consumers), since first seen. */
  sessions: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** Declared and observed producers and consumers of one event type. */
export interface EventTypeLineage {
  declared: { producers: LineageService[]; consumers: LineageService[] };
  observed: { producers: ObservedLineageEntry[]; consumers: ObservedLineageEntry[] };
}

/** Someone a change to an event type would affect. */
export interface ImpactedConsumer {
  /** `declared`: a service its owners list as consumer; `observed`: seen subscribing, not declared. */
  kind: 'declared' | 'observed';
  service: LineageService | null;
  /** The principal seen consuming (for a declared service: its bound application, once seen). */
  principal: { kind: 'application' | 'user'; id: string; name: string } | null;
  /** Events delivered to it so far (0 when never seen). */
  events: number;
  /** When it was last seen consuming; null when never seen. */
  lastSeen: Date | null;
}

/** A node of the lineage graph; `id` is `{kind}:{name}` (`application:{id}` for applications). */
export interface LineageGraphNode {
  id: string;
  kind: 'domain' | 'service' | 'event-type' | 'application';
  name: string;
  label: string;
}

/**
 * An edge of the lineage graph: `produces` and `consumes` go from a service (or an application
 * no service is bound to) to an event type — the kind says which way data flows — and
 * `contains` from a domain to its event types and services (as the GraphQL `lineage` has them).
 */
export interface LineageGraphEdge {
  from: string;
  to: string;
  kind: 'produces' | 'consumes' | 'contains';
  /** Declared by the catalog (services' produces/consumes). */
  declared: boolean;
  /** Seen through the gateway. */
  observed: boolean;
  /** Events produced or delivered along an observed edge. */
  events?: number;
  lastSeen?: Date;
}

/** The lineage graph of the catalog (or one domain). */
export interface LineageGraphResult {
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
}

/** What the caller of {@link LineageReader.graph} may see. */
export interface LineageGraphScope {
  /** Only this domain's event types (and the services and applications around them). */
  domain?: string | undefined;
  /** Whether the caller may see this event type (the catalog's read rules). */
  visible: (eventType: EventType) => boolean;
  /**
   * Whether the caller browses the whole catalog (portal users, administrators): then every
   * domain and service is shown, connected or not, and observed applications too; otherwise
   * only the domains and services that touch a visible event type, and no applications.
   */
  wholeCatalog: boolean;
}

type ServiceRow = Awaited<ReturnType<PrismaClient['catalogService']['findMany']>>[number];
type ObservedRow = Awaited<ReturnType<PrismaClient['observedLineage']['findMany']>>[number];

function toService(row: ServiceRow): LineageService {
  return {
    name: row.name,
    displayName: row.displayName,
    summary: row.summary,
    domain: row.domain,
    ownerTeam: row.ownerTeam,
    applicationId: row.applicationId,
    repository: row.repository,
  };
}

function principalKindOf(kind: string): 'application' | 'user' {
  return kind === 'user' ? 'user' : 'application';
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
const byLastSeen = (a: { lastSeen: Date | null }, b: { lastSeen: Date | null }) =>
  (b.lastSeen?.getTime() ?? -1) - (a.lastSeen?.getTime() ?? -1);

/**
 * Reads lineage: declared (catalog services' produces/consumes, `catalog_declared_lineage`)
 * and observed (`catalog_observed_lineage`, written by {@link ObservedLineageRecorder}), with
 * observed applications mapped to catalog services through `catalog_services.application_id`.
 */
export class LineageReader {
  constructor(private readonly prisma: PrismaClient) {}

  /** Whether a domain exists (a catalog domain row, or event types named in it). */
  async domainExists(name: string): Promise<boolean> {
    const [domain, eventType] = await Promise.all([
      this.prisma.domain.findUnique({ where: { name }, select: { name: true } }),
      this.prisma.eventType.findFirst({ where: { domain: name }, select: { name: true } }),
    ]);
    return domain !== null || eventType !== null;
  }

  /** Declared and observed producers and consumers of one event type (not checked to exist). */
  async ofEventType(name: string): Promise<EventTypeLineage> {
    const [declared, observed] = await Promise.all([
      this.prisma.declaredLineage.findMany({ where: { eventType: name } }),
      this.prisma.observedLineage.findMany({ where: { eventType: name } }),
    ]);
    const services = await this.services(
      declared.map((row) => row.service),
      observed.filter((row) => row.principalKind === 'application').map((row) => row.principalId),
    );
    const declaredOf = (role: string) =>
      declared
        .filter((row) => row.role === role)
        .map((row) => services.byName.get(row.service))
        .filter((service): service is LineageService => service !== undefined)
        .sort(byName);
    const observedOf = (role: string) =>
      observed
        .filter((row) => row.role === role)
        .map((row) => toObserved(row, services.byApplication))
        .sort(byLastSeen);
    return {
      declared: { producers: declaredOf('producer'), consumers: declaredOf('consumer') },
      observed: { producers: observedOf('producer'), consumers: observedOf('consumer') },
    };
  }

  /**
   * Who a change to an event type would affect: every declared consumer (with its bound
   * application's last activity, when seen) and every observed consumer not already listed as
   * a declared one; most recently active first.
   */
  async impact(name: string): Promise<ImpactedConsumer[]> {
    const lineage = await this.ofEventType(name);
    const observedByApplication = new Map(
      lineage.observed.consumers
        .filter((party) => party.principalKind === 'application')
        .map((party) => [party.principalId, party]),
    );
    const covered = new Set<ObservedLineageEntry>();
    const consumers: ImpactedConsumer[] = lineage.declared.consumers.map((service) => {
      const seen = service.applicationId ? observedByApplication.get(service.applicationId) : undefined;
      if (seen) covered.add(seen);
      return {
        kind: 'declared',
        service,
        principal: seen ? { kind: seen.principalKind, id: seen.principalId, name: seen.name } : null,
        events: seen?.events ?? 0,
        lastSeen: seen?.lastSeen ?? null,
      };
    });
    for (const party of lineage.observed.consumers) {
      if (covered.has(party)) continue;
      consumers.push({
        kind: 'observed',
        service: party.service,
        principal: { kind: party.principalKind, id: party.principalId, name: party.name },
        events: party.events,
        lastSeen: party.lastSeen,
      });
    }
    return consumers.sort(byLastSeen);
  }

  /**
   * The lineage graph: domains, event types, services and observed applications (users are
   * left out: people are not part of the architecture), with declared and observed edges merged.
   */
  async graph(scope: LineageGraphScope): Promise<LineageGraphResult> {
    const eventTypes = (
      await this.prisma.eventType.findMany({
        where: scope.domain === undefined ? {} : { domain: scope.domain },
        orderBy: { name: 'asc' },
      })
    ).filter((eventType) => scope.visible(eventType));
    const names = eventTypes.map((eventType) => eventType.name);
    const [declared, observed] = await Promise.all([
      this.prisma.declaredLineage.findMany({ where: { eventType: { in: names } } }),
      this.prisma.observedLineage.findMany({
        where: { eventType: { in: names }, principalKind: 'application' },
      }),
    ]);
    const applicationIds = observed.map((row) => row.principalId);
    const serviceRows = await this.prisma.catalogService.findMany({
      where: {
        OR: [
          { name: { in: declared.map((row) => row.service) } },
          { applicationId: { in: applicationIds.filter(isUuid) } },
          ...(scope.wholeCatalog ? [scope.domain === undefined ? {} : { domain: scope.domain }] : []),
        ],
      },
      orderBy: { name: 'asc' },
    });
    const domainNames = new Set(eventTypes.map((eventType) => eventType.domain));
    if (scope.domain !== undefined) domainNames.add(scope.domain);
    const domainRows = await this.prisma.domain.findMany({
      where: scope.wholeCatalog && scope.domain === undefined ? {} : { name: { in: [...domainNames] } },
      orderBy: { name: 'asc' },
    });

    const nodes: LineageGraphNode[] = [];
    const edges = new Map<string, LineageGraphEdge>();
    const domainIds = new Set<string>();
    for (const domain of domainRows) {
      domainIds.add(domain.name);
      nodes.push({ id: `domain:${domain.name}`, kind: 'domain', name: domain.name, label: domain.displayName });
    }
    for (const eventType of eventTypes) {
      nodes.push({
        id: `event-type:${eventType.name}`,
        kind: 'event-type',
        name: eventType.name,
        label: eventType.summary,
      });
      if (domainIds.has(eventType.domain)) {
        addEdge(edges, `domain:${eventType.domain}`, `event-type:${eventType.name}`, 'contains', { declared: true });
      }
    }
    const serviceByApplication = new Map<string, string>();
    const serviceNames = new Set<string>();
    for (const service of serviceRows) {
      serviceNames.add(service.name);
      if (service.applicationId) serviceByApplication.set(service.applicationId, service.name);
      nodes.push({ id: `service:${service.name}`, kind: 'service', name: service.name, label: service.displayName });
      if (service.domain !== null && domainIds.has(service.domain)) {
        addEdge(edges, `domain:${service.domain}`, `service:${service.name}`, 'contains', { declared: true });
      }
    }
    for (const row of declared) {
      if (!serviceNames.has(row.service)) continue;
      addEdge(edges, `service:${row.service}`, `event-type:${row.eventType}`, kindOf(row.role), { declared: true });
    }
    const applications = new Set<string>();
    for (const row of observed) {
      const service = serviceByApplication.get(row.principalId);
      let party = `service:${service}`;
      if (service === undefined) {
        // Which applications use what is for the people browsing the catalog, not for partners.
        if (!scope.wholeCatalog) continue;
        party = `application:${row.principalId}`;
        if (!applications.has(row.principalId)) {
          applications.add(row.principalId);
          nodes.push({ id: party, kind: 'application', name: row.principalName, label: row.principalName });
        }
      }
      addEdge(edges, party, `event-type:${row.eventType}`, kindOf(row.role), {
        observed: true,
        events: Number(row.events),
        lastSeen: row.lastSeen,
      });
    }
    return { nodes, edges: [...edges.values()] };
  }

  private async services(
    names: string[],
    applicationIds: string[],
  ): Promise<{ byName: Map<string, LineageService>; byApplication: Map<string, LineageService> }> {
    const uuids = applicationIds.filter(isUuid);
    const rows =
      names.length === 0 && uuids.length === 0
        ? []
        : await this.prisma.catalogService.findMany({
            where: { OR: [{ name: { in: names } }, { applicationId: { in: uuids } }] },
          });
    const byName = new Map<string, LineageService>();
    const byApplication = new Map<string, LineageService>();
    for (const row of rows) {
      const service = toService(row);
      byName.set(service.name, service);
      if (service.applicationId) byApplication.set(service.applicationId, service);
    }
    return { byName, byApplication };
  }
}

function toObserved(row: ObservedRow, byApplication: Map<string, LineageService>): ObservedLineageEntry {
  const principalKind = principalKindOf(row.principalKind);
  return {
    principalKind,
    principalId: row.principalId,
    name: row.principalName,
    service: principalKind === 'application' ? (byApplication.get(row.principalId) ?? null) : null,
    events: Number(row.events),
    sessions: Number(row.sessions),
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
  };
}

function kindOf(role: string): 'produces' | 'consumes' {
  return role === 'producer' ? 'produces' : 'consumes';
}

function addEdge(
  edges: Map<string, LineageGraphEdge>,
  from: string,
  to: string,
  kind: LineageGraphEdge['kind'],
  facts: { declared?: boolean; observed?: boolean; events?: number; lastSeen?: Date },
): void {
  const key = `${kind} ${from} ${to}`;
  let edge = edges.get(key);
  if (!edge) {
    edge = { from, to, kind, declared: false, observed: false };
    edges.set(key, edge);
  }
  if (facts.declared) edge.declared = true;
  if (facts.observed) {
    edge.observed = true;
    edge.events = (edge.events ?? 0) + (facts.events ?? 0);
    if (facts.lastSeen && (!edge.lastSeen || facts.lastSeen > edge.lastSeen)) edge.lastSeen = facts.lastSeen;
  }
}
