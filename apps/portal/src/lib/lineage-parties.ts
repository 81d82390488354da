import type { LineageService, ObservedParty } from './gateway-catalog';

/** How a producer or consumer is known: declared in the catalog, seen by the gateway, or both. */
export type PartyStatus = 'declared-and-observed' | 'declared-never-seen' | 'observed-only';

/** One producer or consumer of an event type: a declared service and/or who was seen acting as it. */
export interface LineageParty {
  /** Unique within one list (a React key). */
  key: string;
  /** The declared catalog service; `null` for a party only observed. */
  service: LineageService | null;
  /** The catalog service an observed-only application is bound to (declared for something else). */
  boundService: string | null;
  /** The principals seen acting as this party (a declared service's bound application, users…). */
  observed: ObservedParty[];
  status: PartyStatus;
  /** Totals over `observed`; zero and `null` when never seen. */
  events: number;
  sessions: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/**
 * Joins an event type's declared producers (or consumers) with those observed: an observed
 * principal belongs to a declared service when the service is bound to its application (the
 * gateway names the service, or the ids match). Declared services come first (most recently
 * seen first, never-seen ones last, then by name), then parties only observed, busiest first.
 */
export function joinLineageParties(declared: LineageService[], observed: ObservedParty[]): LineageParty[] {
  const claimed = new Set<ObservedParty>();
  const declaredParties = declared.map((service): LineageParty => {
    const seen = observed.filter(
      (party) =>
        party.service === service.name ||
        (service.applicationId !== null &&
          party.principalKind === 'application' &&
          party.principalId === service.applicationId),
    );
    for (const party of seen) claimed.add(party);
    return party(`service:${service.name}`, service, null, seen);
  });
  const observedOnly = observed
    .filter((entry) => !claimed.has(entry))
    .map((entry) => party(`${entry.principalKind}:${entry.principalId}`, null, entry.service, [entry]));
  return [
    ...declaredParties.toSorted(
      (a, b) => compareLastSeen(a, b) || (a.service?.name ?? '').localeCompare(b.service?.name ?? ''),
    ),
    ...observedOnly.toSorted((a, b) => b.events - a.events || compareLastSeen(a, b)),
  ];
}

function party(
  key: string,
  service: LineageService | null,
  boundService: string | null,
  observed: ObservedParty[],
): LineageParty {
  const firstSeen = observed.map((entry) => entry.firstSeen).toSorted()[0] ?? null;
  const lastSeen =
    observed
      .map((entry) => entry.lastSeen)
      .toSorted()
      .at(-1) ?? null;
  return {
    key,
    service,
    boundService,
    observed,
    status: service === null ? 'observed-only' : observed.length > 0 ? 'declared-and-observed' : 'declared-never-seen',
    events: observed.reduce((sum, entry) => sum + entry.events, 0),
    sessions: observed.reduce((sum, entry) => sum + entry.sessions, 0),
    firstSeen,
    lastSeen,
  };
}

/** Most recently seen first; never seen last. */
function compareLastSeen(a: LineageParty, b: LineageParty): number {
  if (a.lastSeen === b.lastSeen) return 0;
  if (a.lastSeen === null) return 1;
  if (b.lastSeen === null) return -1;
  return b.lastSeen.localeCompare(a.lastSeen);
}
