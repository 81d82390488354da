import { MeshgateError, type ErrorCode } from '@meshgate/core';
import type { SchemaType, VersionedIncompatibility } from './compat';

/** Confluent's content type for requests and responses. */
const contentType = 'application/vnd.schemaregistry.v1+json';

/** Options of a {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:4000/registry`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`; wins over `user`. Default: none. */
  token?: string;
  /** `key:secret`, sent as HTTP Basic credentials. Default: none. */
  user?: string;
  /** How long one request may take, in milliseconds. Default: 10 000. */
  timeoutMs?: number;
}

/** A reference from one schema to another registered schema, as Confluent sends it. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A schema to check or register. */
export interface SchemaPayload {
  schema: string;
  schemaType: SchemaType;
  references?: SchemaReference[];
}

/** The answer of `POST /compatibility/subjects/{subject}/versions[/{version}]?verbose=true`. */
export interface CompatibilityAnswer {
  is_compatible: boolean;
  messages?: string[];
  /** Meshgate's structured extension; absent from other registries. */
  incompatibilities?: VersionedIncompatibility[];
}

/** The answer of `GET /subjects/{subject}/versions/{version}`. */
export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  /** Omitted for AVRO, as Confluent does. */
  schemaType?: SchemaType;
  schema: string;
  references?: SchemaReference[];
}

/** The answer of `GET /schemas/ids/{id}`. */
export interface SchemaById {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
}

/** A version selector: a positive integer or `latest`. */
export type VersionSelector = number | 'latest';

/** Confluent error codes and the Meshgate codes they stand for. */
const confluentCodes: Record<number, ErrorCode> = {
  40401: 'SUBJECT_NOT_FOUND',
  40402: 'VERSION_NOT_FOUND',
  40403: 'SCHEMA_ID_NOT_FOUND',
  409: 'CONFLICT',
  42201: 'INVALID_SCHEMA',
  42202: 'INVALID_VERSION',
  42203: 'INVALID_REQUEST',
  42205: 'FORBIDDEN',
  50001: 'INTERNAL',
  50002: 'UNAVAILABLE',
  50003: 'UNAVAILABLE',
};

/**
 * A typed client for the Confluent Schema Registry API endpoints the CLI uses. Every failure is
 * a MeshgateError whose message says what to fix: UNAVAILABLE when the registry cannot be
 * reached or does not answer in time, the Confluent error code's meaning otherwise.
 */
export class RegistryClient {
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: RegistryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.authorization = options.token
      ? `Bearer ${options.token}`
      : options.user
        ? `Basic ${Buffer.from(options.user).toString('base64')}`
        : undefined;
  }

  /** Checks a schema against the subject's versions (per its level), or against one version. */
  checkCompatibility(subject: string, payload: SchemaPayload, version?: VersionSelector): Promise<CompatibilityAnswer> {
    const versionPath = version === undefined ? '' : `/${version}`;
    return this.request('POST', `/compatibility/subjects/${enc(subject)}/versions${versionPath}?verbose=true`, payload);
  }

  /** Registers a schema under a subject; a 409 (CONFLICT) means it is incompatible. */
  register(subject: string, payload: SchemaPayload, options: { normalize?: boolean } = {}): Promise<{ id: number }> {
    const query = options.normalize ? '?normalize=true' : '';
    return this.request('POST', `/subjects/${enc(subject)}/versions${query}`, payload);
  }

  /** One version of a subject. */
  getVersion(subject: string, version: VersionSelector): Promise<SubjectVersion> {
    return this.request('GET', `/subjects/${enc(subject)}/versions/${version}`);
  }

  /** A schema by its global id. */
  getSchemaById(id: number): Promise<SchemaById> {
    return this.request('GET', `/schemas/ids/${id}`);
  }

  /** The subject's compatibility level, falling back to the global one. */
  getCompatibilityLevel(subject: string): Promise<{ compatibilityLevel: string }> {
    return this.request('GET', `/config/${enc(subject)}?defaultToGlobal=true`);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: `${contentType}, application/json` };
    if (body !== undefined) headers['content-type'] = contentType;
    if (this.authorization) headers.authorization = this.authorization;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw this.networkError(error);
    }
    const parsed = parseJson(text);
    if (!response.ok) throw this.httpError(response, parsed, text);
    if (parsed === undefined) {
      throw new MeshgateError(
        'UNAVAILABLE',
        `the server at ${this.baseUrl} did not answer ${method} ${path} with JSON (HTTP ${response.status}); check --registry (it should end in /registry)`,
      );
    }
    return parsed as T;
  }

  private networkError(error: unknown): MeshgateError {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return new MeshgateError(
        'UNAVAILABLE',
        `the registry at ${this.baseUrl} did not answer within ${this.timeoutMs / 1000}s; check --registry or raise --timeout`,
        { cause: error },
      );
    }
    const reason = networkReason(error);
    return new MeshgateError(
      'UNAVAILABLE',
      `cannot reach the registry at ${this.baseUrl} (${reason}); set --registry or MESHGATE_REGISTRY_URL`,
      { cause: error },
    );
  }

  private httpError(response: Response, parsed: unknown, text: string): MeshgateError {
    const confluent = asConfluentError(parsed);
    const detail = confluent
      ? `${confluent.message} (error ${confluent.error_code})`
      : `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    if (response.status === 401) {
      return new MeshgateError(
        'UNAUTHENTICATED',
        `the registry at ${this.baseUrl} wants credentials: ${detail}; set --token/MESHGATE_TOKEN or --user/MESHGATE_USER`,
      );
    }
    if (response.status === 403) {
      return new MeshgateError('FORBIDDEN', `the registry at ${this.baseUrl} refused the request: ${detail}`);
    }
    const code =
      (confluent && confluentCodes[confluent.error_code]) ??
      (response.status === 404 ? 'NOT_FOUND' : response.status >= 500 ? 'INTERNAL' : 'INVALID_REQUEST');
    const hint = code === 'NOT_FOUND' && !confluent ? '; check --registry (it should end in /registry)' : '';
    return new MeshgateError(code, `registry: ${detail}${hint}`, {
      details: { status: response.status, errorCode: confluent?.error_code },
    });
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asConfluentError(value: unknown): { error_code: number; message: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { error_code: code, message } = value as { error_code?: unknown; message?: unknown };
  return typeof code === 'number'
    ? { error_code: code, message: typeof message === 'string' ? message : '' }
    : undefined;
}

/** The most specific reason Node gives for a failed fetch: ECONNREFUSED, ENOTFOUND, … */
function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current.cause === undefined) return current.message;
    current = current.cause;
  }
  return String(current);
}
