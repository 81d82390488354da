/** Why a call to the gateway failed. The one catalogue of the portal's gateway error codes. */
export const GatewayErrorCode = {
  /** No HTTP response at all: connection refused, DNS failure, timeout. */
  Unreachable: 'GATEWAY_UNREACHABLE',
  /** The gateway answered with a status the portal did not expect (5xx, 401, unknown 404…). */
  UnexpectedStatus: 'GATEWAY_UNEXPECTED_STATUS',
  /** The gateway answered 2xx but the body is not the documented shape. */
  BadResponse: 'GATEWAY_BAD_RESPONSE',
} as const;

export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** A failed call to the gateway, carrying the URL that was called so pages can show it. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  /** The full URL of the failed request. */
  readonly url: string;
  /** HTTP status of the response, when there was one. */
  readonly status: number | undefined;

  constructor(code: GatewayErrorCode, message: string, details: { url: string; status?: number; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.code = code;
    this.url = details.url;
    this.status = details.status;
  }
}

/** Narrows an unknown thrown value to a {@link GatewayError}. */
export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
