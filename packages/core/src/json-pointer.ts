// JSON pointers (RFC 6901): in a reference token `~` is written `~0` and `/` is written `~1`.

/** Escapes one reference token (`~` → `~0`, then `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reads one escaped reference token back (`~1` → `/`, then `~0` → `~`). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Reads one token of a pointer in a URI fragment (`#/a%20b/c~1d`): percent-decoded where it is
 * percent-encoded (taken as it is where it does not decode), then unescaped.
 */
export function unescapeFragmentToken(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // Not percent-encoded; use it as it is.
  }
  return unescapePointerToken(decoded);
}

/** The JSON pointer to a path of keys and indexes; `''` (the whole document) for none. */
export function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((part) => `/${escapePointerToken(String(part))}`).join('');
}
