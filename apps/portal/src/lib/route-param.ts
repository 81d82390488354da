/**
 * Decodes a dynamic route segment. Next.js hands pages the raw, percent-encoded segment but
 * hands `generateMetadata` an already-decoded one, so decoding must tolerate both (a decoded
 * `100%` is not valid percent-encoding and would otherwise throw).
 */
export function decodeRouteParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
