// Naming rules for GraphQL names generated from catalog event types and JSON Schemas. Every
// generated name must match GraphQL's Name production and must not start with "__" (reserved
// for introspection).

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** True if `name` is usable as a GraphQL type, field, argument or enum value name. */
export function isGraphQLName(name: string): boolean {
  return NAME.test(name) && !name.startsWith('__');
}

/** Splits free text ("order-created", "Order Created", "orderCreated") into words of letters and digits. */
function words(text: string): string[] {
  return text.split(/[^0-9A-Za-z]+/).filter((word) => word.length > 0);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * A PascalCase type name from free text: `order-created` → `OrderCreated`. Existing inner
 * capitals are kept (`orderCreated` → `OrderCreated`); a leading digit gets a `_` prefix;
 * text without letters or digits gives `fallback`.
 */
export function toTypeName(text: string, fallback = 'Event'): string {
  const joined = words(text).map(capitalise).join('');
  if (joined === '') return fallback;
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** A camelCase field name from free text: `payment-captured` → `paymentCaptured`. */
export function toFieldName(text: string, fallback = 'event'): string {
  const pascal = toTypeName(text, '');
  if (pascal === '') return fallback;
  return pascal.startsWith('_') ? pascal : pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/**
 * A field name for a JSON property: the property name itself when GraphQL allows it, otherwise
 * every disallowed character becomes `_` (`order-id` → `order_id`), a leading digit gets a `_`
 * prefix and a leading `__` (reserved) a `field` prefix.
 */
export function toPropertyFieldName(property: string): string {
  if (isGraphQLName(property)) return property;
  let name = property.replace(/[^_0-9A-Za-z]/g, '_');
  if (name === '') name = '_';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (name.startsWith('__')) name = `field${name}`;
  return name;
}

/**
 * An enum value name for a JSON string, or undefined when there is none: disallowed characters
 * become `_` (`credit-card` → `credit_card`); values that would start with a digit, be empty or
 * be `true`/`false`/`null` (which GraphQL forbids as enum values) have no name.
 */
export function toEnumValueName(value: string): string | undefined {
  const name = value.replace(/[^_0-9A-Za-z]/g, '_');
  if (!isGraphQLName(name) || name === 'true' || name === 'false' || name === 'null') return undefined;
  return name;
}

/**
 * Hands out unique names within one scope (the schema's type names, one type's field names):
 * the first claim of a name gets it, later claims get `{name}2`, `{name}3`, … (with
 * `separator` in between).
 */
export class NameScope {
  private readonly taken: Set<string>;

  constructor(
    reserved: Iterable<string> = [],
    private readonly separator = '',
  ) {
    this.taken = new Set(reserved);
  }

  /** True if nobody holds `name` yet. */
  isFree(name: string): boolean {
    return !this.taken.has(name);
  }

  /** Claims `name`, or the first free numbered variant of it. */
  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate); n += 1) candidate = `${name}${this.separator}${n}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** A scope that starts with this one's names taken; claims in it do not affect this one. */
  fork(): NameScope {
    return new NameScope(this.taken, this.separator);
  }

  /** Takes over every name claimed in a fork of this scope. */
  adopt(fork: NameScope): void {
    for (const name of fork.taken) this.taken.add(name);
  }
}
