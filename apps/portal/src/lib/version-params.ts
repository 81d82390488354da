/** The versions an event type page shows, picked from its query string. */
export interface PickedVersions {
  /** The version the schema viewer shows (default: the latest). */
  shown: number;
  /** The pair the diff compares (default: the one before the latest → the latest); null with one version. */
  compare: { from: number; to: number } | null;
}

/** Query parameters of the event type page, as Next.js hands them over. */
export type VersionQuery = Record<string, string | string[] | undefined>;

/**
 * Picks the shown and compared versions from `?version=&from=&to=`, falling back to the
 * defaults for anything absent, malformed or not among the subject's live `versions`
 * (ascending). Null when nothing is registered.
 */
export function pickVersions(versions: readonly number[], query: VersionQuery): PickedVersions | null {
  const latest = versions.at(-1);
  if (latest === undefined) return null;
  const pick = (key: string, fallback: number): number => {
    const raw = query[key];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    return Number.isInteger(value) && versions.includes(value) ? value : fallback;
  };
  const previous = versions.at(-2);
  return {
    shown: pick('version', latest),
    compare: previous === undefined ? null : { from: pick('from', previous), to: pick('to', latest) },
  };
}
