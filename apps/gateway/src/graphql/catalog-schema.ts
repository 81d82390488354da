import type {
  CatalogService,
  ChangeEntry,
  Domain,
  DomainInput,
  EventType,
  EventTypeInput,
  Lifecycle,
  ServiceInput,
} from '@meshgate/catalog';
import { isMeshgateError } from '@meshgate/core';
import { CatalogViewer } from '../auth/catalog-visibility';
import type { Runtime, Services } from '../runtime';
import { putDomain, putEventType, putService, setLifecycle } from '../services/catalog-commands';
import { lineageEdgeJson, observedPartyJson, visibleLineageGraph } from '../services/catalog-lineage';
import { visibleCatalog, visibleDomain, visibleService } from '../services/catalog-queries';
import { principalOfContext, type GraphQLContext } from './context';
import { toGraphQLError } from './errors';

/**
 * The catalog part of the GraphQL schema: domains, services, event types (with lineage,
 * history and schema versions), search and the lineage graph, and the catalog mutations. Same
 * authorization and visibility as REST (they share catalog-commands and catalog-queries).
 */
export const catalogTypeDefs = /* GraphQL */ `
  "Lifecycle of an event type: DRAFT → ACTIVE → DEPRECATED → RETIRED (DEPRECATED → ACTIVE allowed)."
  enum Lifecycle {
    DRAFT
    ACTIVE
    DEPRECATED
    RETIRED
  }

  "PUBLIC: every portal user sees the entry. PRIVATE: the owner team, grant holders and administrators."
  enum Visibility {
    PUBLIC
    PRIVATE
  }

  "An example payload of an event type."
  type EventTypeExample {
    name: String!
    summary: String
    payload: JSON
  }

  extend type EventType {
    "The domain: the name's first segment."
    domain: String!
    "The entry's own version label (semver by convention)."
    version: String!
    lifecycle: Lifecycle!
    "What to use instead, until when (deprecated and retired entries)."
    lifecycleNote: String
    visibility: Visibility!
    tags: [String!]!
    "The schema version produce validates against; null = the latest."
    schemaVersion: Int
    "JSON pointer whose value is the record key of events produced without one."
    keyPath: String
    examples: [EventTypeExample!]!
    "Services declared as producers (those you may see)."
    producers: [Service!]!
    "Services declared as consumers (those you may see)."
    consumers: [Service!]!
    "Declared and observed producers and consumers."
    lineage: EventTypeLineage!
    "Change history of the entry and of its schema subject, newest first."
    history(limit: Int = 50, before: String): [CatalogChange!]!
    "Live schema versions of the subject, oldest first."
    versions: [SchemaVersion!]!
  }

  "A business domain: groups event types (by their name's first segment) and services."
  type Domain {
    name: String!
    displayName: String!
    summary: String!
    "Markdown."
    description: String
    ownerTeam: String!
    "Event types of the domain you may see."
    eventTypeCount: Int!
    serviceCount: Int!
    eventTypes: [EventType!]!
    services: [Service!]!
  }

  "A producer and/or consumer of event types, as its owners declare it."
  type Service {
    name: String!
    displayName: String!
    summary: String!
    "Markdown."
    description: String
    domain: String
    ownerTeam: String!
    "The policy application (by name) the service authenticates as."
    application: String
    repository: String
    "Event types it declares it produces (those you may see)."
    produces: [EventType!]!
    consumes: [EventType!]!
  }

  "Who made a change."
  type ChangeActor {
    kind: String!
    id: String
    name: String
  }

  "One catalog change (or schema registration/deletion)."
  type CatalogChange {
    id: String!
    at: String!
    entityKind: String!
    entityName: String!
    action: String!
    actor: ChangeActor!
    before: JSON
    after: JSON
  }

  "A principal seen producing or consuming through the gateway."
  type ObservedParty {
    principalKind: String!
    principalId: String!
    name: String!
    "The catalog service bound to that application, if any."
    service: String
    events: Float!
    sessions: Float!
    firstSeen: String!
    lastSeen: String!
  }

  type DeclaredParties {
    producers: [Service!]!
    consumers: [Service!]!
  }

  type ObservedParties {
    producers: [ObservedParty!]!
    consumers: [ObservedParty!]!
  }

  type EventTypeLineage {
    declared: DeclaredParties!
    observed: ObservedParties!
  }

  "A node of the lineage graph; id is {kind}:{name}."
  type LineageNode {
    id: String!
    kind: String!
    name: String!
    label: String!
  }

  "produces/consumes: from a service (or application) to an event type; contains: from a domain."
  type LineageEdge {
    from: String!
    to: String!
    kind: String!
    declared: Boolean!
    observed: Boolean!
    events: Float
    lastSeen: String
  }

  type LineageGraph {
    nodes: [LineageNode!]!
    edges: [LineageEdge!]!
  }

  "One hit of the catalog search (as GET /v1/catalog/search answers it)."
  type SearchHit {
    name: String!
    summary: String!
    domain: String!
    owner: String!
    tags: [String!]!
    lifecycle: Lifecycle!
    visibility: Visibility!
    "Relevance, higher first (a name match outranks description matches)."
    rank: Float!
    "Parts of the entry holding a searched word: name, summary, tags, description, fields."
    matched: [String!]!
    "Field paths of the latest schema that matched (customer.address.city, items[].sku), at most 20."
    matchedFields: [String!]!
  }

  type SearchResult {
    items: [SearchHit!]!
    "Hits in all (every page)."
    total: Int!
    "Time spent in PostgreSQL, milliseconds."
    tookMs: Float!
  }

  input EventTypeExampleInput {
    name: String!
    summary: String
    payload: JSON!
  }

  "As the REST PUT body: the catalog fields (version … consumers) keep their stored value when left out."
  input EventTypeInput {
    summary: String!
    owner: String!
    description: String
    topic: String
    subject: String
    partitions: Int
    valueFormat: String
    deadLetterTopic: String
    version: String
    lifecycle: Lifecycle
    lifecycleNote: String
    visibility: Visibility
    tags: [String!]
    schemaVersion: Int
    keyPath: String
    examples: [EventTypeExampleInput!]
    producers: [String!]
    consumers: [String!]
  }

  input DomainInput {
    displayName: String!
    summary: String
    description: String
    ownerTeam: String!
  }

  input ServiceInput {
    displayName: String!
    summary: String
    description: String
    domain: String
    ownerTeam: String!
    application: String
    repository: String
    produces: [String!]
    consumes: [String!]
  }

  extend type Query {
    domains: [Domain!]!
    "A domain you may see, or null."
    domain(name: String!): Domain
    services(domain: String): [Service!]!
    "A service you may see, or null."
    service(name: String!): Service
    "Ranked full-text search over the event types you may see: every word matches as a prefix (empty: all, by name). limit 1–100, else INVALID_REQUEST."
    search(
      query: String!
      domain: String
      owner: String
      tag: String
      lifecycle: Lifecycle
      limit: Int = 20
      offset: Int = 0
    ): SearchResult!
    "The lineage graph of the catalog or of one domain (what you may see; as GET /v1/catalog/lineage). Unknown domain: DOMAIN_NOT_FOUND."
    lineage(domain: String): LineageGraph!
  }

  extend type Mutation {
    "Creates or replaces an event type (creates its topic). Needs manage-catalog on it."
    putEventType(name: String!, input: EventTypeInput!): EventType!
    "Moves an event type through its lifecycle; note replaces the stored one."
    setLifecycle(name: String!, lifecycle: Lifecycle!, note: String): EventType!
    "Creates or replaces a domain. Needs manage-catalog on it."
    putDomain(name: String!, input: DomainInput!): Domain!
    "Creates or replaces a service. Needs manage-catalog on its domain."
    putService(name: String!, input: ServiceInput!): Service!
  }
`;

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/** Null for "not found" and "not yours to see" alike (GraphQL's way of saying nothing). */
async function orNull<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (isMeshgateError(error) && (error.status === 404 || error.code === 'FORBIDDEN')) return null;
    throw error;
  }
}

