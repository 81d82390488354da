import type { RequestableAction } from './access-actions';
import {
  readChanges,
  readDomain,
  readDomainDetail,
  readEventTypeLineage,
  readImpact,
  readLineageGraph,
  readSchemaImpact,
  readSearchResults,
  searchQueryString,
  readCatalogService,
  type CatalogService,
  type ChangeEntry,
  type Domain,
  type DomainDetail,
  type EventTypeLineage,
  type ImpactedConsumer,
  type LineageGraph,
  type SchemaImpact,
  type SearchFilters,
  type SearchResults,
} from './gateway-catalog';
import { GatewayError, GatewayErrorCode } from './gateway-error';
import { JsonReader, ShapeError } from './json-reader';

/** An event type as the catalog API returns it (`GET /v1/catalog/event-types/{name}`). */
export interface EventType {
  name: string;
  summary: string;
  description: string | null;
  owner: string;
  /** The domain: always the name's first segment. */
  domain: string;
  /** The entry's own version label (semver by convention). */
  version: string;
  /** `draft`, `active`, `deprecated` or `retired`. */
  lifecycle: string;
  /** What to use instead and until when (deprecated and retired entries). */
  lifecycleNote: string | null;
  /** `public` (every portal user) or `private` (owner team, grant holders, administrators). */
  visibility: string;
  tags: string[];
  /** Produce validates against this schema version; `null`: the latest. */
  schemaVersion: number | null;
  /** JSON pointer whose value keys events produced without a key. */
  keyPath: string | null;
  /** Catalog services declared as producers. */
  producers: string[];
  /** Catalog services declared as consumers. */
  consumers: string[];
  topic: string;
  /** Registry subject holding the event's schema; `{topic}-value` by default. */
  subject: string;
  /** Partitions of the topic, when the gateway reports them. */
  partitions: number | null;
  /** How the gateway writes record values: `json` (plain JSON) or `confluent` (Confluent's wire format). */
  valueFormat: string;
  /** Example events, when the catalog entry has any (newer gateways). */
  examples: EventExample[];
  createdAt: string;
  updatedAt: string;
}

/** One example event of an event type. */
export interface EventExample {
  name: string;
  summary: string | null;
  payload: unknown;
}

/** A schema reference (`{name, subject, version}`), as the registry lists them. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** One registered schema version (`GET /registry/subjects/{subject}/versions/latest`). */
export interface SchemaVersion {
  subject: string;
  version: number;
  /** Registry-wide schema id. */
  id: number;
  /** `JSON`, `AVRO` or `PROTOBUF`; Confluent omits the field for Avro. */
  schemaType: string;
  /** The schema document, as a string (Confluent's wire format). */
  schema: string;
  /** Other schemas this one references. */
  references: SchemaReference[];
}

/** One reason a schema is incompatible, as the registry's verbose compatibility check names it. */
export interface Incompatibility {
  /** Where: a JSON pointer into the schema (JSON Schema) or a field path (Avro, Protobuf). */
  path: string;
  /** Stable rule id, e.g. `PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`. */
  rule: string;
  message: string;
  /** A suggested fix, when the registry gives one. */
  fix: string | null;
  /** `backward` (new readers, old data) or `forward` (old readers, new data), when given. */
  direction: string | null;
}

/** The registry's verdict on a schema against one registered version. */
export interface CompatibilityVerdict {
  compatible: boolean;
  /** The subject's compatibility level (BACKWARD, FULL_TRANSITIVE, NONE…). */
  level: string;
  incompatibilities: Incompatibility[];
}

/** Result of a GraphQL operation over HTTP. */
export interface GraphQLResult {
  data: Record<string, unknown> | null;
  errors: { message: string; code: string | null }[];
}

/** An application as `/v1/me/applications` describes it. */
export interface Application {
  id: string;
  name: string;
  description: string | null;
  ownerTeam: string | null;
  produceRatePerSecond: number | null;
  maxSubscriptions: number | null;
  maxConnections: number | null;
  createdAt: string;
  disabledAt: string | null;
}

/** An application in the list of yours, with its number of live keys. */
export interface ApplicationSummary extends Application {
  activeKeys: number;
}

