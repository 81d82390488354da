import { isUtf8 } from 'node:buffer';
import { MeshgateError } from '@meshgate/core';

/** One NDJSON line: the parsed event and, when it can be written as received, its bytes. */
export interface NdjsonEvent {
  data: unknown;
  /** The line's bytes, when they say exactly what `data` says (see {@link reusableJsonText}). */
  json: Buffer | undefined;
}

/** Most significant digits a number may have and still mean the same to every JSON parser. */
const MAX_EXACT_DIGITS = 15;

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const VT = 0x0b;
const FF = 0x0c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * Parses an NDJSON body: one JSON value per line, blank lines ignored (a line is trimmed as
 * `String.prototype.trim` does). Each line is parsed once; its bytes are kept for the record
 * value when {@link reusableJsonText} says writing them is the same as writing
 * `JSON.stringify(data)`, which saves serialising the event again. Names the first bad line.
 */
export function parseNdjson(body: Buffer): NdjsonEvent[] {
  const events: NdjsonEvent[] = [];
  // Invalid UTF-8 decodes to U+FFFD: the parsed event then differs from the bytes.
  const reusable = isUtf8(body);
  let line = 0;
  for (let start = 0; start <= body.length;) {
    line++;
    let end = body.indexOf(LF, start);
    if (end < 0) end = body.length;
    const next = end + 1;
    while (start < end && isAsciiSpace(body[start]!)) start++;
    while (end > start && isAsciiSpace(body[end - 1]!)) end--;
    if (start < end) {
      let text = body.toString('utf8', start, end);
      const trimmed = text.trim();
      // Unicode spaces at either end (a byte-order mark, say): parse as before, re-serialise.
      const exact = trimmed.length === text.length;
      text = trimmed;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new MeshgateError(
          'INVALID_JSON',
          `Line ${line} of the NDJSON body is not valid JSON: ${(error as Error).message}`,
          { cause: error, details: { line } },
        );
      }
      const json =
        reusable && exact && reusableJsonText(body, start, end, data) ? body.subarray(start, end) : undefined;
      events.push({ data, json });
    }
    start = next;
  }
  return events;
}

function isAsciiSpace(byte: number): boolean {
  return byte === SPACE || byte === TAB || byte === CR || byte === VT || byte === FF;
}

/**
 * Whether the JSON text in `bytes[start, end)`, which parsed to `data`, can be written instead of
 * `JSON.stringify(data)` without any reader seeing something else than what was validated:
 * it is compact (no whitespace between tokens), every number has at most 15 significant digits
 * and no exponent (so a reader parsing decimals exactly sees the double that was validated),
 * and no object repeats a key (`JSON.parse` keeps the last one; other parsers the first).
 * String escapes are left as written: they mean the same to every parser.
 */
export function reusableJsonText(bytes: Uint8Array, start: number, end: number, data: unknown): boolean {
  let keys = 0;
  let i = start;
  while (i < end) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      i++;
      while (i < end) {
        const inner = bytes[i]!;
        if (inner === BACKSLASH) i += 2;
        else if (inner === QUOTE) break;
        else i++;
      }
      i++;
      if (i < end && bytes[i] === COLON) keys++;
      continue;
    }
    if (byte === MINUS || (byte >= ZERO && byte <= NINE)) {
      let digits = 0;
      for (; i < end; i++) {
        const digit = bytes[i]!;
        if (digit >= ZERO && digit <= NINE) digits++;
        else if (digit === LOWER_E || digit === UPPER_E) return false;
        else if (digit !== MINUS && digit !== PLUS && digit !== DOT) break;
      }
      if (digits > MAX_EXACT_DIGITS) return false;
      continue;
    }
    if (byte === SPACE || byte === TAB || byte === CR || byte === LF) return false;
    i++;
  }
  return keys === countKeys(data);
}

/** Keys of every object in a parsed JSON value. */
function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let keys = 0;
  if (Array.isArray(value)) {
    for (const item of value) keys += countKeys(item);
    return keys;
  }
  for (const key in value) {
    keys += 1 + countKeys((value as Record<string, unknown>)[key]);
  }
  return keys;
}