/** One CatalogViewer per operation (its scope walks the caller's grants), shared by every field. */
const viewers = new WeakMap<GraphQLContext, CatalogViewer>();
function viewerOf(services: Services, context: GraphQLContext): CatalogViewer {
  let viewer = viewers.get(context);
  if (!viewer) {
    viewer = new CatalogViewer(services.access, context.principal);
    viewers.set(context, viewer);
  }
  return viewer;
}

function toDate(value: Date): string {
  return value.toISOString();
}

/** GraphQL's upper-case lifecycle and visibility enum values are stored lower-case. */
const enumResolvers = {
  Lifecycle: { DRAFT: 'draft', ACTIVE: 'active', DEPRECATED: 'deprecated', RETIRED: 'retired' },
  Visibility: { PUBLIC: 'public', PRIVATE: 'private' },
};

function changeObject(entry: ChangeEntry) {
  return { ...entry, at: toDate(entry.at) };
}

/** The catalog resolvers over the runtime's services (merged into the generic resolvers). */
export function createCatalogResolvers(runtime: Runtime) {
  const services = () => runtime.services();
  // Services declared on an event type the caller sees: they declare a visible event type, so
  // the caller sees them (CatalogViewer.seesService says yes for any caller), read by name.
  const declaredServices = async (names: readonly string[]) =>
    names.length === 0 ? [] : services().catalogServices.list({ names });
  const visibleEventTypes = async (names: readonly string[], context: GraphQLContext) => {
    const viewer = viewerOf(services(), context);
    if (names.length === 0) return [];
    return (await services().catalog.list({ names })).filter((e) => viewer.seesEventType(e));
  };
  return {
    ...enumResolvers,
    EventType: {
      examples: (eventType: EventType) => (Array.isArray(eventType.examples) ? eventType.examples : []),
      producers: (eventType: EventType) =>
        guard(async () => {
          const parties = (await services().catalog.declaredParties([eventType.name])).get(eventType.name)!;
          return declaredServices(parties.producers);
        }),
      consumers: (eventType: EventType) =>
        guard(async () => {
          const parties = (await services().catalog.declaredParties([eventType.name])).get(eventType.name)!;
          return declaredServices(parties.consumers);
        }),
      // The parent is an event type the caller sees; the LineageReader answers as on REST.
      lineage: (eventType: EventType) =>
        guard(async () => {
          const { declared, observed } = await services().lineageReader.ofEventType(eventType.name);
          // One read for both sides (in the services list's order), split by name.
          const all = await declaredServices([...declared.producers, ...declared.consumers].map((s) => s.name));
          const named = (list: readonly { name: string }[]) => {
            const names = new Set(list.map((service) => service.name));
            return all.filter((service) => names.has(service.name));
          };
          return {
            declared: { producers: named(declared.producers), consumers: named(declared.consumers) },
            observed: {
              producers: observed.producers.map(observedPartyJson),
              consumers: observed.consumers.map(observedPartyJson),
            },
          };
        }),
      history: (eventType: EventType, args: { limit?: number | null; before?: string | null }) =>
        guard(async () =>
          (
            await services().history.ofEventType(eventType.name, eventType.subject, {
              limit: args.limit ?? undefined,
              before: args.before ?? undefined,
            })
          ).map(changeObject),
        ),
      versions: (eventType: EventType) =>
        guard(async () =>
          (await services().registry.history(eventType.subject)).filter((version) => !version.deleted).reverse(),
        ),
    },
    Domain: {
      eventTypes: (domain: Domain & { eventTypes?: EventType[] }, _: unknown, context: GraphQLContext) =>
        guard(
          async () =>
            domain.eventTypes ??
            (await visibleCatalog(services(), viewerOf(services(), context), { domain: domain.name })).eventTypes,
        ),
      services: (domain: Domain & { services?: CatalogService[] }, _: unknown, context: GraphQLContext) =>
        guard(
          async () =>
            domain.services ??
            (await visibleCatalog(services(), viewerOf(services(), context), { domain: domain.name })).services,
        ),
    },
    Service: {
      produces: (service: CatalogService, _: unknown, context: GraphQLContext) =>
        guard(() => visibleEventTypes(service.produces, context)),
      consumes: (service: CatalogService, _: unknown, context: GraphQLContext) =>
        guard(() => visibleEventTypes(service.consumes, context)),
    },
    Query: {
      domains: (_: unknown, _args: unknown, context: GraphQLContext) =>
        guard(async () => {
          const viewer = viewerOf(services(), context);
          const [domains, visible] = await Promise.all([services().domains.list(), visibleCatalog(services(), viewer)]);
          return domains
            .map((domain) => ({
              ...domain,
              eventTypes: visible.eventTypes.filter((e) => e.domain === domain.name),
              services: visible.services.filter((s) => s.domain === domain.name),
            }))
            .filter((domain) => viewer.seesDomain(domain.name, domain.eventTypes.length))
            .map((domain) => ({
              ...domain,
              eventTypeCount: domain.eventTypes.length,
              serviceCount: domain.services.length,
            }));
        }),
      domain: (_: unknown, args: { name: string }, context: GraphQLContext) =>
        guard(() =>
          orNull(async () => {
            const found = await visibleDomain(services(), viewerOf(services(), context), args.name, context.sourceIp);
            return {
              ...found.domain,
              eventTypes: found.eventTypes,
              services: found.services,
              eventTypeCount: found.eventTypes.length,
              serviceCount: found.services.length,
            };
          }),
        ),
      services: (_: unknown, args: { domain?: string | null }, context: GraphQLContext) =>
        guard(
          async () =>
            (await visibleCatalog(services(), viewerOf(services(), context), { domain: args.domain ?? undefined }))
              .services,
        ),
      service: (_: unknown, args: { name: string }, context: GraphQLContext) =>
        guard(() =>
          orNull(() => visibleService(services(), viewerOf(services(), context), args.name, context.sourceIp)),
        ),
      search: (
        _: unknown,
        args: {
          query: string;
          domain?: string | null;
          owner?: string | null;
          tag?: string | null;
          lifecycle?: string | null;
          limit?: number | null;
          offset?: number | null;
        },
        context: GraphQLContext,
      ) =>
        guard(() =>
          services().search.search(
            {
              text: args.query,
              domain: args.domain ?? undefined,
              owner: args.owner ?? undefined,
              tag: args.tag ?? undefined,
              lifecycle: args.lifecycle ?? undefined,
              limit: args.limit ?? undefined,
              offset: args.offset ?? undefined,
            },
            viewerOf(services(), context).scope,
          ),
        ),
      lineage: (_: unknown, args: { domain?: string | null }, context: GraphQLContext) =>
        guard(async () => {
          const viewer = viewerOf(services(), context);
          const graph = await visibleLineageGraph(services(), viewer, args.domain ?? undefined);
          return { nodes: graph.nodes, edges: graph.edges.map(lineageEdgeJson) };
        }),
    },
    Mutation: {
      putEventType: (_: unknown, args: { name: string; input: EventTypeInput }, context: GraphQLContext) =>
        guard(async () => {
          const caller = { principal: principalOfContext(context), sourceIp: context.sourceIp };
          return (await putEventType(services(), caller, args.name, withoutNulls(args.input))).eventType;
        }),
      setLifecycle: (
        _: unknown,
        args: { name: string; lifecycle: Lifecycle; note?: string | null },
        context: GraphQLContext,
      ) =>
        guard(async () => {
          const caller = { principal: principalOfContext(context), sourceIp: context.sourceIp };
          return (await setLifecycle(services(), caller, args.name, args.lifecycle, args.note ?? null)).eventType;
        }),
      putDomain: (_: unknown, args: { name: string; input: DomainInput }, context: GraphQLContext) =>
        guard(async () => {
          const caller = { principal: principalOfContext(context), sourceIp: context.sourceIp };
          const { domain } = await putDomain(services(), caller, args.name, args.input);
          const visible = await visibleCatalog(services(), viewerOf(services(), context), { domain: domain.name });
          return {
            ...domain,
            ...visible,
            eventTypeCount: visible.eventTypes.length,
            serviceCount: visible.services.length,
          };
        }),
      putService: (_: unknown, args: { name: string; input: ServiceInput }, context: GraphQLContext) =>
        guard(async () => {
          const caller = { principal: principalOfContext(context), sourceIp: context.sourceIp };
          return (await putService(services(), caller, args.name, args.input)).service;
        }),
    },
  };
}

/**
 * GraphQL hands explicit nulls through for list and enum fields the REST body would refuse or
 * leave out; for the catalog fields that are not nullable in storage (tags, examples, lineage,
 * version, lifecycle, visibility), null means "left out".
 */
function withoutNulls(input: EventTypeInput): EventTypeInput {
  const copy: Record<string, unknown> = { ...input };
  for (const key of [
    'tags',
    'examples',
    'producers',
    'consumers',
    'version',
    'lifecycle',
    'visibility',
    'topic',
    'subject',
    'partitions',
    'valueFormat',
  ]) {
    if (copy[key] === null) delete copy[key];
  }
  return copy as unknown as EventTypeInput;
}
