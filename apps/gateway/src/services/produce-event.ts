import { produceEvents, type ProduceDeps, type ProducedEvent } from './produce-events';

export type { ProducedEvent, ProduceDeps } from './produce-events';

/**
 * Produces one JSON event without key, headers or idempotency key (the GraphQL mutation's
 * path): validated against the latest schema, then appended; nothing is appended when invalid.
 */
export async function produceEvent(deps: ProduceDeps, eventTypeName: string, event: unknown): Promise<ProducedEvent> {
  const { response } = await produceEvents(deps, { eventType: eventTypeName, events: [{ data: event }], single: true });
  if ('events' in response) throw new Error('A single event was answered in the batch shape.');
  return response;
}
