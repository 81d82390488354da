import { FILTER_LIMITS, type FilterField, type FilterMetaName } from './filter-node';

const META_NAMES: ReadonlySet<string> = new Set<FilterMetaName>(['key', 'timestamp', 'partition']);

/** Returns the meta field for a name after `$`, or an error message. */
export function metaField(name: string): FilterField | string {
  if (META_NAMES.has(name)) return { kind: 'meta', name: name as FilterMetaName };
  return `unknown meta field '$${name}' (expected $key, $timestamp or $partition; write '\\$${name}' for a payload field)`;
}

/** Returns an error message when a payload path breaks the limits, else undefined. */
export function checkPath(path: readonly string[]): string | undefined {
  if (path.length > FILTER_LIMITS.maxPathSegments) {
    return `the field has more than ${FILTER_LIMITS.maxPathSegments} segments`;
  }
  for (const segment of path) {
    if (segment === '') return 'the field has an empty segment (two dots in a row, or a leading or trailing dot)';
    if (segment.length > FILTER_LIMITS.maxSegmentLength) {
      return `a field segment is longer than ${FILTER_LIMITS.maxSegmentLength} characters`;
    }
  }
  return undefined;
}

/**
 * Parses the field text of the JSON form: segments split on unescaped dots, `\` takes the
 * next character literally, and a leading unescaped `$` names a meta field.
 * Returns the field or an error message.
 */
export function parseFieldText(text: string): FilterField | string {
  if (text === '') return 'the field is empty';
  if (text.startsWith('$')) {
    const name = text.slice(1);
    if (name.includes('.')) return `the meta field '$${name.split('.')[0] ?? ''}' has no sub-fields`;
    return metaField(name);
  }
  const path: string[] = [];
  let segment = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      const next = text.codePointAt(i + 1);
      if (next === undefined) return 'the field ends with a lone backslash (write \\\\ for a backslash)';
      const escaped = String.fromCodePoint(next);
      segment += escaped;
      i += escaped.length;
    } else if (ch === '.') {
      path.push(segment);
      segment = '';
    } else {
      segment += ch;
    }
  }
  path.push(segment);
  return checkPath(path) ?? { kind: 'data', path };
}

/** Formats a field as the JSON form writes it (escaping dots, backslashes and a leading `$`). */
export function formatFieldText(field: FilterField): string {
  if (field.kind === 'meta') return `$${field.name}`;
  const text = field.path.map((segment) => segment.replace(/[.\\]/g, '\\$&')).join('.');
  return text.startsWith('$') ? `\\${text}` : text;
}

const BARE_ASCII = /^[A-Za-z0-9_$-]$/;
const BARE_UNICODE = /^[\p{L}\p{N}\p{M}]$/u;

/** True for a character the compact form allows unescaped in a field segment. */
export function isBareFieldChar(ch: string): boolean {
  return ch.length === 1 && ch.charCodeAt(0) < 0x80 ? BARE_ASCII.test(ch) : BARE_UNICODE.test(ch);
}

/** Formats a field as the compact form writes it (every character that is not bare is escaped). */
export function formatFieldCompact(field: FilterField): string {
  if (field.kind === 'meta') return `$${field.name}`;
  const text = field.path
    .map((segment) => {
      let out = '';
      for (const ch of segment) out += isBareFieldChar(ch) ? ch : `\\${ch}`;
      return out;
    })
    .join('.');
  return text.startsWith('$') ? `\\${text}` : text;
}