/** An API key of an application; never its secret. */
export interface ApiKey {
  keyId: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A newly issued (or rotated) key: the token is in this answer only. */
export interface IssuedApiKey extends ApiKey {
  /** What clients send as `Authorization: Bearer <token>`. */
  token: string;
}

/** One of your applications with its keys and grants. */
export interface ApplicationDetail {
  application: Application;
  keys: ApiKey[];
  grants: Grant[];
}

/** What `POST /v1/me/applications` takes. */
export interface NewApplication {
  name: string;
  ownerTeam: string;
  description?: string;
}

/** A grant as `GET /v1/me` lists it: who may do what on which resource, and with which view. */
export interface Grant {
  id: string;
  /** `user`, `team` or `application`. */
  subjectKind: string;
  subjectId: string;
  /** `all`, `domain`, `event-type` or `subject`. */
  resourceKind: string;
  /** The domain, event type or subject; `*` for `all`. */
  resourceName: string;
  /** `read`, `produce`, `register-schema`, `manage-catalog` or `admin` (everything). */
  action: string;
  /** Sensitivity classes shown unmasked (`*` for all). */
  unmask: string[];
  /** Row filter in the filter language; the holder sees only matching events. */
  rowFilter: string | null;
  expiresAt: string | null;
}

/** The signed-in caller (`GET /v1/me`). */
export interface Me {
  /** `user` or `application`. */
  kind: string;
  id: string;
  /** The user's email (or the application's name). */
  name: string;
  teams: string[];
  /** How the caller authenticated: `session`, `api-key`, `jwt`… */
  via: string;
  /** Administrators may do everything. */
  admin: boolean;
  /** Live grants of the caller and of the caller's teams. */
  grants: Grant[];
}

/** A successful sign-in (`POST /v1/auth/login`). */
export interface SignedIn {
  user: { id: string; email: string; teams: string[] };
  /** When the session ends (ISO timestamp). */
  expiresAt: string;
  /** The session token: goes into the portal's HttpOnly cookie, never to browser JavaScript. */
  token: string;
}

/** Whether the gateway offers single sign-on (`GET /v1/auth/oidc`). */
export interface OidcSignInInfo {
  enabled: boolean;
  /** The OpenID Provider's issuer, when enabled. */
  issuer: string | null;
  /** The provider's name for the "Sign in with …" button, when enabled. */
  name: string | null;
}

/** A started single sign-on (`POST /v1/auth/oidc/start`). */
export interface StartedOidcSignIn {
  /** Where to send the browser. */
  authorizationUrl: string;
  /** The state the provider hands back; the portal binds it to the browser. */
  state: string;
}

/** One audit log entry (`GET /v1/audit`). */
export interface AuditEntry {
  /** Increasing id; also the cursor of the next page. */
  id: string;
  at: string;
  actor: { kind: string; id: string | null; name: string | null };
  action: string;
  resource: { kind: string; name: string } | null;
  /** `allow` or `deny`. */
  decision: string;
  reason: string | null;
  sourceIp: string | null;
  details: unknown;
}

/** One page of the audit log, oldest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Give back as `after` for the next page; `null` on the last page. */
  next: string | null;
}

/** Filters of {@link GatewayClient.queryAudit}; all optional, combined with AND. */
export interface AuditFilters {
  /** Actor id (user or application id). */
  actor?: string;
  /** An exact action, or a prefix ending in `.` (e.g. `auth.`). */
  action?: string;
  /** Resource name (event type, domain, subject, user…). */
  resource?: string;
  decision?: 'allow' | 'deny';
  /** Continue after this entry id (a page's `next`). */
  after?: string;
  /** Entries per page; the gateway's default is 100. */
  limit?: number;
}

/** Resources access can be requested on. */
export type RequestableResourceKind = 'event-type' | 'domain' | 'subject';

/** What `POST /v1/access-requests` takes. */
export interface AccessRequestInput {
  resourceKind: RequestableResourceKind;
  resourceName: string;
  action: RequestableAction;
  /** Why the access is needed, for the people who decide. */
  reason: string;
  /** Ask on behalf of one of your applications (id or name) instead of yourself. */
  application?: string;
}

/** An access request and, once decided, its outcome. */
export interface AccessRequest {
  id: string;
  requesterId: string;
  applicationId: string | null;
  resourceKind: string;
  resourceName: string;
  action: string;
  reason: string;
  /** `pending`, `approved` or `rejected`. */
  status: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The grant an approval created. */
  grantId: string | null;
  createdAt: string;
}

/** A local account, as administrators see it (`GET /v1/admin/users`). */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
}

/** Statuses of access requests, for filtering. */
export type AccessRequestStatus = 'pending' | 'approved' | 'rejected';

/** Options of {@link createGatewayClient}. */
export interface GatewayClientOptions {
  /** Gateway base URL without a trailing slash, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** Abort a request after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  /** The fetch implementation. Default `globalThis.fetch` (patched by Next.js on the server). */
  fetch?: typeof fetch;
  /**
   * The portal session token (the `meshgate_session` cookie), sent to the gateway as a Cookie
   * header on every call. Default: none (the gateway answers 401 except on public routes).
   */
  sessionToken?: string | undefined;
}

/** An AsyncAPI document as the gateway wrote it. */
export interface AsyncApiDocument {
  /** `application/yaml` or `application/json`, with the charset the gateway named. */
  contentType: string;
  body: string;
}

