import { InputError } from '@meshgate/core';

/** Longest search text accepted, in characters. */
export const MAX_SEARCH_TEXT = 200;
/** Most words a search uses (the rest are ignored). */
export const MAX_SEARCH_WORDS = 10;

/**
 * Splits search text into the words the SQL query matches: lower-cased, split on anything but
 * letters, digits and the name separators `.`, `_`, `-` (which stay inside a word so that
 * `orders.order-created` matches whole), separators trimmed from the ends, duplicates dropped.
 * Throws INVALID_REQUEST for text over {@link MAX_SEARCH_TEXT} characters.
 */
export function parseSearchTerms(text: string | undefined): string[] {
  if (text === undefined) return [];
  if (text.length > MAX_SEARCH_TEXT) {
    throw new InputError(`The search text is ${text.length} characters long; at most ${MAX_SEARCH_TEXT} are allowed.`);
  }
  const words = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}._-]+/u)) {
    const word = raw.replace(/^[._-]+|[._-]+$/g, '');
    if (word) words.add(word);
    if (words.size === MAX_SEARCH_WORDS) break;
  }
  return [...words];
}
