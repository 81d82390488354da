import { InputError, unescapePointerToken } from '@meshgate/core';

/** Who sees an event type's catalog entry (see the README's catalog section). */
export const visibilities = ['public', 'private'] as const;
/** One of {@link visibilities}. */
export type Visibility = (typeof visibilities)[number];

/** An example payload of an event type, validated against its schema when one exists. */
export interface EventTypeExample {
  name: string;
  summary?: string | undefined;
  payload: unknown;
}

/** Tags are short lower-case slugs. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;
const MAX_TAGS = 32;
const MAX_EXAMPLES = 20;
const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,49}$/;
const MAX_KEY_PATH = 500;

/** Throws INVALID_REQUEST unless `value` is `public` or `private`. */
export function assertVisibility(value: unknown): asserts value is Visibility {
  if (typeof value !== 'string' || !(visibilities as readonly string[]).includes(value)) {
    throw new InputError(`Invalid visibility '${String(value)}': use public or private.`);
  }
}

/** The tags, checked and de-duplicated (first occurrence kept); throws INVALID_REQUEST naming the bad one. */
export function normaliseTags(tags: readonly unknown[]): string[] {
  if (tags.length > MAX_TAGS) throw new InputError(`At most ${MAX_TAGS} tags are allowed, got ${tags.length}.`);
  const seen = new Set<string>();
  tags.forEach((tag, index) => {
    if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
      throw new InputError(
        `Invalid tag '${String(tag)}' (tags/${index}): use 1–50 lower-case letters, digits or '-', starting with a letter or digit.`,
        { details: { path: `/tags/${index}` } },
      );
    }
    seen.add(tag);
  });
  return [...seen];
}

/** Throws INVALID_REQUEST unless `version` is a short version label such as `1.2.0`. */
export function assertCatalogVersion(version: unknown): asserts version is string {
  if (typeof version !== 'string' || !VERSION_PATTERN.test(version)) {
    throw new InputError(
      `Invalid version '${String(version)}': use up to 50 letters, digits, '.', '+', '_' or '-' (semver by convention, e.g. 1.2.0).`,
    );
  }
}

/** Throws INVALID_REQUEST unless `pointer` is a JSON pointer (RFC 6901) to a field: `/orderId`, `/customer/id`. */
export function assertKeyPath(pointer: unknown): asserts pointer is string {
  if (
    typeof pointer !== 'string' ||
    !pointer.startsWith('/') ||
    pointer.length > MAX_KEY_PATH ||
    /~[^01]|~$/.test(pointer)
  ) {
    throw new InputError(
      `Invalid keyPath '${String(pointer)}': use a JSON pointer to a payload field, e.g. /orderId ('~0' and '~1' escape '~' and '/').`,
    );
  }
}

/** Throws INVALID_REQUEST unless `version` is a positive schema version number (or null). */
export function assertSchemaVersion(version: unknown): asserts version is number | null {
  if (version !== null && !(typeof version === 'number' && Number.isInteger(version) && version >= 1)) {
    throw new InputError(
      `Invalid schemaVersion '${String(version)}': use a positive version number, or null for the latest.`,
    );
  }
}

/** Checks the shape of examples (not their payloads against the schema: see validateExamples). */
export function normaliseExamples(examples: readonly unknown[]): EventTypeExample[] {
  if (examples.length > MAX_EXAMPLES) {
    throw new InputError(`At most ${MAX_EXAMPLES} examples are allowed, got ${examples.length}.`);
  }
  return examples.map((example, index) => {
    const item = example as Partial<EventTypeExample> | null;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError(`Example ${index} must be an object {name, summary?, payload}.`, {
        details: { path: `/examples/${index}` },
      });
    }
    if (typeof item.name !== 'string' || item.name.length === 0 || item.name.length > 200) {
      throw new InputError(`Example ${index} needs a name of 1–200 characters.`, {
        details: { path: `/examples/${index}/name` },
      });
    }
    if (item.summary !== undefined && (typeof item.summary !== 'string' || item.summary.length > 1000)) {
      throw new InputError(`The summary of example ${index} must be text of at most 1000 characters.`, {
        details: { path: `/examples/${index}/summary` },
      });
    }
    if (!('payload' in item) || item.payload === undefined) {
      throw new InputError(`Example ${index} ('${item.name}') needs a payload.`, {
        details: { path: `/examples/${index}/payload` },
      });
    }
    return { name: item.name, ...(item.summary !== undefined ? { summary: item.summary } : {}), payload: item.payload };
  });
}

/**
 * The value a JSON pointer (RFC 6901) names inside `data`, or undefined when it names nothing.
 * Used for `keyPath`: the record key of an event produced without one.
 */
export function readJsonPointer(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const token = unescapePointerToken(raw);
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * The record key `keyPath` derives from a payload: strings as they are, numbers and booleans
 * as text, objects and arrays as JSON; undefined when the field is missing or null.
 */
export function keyFromPayload(data: unknown, keyPath: string): string | undefined {
  const value = readJsonPointer(data, keyPath);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
