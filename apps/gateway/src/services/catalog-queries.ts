import { NotFoundError, isMeshgateError } from '@meshgate/core';
import type { CatalogService, ChangeEntry, Domain, EventType } from '@meshgate/catalog';
import type { CatalogViewer } from '../auth/catalog-visibility';
import type { Services } from '../runtime';

// Catalog reads as every transport performs them (REST and GraphQL share these): what the
// caller may see (CatalogViewer), and the errors that keep the rest secret.

/**
 * The event type a caller may read, or the error that keeps its existence secret: users (and
 * anonymous readers of a public catalog) get EVENT_TYPE_NOT_FOUND for entries they may not see,
 * as for unknown names; applications get FORBIDDEN (audited) unless a grant names it.
 */
export async function visibleEventType(
  services: Services,
  viewer: CatalogViewer,
  name: string,
  sourceIp: string | undefined,
): Promise<EventType> {
  const eventType = await services.catalog.get(name).catch((error: unknown) => {
    if (isMeshgateError(error) && error.code === 'EVENT_TYPE_NOT_FOUND') return undefined;
    throw error;
  });
  if (eventType && viewer.seesEventType(eventType)) return eventType;
  const principal = viewer.principal;
  if (principal?.kind === 'application' && !services.access.engine.canSee(principal, { eventType: name })) {
    await services.access.require(principal, 'read', { eventType: name }, { sourceIp }, 'catalog.read');
  }
  throw new NotFoundError('EVENT_TYPE_NOT_FOUND', `Event type '${name}' not found.`);
}

/** Filters of {@link listEventTypes} (all optional; they combine). */
export interface EventTypeListFilter {
  domain?: string | undefined;
  owner?: string | undefined;
  tag?: string | undefined;
  lifecycle?: string | undefined;
  /** Words to search for (see CatalogSearch); empty or absent: no text filter. */
  q?: string | undefined;
}

/**
 * The event types a caller may see that match the filters: by name, or — with words in `q` —
 * the catalog search's hits (the same matching, ranking and scope as `GET /v1/catalog/search`),
 * best first, all of them.
 */
export async function listEventTypes(
  services: Services,
  viewer: CatalogViewer,
  filter: EventTypeListFilter,
): Promise<EventType[]> {
  const { q, ...filters } = filter;
  if (q === undefined || q.trim() === '') {
    return (await services.catalog.list(filters)).filter((eventType) => viewer.seesEventType(eventType));
  }
  const hits = await services.search.searchAll({ text: q, ...filters }, viewer.scope);
  const names = hits.items.map((hit) => hit.name);
  if (names.length === 0) return [];
  const byName = new Map((await services.catalog.list({ names })).map((eventType) => [eventType.name, eventType]));
  // An entry deleted between the two reads is left out.
  return names.flatMap((name) => byName.get(name) ?? []);
}

/** What a caller sees of the catalog at large: event types and services, filtered by {@link CatalogViewer}. */
export async function visibleCatalog(
  services: Services,
  viewer: CatalogViewer,
  filter: { domain?: string | undefined } = {},
): Promise<{ eventTypes: EventType[]; services: CatalogService[] }> {
  const [eventTypes, catalogServices] = await Promise.all([
    services.catalog.list(filter.domain ? { domain: filter.domain } : {}),
    services.catalogServices.list(filter.domain ? { domain: filter.domain } : {}),
  ]);
  const visible = eventTypes.filter((eventType) => viewer.seesEventType(eventType));
  // Applications see services through the event types they declare, which may lie outside the
  // domain filter (users see every service: no need to read further).
  const all = filter.domain && viewer.principal?.kind === 'application' ? await services.catalog.list() : eventTypes;
  const visibleNames = new Set(all.filter((eventType) => viewer.seesEventType(eventType)).map((e) => e.name));
  return {
    eventTypes: visible,
    services: catalogServices.filter((service) => viewer.seesService(service, (name) => visibleNames.has(name))),
  };
}

/**
 * A domain the caller may see, or the error that keeps it secret from applications without a
 * grant (FORBIDDEN, audited, for existing and unknown names alike).
 */
