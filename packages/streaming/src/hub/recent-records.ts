/** What the ring needs to know of a record. */
export interface Positioned {
  readonly partition: number;
  readonly offset: number;
}

interface PartitionRing<T> {
  items: Array<T | undefined>;
  head: number;
  size: number;
  /**
   * Every deliverable record of this partition with an offset from here up to the hub's live
   * position is in the ring. A subscriber positioned at or after it can be served from memory.
   */
  coverFrom: number;
}

/**
 * The last few records of each partition of one topic, kept so a near-live resume (a client
 * reconnecting with a fresh cursor) is served from memory instead of a reader of its own.
 * Bounded: at most `capacity` records per partition; the oldest is evicted first.
 */
export class RecentRecords<T extends Positioned> {
  private readonly partitions = new Map<number, PartitionRing<T>>();

  /**
   * @param capacity records kept per partition (0 keeps none: only subscribers exactly at the
   *   live position join without a reader)
   * @param start the live positions the hub starts from: nothing before them is covered
   */
  constructor(
    private readonly capacity: number,
    start: ReadonlyMap<number, number>,
  ) {
    for (const [partition, position] of start) this.ring(partition, position);
  }

  /** Records kept, over all partitions. */
  get size(): number {
    let size = 0;
    for (const ring of this.partitions.values()) size += ring.size;
    return size;
  }

  /** Where coverage of a partition starts (see {@link PartitionRing.coverFrom}). */
  coverFrom(partition: number): number {
    // A partition the hub has not seen yet is read from its start by the live reader.
    return this.partitions.get(partition)?.coverFrom ?? 0;
  }

  /** Whether every record a subscriber at these positions still needs is in memory. */
  covers(positions: ReadonlyMap<number, number>, live: ReadonlyMap<number, number>): boolean {
    for (const partition of live.keys()) {
      if ((positions.get(partition) ?? 0) < this.coverFrom(partition)) return false;
    }
    return true;
  }

  /** Appends the newest record of its partition (offsets must grow), evicting the oldest when full. */
  add(record: T): void {
    const ring = this.ring(record.partition, 0);
    if (this.capacity === 0) {
      ring.coverFrom = record.offset + 1;
      return;
    }
    if (ring.size === this.capacity) {
      const evicted = ring.items[ring.head]!;
      ring.items[ring.head] = undefined;
      ring.head = (ring.head + 1) % ring.items.length;
      ring.size -= 1;
      ring.coverFrom = evicted.offset + 1;
    } else if (ring.size === ring.items.length) {
      const grown = new Array<T | undefined>(Math.min(this.capacity, ring.items.length * 2));
      for (let i = 0; i < ring.size; i += 1) grown[i] = ring.items[(ring.head + i) % ring.items.length];
      ring.items = grown;
      ring.head = 0;
    }
    ring.items[(ring.head + ring.size) % ring.items.length] = record;
    ring.size += 1;
  }

  /** Kept records of a partition with offset ≥ `position`, oldest first. */
  *from(partition: number, position: number): Generator<T> {
    const ring = this.partitions.get(partition);
    if (!ring || ring.size === 0) return;
    const at = (i: number) => ring.items[(ring.head + i) % ring.items.length]!;
    // Offsets grow along the ring, so binary search for the first one at or after `position`.
    let low = 0;
    let high = ring.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (at(mid).offset < position) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < ring.size; i += 1) yield at(i);
  }

  private ring(partition: number, coverFrom: number): PartitionRing<T> {
    let ring = this.partitions.get(partition);
    if (!ring) {
      ring = { items: new Array<T | undefined>(Math.min(this.capacity, 16)), head: 0, size: 0, coverFrom };
      this.partitions.set(partition, ring);
    }
    return ring;
  }
}