/** Typed access to the gateway's HTTP API on behalf of one caller. Every call reads fresh data. */
export interface GatewayClient {
  readonly baseUrl: string;
  /** Lists every event type in the catalog the caller may see. */
  listEventTypes(): Promise<EventType[]>;
  /**
   * Reads one event type; `null` when the catalog has no event type of that name — or one the
   * caller may not see (the gateway keeps private entries' existence secret).
   */
  getEventType(name: string): Promise<EventType | null>;
  /** Ranked full-text search over the event types the caller may see, with filters. */
  searchCatalog(filters: SearchFilters): Promise<SearchResults>;
  /** The domains the caller may see, with counts of their visible event types and services. */
  listDomains(): Promise<Domain[]>;
  /** One domain with its visible event types and services; `null` when there is no such domain. */
  getDomain(name: string): Promise<DomainDetail | null>;
  /** One catalog service; `null` when there is no such service (or the caller may not see it). */
  getService(name: string): Promise<CatalogService | null>;
  /** The lineage graph of the whole catalog, or of one domain. */
  getLineageGraph(domain?: string): Promise<LineageGraph>;
  /** An event type's declared and observed producers and consumers. */
  getEventTypeLineage(name: string): Promise<EventTypeLineage>;
  /** The consumers a change to the event type would affect. */
  getImpact(name: string): Promise<ImpactedConsumer[]>;
  /**
   * Checks a proposed schema (its text) against the event type's subject under its compatibility
   * level — nothing is registered — and lists the consumers it would affect.
   */
  checkSchemaImpact(name: string, schema: string): Promise<SchemaImpact>;
  /** An event type's change history (its catalog entry and its schema subject), newest first. */
  getEventTypeHistory(name: string, page?: { limit?: number; before?: string }): Promise<ChangeEntry[]>;
  /** The AsyncAPI 3.0 document of what the caller may see (the whole catalog, or one domain). */
  getAsyncApi(options: { domain?: string | undefined; format: 'yaml' | 'json' }): Promise<AsyncApiDocument>;
  /** Reads the latest schema of a registry subject; `null` when nothing is registered under it. */
  getLatestSchema(subject: string): Promise<SchemaVersion | null>;
  /** The live version numbers of a subject, ascending; `[]` when nothing is registered under it. */
  listSchemaVersions(subject: string): Promise<number[]>;
  /** One version of a subject; `null` when the subject or the version does not exist. */
  getSchemaVersion(subject: string, version: number): Promise<SchemaVersion | null>;
  /**
   * The registry's verdict on `candidate` against version `against` of the subject, under the
   * subject's compatibility level, with every reason (`?verbose=true`).
   */
  checkCompatibility(
    subject: string,
    against: number,
    candidate: Pick<SchemaVersion, 'schemaType' | 'schema' | 'references'>,
  ): Promise<CompatibilityVerdict>;
  /** Runs a GraphQL query or mutation over HTTP (`POST /graphql`). */
  graphql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult>;
  /** Forwards a GraphQL HTTP request body as it is and answers the gateway's status and body (the explorer's proxy). */
  forwardGraphQL(body: string): Promise<{ status: number; body: string }>;
  /** Applications owned by the caller's teams. */
  listMyApplications(): Promise<ApplicationSummary[]>;
  /** Creates an application owned by one of the caller's teams. */
  createMyApplication(input: NewApplication): Promise<Application>;
  /** One of the caller's applications (id or name), with its keys and grants. */
  getMyApplication(application: string): Promise<ApplicationDetail>;
  /** Issues an API key for one of the caller's applications; the token is in the answer only. */
  issueApiKey(application: string, input: { name: string; expiresAt?: string }): Promise<IssuedApiKey>;
  /** Rotates a key: a new token now, the old one valid `graceSeconds` more (default 0). */
  rotateApiKey(application: string, keyId: string, graceSeconds?: number): Promise<IssuedApiKey>;
  /** Revokes a key at once. */
  revokeApiKey(application: string, keyId: string): Promise<ApiKey>;
  /** Signs in with email and password; a wrong pair throws {@link GatewayErrorCode.Unauthenticated}. */
  signIn(email: string, password: string): Promise<SignedIn>;
  /** Ends the session this client carries. */
  signOut(): Promise<void>;
  /** Whether single sign-on (OIDC) is configured, and the provider's name. */
  getOidcSignIn(): Promise<OidcSignInInfo>;
  /** Starts a single sign-on that comes back to `redirectUri` (registered at the provider). */
  startOidcSignIn(redirectUri: string): Promise<StartedOidcSignIn>;
  /**
   * Finishes a single sign-on with the full URL the provider redirected the browser to; a
   * refused one throws {@link GatewayErrorCode.Unauthenticated} with the gateway's reason.
   */
  finishOidcSignIn(callbackUrl: string, redirectUri: string): Promise<SignedIn>;
  /** Who the session belongs to, with the caller's grants. */
  getMe(): Promise<Me>;
  /** Reads one page of the audit log (administrators; others get {@link GatewayErrorCode.Forbidden}). */
  queryAudit(filters?: AuditFilters): Promise<AuditPage>;
  /** Asks for access; answers the pending request. */
  requestAccess(input: AccessRequestInput): Promise<AccessRequest>;
  /** The caller's own access requests and those the caller may decide, optionally by status. */
  listAccessRequests(status?: AccessRequestStatus): Promise<AccessRequest[]>;
  /** Approves (creating the grant) or rejects a pending access request. */
  decideAccessRequest(id: string, decision: { approve: boolean; note?: string }): Promise<AccessRequest>;
  /** Every local account (administrators only). */
  listUsers(): Promise<UserSummary[]>;
}

