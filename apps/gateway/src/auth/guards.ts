import type { FastifyRequest } from 'fastify';
import type { EventType, EventTypeCatalog } from '@meshgate/catalog';
import type { Action, Decision, Principal } from '@meshgate/policy';
import type { AccessControl } from './access-control';

/** An allowed request on an event type: the caller, the event type and the decision (view, row filter). */
export interface EventTypeAccess {
  principal: Principal;
  eventType: EventType;
  decision: Decision;
}

/**
 * Authorizes `action` on an event type named by the caller, before revealing whether it exists:
 * a caller with no grant covering the name gets FORBIDDEN (audited) for existing and unknown
 * names alike; a caller allowed by name gets EVENT_TYPE_NOT_FOUND for an unknown one. Grants on
 * the event type's schema subject count too (looked up only after the name did not suffice).
 */
export async function authorizeEventType(
  access: AccessControl,
  catalog: EventTypeCatalog,
  principal: Principal,
  action: Action,
  name: string,
  sourceIp?: string,
  auditAction: string = action,
): Promise<EventTypeAccess> {
  const byName = access.decide(principal, action, { eventType: name });
  if (byName.allowed) return { principal, eventType: await catalog.get(name), decision: byName };
  const eventType = await catalog.get(name).catch(() => undefined);
  if (eventType) {
    const bySubject = access.decide(principal, action, { eventType: name, subject: eventType.subject });
    if (bySubject.allowed) return { principal, eventType, decision: bySubject };
  }
  await access.require(principal, action, { eventType: name }, { sourceIp }, auditAction); // throws FORBIDDEN
  throw new Error('unreachable: require() allowed what decide() refused');
}

/** The caller of a request behind the auth hook, with its address for audit entries. */
export function callerOf(request: FastifyRequest): { principal: Principal; sourceIp: string } {
  if (!request.principal) throw new Error(`route ${request.url} is public but asked for the caller`);
  return { principal: request.principal, sourceIp: request.ip };
}
