import type { FastifyInstance, FastifyReply } from 'fastify';
import { NotFoundError, isMeshgateError } from '@meshgate/core';
import type { ChangeEntry, EventType, EventTypeInput, EventTypeWithLineage, Lifecycle } from '@meshgate/catalog';
import {
  deadLetterTopicOf,
  lifecycles,
  TAG_PATTERN,
  valueFormatOf,
  valueFormats,
  visibilities,
} from '@meshgate/catalog';
import { describeIncompatibility } from '@meshgate/registry';
import { CatalogViewer } from '../../auth/catalog-visibility';
import { callerOf } from '../../auth/guards';
import type { Runtime } from '../../runtime';
import { deleteEventType, putEventType, setLifecycle } from '../../services/catalog-commands';
import { listEventTypes, visibleEventType } from '../../services/catalog-queries';
import { searchQuerystring } from './search';
import { lifecycleHeaders } from '../lifecycle-headers';

/** Path parameters of the routes under `/v1/catalog/event-types/{name}`. */
export const eventTypeNameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 249, description: 'The event type name.' } },
} as const;

const exampleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'payload'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    summary: { type: 'string', maxLength: 1000 },
    payload: { description: 'Any JSON value; checked against the pinned (or latest) schema when there is one.' },
  },
} as const;

const serviceNames = {
  type: 'array',
  maxItems: 500,
  items: { type: 'string', minLength: 1, maxLength: 200 },
} as const;

const eventTypeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'owner'],
  properties: {
    summary: { type: 'string', minLength: 1, maxLength: 500 },
    owner: { type: 'string', minLength: 1, maxLength: 200, description: 'The owning team (a team id).' },
    description: { type: ['string', 'null'], maxLength: 100_000, description: 'Markdown.' },
    topic: { type: 'string', minLength: 1, maxLength: 249 },
    subject: { type: 'string', minLength: 1, maxLength: 255 },
    partitions: { type: 'integer', minimum: 1, maximum: 1000 },
    valueFormat: {
      type: 'string',
      enum: valueFormats,
      description:
        'Framing of the values Meshgate produces: `json` (default) or `confluent` (magic byte 0, 4-byte big-endian schema id, JSON — what Confluent JSON Schema deserializers expect). Readers accept both.',
    },
    deadLetterTopic: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 249,
      description: 'Where invalid records of the topic go; default (null): the topic plus MESHGATE_DEAD_LETTER_SUFFIX.',
    },
    version: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      description: "The entry's own version label (semver by convention); default 1.0.0. Kept when left out.",
    },
    lifecycle: {
      type: 'string',
      enum: lifecycles,
      description:
        'draft → active → deprecated → retired (deprecated → active allowed); other moves: 409 INVALID_LIFECYCLE_TRANSITION. Kept when left out.',
    },
    lifecycleNote: { type: ['string', 'null'], maxLength: 2000, description: 'What to use instead, until when.' },
    visibility: {
      type: 'string',
      enum: visibilities,
      description:
        'public (every portal user) or private (owner team, grant holders, administrators). Kept when left out.',
    },
    tags: { type: 'array', maxItems: 32, items: { type: 'string', pattern: TAG_PATTERN.source } },
    schemaVersion: {
      type: ['integer', 'null'],
      minimum: 1,
      description: 'Produce validates against this version of the subject; null = the latest.',
    },
    keyPath: {
      type: ['string', 'null'],
      maxLength: 500,
      description: 'JSON pointer (e.g. /orderId) whose value is the record key of events produced without one.',
    },
    examples: { type: 'array', maxItems: 20, items: exampleSchema },
    producers: { ...serviceNames, description: 'Catalog services declared as producers (replaces the declared set).' },
    consumers: { ...serviceNames, description: 'Catalog services declared as consumers (replaces the declared set).' },
  },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    domain: { type: 'string', maxLength: 100 },
    owner: { type: 'string', maxLength: 200 },
    tag: { type: 'string', maxLength: 50 },
    lifecycle: { type: 'string', enum: lifecycles },
    q: searchQuerystring.properties.q,
  },
} as const;

const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,2}$',
      description: 'Most entries returned; default 50, at most 500.',
    },
    before: { type: 'string', pattern: '^[1-9][0-9]{0,18}$', description: 'Entries older than this change id.' },
  },
} as const;

