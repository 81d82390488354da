import { errorCodes, type ErrorCode } from './error-codes';

/** Options shared by every Meshgate error. */
export interface MeshgateErrorOptions {
  /** Structured, client-safe detail (e.g. validation failures). */
  details?: unknown;
  /** The underlying error; never sent to clients. */
  cause?: unknown;
  /** Whether retrying the same call may succeed. */
  retriable?: boolean;
}

/** The one error base class: a stable `code`, its HTTP `status`, optional client-safe `details`. */
export class MeshgateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: MeshgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = errorCodes[code].status;
    this.details = options.details;
    this.retriable = options.retriable ?? this.status >= 500;
  }
}

/** The caller sent something malformed (400 family). */
export class InputError extends MeshgateError {
  constructor(message: string, options: MeshgateErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? 'INVALID_REQUEST', message, options);
  }
}

/** The named thing does not exist (404 family). */
export class NotFoundError extends MeshgateError {
  constructor(code: ErrorCode, message: string, options: MeshgateErrorOptions = {}) {
    super(code, message, options);
  }
}

/** The request conflicts with current state (409 family; `code` defaults to CONFLICT). */
export class ConflictError extends MeshgateError {
  constructor(message: string, options: MeshgateErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? 'CONFLICT', message, options);
  }
}

/** A dependency such as PostgreSQL or Kafka is unreachable (503). */
export class UnavailableError extends MeshgateError {
  constructor(message: string, options: MeshgateErrorOptions = {}) {
    super('UNAVAILABLE', message, { retriable: true, ...options });
  }
}

/** True for any Meshgate error. */
export function isMeshgateError(error: unknown): error is MeshgateError {
  return error instanceof MeshgateError;
}
