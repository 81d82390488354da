import { ConflictError, InputError, MeshgateError } from '@meshgate/core';

/** Lifecycle stages of an event type, in order. */
export const lifecycles = ['draft', 'active', 'deprecated', 'retired'] as const;
/** One of {@link lifecycles}. */
export type Lifecycle = (typeof lifecycles)[number];

/** Where each stage may go next; staying is always allowed (it only updates the note). */
const nextStages: Record<Lifecycle, readonly Lifecycle[]> = {
  draft: ['active'],
  active: ['deprecated'],
  deprecated: ['retired', 'active'],
  retired: [],
};

/** True when `value` names a lifecycle stage. */
export function isLifecycle(value: unknown): value is Lifecycle {
  return typeof value === 'string' && (lifecycles as readonly string[]).includes(value);
}

/** Throws INVALID_REQUEST unless `value` names a lifecycle stage. */
export function assertLifecycle(value: unknown): asserts value is Lifecycle {
  if (!isLifecycle(value)) {
    throw new InputError(`Invalid lifecycle '${String(value)}': use ${lifecycles.join(', ')}.`);
  }
}

/**
 * Throws INVALID_LIFECYCLE_TRANSITION (409) unless an event type may move from `from` to `to`:
 * draft → active → deprecated → retired, and deprecated → active (un-deprecating). Retired is final.
 */
export function assertLifecycleTransition(name: string, from: string, to: Lifecycle): void {
  if (from === to) return;
  const allowed = isLifecycle(from) ? nextStages[from] : lifecycles;
  if (allowed.includes(to)) return;
  const options = allowed.length === 0 ? 'a retired event type stays retired' : `it may become ${allowed.join(' or ')}`;
  throw new ConflictError(`Event type '${name}' is ${from} and cannot become ${to}: ${options}.`, {
    code: 'INVALID_LIFECYCLE_TRANSITION',
    details: { from, to, allowed },
  });
}

/**
 * Throws EVENT_TYPE_RETIRED (410) for a retired event type: it takes no new events and no new
 * subscriptions (`what` says which was refused). Running streams are left to end by themselves.
 */
export function assertNotRetired(
  eventType: { name: string; lifecycle: string; lifecycleNote: string | null },
  what: 'produce' | 'subscribe',
): void {
  if (eventType.lifecycle !== 'retired') return;
  const note = eventType.lifecycleNote ? ` ${eventType.lifecycleNote}` : '';
  throw new MeshgateError(
    'EVENT_TYPE_RETIRED',
    `Event type '${eventType.name}' is retired: it takes no new ${what === 'produce' ? 'events' : 'subscriptions'}.${note}`,
    { details: { eventType: eventType.name, lifecycle: 'retired', note: eventType.lifecycleNote } },
  );
}
