import { InputError } from '@meshgate/core';

/**
 * An optional ISO 8601 date-time from a request (null when absent or null); INVALID_REQUEST
 * naming `what`, with `details` when given, when it is no date. Whether it must lie in the
 * future is the store's call.
 */
export function parseDateTime(value: string | null | undefined, what: string, details?: unknown): Date | null {
  if (value === undefined || value === null) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InputError(`${what} is not an ISO 8601 date-time.`, { details });
  return date;
}