const versionSelector = { type: 'string', pattern: '^(latest|[1-9][0-9]{0,8})$' } as const;

/** The wire form of an event type (`deadLetterTopic` resolved with the gateway's suffix). */
export function eventTypeJson(
  eventType: EventType & Partial<Pick<EventTypeWithLineage, 'producers' | 'consumers'>>,
  deadLetterSuffix: string,
) {
  return {
    name: eventType.name,
    summary: eventType.summary,
    description: eventType.description,
    owner: eventType.owner,
    domain: eventType.domain,
    topic: eventType.topic,
    subject: eventType.subject,
    partitions: eventType.partitions,
    valueFormat: valueFormatOf(eventType),
    deadLetterTopic: deadLetterTopicOf(eventType, deadLetterSuffix),
    version: eventType.version,
    lifecycle: eventType.lifecycle,
    lifecycleNote: eventType.lifecycleNote,
    visibility: eventType.visibility,
    tags: eventType.tags,
    schemaVersion: eventType.schemaVersion,
    keyPath: eventType.keyPath,
    examples: eventType.examples,
    producers: eventType.producers ?? [],
    consumers: eventType.consumers ?? [],
    createdAt: eventType.createdAt.toISOString(),
    updatedAt: eventType.updatedAt.toISOString(),
  };
}

/** The wire form of a change history entry. */
export function changeJson(entry: ChangeEntry) {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    entityKind: entry.entityKind,
    entityName: entry.entityName,
    action: entry.action,
    actor: entry.actor,
    before: entry.before,
    after: entry.after,
  };
}

function setHeaders(reply: FastifyReply, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
}

/**
 * `/v1/catalog/event-types` and its sub-resources: list (filtered), read, create or replace,
 * delete, lifecycle, history and schema diffs. Reads follow {@link CatalogViewer}; writes need
 * `manage-catalog` on the event type and leave an audit entry and a change history row.
 */
