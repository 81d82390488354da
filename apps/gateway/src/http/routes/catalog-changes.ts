import type { FastifyInstance } from 'fastify';
import { changeEntityKinds, type ChangeEntityKind, type ChangeEntry, type EventType } from '@meshgate/catalog';
import { CatalogViewer } from '../../auth/catalog-visibility';
import type { Runtime } from '../../runtime';
import { changeJson } from './catalog';

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

/** `GET /v1/catalog/changes`: the catalog-wide change history, newest first, of what the caller may see. */
export function registerCatalogChangeRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get<{ Querystring: { entityKind?: ChangeEntityKind; entityName?: string; limit?: string; before?: string } }>(
    '/v1/catalog/changes',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The catalog-wide change history, newest first',
        description:
          'Every catalog write (domains, services, event types, lifecycle) and every schema registration or deletion: `{items: [{id, at, entityKind, entityName, action, actor: {kind, id, name}, before, after}]}`. Entries you may not see are left out. Page back with `before` = the last id.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            entityKind: { type: 'string', enum: changeEntityKinds },
            entityName: { type: 'string', maxLength: 255 },
            limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: 'Default 50, at most 500.' },
            before: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
          },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const visible = changeVisibility(viewer, viewer.isAdmin ? [] : await services.catalog.list());
      const entries = await services.history.list({
        entityKind: request.query.entityKind,
        entityName: request.query.entityName,
        limit: request.query.limit === undefined ? undefined : Number(request.query.limit),
        before: request.query.before,
        visible,
      });
      return { items: entries.map(changeJson) };
    },
  );
}
