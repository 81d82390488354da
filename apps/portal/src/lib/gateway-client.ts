import { GatewayError, GatewayErrorCode } from './gateway-error';

/** An event type as the catalog API returns it (`GET /v1/catalog/event-types/{name}`). */
export interface EventType {
  name: string;
  summary: string;
  description: string | null;
  owner: string;
  topic: string;
  /** Registry subject holding the event's schema; `{topic}-value` by default. */
  subject: string;
  /** Partitions of the topic, when the gateway reports them. */
  partitions: number | null;
  createdAt: string;
  updatedAt: string;
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
}

/** Options of {@link createGatewayClient}. */
export interface GatewayClientOptions {
  /** Gateway base URL without a trailing slash, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** Abort a request after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  /** The fetch implementation. Default `globalThis.fetch` (patched by Next.js on the server). */
  fetch?: typeof fetch;
}

/** Typed, read-only access to the gateway's HTTP API. Every call reads fresh data. */
export interface GatewayClient {
  readonly baseUrl: string;
  /** Lists every event type in the catalog. */
  listEventTypes(): Promise<EventType[]>;
  /** Reads one event type; `null` when the catalog has no event type of that name. */
  getEventType(name: string): Promise<EventType | null>;
  /** Reads the latest schema of a registry subject; `null` when nothing is registered under it. */
  getLatestSchema(subject: string): Promise<SchemaVersion | null>;
}

const CATALOG_MEDIA_TYPE = 'application/json';
const REGISTRY_MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json, application/json;q=0.9';

/** Registry error codes meaning "nothing registered": subject not found, version not found. */
const REGISTRY_ABSENT_CODES = new Set([40401, 40402]);

/** Creates a gateway client; it holds no connections, so there is nothing to close. */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  async function getJson(
    path: string,
    accept: string,
    isAbsent: (body: unknown) => boolean,
  ): Promise<{ url: string; body: unknown } | null> {
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        // Catalog pages must never show stale data.
        cache: 'no-store',
        headers: { accept },
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

    if (response.status === 404 && isAbsent(body)) return null;
    if (!response.ok) {
      const detail = isRecord(body) && typeof body.message === 'string' ? `: ${body.message}` : '';
      throw new GatewayError(
        GatewayErrorCode.UnexpectedStatus,
        `Gateway answered ${response.status} ${response.statusText}${detail}`.trim(),
        { url, status: response.status },
      );
    }
    if (body === undefined) {
      throw new GatewayError(GatewayErrorCode.BadResponse, 'Gateway answered with invalid JSON', {
        url,
        status: response.status,
      });
    }
    return { url, body };
  }

  return {
    baseUrl,

    async listEventTypes() {
      const result = await getJson('/v1/catalog/event-types', CATALOG_MEDIA_TYPE, () => false);
      if (!result) return [];
      const { url, body } = result;
      if (!isRecord(body) || !Array.isArray(body.items)) {
        throw badShape(url, 'expected {"items": [...]}');
      }
      return body.items.map((item, index) => readEventType(item, url, `items[${index}]`));
    },

    async getEventType(name) {
      const result = await getJson(
        `/v1/catalog/event-types/${encodeURIComponent(name)}`,
        CATALOG_MEDIA_TYPE,
        (body) => isRecord(body) && body.code === 'EVENT_TYPE_NOT_FOUND',
      );
      return result && readEventType(result.body, result.url, '$');
    },

    async getLatestSchema(subject) {
      const result = await getJson(
        `/registry/subjects/${encodeURIComponent(subject)}/versions/latest`,
        REGISTRY_MEDIA_TYPE,
        (body) => isRecord(body) && typeof body.error_code === 'number' && REGISTRY_ABSENT_CODES.has(body.error_code),
      );
      return result && readSchemaVersion(result.body, result.url);
    },
  };
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
  return {
    name: text('name'),
    summary: text('summary'),
    description: description ?? null,
    owner: text('owner'),
    topic: text('topic'),
    subject: text('subject'),
    partitions: (partitions as number | null | undefined) ?? null,
    createdAt: text('createdAt'),
    updatedAt: text('updatedAt'),
  };
}

function readSchemaVersion(value: unknown, url: string): SchemaVersion {
  if (!isRecord(value)) throw badShape(url, 'schema version is not an object');
  const { subject, version, id, schemaType, schema } = value;
  if (typeof subject !== 'string') throw badShape(url, 'subject is not a string');
  if (!Number.isInteger(version)) throw badShape(url, 'version is not an integer');
  if (!Number.isInteger(id)) throw badShape(url, 'id is not an integer');
  if (typeof schema !== 'string') throw badShape(url, 'schema is not a string');
  if (schemaType !== undefined && typeof schemaType !== 'string') {
    throw badShape(url, 'schemaType is not a string');
  }
  return {
    subject,
    version: version as number,
    id: id as number,
    schemaType: schemaType ?? 'AVRO',
    schema,
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
