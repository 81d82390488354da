import { isMeshgateError, MeshgateError, UnavailableError } from '@meshgate/core';

// SQLSTATE classes and codes after which the same call may well succeed: lost connections,
// server shutdown, too many connections, serialization failures and deadlocks.
const RETRIABLE_CLASSES = ['08', '53', '57', '40'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when `error` means PostgreSQL is (for now) unreachable or the call raced and may be retried. */
export function isRetriablePgError(error: unknown): boolean {
  if (isMeshgateError(error)) return error.retriable;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return RETRIABLE_CLASSES.includes(code.slice(0, 2));
  }
  const message = error instanceof Error ? error.message : '';
  // node-postgres reports a dropped socket with plain Errors and no code.
  return /Connection terminated|connection is closed|Client has encountered a connection error|timeout/i.test(message);
}

/** Maps a failure of the embedded log to a Meshgate error: UNAVAILABLE (retriable) or INTERNAL. */
export function toEventLogError(error: unknown, action: string): MeshgateError {
  if (isMeshgateError(error)) return error;
  if (isRetriablePgError(error)) {
    return new UnavailableError(`The event log's database is unreachable (${action}).`, { cause: error });
  }
  return new MeshgateError('INTERNAL', `The event log failed to ${action}.`, { cause: error, retriable: false });
}
