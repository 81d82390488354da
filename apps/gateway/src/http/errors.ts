import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MeshgateError, errorCodes, type ErrorCode } from '@meshgate/core';
import type { Logger } from '../logger';

/** The JSON body of every non-registry error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

// Confluent Schema Registry's numeric error codes, for routes under /registry.
const confluentCodes: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 40101,
  FORBIDDEN: 40301,
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_ID_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  VERSION_SOFT_DELETED: 40406,
  VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_CONFIG_NOT_FOUND: 40408,
  SUBJECT_MODE_NOT_FOUND: 40409,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  INVALID_REFERENCE: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  INVALID_MODE: 42204,
  OPERATION_NOT_PERMITTED: 42205,
  REFERENCE_EXISTS: 42206,
  ID_MISMATCH: 42207,
  INVALID_SUBJECT: 42208,
  SCHEMA_TOO_LARGE: 42209,
  INTERNAL: 50001,
  UNAVAILABLE: 50003,
};

// Fastify's own errors for bad requests, mapped onto Meshgate codes.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_VALIDATION: 'INVALID_REQUEST',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

/**
 * Normalises anything thrown into a MeshgateError. Unknown errors become INTERNAL with a
 * generic message: 5xx responses never leak internals (the original is logged).
 */
export function toMeshgateError(error: unknown): MeshgateError {
  if (error instanceof MeshgateError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) {
    const message =
      mapped === 'INVALID_JSON'
        ? `The body is not valid JSON: ${fastifyError.message ?? ''}`.trim()
        : mapped === 'PAYLOAD_TOO_LARGE'
          ? 'The body is larger than the configured limit (MESHGATE_BODY_LIMIT).'
          : (fastifyError.message ?? errorCodes[mapped].summary);
    return new MeshgateError(mapped, message, {
      cause: error,
      details: fastifyError.validation ? { errors: fastifyError.validation } : undefined,
    });
  }
  if (error instanceof SyntaxError && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode === 400) {
    return new MeshgateError('INVALID_JSON', `The body is not valid JSON: ${error.message}`, { cause: error });
  }
  return new MeshgateError('INTERNAL', 'Internal error; see the gateway log.', { cause: error });
}

/** The HTTP error body for a Meshgate error, in Confluent's shape under /registry. */
export function errorBody(
  error: MeshgateError,
  url: string,
): ErrorBody | { error_code: number; message: string; code: ErrorCode } {
  if (url.startsWith('/registry')) {
    // Confluent's shape, plus Meshgate's stable code (clients ignore fields they do not know).
    return { error_code: confluentCodes[error.code] ?? error.status, message: error.message, code: error.code };
  }
  return error.details === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, details: error.details };
}

/** The one place that maps errors onto HTTP responses. */
export function createErrorHandler(logger: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const meshgateError = toMeshgateError(error);
    if (meshgateError.status >= 500) {
      logger.error({ err: error, url: request.url, method: request.method }, 'request failed');
    }
    if (meshgateError.code === 'UNAUTHENTICATED') {
      void reply.header('www-authenticate', 'Bearer realm="meshgate", Basic realm="meshgate"');
    }
    const retryAfter = (meshgateError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (meshgateError.status === 429 && typeof retryAfter === 'number') {
      void reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    }
    const contentType = request.url.startsWith('/registry')
      ? 'application/vnd.schemaregistry.v1+json'
      : 'application/json; charset=utf-8';
    void reply.status(meshgateError.status).type(contentType).send(errorBody(meshgateError, request.url));
  };
}