const JSON_MEDIA_TYPE = 'application/json';
const REGISTRY_MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json, application/json;q=0.9';

/** The portal session cookie, as the gateway names it. */
const SESSION_COOKIE = 'meshgate_session';

/** Registry error codes meaning "nothing registered": subject not found, version not found. */
const REGISTRY_ABSENT_CODES = new Set([40401, 40402]);

interface CallOptions {
  method?: 'GET' | 'POST';
  accept?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Content type of `body` (default `application/json`). */
  contentType?: string;
  /** Whether a 404 answer means "absent" (the call then resolves to `null`). */
  isAbsent?: (body: unknown) => boolean;
}

/** Creates a gateway client; it holds no connections, so there is nothing to close. */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const cookie = options.sessionToken ? `${SESSION_COOKIE}=${encodeURIComponent(options.sessionToken)}` : undefined;

  async function call(path: string, callOptions: CallOptions = {}): Promise<{ url: string; body: unknown } | null> {
    const url = `${baseUrl}${path}`;
    const headers: Record<string, string> = { accept: callOptions.accept ?? JSON_MEDIA_TYPE };
    if (cookie) headers.cookie = cookie;
    if (callOptions.body !== undefined) headers['content-type'] = callOptions.contentType ?? JSON_MEDIA_TYPE;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: callOptions.method ?? 'GET',
        // Pages must never show stale data, nor one caller's data to another.
        cache: 'no-store',
        headers,
        ...(callOptions.body !== undefined ? { body: JSON.stringify(callOptions.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new GatewayError(GatewayErrorCode.Unreachable, describeNetworkError(error, timeoutMs), {
        url,
        cause: error,
      });
    }

    const text = await response.text().catch(() => '');
    const body = parseJson(text);

    if (response.status === 404 && callOptions.isAbsent?.(body)) return null;
    if (!response.ok) throw statusError(url, response, body);
    if (body === undefined) {
      throw new GatewayError(GatewayErrorCode.BadResponse, 'Gateway answered with invalid JSON', {
        url,
        status: response.status,
      });
    }
    return { url, body };
  }

  /** Calls a route that always answers a body, and reads it with `read`. */
  async function read<T>(path: string, callOptions: CallOptions, reader: (body: JsonReader) => T): Promise<T> {
    const result = await call(path, callOptions);
    // Without `isAbsent`, `call` never resolves to null.
    return readShape(result!, reader);
  }

  return {
    baseUrl,

    async listEventTypes() {
      const result = await call('/v1/catalog/event-types');
      if (!result) return [];
      const { url, body } = result;
      if (!isRecord(body) || !Array.isArray(body.items)) {
        throw badShape(url, 'expected {"items": [...]}');
      }
      return body.items.map((item, index) => readEventType(item, url, `items[${index}]`));
    },

    async getEventType(name) {
      const result = await call(`/v1/catalog/event-types/${encodeURIComponent(name)}`, {
        isAbsent: (body) => isRecord(body) && body.code === 'EVENT_TYPE_NOT_FOUND',
      });
      return result && readEventType(result.body, result.url, '$');
    },

    searchCatalog(filters) {
      const search = searchQueryString(filters);
      return read(`/v1/catalog/search${search ? `?${search}` : ''}`, {}, readSearchResults);
    },

    listDomains() {
      return read('/v1/catalog/domains', {}, (body) => body.objects('items', readDomain));
    },

    async getDomain(name) {
      const result = await call(`/v1/catalog/domains/${encodeURIComponent(name)}`, {
        isAbsent: (body) => isRecord(body) && body.code === 'DOMAIN_NOT_FOUND',
      });
      return result && readShape(result, readDomainDetail);
    },

    async getService(name) {
      const result = await call(`/v1/catalog/services/${encodeURIComponent(name)}`, {
        isAbsent: (body) => isRecord(body) && body.code === 'SERVICE_NOT_FOUND',
      });
      return result && readShape(result, readCatalogService);
    },

    getLineageGraph(domain) {
      const search = domain ? `?domain=${encodeURIComponent(domain)}` : '';
      return read(`/v1/catalog/lineage${search}`, {}, readLineageGraph);
    },

    getEventTypeLineage(name) {
      return read(`/v1/catalog/event-types/${encodeURIComponent(name)}/lineage`, {}, readEventTypeLineage);
    },

    getImpact(name) {
      return read(`/v1/catalog/event-types/${encodeURIComponent(name)}/impact`, {}, readImpact);
    },

    checkSchemaImpact(name, schema) {
      return read(
        `/v1/catalog/event-types/${encodeURIComponent(name)}/impact`,
        { method: 'POST', body: { schema } },
        readSchemaImpact,
      );
    },

    getEventTypeHistory(name, page = {}) {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.before) query.set('before', page.before);
      const search = query.size > 0 ? `?${query}` : '';
      return read(`/v1/catalog/event-types/${encodeURIComponent(name)}/history${search}`, {}, readChanges);
    },

    async getAsyncApi({ domain, format }) {
      const query = new URLSearchParams({ format });
      if (domain) query.set('domain', domain);
      const url = `${baseUrl}/v1/catalog/asyncapi?${query}`;
      const headers: Record<string, string> = { accept: format === 'json' ? JSON_MEDIA_TYPE : 'application/yaml' };
      if (cookie) headers.cookie = cookie;
      let response: Response;
      try {
        response = await fetchImpl(url, { cache: 'no-store', headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new GatewayError(GatewayErrorCode.Unreachable, describeNetworkError(error, timeoutMs), {
          url,
          cause: error,
        });
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) throw statusError(url, response, parseJson(text));
      return { contentType: response.headers.get('content-type') ?? 'application/octet-stream', body: text };
    },

    async getLatestSchema(subject) {
      const result = await call(`/registry/subjects/${encodeURIComponent(subject)}/versions/latest`, {
        accept: REGISTRY_MEDIA_TYPE,
        isAbsent: isRegistryAbsent,
      });
      return result && readSchemaVersion(result.body, result.url);
    },

    async listSchemaVersions(subject) {
      const result = await call(`/registry/subjects/${encodeURIComponent(subject)}/versions`, {
        accept: REGISTRY_MEDIA_TYPE,
        isAbsent: isRegistryAbsent,
      });
      if (!result) return [];
      const { url, body } = result;
      if (!Array.isArray(body) || !body.every((item) => Number.isInteger(item))) {
        throw badShape(url, 'expected an array of version numbers');
      }
      return (body as number[]).toSorted((a, b) => a - b);
    },

    async getSchemaVersion(subject, version) {
      const result = await call(`/registry/subjects/${encodeURIComponent(subject)}/versions/${version}`, {
        accept: REGISTRY_MEDIA_TYPE,
        isAbsent: isRegistryAbsent,
      });
      return result && readSchemaVersion(result.body, result.url);
    },

    checkCompatibility(subject, against, candidate) {
      return read(
        `/registry/compatibility/subjects/${encodeURIComponent(subject)}/versions/${against}?verbose=true`,
        {
          method: 'POST',
          accept: REGISTRY_MEDIA_TYPE,
          contentType: 'application/vnd.schemaregistry.v1+json',
          body: {
            schemaType: candidate.schemaType,
            schema: candidate.schema,
            ...(candidate.references.length > 0 ? { references: candidate.references } : {}),
          },
        },
        readVerdict,
      );
    },

    async graphql(query, variables) {
      const result = await call('/graphql', { method: 'POST', body: { query, ...(variables ? { variables } : {}) } });
      const { url, body } = result!;
      if (!isRecord(body)) throw badShape(url, 'GraphQL answer is not an object');
      const data = body.data;
      const errors = Array.isArray(body.errors) ? body.errors : [];
      return {
        data: isRecord(data) ? data : null,
        errors: errors.map((error: unknown) => ({
          message: isRecord(error) && typeof error.message === 'string' ? error.message : String(error),
          code:
            isRecord(error) && isRecord(error.extensions) && typeof error.extensions.code === 'string'
              ? error.extensions.code
              : null,
        })),
      };
    },

    async forwardGraphQL(body) {
      const url = `${baseUrl}/graphql`;
      const headers: Record<string, string> = { accept: JSON_MEDIA_TYPE, 'content-type': JSON_MEDIA_TYPE };
      if (cookie) headers.cookie = cookie;
      try {
        const response = await fetchImpl(url, {
          method: 'POST',
          cache: 'no-store',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { status: response.status, body: await response.text() };
      } catch (error) {
        throw new GatewayError(GatewayErrorCode.Unreachable, describeNetworkError(error, timeoutMs), {
          url,
          cause: error,
        });
      }
    },

    listMyApplications() {
      return read('/v1/me/applications', {}, (body) =>
        body.objects('applications', (item) => ({ ...readApplication(item), activeKeys: item.integer('activeKeys') })),
      );
    },

    createMyApplication(input) {
      return read('/v1/me/applications', { method: 'POST', body: input }, readApplication);
    },

    getMyApplication(application) {
      return read(`/v1/me/applications/${encodeURIComponent(application)}`, {}, (body) => ({
        application: readApplication(body.object('application')),
        keys: body.objects('keys', readApiKey),
        grants: body.objects('grants', readGrant),
      }));
    },

    issueApiKey(application, input) {
      return read(
        `/v1/me/applications/${encodeURIComponent(application)}/keys`,
        { method: 'POST', body: input },
        readIssuedApiKey,
      );
    },

    rotateApiKey(application, keyId, graceSeconds = 0) {
      return read(
        `/v1/me/applications/${encodeURIComponent(application)}/keys/${encodeURIComponent(keyId)}/rotate`,
        { method: 'POST', body: { graceSeconds } },
        readIssuedApiKey,
      );
    },

    revokeApiKey(application, keyId) {
      return read(
        `/v1/me/applications/${encodeURIComponent(application)}/keys/${encodeURIComponent(keyId)}/revoke`,
        { method: 'POST', body: {} },
        readApiKey,
      );
    },

    signIn(email, password) {
      return read('/v1/auth/login', { method: 'POST', body: { email, password } }, readSignedIn);
    },

    async signOut() {
      await call('/v1/auth/logout', { method: 'POST' });
    },

    getOidcSignIn() {
      return read('/v1/auth/oidc', {}, (body) => ({
        enabled: body.boolean('enabled'),
        issuer: body.optionalString('issuer'),
        name: body.optionalString('name'),
      }));
    },

    startOidcSignIn(redirectUri) {
      return read('/v1/auth/oidc/start', { method: 'POST', body: { redirectUri } }, (body) => ({
        authorizationUrl: body.string('authorizationUrl'),
        state: body.string('state'),
      }));
    },

    finishOidcSignIn(callbackUrl, redirectUri) {
      return read('/v1/auth/oidc/callback', { method: 'POST', body: { callbackUrl, redirectUri } }, readSignedIn);
    },

    getMe() {
      return read('/v1/me', {}, (body) => ({
        kind: body.string('kind'),
        id: body.string('id'),
        name: body.string('name'),
        teams: body.strings('teams'),
        via: body.string('via'),
        admin: body.boolean('admin'),
        grants: body.objects('grants', readGrant),
      }));
    },

    queryAudit(filters = {}) {
      const query = new URLSearchParams();
      for (const key of ['actor', 'action', 'resource', 'decision', 'after'] as const) {
        const value = filters[key];
        if (value) query.set(key, value);
      }
      if (filters.limit !== undefined) query.set('limit', String(filters.limit));
      const search = query.size > 0 ? `?${query}` : '';
      return read(`/v1/audit${search}`, {}, (body) => ({
        entries: body.objects('entries', readAuditEntry),
        next: body.optionalString('next'),
      }));
    },

    requestAccess(input) {
      return read('/v1/access-requests', { method: 'POST', body: input }, readAccessRequest);
    },

    listAccessRequests(status) {
      const search = status ? `?status=${encodeURIComponent(status)}` : '';
      return read(`/v1/access-requests${search}`, {}, (body) => body.objects('requests', readAccessRequest));
    },

    decideAccessRequest(id, decision) {
      return read(
        `/v1/access-requests/${encodeURIComponent(id)}/decision`,
        {
          method: 'POST',
          body: { approve: decision.approve, ...(decision.note ? { note: decision.note } : {}) },
        },
        readAccessRequest,
      );
    },

    listUsers() {
      return read('/v1/admin/users', {}, (body) =>
        body.objects('users', (user) => ({
          id: user.string('id'),
          email: user.string('email'),
          name: user.string('name'),
        })),
      );
    },
  };
}

/** Reads an answer's body with `reader`, naming the URL and the offending field when it is not the documented shape. */
function readShape<T>({ url, body }: { url: string; body: unknown }, reader: (body: JsonReader) => T): T {
  try {
    return reader(JsonReader.of(body));
  } catch (error) {
    if (error instanceof ShapeError) throw badShape(url, error.message);
    throw error;
  }
}

function isRegistryAbsent(body: unknown): boolean {
  return isRecord(body) && typeof body.error_code === 'number' && REGISTRY_ABSENT_CODES.has(body.error_code);
}

function readVerdict(body: JsonReader): CompatibilityVerdict {
  const raw = body.raw('incompatibilities');
  const incompatibilities = Array.isArray(raw)
    ? body.objects('incompatibilities', (item) => ({
        path: item.string('path'),
        rule: item.string('rule'),
        message: item.string('message'),
        fix: item.optionalString('fix'),
        direction: item.optionalString('direction'),
      }))
    : // A registry without Meshgate's structured reasons: Confluent's messages, one per reason.
      (Array.isArray(body.raw('messages')) ? body.strings('messages') : []).map((message) => ({
        path: '',
        rule: 'INCOMPATIBLE',
        message,
        fix: null,
        direction: null,
      }));
  return {
    compatible: body.boolean('is_compatible'),
    level: body.optionalString('compatibilityLevel') ?? 'unknown',
    incompatibilities,
  };
}

function readApplication(item: JsonReader): Application {
  return {
    id: item.string('id'),
    name: item.string('name'),
    description: item.optionalString('description'),
    ownerTeam: item.optionalString('ownerTeam'),
    produceRatePerSecond: item.optionalInteger('produceRatePerSecond'),
    maxSubscriptions: item.optionalInteger('maxSubscriptions'),
    maxConnections: item.optionalInteger('maxConnections'),
    createdAt: item.string('createdAt'),
    disabledAt: item.optionalString('disabledAt'),
  };
}

function readApiKey(item: JsonReader): ApiKey {
  return {
    keyId: item.string('keyId'),
    name: item.string('name'),
    createdAt: item.string('createdAt'),
    expiresAt: item.optionalString('expiresAt'),
    revokedAt: item.optionalString('revokedAt'),
  };
}

function readIssuedApiKey(item: JsonReader): IssuedApiKey {
  return { ...readApiKey(item), token: item.string('token') };
}

function readSignedIn(body: JsonReader): SignedIn {
  const user = body.object('user');
  return {
    user: { id: user.string('id'), email: user.string('email'), teams: user.strings('teams') },
    expiresAt: body.string('expiresAt'),
    token: body.string('token'),
  };
}

function readGrant(grant: JsonReader): Grant {
  return {
    id: grant.string('id'),
    subjectKind: grant.string('subjectKind'),
    subjectId: grant.string('subjectId'),
    resourceKind: grant.string('resourceKind'),
    resourceName: grant.string('resourceName'),
    action: grant.string('action'),
    unmask: grant.strings('unmask'),
    rowFilter: grant.optionalString('rowFilter'),
    expiresAt: grant.optionalString('expiresAt'),
  };
}

function readAuditEntry(entry: JsonReader): AuditEntry {
  const actor = entry.object('actor');
  const resource = entry.optionalObject('resource');
  return {
    id: entry.string('id'),
    at: entry.string('at'),
    actor: { kind: actor.string('kind'), id: actor.optionalString('id'), name: actor.optionalString('name') },
    action: entry.string('action'),
    resource: resource && { kind: resource.string('kind'), name: resource.string('name') },
    decision: entry.string('decision'),
    reason: entry.optionalString('reason'),
    sourceIp: entry.optionalString('sourceIp'),
    details: entry.raw('details') ?? null,
  };
}

function readAccessRequest(request: JsonReader): AccessRequest {
  return {
    id: request.string('id'),
    requesterId: request.string('requesterId'),
    applicationId: request.optionalString('applicationId'),
    resourceKind: request.string('resourceKind'),
    resourceName: request.string('resourceName'),
    action: request.string('action'),
    reason: request.string('reason'),
    status: request.string('status'),
    decidedBy: request.optionalString('decidedBy'),
    decidedAt: request.optionalString('decidedAt'),
    decisionNote: request.optionalString('decisionNote'),
    grantId: request.optionalString('grantId'),
    createdAt: request.string('createdAt'),
  };
}

/** The error for a non-2xx answer: 401 and 403 get their own codes, the rest keep the status. */
function statusError(url: string, response: Response, body: unknown): GatewayError {
  const gatewayMessage = isRecord(body) && typeof body.message === 'string' ? body.message : undefined;
  const gatewayCode = isRecord(body) && typeof body.code === 'string' ? body.code : undefined;
  const code =
    response.status === 401
      ? GatewayErrorCode.Unauthenticated
      : response.status === 403
        ? GatewayErrorCode.Forbidden
        : GatewayErrorCode.UnexpectedStatus;
  const detail = gatewayMessage ? `: ${gatewayMessage}` : '';
  return new GatewayError(code, `Gateway answered ${response.status} ${response.statusText}${detail}`.trim(), {
    url,
    status: response.status,
    ...(gatewayCode ? { gatewayCode } : {}),
    ...(gatewayMessage ? { gatewayMessage } : {}),
  });
}

function readEventType(value: unknown, url: string, where: string): EventType {
  if (!isRecord(value)) throw badShape(url, `${where} is not an object`);
  const text = (key: string): string => {
    const field = value[key];
    if (typeof field !== 'string') throw badShape(url, `${where}.${key} is not a string`);
    return field;
  };
  const description = value.description;
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw badShape(url, `${where}.description is not a string or null`);
  }
  const partitions = value.partitions;
  if (partitions !== undefined && partitions !== null && !Number.isInteger(partitions)) {
    throw badShape(url, `${where}.partitions is not an integer`);
  }
  const valueFormat = value.valueFormat;
  if (valueFormat !== undefined && typeof valueFormat !== 'string') {
    throw badShape(url, `${where}.valueFormat is not a string`);
  }
  const name = text('name');
  // The catalog fields (issue #6); an entry written before them reads with their defaults.
  let catalog: Pick<
    EventType,
    | 'domain'
    | 'version'
    | 'lifecycle'
    | 'lifecycleNote'
    | 'visibility'
    | 'tags'
    | 'schemaVersion'
    | 'keyPath'
    | 'producers'
    | 'consumers'
  >;
  try {
    const fields = JsonReader.of(value, where);
    catalog = {
      domain: fields.optionalString('domain') ?? name.split('.')[0] ?? name,
      version: fields.optionalString('version') ?? '',
      lifecycle: fields.optionalString('lifecycle') ?? 'active',
      lifecycleNote: fields.optionalString('lifecycleNote'),
      visibility: fields.optionalString('visibility') ?? 'public',
      tags: fields.optionalStrings('tags'),
      schemaVersion: fields.optionalInteger('schemaVersion'),
      keyPath: fields.optionalString('keyPath'),
      producers: fields.optionalStrings('producers'),
      consumers: fields.optionalStrings('consumers'),
    };
  } catch (error) {
    if (error instanceof ShapeError) throw badShape(url, error.message);
    throw error;
  }
  return {
    name,
    summary: text('summary'),
    description: description ?? null,
    owner: text('owner'),
    ...catalog,
    topic: text('topic'),
    subject: text('subject'),
    partitions: (partitions as number | null | undefined) ?? null,
    valueFormat: valueFormat ?? 'json',
    examples: readExamples(value.examples, url, `${where}.examples`),
    createdAt: text('createdAt'),
    updatedAt: text('updatedAt'),
  };
}

/** Examples are optional (older gateways have none); each needs a name and a payload. */
function readExamples(value: unknown, url: string, where: string): EventExample[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badShape(url, `${where} is not an array`);
  return value.map((item: unknown, index) => {
    if (!isRecord(item) || typeof item.name !== 'string' || !('payload' in item)) {
      throw badShape(url, `${where}[${index}] is not {name, payload}`);
    }
    return {
      name: item.name,
      summary: typeof item.summary === 'string' ? item.summary : null,
      payload: item.payload,
    };
  });
}

function readSchemaVersion(value: unknown, url: string): SchemaVersion {
  if (!isRecord(value)) throw badShape(url, 'schema version is not an object');
  const { subject, version, id, schemaType, schema, references } = value;
  if (typeof subject !== 'string') throw badShape(url, 'subject is not a string');
  if (!Number.isInteger(version)) throw badShape(url, 'version is not an integer');
  if (!Number.isInteger(id)) throw badShape(url, 'id is not an integer');
  if (typeof schema !== 'string') throw badShape(url, 'schema is not a string');
  if (schemaType !== undefined && typeof schemaType !== 'string') {
    throw badShape(url, 'schemaType is not a string');
  }
  if (references !== undefined && !Array.isArray(references)) throw badShape(url, 'references is not an array');
  return {
    subject,
    version: version as number,
    id: id as number,
    schemaType: schemaType ?? 'AVRO',
    schema,
    references: (references ?? []).map((reference: unknown, index) => {
      if (
        !isRecord(reference) ||
        typeof reference.name !== 'string' ||
        typeof reference.subject !== 'string' ||
        !Number.isInteger(reference.version)
      ) {
        throw badShape(url, `references[${index}] is not {name, subject, version}`);
      }
      return { name: reference.name, subject: reference.subject, version: reference.version as number };
    }),
  };
}

function badShape(url: string, reason: string): GatewayError {
  return new GatewayError(GatewayErrorCode.BadResponse, `Unexpected gateway response: ${reason}`, {
    url,
  });
}

/** Turns undici's opaque "fetch failed" into the underlying reason (ECONNREFUSED, timeout…). */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `No response within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    // Node reports "localhost" failing on both ::1 and 127.0.0.1 as an AggregateError
    // with an empty message; its members carry the useful text.
    const message =
      cause.message ||
      (cause instanceof AggregateError ? cause.errors.map((member: unknown) => String(member)).join('; ') : '');
    if (!message) return code ?? String(cause);
    return code && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
