const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in its text form: ids of uuid columns are checked with it before
 * they reach PostgreSQL, which would refuse anything else with an error instead of "not found".
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
