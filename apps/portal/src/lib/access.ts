import type { AccessRequest, Grant, Me } from './gateway-client';

/** What an access check addresses: an event type and its schema subject. */
export interface EventTypeTarget {
  name: string;
  subject: string;
}

/** The domain of an event type: its name up to the first dot (`orders.order-created` → `orders`), as the gateway reads it. */
export function domainOf(eventType: string): string {
  const dot = eventType.indexOf('.');
  return dot === -1 ? eventType : eventType.slice(0, dot);
}

/** Whether a grant's resource covers an event type: everything, its domain, itself, or its schema subject. */
export function grantCoversEventType(
  grant: Pick<Grant, 'resourceKind' | 'resourceName'>,
  target: EventTypeTarget,
): boolean {
  switch (grant.resourceKind) {
    case 'all':
      return true;
    case 'domain':
      return grant.resourceName === domainOf(target.name);
    case 'event-type':
      return grant.resourceName === target.name;
    case 'subject':
      return grant.resourceName === target.subject;
    default:
      return false;
  }
}

/**
 * Whether the caller may read (stream, fetch) an event type, by the grants `GET /v1/me` lists:
 * administrators may; otherwise a live `read` (or `admin`) grant must cover the event type, its
 * domain or its subject. The gateway decides for real on every call; this only decides whether
 * the page offers to request access.
 */
export function mayReadEventType(me: Pick<Me, 'admin' | 'grants'>, target: EventTypeTarget, now = new Date()): boolean {
  if (me.admin) return true;
  return me.grants.some(
    (grant) =>
      (grant.action === 'read' || grant.action === 'admin') &&
      (grant.expiresAt === null || new Date(grant.expiresAt) > now) &&
      grantCoversEventType(grant, target),
  );
}

/** The caller's own pending request that would cover an event type, if there is one. */
export function pendingRequestFor(
  requests: readonly AccessRequest[],
  requesterId: string,
  target: EventTypeTarget,
): AccessRequest | undefined {
  return requests.find(
    (request) =>
      request.status === 'pending' &&
      request.requesterId === requesterId &&
      request.applicationId === null &&
      grantCoversEventType(request, target),
  );
}

/** Access requests split into the caller's own and the others' (which the gateway lists because the caller may decide them). */
export function splitAccessRequests(
  requests: readonly AccessRequest[],
  requesterId: string,
): { mine: AccessRequest[]; toDecide: AccessRequest[] } {
  const mine: AccessRequest[] = [];
  const toDecide: AccessRequest[] = [];
  for (const request of requests) (request.requesterId === requesterId ? mine : toDecide).push(request);
  // Pending first (what needs attention), then newest first.
  const order = (a: AccessRequest, b: AccessRequest) =>
    Number(b.status === 'pending') - Number(a.status === 'pending') || b.createdAt.localeCompare(a.createdAt);
  return { mine: mine.sort(order), toDecide: toDecide.sort(order) };
}

const RESOURCE_KIND_LABELS: Readonly<Record<string, string>> = {
  all: 'Everything',
  domain: 'Domain',
  'event-type': 'Event type',
  subject: 'Schema subject',
};

/** A human label for a grant's or request's resource kind (`event-type` → `Event type`). */
export function resourceKindLabel(kind: string): string {
  return RESOURCE_KIND_LABELS[kind] ?? kind;
}
