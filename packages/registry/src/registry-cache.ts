import type { ChangeFeed } from '@meshgate/db';

/**
 * The registry's read caches. Entries that can change (latest versions, configs, modes,
 * schemas by id, which a hard delete removes) are dropped on any registry change — local or
 * from another instance through the change feed — since registry writes are rare and a full
 * drop is always correct. Parsed schemas and validators are keyed by id, whose content never
 * changes, so they are kept.
 */
export class RegistryCache {
  private readonly maps = new Set<Map<unknown, unknown>>();
  private generation = 0;
  private unsubscribe: (() => void) | undefined;

  /** A cache map that is cleared on every registry change. */
  map<K, V>(): Map<K, V> {
    const map = new Map<K, V>();
    this.maps.add(map as Map<unknown, unknown>);
    return map;
  }

  /** Clears every mutable entry. */
  clear(): void {
    this.generation++;
    for (const map of this.maps) map.clear();
  }

  /**
   * Take a stamp before reading the database to fill an entry, and store the result only if
   * {@link fresh} says no change arrived meanwhile: a read that started before a change must not
   * put the old value back after the change cleared it.
   */
  stamp(): number {
    return this.generation;
  }

  /** True when nothing was cleared since `stamp` was taken. */
  fresh(stamp: number): boolean {
    return stamp === this.generation;
  }

  /** Clears the caches whenever the feed reports a registry change (or asks for a resync). */
  follow(feed: ChangeFeed): void {
    this.unsubscribe?.();
    this.unsubscribe = feed.on('registry', () => this.clear());
  }

  /** Stops following the feed. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
