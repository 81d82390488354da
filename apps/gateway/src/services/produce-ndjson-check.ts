// Parses and validates an NDJSON batch without handing its events back: what runs on the
// produce path's worker threads (see ndjson-check-pool.ts). Imports stay narrow (no Prisma, no
// Kafka client) so that a worker loads in a moment and holds little.
import { keyFromPayload } from '@meshgate/catalog/event-type-fields';
import { isMeshgateError, type ErrorCode } from '@meshgate/core';
import type { ResolvedReference } from '@meshgate/registry/compat';
import { toValidationIssues, ValidatorCache } from '@meshgate/registry/validator-cache';
import type { ValueFormat } from '@meshgate/streaming/record-value';
import { BatchIssues, type BatchValidationIssue } from './produce-issues';
import { forEachNdjsonValue, reusableJsonText } from './produce-ndjson';

/** What a worker needs to check one NDJSON body. */
export interface NdjsonCheckTask {
  /** The body's bytes (a copy travels to the worker). */
  bytes: Uint8Array;
  schemaId: number;
  /** The schema's text: compiled once per schema id and worker. */
  schema: string;
  /** The schema's references, resolved; only needed the first time a worker sees `schemaId`. */
  references: readonly ResolvedReference[];
  /** JSON pointer of the record key in each event, or null for none (see `keyFromPayload`). */
  keyPath: string | null;
  /**
   * Append the events once checked, from the worker's own Kafka event log (see
   * `produce-ndjson-worker`); {@link checkNdjson} itself ignores it.
   */
  append?: NdjsonAppend | undefined;
}

/** Where and how a worker appends a checked NDJSON batch. */
export interface NdjsonAppend {
  topic: string;
  /** Every record's headers: the request's and Meshgate's own. */
  headers: Record<string, string>;
  /** The request's record key, which wins over the one at the keyPath. */
  key: string | undefined;
  /** How the values are framed (see `frameJsonValue`). */
  format: ValueFormat;
}

/** A body whose events are all valid JSON matching the schema. */
export interface NdjsonChecked {
  ok: true;
  /** Events in the body. */
  count: number;
  /**
   * Per event, the byte range `[start, end)` of the body that is its record value as is; `[0, 0]`
   * for an event whose value is in {@link texts} instead.
   */
  spans: Uint32Array;
  /** `[index, text]` for events whose bytes cannot be written as they came (see `reusableJsonText`). */
  texts: Array<[number, string]>;
  /** Per event, the record key at `keyPath` (undefined when missing); absent without a keyPath. */
  keys: Array<string | undefined> | undefined;
  /** Where the worker appended the events, when the task asked it to (positions in event order). */
  appended?: NdjsonPositions;
}

/** Positions of appended events, in event order. */
export interface NdjsonPositions {
  partitions: Uint32Array;
  offsets: Float64Array;
  /** Epoch milliseconds. */
  timestamps: Float64Array;
}

/** A checked body whose append failed on the worker, with the event log's error. */
export interface NdjsonAppendFailed {
  ok: false;
  kind: 'append';
  error: { code: ErrorCode; message: string; details?: unknown; retriable: boolean };
}

/** A body with a line that is not JSON: the first one. */
export interface NdjsonNotJson {
  ok: false;
  kind: 'json';
  line: number;
  message: string;
}

/** A body with events that do not match the schema. */
export interface NdjsonInvalid {
  ok: false;
  kind: 'invalid';
  count: number;
  invalid: number;
  errors: BatchValidationIssue[];
}

/** The outcome of {@link checkNdjson}. */
export type NdjsonCheckResult = NdjsonChecked | NdjsonNotJson | NdjsonInvalid | NdjsonAppendFailed;

const REPLACEMENT_CHARACTER = '\uFFFD';
const validators = new ValidatorCache();

/**
 * Parses each line of an NDJSON body and validates it against the task's schema, as the
 * request's thread would (`parseNdjson`, then the schema's validator), and says where each
 * event's record value is: a range of the body's own bytes when they say exactly what was
 * validated (compact JSON, exact numbers, no repeated keys, valid UTF-8), else its text.
 * The first line that is not JSON wins over validation issues, as on the request's thread.
 */
export function checkNdjson(task: NdjsonCheckTask): NdjsonChecked | NdjsonNotJson | NdjsonInvalid {
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  const validate = validators.get(task.schemaId, task.schema, task.references);
  const spans: number[] = [];
  const texts: Array<[number, string]> = [];
  const keys = task.keyPath === null ? undefined : ([] as Array<string | undefined>);
  const issues = new BatchIssues();
  let index = 0;
  try {
    forEachNdjsonValue(bytes, (data, text, { start, end, trimmed }) => {
      if (!validate(data)) issues.add(index, toValidationIssues(validate.errors));
      // Once an event is invalid nothing is appended: only the issues matter from then on.
      if (issues.invalid === 0) {
        if (!reusableJsonText(text, data)) {
          spans.push(0, 0);
          texts.push([index, JSON.stringify(data)]);
        } else if (trimmed === undefined && (text.length === end - start || !text.includes(REPLACEMENT_CHARACTER))) {
          // All ASCII, or decoded without replacing anything: the bytes are the text's UTF-8.
          spans.push(start, end);
        } else {
          spans.push(0, 0);
          texts.push([index, text]);
        }
        if (keys) keys.push(keyFromPayload(data, task.keyPath!));
      }
      index++;
    });
  } catch (error) {
    // Sent back as data (an error's class does not survive the thread); see notJsonError.
    if (!isMeshgateError(error) || error.code !== 'INVALID_JSON') throw error;
    const { line } = error.details as { line: number };
    return { ok: false, kind: 'json', line, message: (error.cause as Error).message };
  }
  if (issues.invalid > 0) {
    return { ok: false, kind: 'invalid', count: index, invalid: issues.invalid, errors: issues.errors };
  }
  return { ok: true, count: index, spans: Uint32Array.from(spans), texts, keys };
}

/** Maps each event of a checked batch, given its value: the body's bytes or the text the check returned. */
export function mapCheckedValues<T>(
  checked: NdjsonChecked,
  bytes: Buffer,
  map: (json: string | Buffer, index: number) => T,
): T[] {
  const texts = new Map(checked.texts);
  const mapped: T[] = new Array(checked.count);
  for (let i = 0; i < checked.count; i++) {
    const start = checked.spans[2 * i]!;
    const end = checked.spans[2 * i + 1]!;
    mapped[i] = map(end > start ? bytes.subarray(start, end) : texts.get(i)!, i);
  }
  return mapped;
}
