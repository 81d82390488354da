import type { FastifyInstance } from 'fastify';
import { changeEntityKinds, type ChangeEntityKind } from '@meshgate/catalog';
import { CatalogViewer } from '../../auth/catalog-visibility';
import type { Runtime } from '../../runtime';
import { changeVisibility } from '../../services/catalog-queries';
import { changeJson } from './catalog';

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