export function registerCatalogRoutes(app: FastifyInstance, runtime: Runtime): void {
  app.get<{ Querystring: { domain?: string; owner?: string; tag?: string; lifecycle?: string; q?: string } }>(
    '/v1/catalog/event-types',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List the event types you may see',
        description:
          'Filters combine (AND). Without `q`, sorted by name; with `q`, every hit of the catalog search (`GET /v1/catalog/search`: the same matching, ranking and visibility), best first.',
        querystring: listQuery,
      },
    },
    async (request) => {
      const services = runtime.services();
      const { catalog, deadLetterSuffix } = services;
      const items = await listEventTypes(
        services,
        new CatalogViewer(services.access, request.principal),
        request.query,
      );
      const parties = await catalog.declaredParties(items.map((item) => item.name));
      return {
        items: items.map((item) => eventTypeJson({ ...item, ...parties.get(item.name) }, deadLetterSuffix)),
      };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Get one event type',
        description:
          'With its declared producers and consumers. Deprecated and retired entries answer with `Deprecation: true`, a `Link` to this entry and `Meshgate-Lifecycle-Note`.',
        params: eventTypeNameParams,
      },
    },
    async (request, reply) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const eventType = await visibleEventType(services, viewer, request.params.name, request.ip);
      setHeaders(reply, lifecycleHeaders(eventType));
      const parties = await services.catalog.declaredParties([eventType.name]);
      return eventTypeJson({ ...eventType, ...parties.get(eventType.name) }, services.deadLetterSuffix);
    },
  );

  app.put<{ Params: { name: string }; Body: EventTypeInput }>(
    '/v1/catalog/event-types/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create or replace an event type (creates its topic)',
        description:
          'Original fields are replaced (defaults fill what is left out); the catalog fields version, lifecycle, lifecycleNote, visibility, tags, schemaVersion, keyPath, examples, producers and consumers keep their stored value when left out. Examples are checked against the pinned (or latest) schema: 400 INVALID_EXAMPLE names the example and the JSON pointer. Unknown producers/consumers: 404 SERVICE_NOT_FOUND. 201 when created, 200 otherwise.',
        params: eventTypeNameParams,
        body: eventTypeBody,
      },
    },
    async (request, reply) => {
      const services = runtime.services();
      const { eventType, created } = await putEventType(services, callerOf(request), request.params.name, request.body);
      return reply.status(created ? 201 : 200).send(eventTypeJson(eventType, services.deadLetterSuffix));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/catalog/event-types/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Remove an event type from the catalog (its topic and schemas stay)',
        params: eventTypeNameParams,
      },
    },
    async (request) => {
      const services = runtime.services();
      const deleted = await deleteEventType(services, callerOf(request), request.params.name);
      return eventTypeJson(deleted, services.deadLetterSuffix);
    },
  );

  app.post<{ Params: { name: string }; Body: { lifecycle: Lifecycle; note?: string | null } }>(
    '/v1/catalog/event-types/:name/lifecycle',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Move an event type through its lifecycle',
        description:
          'draft → active → deprecated → retired, and deprecated → active; anything else is 409 INVALID_LIFECYCLE_TRANSITION. `note` (what to use instead, until when) replaces the stored one. Retired event types refuse produce and new subscriptions with 410 EVENT_TYPE_RETIRED; deprecated ones answer with a `Deprecation` header.',
        params: eventTypeNameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['lifecycle'],
          properties: {
            lifecycle: { type: 'string', enum: lifecycles },
            note: { type: ['string', 'null'], maxLength: 2000 },
          },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const { eventType } = await setLifecycle(
        services,
        callerOf(request),
        request.params.name,
        request.body.lifecycle,
        request.body.note ?? null,
      );
      return eventTypeJson(eventType, services.deadLetterSuffix);
    },
  );

  app.get<{ Params: { name: string }; Querystring: { limit?: string; before?: string } }>(
    '/v1/catalog/event-types/:name/history',
    {
      schema: {
        tags: ['catalog'],
        summary: "An event type's change history, newest first",
        description:
          'Catalog writes of the event type and registrations/deletions of its schema subject: `{items: [{id, at, entityKind, entityName, action, actor: {kind, id, name}, before, after}]}`. Page back with `before` = the last id.',
        params: eventTypeNameParams,
        querystring: pageQuery,
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const eventType = await visibleEventType(services, viewer, request.params.name, request.ip);
      const entries = await services.history.ofEventType(eventType.name, eventType.subject, {
        limit: request.query.limit === undefined ? undefined : Number(request.query.limit),
        before: request.query.before,
      });
      return { items: entries.map(changeJson) };
    },
  );

  app.get<{ Params: { name: string }; Querystring: { from?: string; to?: string } }>(
    '/v1/catalog/event-types/:name/schema-diff',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Compare two schema versions of an event type',
        description:
          "The verdict of `to` (default latest) read against `from` (default the version before `to`) under the subject's compatibility level, with the compatibility engine's reasons: `{subject, from: {version, id, schema}, to: {…}, compatible, level, messages[], incompatibilities[]}`.",
        params: eventTypeNameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: versionSelector, to: versionSelector },
        },
      },
    },
    async (request) => {
      const services = runtime.services();
      const viewer = new CatalogViewer(services.access, request.principal);
      const eventType = await visibleEventType(services, viewer, request.params.name, request.ip);
      const { registry } = services;
      const subject = eventType.subject;
      try {
        const to = await registry.version(subject, request.query.to ?? 'latest');
        let from: string | number | undefined = request.query.from;
        if (from === undefined) {
          const earlier = (await registry.versions(subject)).filter((version) => version < to.version);
          from = earlier.at(-1);
          if (from === undefined) {
            throw new NotFoundError(
              'VERSION_NOT_FOUND',
              `Subject '${subject}' has no version before ${to.version} to compare with; pass from=.`,
            );
          }
        }
        const result = await registry.compareVersions(subject, from, to.version);
        const side = (view: typeof to) => ({
          version: view.version,
          id: view.id,
          schemaType: view.schemaType,
          schema: view.schema,
        });
        return {
          subject,
          from: side(result.from),
          to: side(result.to),
          compatible: result.compatible,
          level: result.level,
          messages: result.incompatibilities.map(describeIncompatibility),
          incompatibilities: result.incompatibilities,
        };
      } catch (error) {
        if (isMeshgateError(error) && error.code === 'SUBJECT_NOT_FOUND') {
          throw new NotFoundError(
            'SCHEMA_NOT_FOUND',
            `Event type '${eventType.name}' has no schema yet: register one under subject '${subject}'.`,
            { cause: error },
          );
        }
        throw error;
      }
    },
  );
}
