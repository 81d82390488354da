import { MeshgateError } from '@meshgate/core';

/** One NDJSON line: the parsed event and, when it can be written as received, its text. */
export interface NdjsonEvent {
  data: unknown;
  /** The line's JSON text, when it says exactly what `data` says (see {@link reusableJsonText}). */
  json: string | undefined;
}

/** Most significant digits a number may have and still mean the same to every JSON parser. */
const MAX_EXACT_DIGITS = 15;

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
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
const DELETE = 0x7f;

/**
 * Parses an NDJSON body: one JSON value per line, blank lines ignored, each line trimmed as
 * `String.prototype.trim` does. Each line is parsed once, and its text is kept for the record
 * value when {@link reusableJsonText} says writing it is the same as writing
 * `JSON.stringify(data)`, which saves serialising the event again. Names the first bad line.
 */
export function parseNdjson(body: Buffer): NdjsonEvent[] {
  const events: NdjsonEvent[] = [];
  forEachNdjsonValue(body, (data, text) => {
    events.push({ data, json: reusableJsonText(text, data) ? text : undefined });
  });
  return events;
}

/** The INVALID_JSON error naming the first line of an NDJSON body that is not JSON. */
export function notJsonError(line: number, message: string, cause?: unknown): MeshgateError {
  return new MeshgateError('INVALID_JSON', `Line ${line} of the NDJSON body is not valid JSON: ${message}`, {
    cause,
    details: { line },
  });
}

function isPrintableAscii(code: number): boolean {
  return code > SPACE && code < DELETE;
}

/**
 * One line of an NDJSON body: its bytes `[start, end)` without the line feed, and, when they
 * are not plainly printable ASCII at both ends, its text decoded and trimmed (`''` for a blank
 * line). A line feed byte never occurs inside a UTF-8 sequence, so splitting the bytes is
 * splitting the decoded text, as {@link parseNdjson} does.
 */
export interface NdjsonLine {
  start: number;
  end: number;
  /** 1-based. */
  line: number;
  /** The decoded, trimmed text, for lines that may need trimming; undefined otherwise. */
  trimmed: string | undefined;
}

/** Calls `visit` for each non-blank line of an NDJSON body, in order (one object, reused). */
function forEachNdjsonLine(bytes: Buffer, visit: (line: NdjsonLine) => void): void {
  const line: NdjsonLine = { start: 0, end: 0, line: 0, trimmed: undefined };
  for (let start = 0; start <= bytes.length;) {
    line.line++;
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = bytes.length;
    line.start = start;
    line.end = end;
    start = end + 1;
    if (line.end === line.start) continue;
    if (isPrintableAscii(bytes[line.start]!) && isPrintableAscii(bytes[line.end - 1]!)) line.trimmed = undefined;
    else {
      line.trimmed = bytes.toString('utf8', line.start, line.end).trim();
      if (line.trimmed.length === 0) continue;
    }
    visit(line);
  }
}

/**
 * Calls `visit` with each event of an NDJSON body, parsed, and its text (decoded and trimmed;
 * invalid UTF-8 becomes U+FFFD in both), in order; throws INVALID_JSON naming the first line
 * that is not JSON.
 */
export function forEachNdjsonValue(
  bytes: Buffer,
  visit: (data: unknown, text: string, line: Readonly<NdjsonLine>) => void,
): void {
  forEachNdjsonLine(bytes, (line) => {
    const text = line.trimmed ?? bytes.toString('utf8', line.start, line.end);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw notJsonError(line.line, (error as Error).message, error);
    }
    visit(data, text, line);
  });
}

/** How many events an NDJSON body holds (its non-blank lines), without parsing them. */
export function countNdjsonEvents(bytes: Buffer): number {
  let events = 0;
  forEachNdjsonLine(bytes, () => {
    events++;
  });
  return events;
}

/**
 * Whether `json`, which parsed to `data`, can be written instead of `JSON.stringify(data)`
 * without any reader seeing something else than what was validated: it is compact (no
 * whitespace between tokens), every number has at most 15 significant digits and no exponent
 * (so a reader parsing decimals exactly sees the double that was validated), and no object
 * repeats a key (`JSON.parse` keeps the last one; other parsers the first). String escapes are
 * left as written: they mean the same to every parser.
 */
export function reusableJsonText(json: string, data: unknown): boolean {
  const end = json.length;
  let keys = 0;
  let i = 0;
  while (i < end) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      // To the closing quote: one not preceded by an odd run of backslashes.
      for (;;) {
        i = json.indexOf('"', i + 1);
        if (i < 0) return false;
        let backslashes = 0;
        while (json.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i++;
      if (json.charCodeAt(i) === COLON) keys++;
      continue;
    }
    if (code === MINUS || (code >= ZERO && code <= NINE)) {
      let digits = 0;
      for (; i < end; i++) {
        const digit = json.charCodeAt(i);
        if (digit >= ZERO && digit <= NINE) digits++;
        else if (digit === LOWER_E || digit === UPPER_E) return false;
        else if (digit !== MINUS && digit !== PLUS && digit !== DOT) break;
      }
      if (digits > MAX_EXACT_DIGITS) return false;
      continue;
    }
    if (code === SPACE || code === TAB || code === CR || code === LF) return false;
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
