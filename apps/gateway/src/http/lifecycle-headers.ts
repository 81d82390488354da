import type { EventType } from '@meshgate/catalog';

/**
 * The response headers that tell clients an event type is on its way out: `Deprecation: true`
 * (RFC 9745) with a `Link` to its catalog entry (`rel="deprecation"`), and its lifecycle note
 * in `Meshgate-Lifecycle-Note`. Empty for draft and active event types. Retired ones carry them
 * too, where they are still served (catalog reads, fetch).
 */
export function lifecycleHeaders(
  eventType: Pick<EventType, 'name' | 'lifecycle' | 'lifecycleNote'>,
): Record<string, string> {
  if (eventType.lifecycle !== 'deprecated' && eventType.lifecycle !== 'retired') return {};
  return {
    deprecation: 'true',
    link: `</v1/catalog/event-types/${encodeURIComponent(eventType.name)}>; rel="deprecation"`,
    ...(eventType.lifecycleNote ? { 'meshgate-lifecycle-note': headerText(eventType.lifecycleNote) } : {}),
  };
}

/** Header-safe text: control characters become spaces, non-ASCII is percent-encoded (headers are Latin-1). */
function headerText(text: string): string {
  let flat = '';
  for (const char of text.slice(0, 500)) {
    const code = char.codePointAt(0)!;
    flat += code < 0x20 || code === 0x7f ? ' ' : code > 0x7e ? encodeURIComponent(char) : char;
  }
  return flat;
}
