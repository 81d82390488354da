/** A JSON value that is not the documented shape; `path` names the first offending field. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path} ${reason}`);
  }
}

/**
 * Reads the fields of an untrusted JSON object (a gateway response), checking each field's type
 * as it is read and naming the JSON path of the first one that is wrong. Unknown fields are
 * ignored, so the gateway may add fields without breaking the portal.
 */
export class JsonReader {
  private constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    /** Where this object sits in the document, e.g. `$.grants[0]`. */
    readonly path: string,
  ) {}

  /** Starts reading `value`, which must be a JSON object. */
  static of(value: unknown, path = '$'): JsonReader {
    if (!isRecord(value)) throw new ShapeError(path, 'is not an object');
    return new JsonReader(value, path);
  }

  /** A required string. */
  string(key: string): string {
    const field = this.value[key];
    if (typeof field !== 'string') throw new ShapeError(this.at(key), 'is not a string');
    return field;
  }

  /** A string that may be `null` or missing (both read as `null`). */
  optionalString(key: string): string | null {
    const field = this.value[key];
    if (field === undefined || field === null) return null;
    if (typeof field !== 'string') throw new ShapeError(this.at(key), 'is not a string or null');
    return field;
  }

  /** A required integer. */
  integer(key: string): number {
    const field = this.value[key];
    if (!Number.isInteger(field)) throw new ShapeError(this.at(key), 'is not an integer');
    return field as number;
  }

  /** An integer that may be `null` or missing (both read as `null`). */
  optionalInteger(key: string): number | null {
    const field = this.value[key];
    if (field === undefined || field === null) return null;
    if (!Number.isInteger(field)) throw new ShapeError(this.at(key), 'is not an integer or null');
    return field as number;
  }

  /** A required finite number. */
  number(key: string): number {
    const field = this.value[key];
    if (typeof field !== 'number' || !Number.isFinite(field)) throw new ShapeError(this.at(key), 'is not a number');
    return field;
  }

  /** An array of strings that may be missing (read as `[]`). */
  optionalStrings(key: string): string[] {
    const field = this.value[key];
    return field === undefined || field === null ? [] : this.strings(key);
  }

  /** A required boolean. */
  boolean(key: string): boolean {
    const field = this.value[key];
    if (typeof field !== 'boolean') throw new ShapeError(this.at(key), 'is not a boolean');
    return field;
  }

  /** A required array of strings. */
  strings(key: string): string[] {
    return this.array(key).map((item, index) => {
      if (typeof item !== 'string') throw new ShapeError(`${this.at(key)}[${index}]`, 'is not a string');
      return item;
    });
  }

  /** A required nested object. */
  object(key: string): JsonReader {
    return JsonReader.of(this.value[key], this.at(key));
  }

  /** A nested object that may be `null` or missing. */
  optionalObject(key: string): JsonReader | null {
    const field = this.value[key];
    return field === undefined || field === null ? null : JsonReader.of(field, this.at(key));
  }

  /** A required array of objects, each read by `read`. */
  objects<T>(key: string, read: (item: JsonReader) => T): T[] {
    return this.array(key).map((item, index) => read(JsonReader.of(item, `${this.at(key)}[${index}]`)));
  }

  /** A field as it is, unchecked (for free-form details). */
  raw(key: string): unknown {
    return this.value[key];
  }

  private array(key: string): unknown[] {
    const field = this.value[key];
    if (!Array.isArray(field)) throw new ShapeError(this.at(key), 'is not an array');
    return field;
  }

  private at(key: string): string {
    return `${this.path}.${key}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
