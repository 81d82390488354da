import { MeshgateError, UnavailableError, isMeshgateError } from '@meshgate/core';

/**
 * Why a subscription ended. Every reason but CLOSED comes from the hub, and the subscriber's
 * iteration throws a {@link SubscriptionEndedError} (or the event log's own error) for it.
 */
export type EndReason =
  /** The consumer closed it (or stopped iterating). */
  | 'CLOSED'
  /** The subscriber's buffer filled up: it could not keep up with the topic. Resume from the last cursor. */
  | 'SLOW_SUBSCRIBER'
  /** The hub is shutting down. Resume from the last cursor on another instance or after restart. */
  | 'SHUTDOWN'
  /** The topic no longer exists on the streaming platform. */
  | 'TOPIC_NOT_FOUND'
  /** The upstream reader failed (platform unreachable and not recovering by itself). */
  | 'UPSTREAM_FAILED'
  /** The subscriber's view threw while computing a payload. */
  | 'VIEW_FAILED'
  /** The consumer's owner ended it with an error of its own (e.g. access revoked). */
  | 'TERMINATED';

/** How and why a subscription ended. */
export interface SubscriptionEnd {
  reason: EndReason;
  /** What the consumer's iteration throws; absent for CLOSED. */
  error?: MeshgateError;
}

/**
 * The error a subscriber sees when the hub ends its subscription for a reason of the hub's own
 * (slow subscriber, shutdown). Its code is SLOW_SUBSCRIBER, SHUTTING_DOWN or UNAVAILABLE (all 503,
 * retriable): the client should reconnect with its last cursor. `reason` and `details` say more.
 */
export class SubscriptionEndedError extends MeshgateError {
  readonly reason: EndReason;

  constructor(reason: EndReason, message: string, details?: Record<string, unknown>) {
    // Clients act on the code: SLOW_SUBSCRIBER and SHUTTING_DOWN have their own; the rest are UNAVAILABLE.
    const code =
      reason === 'SLOW_SUBSCRIBER' ? 'SLOW_SUBSCRIBER' : reason === 'SHUTDOWN' ? 'SHUTTING_DOWN' : 'UNAVAILABLE';
    super(code, message, { details: { reason, ...details }, retriable: true });
    this.reason = reason;
  }
}

/** The end a slow subscriber gets. */
export function slowSubscriberEnd(bufferSize: number): SubscriptionEnd {
  return {
    reason: 'SLOW_SUBSCRIBER',
    error: new SubscriptionEndedError(
      'SLOW_SUBSCRIBER',
      `The subscriber fell more than ${bufferSize} events behind and was disconnected; resume from the last cursor received.`,
      { bufferSize },
    ),
  };
}

/** The end every subscriber gets when the hub closes. */
export function shutdownEnd(): SubscriptionEnd {
  return {
    reason: 'SHUTDOWN',
    error: new SubscriptionEndedError(
      'SHUTDOWN',
      'The gateway is shutting down; resume from the last cursor received.',
    ),
  };
}

/** The end for a failure of the event log (upstream or a catch-up reader). */
export function upstreamEnd(error: unknown): SubscriptionEnd {
  if (isMeshgateError(error)) {
    return { reason: error.code === 'TOPIC_NOT_FOUND' ? 'TOPIC_NOT_FOUND' : 'UPSTREAM_FAILED', error };
  }
  return {
    reason: 'UPSTREAM_FAILED',
    error: new UnavailableError('Reading the topic failed; resume from the last cursor received.', { cause: error }),
  };
}

/** The end for a view that threw: a bug in the view, so INTERNAL (its message is not shown to clients). */
export function viewFailedEnd(viewKey: string, error: unknown): SubscriptionEnd {
  return {
    reason: 'VIEW_FAILED',
    error: new MeshgateError('INTERNAL', `The view "${viewKey}" failed to compute an event.`, { cause: error }),
  };
}
