import type { JsonReader } from './json-reader';

// The catalog's shapes as the gateway's /v1/catalog API returns them (domains, services,
// search, lineage, impact, change history), and the readers that check them field by field.
// The client methods that call these routes are in gateway-client.ts.

/** Lifecycle stages of an event type, in the order an event type moves through them. */
export const LIFECYCLES = ['draft', 'active', 'deprecated', 'retired'] as const;

/** A lifecycle stage (`draft`, `active`, `deprecated`, `retired`). */
export type Lifecycle = (typeof LIFECYCLES)[number];

/** An event type in a list (a domain's event types): enough to show and link it. */
export interface EventTypeSummary {
  name: string;
  summary: string;
  owner: string;
  version: string;
  lifecycle: string;
  /** `public` (every portal user) or `private` (owner team, grant holders, administrators). */
  visibility: string;
  tags: string[];
}

/** A domain with counts of what the caller may see in it (`GET /v1/catalog/domains`). */
export interface Domain {
  /** The first segment of its event types' names. */
  name: string;
  displayName: string;
  summary: string;
  /** Markdown. */
  description: string | null;
  ownerTeam: string;
  eventTypeCount: number;
  serviceCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A catalog service: a deployable that produces and consumes event types. */
export interface CatalogService {
  name: string;
  displayName: string;
  summary: string;
  /** Markdown. */
  description: string | null;
  domain: string | null;
  ownerTeam: string;
  /** The policy application (by name) the service authenticates as, when bound to one. */
  application: string | null;
  /** URL of its code. */
  repository: string | null;
  /** Event types it is declared to produce. */
  produces: string[];
  /** Event types it is declared to consume. */
  consumes: string[];
}

/** One domain with what the caller may see in it (`GET /v1/catalog/domains/{name}`). */
export interface DomainDetail extends Domain {
  eventTypes: EventTypeSummary[];
  services: CatalogService[];
}

/** Search parameters of `GET /v1/catalog/search`; all optional, combined with AND. */
export interface SearchFilters {
  /** Words, each matched as a prefix. */
  q?: string | undefined;
  domain?: string | undefined;
  owner?: string | undefined;
  tag?: string | undefined;
  lifecycle?: string | undefined;
  /** Hits per page (gateway default 20, at most 100). */
  limit?: number | undefined;
  offset?: number | undefined;
}

/** One search hit. */
export interface SearchHit extends Omit<EventTypeSummary, 'version'> {
  domain: string;
  /** Relevance, higher first. */
  rank: number;
  /** Parts of the entry that matched: `name`, `summary`, `tags`, `description`, `fields`. */
  matched: string[];
  /** Schema field paths that matched (`customer.address.city`). */
  matchedFields: string[];
}

/** One page of search hits. */
export interface SearchResults {
  items: SearchHit[];
  /** Hits in all pages. */
  total: number;
  /** Time the gateway spent searching, milliseconds. */
  tookMs: number;
}

/** A catalog service as lineage and impact name it. */
export interface LineageService {
  name: string;
  displayName: string;
  summary: string;
  domain: string | null;
  ownerTeam: string;
  /** The id of the policy application bound to the service, when there is one. */
  applicationId: string | null;
  repository: string | null;
}

/** Someone seen producing to or consuming an event type through the gateway. */
export interface ObservedParty {
  /** `application` or `user`. */
  principalKind: string;
  principalId: string;
  /** Application name or user email. */
  name: string;
  /** The catalog service bound to that application, when there is one. */
  service: string | null;
  /** Events produced (producers) or delivered (consumers) since first seen. */
  events: number;
  /** Produce requests (producers) or subscriptions opened (consumers). */
  sessions: number;
  firstSeen: string;
  lastSeen: string;
}

/** Declared and observed producers and consumers of an event type. */
export interface EventTypeLineage {
  declared: { producers: LineageService[]; consumers: LineageService[] };
  observed: { producers: ObservedParty[]; consumers: ObservedParty[] };
}

/** A consumer a change to an event type would affect. */
export interface ImpactedConsumer {
  /** `declared` (listed in the catalog) or `observed` (seen consuming, not declared). */
  kind: string;
  service: LineageService | null;
  /** Who was seen consuming (for a declared service: its bound application, once seen). */
  principal: { kind: string; id: string; name: string } | null;
  events: number;
  /** `null` when never seen consuming. */
  lastSeen: string | null;
}

/** What `POST /v1/catalog/event-types/{name}/impact` answers: the consumers and the proposed schema's verdict. */
export interface SchemaImpact {
  consumers: ImpactedConsumer[];
  compatibility: {
    compatible: boolean;
    /** The subject's compatibility level. */
    level: string;
    /** Each reason, where it is and how to fix it. */
    incompatibilities: { path: string; rule: string; message: string; fix: string | null }[];
  };
}

/** A node of the lineage graph; `id` is `{kind}:{name}` (`application:{id}` for applications). */
export interface LineageNode {
  id: string;
  /** `domain`, `service`, `event-type` or `application`. */
  kind: string;
  name: string;
  label: string;
}

/** An edge of the lineage graph: `produces` / `consumes` from a service or application to an event type, `contains` from a domain. */
export interface LineageEdge {
  from: string;
  to: string;
  kind: string;
  declared: boolean;
  observed: boolean;
  /** Events seen on the edge, when observed. */
  events: number | null;
  lastSeen: string | null;
}

/** The lineage graph (`GET /v1/catalog/lineage`). */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** One entry of the change history, newest first. */
export interface ChangeEntry {
  /** Increasing id; give it back as `before` for older entries. */
  id: string;
  at: string;
  /** `domain`, `service`, `event-type` or `schema`. */
  entityKind: string;
  entityName: string;
  /** `created`, `updated`, `deleted`, `lifecycle` or `registered`. */
  action: string;
  actor: { kind: string; id: string | null; name: string | null };
  before: unknown;
  after: unknown;
}

/** Reads an event type's summary form. */
export function readEventTypeSummary(item: JsonReader): EventTypeSummary {
  return {
    name: item.string('name'),
    summary: item.string('summary'),
    owner: item.string('owner'),
    version: item.optionalString('version') ?? '',
    lifecycle: item.optionalString('lifecycle') ?? 'active',
    visibility: item.optionalString('visibility') ?? 'public',
    tags: item.optionalStrings('tags'),
  };
}

/** Reads a domain as the list gives it. */
export function readDomain(item: JsonReader): Domain {
  return {
    name: item.string('name'),
    displayName: item.string('displayName'),
    summary: item.optionalString('summary') ?? '',
    description: item.optionalString('description'),
    ownerTeam: item.string('ownerTeam'),
    eventTypeCount: item.integer('eventTypeCount'),
    serviceCount: item.integer('serviceCount'),
    createdAt: item.string('createdAt'),
    updatedAt: item.string('updatedAt'),
  };
}

/** Reads one domain with its event types and services. */
export function readDomainDetail(item: JsonReader): DomainDetail {
  return {
    ...readDomain(item),
    eventTypes: item.objects('eventTypes', readEventTypeSummary),
    services: item.objects('services', readCatalogService),
  };
}

/** Reads a catalog service. */
export function readCatalogService(item: JsonReader): CatalogService {
  return {
    name: item.string('name'),
    displayName: item.string('displayName'),
    summary: item.optionalString('summary') ?? '',
    description: item.optionalString('description'),
    domain: item.optionalString('domain'),
    ownerTeam: item.string('ownerTeam'),
    application: item.optionalString('application'),
    repository: item.optionalString('repository'),
    produces: item.optionalStrings('produces'),
    consumes: item.optionalStrings('consumes'),
  };
}

/** Reads a page of search hits. */
export function readSearchResults(body: JsonReader): SearchResults {
  return {
    items: body.objects('items', (item) => ({
      name: item.string('name'),
      summary: item.string('summary'),
      domain: item.string('domain'),
      owner: item.string('owner'),
      tags: item.optionalStrings('tags'),
      lifecycle: item.string('lifecycle'),
      visibility: item.optionalString('visibility') ?? 'public',
      rank: item.number('rank'),
      matched: item.optionalStrings('matched'),
      matchedFields: item.optionalStrings('matchedFields'),
    })),
    total: body.integer('total'),
    tookMs: body.number('tookMs'),
  };
}

function readLineageService(item: JsonReader): LineageService {
  return {
    name: item.string('name'),
    displayName: item.string('displayName'),
    summary: item.optionalString('summary') ?? '',
    domain: item.optionalString('domain'),
    ownerTeam: item.string('ownerTeam'),
    applicationId: item.optionalString('applicationId'),
    repository: item.optionalString('repository'),
  };
}

function readObservedParty(item: JsonReader): ObservedParty {
  return {
    principalKind: item.string('principalKind'),
    principalId: item.string('principalId'),
    name: item.string('name'),
    service: item.optionalString('service'),
    events: item.integer('events'),
    sessions: item.integer('sessions'),
    firstSeen: item.string('firstSeen'),
    lastSeen: item.string('lastSeen'),
  };
}

/** Reads an event type's declared and observed lineage. */
export function readEventTypeLineage(body: JsonReader): EventTypeLineage {
  const declared = body.object('declared');
  const observed = body.object('observed');
  return {
    declared: {
      producers: declared.objects('producers', readLineageService),
      consumers: declared.objects('consumers', readLineageService),
    },
    observed: {
      producers: observed.objects('producers', readObservedParty),
      consumers: observed.objects('consumers', readObservedParty),
    },
  };
}

/** Reads the consumers a change would affect. */
export function readImpact(body: JsonReader): ImpactedConsumer[] {
  return body.objects('consumers', (item) => {
    const service = item.optionalObject('service');
    const principal = item.optionalObject('principal');
    return {
      kind: item.string('kind'),
      service: service && readLineageService(service),
      principal: principal && {
        kind: principal.string('kind'),
        id: principal.string('id'),
        name: principal.string('name'),
      },
      events: item.integer('events'),
      lastSeen: item.optionalString('lastSeen'),
    };
  });
}

/** Reads the answer to a proposed schema: affected consumers and the compatibility verdict. */
export function readSchemaImpact(body: JsonReader): SchemaImpact {
  const compatibility = body.object('compatibility');
  const incompatibilities = Array.isArray(compatibility.raw('incompatibilities'))
    ? compatibility.objects('incompatibilities', (item) => ({
        path: item.optionalString('path') ?? '',
        rule: item.optionalString('rule') ?? 'INCOMPATIBLE',
        message: item.optionalString('message') ?? '',
        fix: item.optionalString('fix'),
      }))
    : compatibility
        .optionalStrings('messages')
        .map((message) => ({ path: '', rule: 'INCOMPATIBLE', message, fix: null }));
  return {
    consumers: readImpact(body),
    compatibility: {
      compatible: compatibility.boolean('compatible'),
      level: compatibility.string('level'),
      incompatibilities,
    },
  };
}

/** Reads the lineage graph. */
export function readLineageGraph(body: JsonReader): LineageGraph {
  return {
    nodes: body.objects('nodes', (node) => ({
      id: node.string('id'),
      kind: node.string('kind'),
      name: node.string('name'),
      label: node.string('label'),
    })),
    edges: body.objects('edges', (edge) => ({
      from: edge.string('from'),
      to: edge.string('to'),
      kind: edge.string('kind'),
      declared: edge.boolean('declared'),
      observed: edge.boolean('observed'),
      events: edge.optionalInteger('events'),
      lastSeen: edge.optionalString('lastSeen'),
    })),
  };
}

/** Reads a change history page. */
export function readChanges(body: JsonReader): ChangeEntry[] {
  return body.objects('items', (item) => {
    const actor = item.object('actor');
    return {
      id: item.string('id'),
      at: item.string('at'),
      entityKind: item.string('entityKind'),
      entityName: item.string('entityName'),
      action: item.string('action'),
      actor: { kind: actor.string('kind'), id: actor.optionalString('id'), name: actor.optionalString('name') },
      before: item.raw('before') ?? null,
      after: item.raw('after') ?? null,
    };
  });
}

/** The query string of a search (only the set parameters), e.g. `q=order&lifecycle=active`. */
export function searchQueryString(filters: SearchFilters): string {
  const query = new URLSearchParams();
  for (const key of ['q', 'domain', 'owner', 'tag', 'lifecycle'] as const) {
    const value = filters[key]?.trim();
    if (value) query.set(key, value);
  }
  if (filters.limit !== undefined) query.set('limit', String(filters.limit));
  if (filters.offset) query.set('offset', String(filters.offset));
  return query.toString();
}
