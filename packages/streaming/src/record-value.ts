/**
 * How an event's JSON is framed in a record value.
 * - `json`: the JSON text itself (Meshgate's default).
 * - `confluent`: Confluent's wire format — magic byte 0, the schema id as a 4-byte big-endian
 *   integer, then the JSON text — what Confluent's JSON Schema serializer writes and its
 *   deserializer expects.
 */
export type ValueFormat = 'json' | 'confluent';

/** Every value format, for request validation and docs. */
export const valueFormats: readonly ValueFormat[] = ['json', 'confluent'];

/** The first byte of a Confluent-framed value. JSON text never starts with it. */
export const CONFLUENT_MAGIC_BYTE = 0;
/** Magic byte plus the 4-byte schema id. */
export const CONFLUENT_HEADER_BYTES = 5;
/** The record header in which Meshgate names the schema id of a plain JSON value. */
export const SCHEMA_ID_HEADER = 'meshgate-schema-id';
/** The record header naming the event type a record was produced as (a topic may carry several). */
export const EVENT_TYPE_HEADER = 'meshgate-event-type';

/**
 * The headers Meshgate puts on every record it produces: the event type and the id of the
 * schema the event was validated against (also for Confluent-framed values, so that every
 * consumer finds it in a header). Nothing else: each header is encoded again for every record
 * (about 2 µs each in kafkajs), and the rest is one registry call away — the version is
 * `GET /registry/schemas/ids/{id}/versions`, the framing shows in the value's first byte.
 */
export function producedRecordHeaders(eventType: string, schemaId: number): Record<string, string> {
  return { [EVENT_TYPE_HEADER]: eventType, [SCHEMA_ID_HEADER]: String(schemaId) };
}

/** A record value decoded from either framing. */
export type DecodedValue = DecodedJson | UndecodableValue;

/** A value that held JSON. */
export interface DecodedJson {
  readonly ok: true;
  readonly data: unknown;
  /** The schema id the record names: the wire format's, else the `meshgate-schema-id` header's, else none. */
  readonly schemaId: number | undefined;
  readonly framing: ValueFormat;
}

/** A value that is missing or not JSON. */
export interface UndecodableValue {
  readonly ok: false;
  /** As for {@link DecodedJson.schemaId}: a wire-format value names its id even when its payload is not JSON. */
  readonly schemaId: number | undefined;
  readonly framing: ValueFormat;
  /** Why, for logs and dead-letter headers. */
  readonly problem: string;
}

const NO_VALUE = 'the record has no value';

/**
 * Decodes a record value whatever its framing: a value of at least 5 bytes starting with byte 0
 * is Confluent's wire format (the id follows, then the JSON), anything else is JSON text. Never
 * throws; a value that is missing or not JSON comes back with `ok: false`.
 */
export function decodeRecordValue(
  value: Buffer | null,
  headers: Readonly<Record<string, string>> | undefined,
): DecodedValue {
  if (value && value.length >= CONFLUENT_HEADER_BYTES && value[0] === CONFLUENT_MAGIC_BYTE) {
    const schemaId = value.readUInt32BE(1);
    return parseJson(value, CONFLUENT_HEADER_BYTES, schemaId, 'confluent');
  }
  const schemaId = schemaIdFromHeader(headers?.[SCHEMA_ID_HEADER]);
  if (!value || value.length === 0) return { ok: false, schemaId, framing: 'json', problem: NO_VALUE };
  return parseJson(value, 0, schemaId, 'json');
}

/**
 * The record value for an event: its JSON text, framed as the event type's consumers expect.
 * `confluent` needs the schema id the event was validated against.
 */
export function encodeRecordValue(data: unknown, format: ValueFormat, schemaId: number): string | Buffer {
  return frameJsonValue(JSON.stringify(data), format, schemaId);
}

/**
 * The record value for JSON already written out (text, or its UTF-8 bytes): as is in the `json`
 * format, behind the magic byte and schema id in `confluent`.
 */
export function frameJsonValue<T extends string | Buffer>(json: T, format: ValueFormat, schemaId: number): T | Buffer {
  if (format === 'json') return json;
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffff_ffff) {
    throw new RangeError(`Schema id ${schemaId} does not fit Confluent's 4-byte wire format.`);
  }
  const length = typeof json === 'string' ? Buffer.byteLength(json, 'utf8') : json.length;
  const framed = Buffer.allocUnsafe(CONFLUENT_HEADER_BYTES + length);
  framed[0] = CONFLUENT_MAGIC_BYTE;
  framed.writeUInt32BE(schemaId, 1);
  if (typeof json === 'string') framed.write(json, CONFLUENT_HEADER_BYTES, length, 'utf8');
  else json.copy(framed, CONFLUENT_HEADER_BYTES);
  return framed;
}

/**
 * The schema id a `meshgate-schema-id` header names, or undefined when absent or not a
 * positive integer (the header is a hint: a malformed one is ignored and the value is checked
 * against the subject's versions instead).
 */
export function schemaIdFromHeader(header: string | undefined): number | undefined {
  if (header === undefined || !/^[1-9][0-9]{0,9}$/.test(header)) return undefined;
  const id = Number(header);
  return id <= 0xffff_ffff ? id : undefined;
}

function parseJson(value: Buffer, start: number, schemaId: number | undefined, framing: ValueFormat): DecodedValue {
  if (value.length === start) return { ok: false, schemaId, framing, problem: NO_VALUE };
  try {
    return { ok: true, data: JSON.parse(value.toString('utf8', start)) as unknown, schemaId, framing };
  } catch (error) {
    return { ok: false, schemaId, framing, problem: `the value is not JSON: ${(error as Error).message}` };
  }
}