export async function visibleDomain(
  services: Services,
  viewer: CatalogViewer,
  name: string,
  sourceIp: string | undefined,
): Promise<{ domain: Domain; eventTypes: EventType[]; services: CatalogService[] }> {
  const domain = await services.domains.get(name).catch((error: unknown) => {
    if (isMeshgateError(error) && error.code === 'DOMAIN_NOT_FOUND') return undefined;
    throw error;
  });
  const content = domain ? await visibleCatalog(services, viewer, { domain: name }) : undefined;
  if (domain && content && viewer.seesDomain(name, content.eventTypes.length)) return { domain, ...content };
  const principal = viewer.principal;
  if (principal?.kind === 'application' && !services.access.engine.canSee(principal, { domain: name })) {
    await services.access.require(principal, 'read', { domain: name }, { sourceIp }, 'catalog.read');
  }
  throw new NotFoundError('DOMAIN_NOT_FOUND', `Domain '${name}' not found.`);
}

/**
 * A service the caller may see, or the error that keeps it secret: SERVICE_NOT_FOUND for users,
 * FORBIDDEN (audited) for applications without a grant, as for event types.
 */
export async function visibleService(
  services: Services,
  viewer: CatalogViewer,
  name: string,
  sourceIp: string | undefined,
): Promise<CatalogService> {
  const service = await services.catalogServices.get(name).catch((error: unknown) => {
    if (isMeshgateError(error) && error.code === 'SERVICE_NOT_FOUND') return undefined;
    throw error;
  });
  if (service) {
    const names = new Set([...service.produces, ...service.consumes]);
    const declared = names.size === 0 ? [] : await services.catalog.list({ names: [...names] });
    const visibleNames = new Set(declared.filter((e) => viewer.seesEventType(e)).map((e) => e.name));
    if (viewer.seesService(service, (declaredName) => visibleNames.has(declaredName))) return service;
  }
  const principal = viewer.principal;
  if (principal?.kind === 'application') {
    await services.access.require(
      principal,
      'read',
      service?.domain ? { domain: service.domain } : {},
      { sourceIp },
      'catalog.read',
    );
  }
  throw new NotFoundError('SERVICE_NOT_FOUND', `Service '${name}' not found.`);
}

/** The fields of a history snapshot that decide who may see it. */
interface SnapshotFields {
  domain?: string | null;
  produces?: string[];
  consumes?: string[];
  owner?: string;
  subject?: string;
  visibility?: string;
}

/**
 * Who may see a history entry: the rules of the entry it is about (see CatalogViewer), judged
 * on the entry as it is now — or, once deleted, as it was — so an entry made private later
 * takes its history with it.
 */
export function changeVisibility(
  viewer: CatalogViewer,
  eventTypes: readonly EventType[],
): (entry: ChangeEntry) => boolean {
  if (viewer.isAdmin) return () => true;
  const byName = new Map(eventTypes.map((eventType) => [eventType.name, eventType]));
  const bySubject = new Map<string, EventType[]>();
  for (const eventType of eventTypes) {
    const list = bySubject.get(eventType.subject) ?? [];
    list.push(eventType);
    bySubject.set(eventType.subject, list);
  }
  const visibleInDomain = new Map<string, number>();
  for (const eventType of eventTypes) {
    if (viewer.seesEventType(eventType))
      visibleInDomain.set(eventType.domain, (visibleInDomain.get(eventType.domain) ?? 0) + 1);
  }
  const seesName = (name: string) => {
    const eventType = byName.get(name);
    return eventType !== undefined && viewer.seesEventType(eventType);
  };
  return (entry) => {
    const snapshot = (entry.after ?? entry.before ?? {}) as SnapshotFields;
    switch (entry.entityKind) {
      case 'event-type': {
        const current = byName.get(entry.entityName);
        return viewer.seesEventType(
          current ?? {
            name: entry.entityName,
            subject: snapshot.subject ?? `${entry.entityName}-value`,
            owner: snapshot.owner ?? '',
            visibility: snapshot.visibility ?? 'private',
          },
        );
      }
      case 'schema': {
        const bound = bySubject.get(entry.entityName);
        if (bound && bound.length > 0) return bound.some((eventType) => viewer.seesEventType(eventType));
        return viewer.principal !== undefined && viewer.seesSubject(entry.entityName);
      }
      case 'domain':
        return viewer.seesDomain(entry.entityName, visibleInDomain.get(entry.entityName) ?? 0);
      case 'service':
        return viewer.seesService(
          { domain: snapshot.domain ?? null, produces: snapshot.produces ?? [], consumes: snapshot.consumes ?? [] },
          seesName,
        );
      default:
        return false;
    }
  };
}
