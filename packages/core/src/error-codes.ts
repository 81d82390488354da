/**
 * The catalogue of Meshgate's stable error codes. Every error a client can see
 * carries one of these codes; the HTTP status belongs to the code, so each
 * transport maps errors in exactly one place.
 */
export const errorCodes = {
  // 400 — the request itself is wrong
  INVALID_JSON: { status: 400, summary: 'The body is not valid JSON.' },
  INVALID_ASYNCAPI_DOCUMENT: {
    status: 400,
    summary:
      'The AsyncAPI document is unreadable, invalid or uses what the import cannot map; details list every problem.',
  },
  INVALID_REQUEST: { status: 400, summary: 'The request does not have the expected shape.' },
  INVALID_CURSOR: { status: 400, summary: 'The cursor is not one this gateway issued.' },
  EVENT_VALIDATION_FAILED: { status: 400, summary: 'The event does not match its schema.' },
  INVALID_FILTER: {
    status: 400,
    summary: 'The filter is malformed, mistyped or over a limit; the message names where.',
  },
  RESERVED_HEADER: { status: 400, summary: 'Event headers named content-type or meshgate-* are set by Meshgate.' },
  INVALID_EXAMPLE: {
    status: 400,
    summary: "An event type's example does not match its schema; details name the example (index) and JSON pointer.",
  },
  INVALID_CATALOG_DOCUMENT: {
    status: 400,
    summary: 'The catalog document (catalog.yaml) is malformed; details name every offending path.',
  },
  // 401 / 403
  UNAUTHENTICATED: { status: 401, summary: 'Credentials are missing, invalid or expired.' },
  FORBIDDEN: { status: 403, summary: 'The credentials do not allow this action.' },
  ACCESS_REVOKED: {
    status: 403,
    summary: 'A live stream was ended because its credential or grant was revoked, expired or changed.',
  },
  // 404
  NOT_FOUND: { status: 404, summary: 'No such route.' },
  EVENT_TYPE_NOT_FOUND: { status: 404, summary: 'No event type has this name.' },
  TOPIC_NOT_FOUND: { status: 404, summary: 'The topic does not exist on the streaming platform.' },
  SCHEMA_NOT_FOUND: { status: 404, summary: 'The event type has no registered schema.' },
  SUBJECT_NOT_FOUND: { status: 404, summary: 'No schema subject has this name.' },
  DOMAIN_NOT_FOUND: { status: 404, summary: 'No catalog domain has this name.' },
  SERVICE_NOT_FOUND: { status: 404, summary: 'No catalog service has this name.' },
  VERSION_NOT_FOUND: { status: 404, summary: 'The subject has no such version.' },
  SCHEMA_ID_NOT_FOUND: { status: 404, summary: 'No such schema (by id, or under the subject for a lookup).' },
  SUBJECT_SOFT_DELETED: { status: 404, summary: 'The subject was soft-deleted; pass deleted=true or register again.' },
  SUBJECT_NOT_SOFT_DELETED: {
    status: 404,
    summary: 'A subject must be soft-deleted before it is deleted permanently.',
  },
  VERSION_SOFT_DELETED: { status: 404, summary: 'The version was soft-deleted.' },
  VERSION_NOT_SOFT_DELETED: {
    status: 404,
    summary: 'A version must be soft-deleted before it is deleted permanently.',
  },
  SUBJECT_CONFIG_NOT_FOUND: { status: 404, summary: 'The subject has no compatibility configuration of its own.' },
  SUBJECT_MODE_NOT_FOUND: { status: 404, summary: 'The subject has no mode of its own.' },
  WEBHOOK_NOT_FOUND: { status: 404, summary: 'No webhook (or delivery of it) has this id.' },
  // 405 / 409 / 410 / 413 / 415 / 422
  METHOD_NOT_ALLOWED: { status: 405, summary: 'The route does not accept this method.' },
  CONFLICT: { status: 409, summary: 'The request conflicts with the current state.' },
  INCOMPATIBLE_SCHEMA: {
    status: 409,
    summary: 'The schema is incompatible with earlier versions under the configured level.',
  },
  INVALID_LIFECYCLE_TRANSITION: {
    status: 409,
    summary: 'Lifecycles move draft → active → deprecated → retired (and deprecated → active) only.',
  },
  DOMAIN_NOT_EMPTY: {
    status: 409,
    summary: 'The domain still has event types or services; move or delete them first.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    summary: 'The Idempotency-Key was already used for a different request to this event type.',
  },
  EVENT_TYPE_RETIRED: {
    status: 410,
    summary: 'The event type is retired: it takes no new events and no new subscriptions.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The body is larger than the configured limit.' },
  BATCH_TOO_LARGE: {
    status: 413,
    summary: 'The batch has more events than the configured limit (MESHGATE_MAX_BATCH_EVENTS).',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'The body has a content type this route does not accept.' },
  INVALID_SCHEMA: { status: 422, summary: 'The schema cannot be parsed or compiled.' },
  INVALID_REFERENCE: { status: 422, summary: 'A schema reference is missing, unknown or circular.' },
  INVALID_VERSION: { status: 422, summary: 'The version is not a positive integer or "latest".' },
  INVALID_COMPATIBILITY_LEVEL: {
    status: 422,
    summary: 'Not a compatibility level (NONE, BACKWARD, … FULL_TRANSITIVE).',
  },
  INVALID_MODE: { status: 422, summary: 'Not a registry mode (READWRITE, READONLY, IMPORT).' },
  OPERATION_NOT_PERMITTED: { status: 422, summary: 'The registry or subject mode does not allow this operation.' },
  REFERENCE_EXISTS: { status: 422, summary: 'Other schemas reference this version; delete them first.' },
  ID_MISMATCH: { status: 422, summary: 'The schema id given in IMPORT mode is already used by another schema.' },
  INVALID_SUBJECT: { status: 422, summary: 'The subject name is empty, too long or has control characters.' },
  SCHEMA_TOO_LARGE: {
    status: 422,
    summary: 'The schema is larger than the configured limit (MESHGATE_MAX_SCHEMA_BYTES).',
  },
  // 429
  QUOTA_EXCEEDED: {
    status: 429,
    summary: "The application's quota (produce rate, subscriptions or connections) is used up; see Retry-After.",
  },
  // 5xx
  INTERNAL: { status: 500, summary: 'An unexpected error; details are in the gateway log.' },
  SLOW_SUBSCRIBER: {
    status: 503,
    summary: 'The subscriber fell too far behind and was disconnected; resume from the last cursor.',
  },
  SHUTTING_DOWN: { status: 503, summary: 'The gateway is shutting down; reconnect and resume from the last cursor.' },
  UNAVAILABLE: { status: 503, summary: 'A dependency (database or streaming platform) is unreachable.' },
} as const satisfies Record<string, { status: number; summary: string }>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof errorCodes;
