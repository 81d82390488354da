/**
 * Formats an ISO timestamp as `2026-11-23 19:27 UTC`: compact, unambiguous for an
 * international audience, and independent of the server's locale and time zone.
 */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
