import { NotFoundError } from '@meshgate/core';
import type { LineageGraphEdge, LineageGraphResult, ObservedLineageEntry } from '@meshgate/catalog';
import type { CatalogViewer } from '../auth/catalog-visibility';
import type { Services } from '../runtime';

// Lineage reads as every transport performs them (REST and GraphQL share these): the catalog's
// LineageReader under the caller's CatalogViewer, and one wire form of its answers.

/**
 * The lineage graph of the catalog (or of one domain) as the caller may see it: event types it
 * sees, the services and domains around them, and — for whoever browses the whole catalog —
 * every domain and service and the applications observed. DOMAIN_NOT_FOUND for an unknown domain.
 */
export async function visibleLineageGraph(
  services: Services,
  viewer: CatalogViewer,
  domain?: string | undefined,
): Promise<LineageGraphResult> {
  if (domain !== undefined && !(await services.lineageReader.domainExists(domain))) {
    throw new NotFoundError('DOMAIN_NOT_FOUND', `Domain '${domain}' not found.`);
  }
  return services.lineageReader.graph({
    domain,
    visible: (eventType) => viewer.seesEventType(eventType),
    wholeCatalog: viewer.browsesWholeCatalog,
  });
}

/** The wire form of an observed producer or consumer: its bound service by name, dates as ISO text. */
export function observedPartyJson(party: ObservedLineageEntry) {
  return {
    principalKind: party.principalKind,
    principalId: party.principalId,
    name: party.name,
    service: party.service?.name ?? null,
    events: party.events,
    sessions: party.sessions,
    firstSeen: party.firstSeen.toISOString(),
    lastSeen: party.lastSeen.toISOString(),
  };
}

/** The wire form of a lineage graph edge: `events` and `lastSeen` only on observed edges. */
export function lineageEdgeJson(edge: LineageGraphEdge) {
  return {
    from: edge.from,
    to: edge.to,
    kind: edge.kind,
    declared: edge.declared,
    observed: edge.observed,
    ...(edge.events !== undefined ? { events: edge.events } : {}),
    ...(edge.lastSeen !== undefined ? { lastSeen: edge.lastSeen.toISOString() } : {}),
  };
}
