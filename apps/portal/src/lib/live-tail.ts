/** One event as the live tail subscribes to it (the gateway's generic `Event` type). */
export interface TailEvent {
  cursor: string;
  partition: number;
  offset: string;
  time: string;
  key: string | null;
  data: unknown;
}

/** What graphql-ws hands the error sink: GraphQL errors, a close event, or a network error. */
type StreamFailure = unknown;

/**
 * Why a live stream stopped, in words for the person watching it: the gateway's own GraphQL
 * error (FORBIDDEN, ACCESS_REVOKED…), or the WebSocket close code the gateway used (4403: the
 * session did not reach or did not satisfy the gateway; 4429: connection quota), or an
 * unreachable gateway.
 */
export function describeStreamFailure(failure: StreamFailure, wsUrl: string): string {
  if (Array.isArray(failure) && failure.length > 0) {
    const first = failure[0] as { message?: unknown; extensions?: { code?: unknown } };
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : undefined;
    const message = typeof first.message === 'string' ? first.message : 'The gateway refused the subscription.';
    if (code === 'FORBIDDEN') return `${message} Request read access to watch this event type.`;
    return code ? `${message} (${code})` : message;
  }
  if (isCloseEvent(failure)) {
    switch (failure.code) {
      case 4403:
        return (
          'The gateway did not accept your session on its WebSocket (close 4403). Sign in again; if it persists, ' +
          `the gateway at ${wsUrl} is not on the portal’s host, so the browser cannot send it the session cookie ` +
          '(see MESHGATE_PUBLIC_GATEWAY_URL in the portal README).'
        );
      case 4429:
        return `Too many open connections for your credentials (close 4429): ${failure.reason || 'quota exceeded'}.`;
      case 1001:
        return 'The gateway is restarting (close 1001). Resume in a moment; nothing is lost.';
      default:
        return `The connection to ${wsUrl} closed (code ${failure.code}${failure.reason ? `: ${failure.reason}` : ''}).`;
    }
  }
  return `Cannot reach the gateway at ${wsUrl}. Check that it is running and reachable from your browser.`;
}

/** Close codes that retrying cannot fix: the gateway refused the credentials (4403) or a quota (4429). */
export function isFinalClose(event: unknown): boolean {
  return isCloseEvent(event) && (event.code === 4403 || event.code === 4429);
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'number' &&
    typeof (value as { reason?: unknown }).reason === 'string'
  );
}
