import { MeshgateError, errorCodes, type ErrorCode } from '@meshgate/core';

/** Options of a {@link CatalogClient}. */
export interface CatalogClientOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`; wins over `user`. */
  token?: string | undefined;
  /** `key:secret`, sent as HTTP Basic credentials. */
  user?: string | undefined;
  /** How long one request may take, in milliseconds. Default: 60 000 (an apply is one transaction). */
  timeoutMs?: number;
}

/** One field that differs, as the gateway reports it. */
export interface FieldDiff {
  path: string;
  before: unknown;
  after: unknown;
}

/** What an apply did (or would do) to one entry. */
export interface ApplyChange {
  kind: 'domain' | 'service' | 'event-type' | 'schema';
  name: string;
  action: 'create' | 'update' | 'delete' | 'unchanged';
  diff: FieldDiff[];
}

/** The answer of `POST /v1/catalog/apply`. */
export interface ApplyResponse {
  dryRun: boolean;
  changes: ApplyChange[];
}

/** A client for the gateway's catalog API (`/v1/catalog`). Failures are MeshgateErrors carrying the gateway's code and details. */
export class CatalogClient {
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: CatalogClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.authorization = options.token
      ? `Bearer ${options.token}`
      : options.user
        ? `Basic ${Buffer.from(options.user).toString('base64')}`
        : undefined;
  }

  /** Sends a catalog document (its text, YAML or JSON) to `POST /v1/catalog/apply`. */
  apply(document: string, options: { json: boolean; dryRun: boolean; prune: boolean }): Promise<ApplyResponse> {
    const query = `dryRun=${options.dryRun}&prune=${options.prune}`;
    return this.request(
      'POST',
      `/v1/catalog/apply?${query}`,
      document,
      options.json ? 'application/json' : 'application/yaml',
    );
  }

  private async request<T>(method: 'POST', path: string, body: string, contentType: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
    if (this.authorization) headers.authorization = this.authorization;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new MeshgateError(
          'UNAVAILABLE',
          `the gateway at ${this.baseUrl} did not answer within ${this.timeoutMs / 1000}s; check --url or raise --timeout`,
          { cause: error },
        );
      }
      throw new MeshgateError(
        'UNAVAILABLE',
        `cannot reach the gateway at ${this.baseUrl} (${networkReason(error)}); set --url or MESHGATE_URL`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return parsed as T;
    const error = parsed as { code?: unknown; message?: unknown; details?: unknown } | undefined;
    const code: ErrorCode =
      typeof error?.code === 'string' && error.code in errorCodes
        ? (error.code as ErrorCode)
        : response.status === 404
          ? 'NOT_FOUND'
          : response.status >= 500
            ? 'INTERNAL'
            : 'INVALID_REQUEST';
    const message =
      typeof error?.message === 'string'
        ? error.message
        : `HTTP ${response.status} from ${this.baseUrl}${path}${text ? `: ${text.slice(0, 200)}` : ''}; check --url (the gateway's base URL)`;
    const hint = response.status === 401 ? '; set --token/MESHGATE_TOKEN or --user/MESHGATE_USER' : '';
    throw new MeshgateError(code, `${message}${hint}`, { details: error?.details });
  }
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
