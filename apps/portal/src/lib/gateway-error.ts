/** Why a call to the gateway failed. The one catalogue of the portal's gateway error codes. */
export const GatewayErrorCode = {
  /** No HTTP response at all: connection refused, DNS failure, timeout. */
  Unreachable: 'GATEWAY_UNREACHABLE',
  /** 401: no credentials, or the session is over. Pages send the visitor to the sign-in page. */
  Unauthenticated: 'GATEWAY_UNAUTHENTICATED',
  /** 403: signed in, but the credentials do not allow this. Pages explain and offer to request access. */
  Forbidden: 'GATEWAY_FORBIDDEN',
  /** The gateway answered with a status the portal did not expect (5xx, 409, unknown 404…). */
  UnexpectedStatus: 'GATEWAY_UNEXPECTED_STATUS',
  /** The gateway answered 2xx but the body is not the documented shape. */
  BadResponse: 'GATEWAY_BAD_RESPONSE',
} as const;

export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** Details of a {@link GatewayError}. */
export interface GatewayErrorDetails {
  /** The full URL of the failed request. */
  url: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** The gateway's own stable error code (`FORBIDDEN`, `CONFLICT`…), when its body named one. */
  gatewayCode?: string;
  /** The gateway's own message, fit to show to the person who made the request. */
  gatewayMessage?: string;
  cause?: unknown;
}

/** A failed call to the gateway, carrying the URL that was called so pages can show it. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  /** The full URL of the failed request. */
  readonly url: string;
  /** HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  /** The gateway's own error code from the response body, when there was one. */
  readonly gatewayCode: string | undefined;
  /** The gateway's own message from the response body, when there was one. */
  readonly gatewayMessage: string | undefined;

  constructor(code: GatewayErrorCode, message: string, details: GatewayErrorDetails) {
    super(message, { cause: details.cause });
    this.code = code;
    this.url = details.url;
    this.status = details.status;
    this.gatewayCode = details.gatewayCode;
    this.gatewayMessage = details.gatewayMessage;
  }
}

/** Narrows an unknown thrown value to a {@link GatewayError}. */
export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/** Whether the gateway refused the call for want of (valid) credentials: time to sign in again. */
export function isUnauthenticated(error: unknown): error is GatewayError {
  return isGatewayError(error) && error.code === GatewayErrorCode.Unauthenticated;
}

/** Whether the gateway refused the call because the caller may not do it. */
export function isForbidden(error: unknown): error is GatewayError {
  return isGatewayError(error) && error.code === GatewayErrorCode.Forbidden;
}

/**
 * A failed gateway call in words for the person who submitted a form: the gateway's own message
 * when it gave one (it is written for people), else what went wrong on the way.
 */
export function describeGatewayFailure(error: GatewayError): string {
  if (error.code === GatewayErrorCode.Unreachable) {
    return `The gateway is unreachable (${error.message}). Try again in a moment.`;
  }
  return error.gatewayMessage ?? error.message;
}
