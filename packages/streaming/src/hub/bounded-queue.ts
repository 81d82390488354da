/**
 * A FIFO with a hard capacity, stored in a circular array that grows by doubling up to the
 * capacity. Growing lazily matters with thousands of subscribers: most queues stay nearly
 * empty, so preallocating `capacity` slots each would cost memory for nothing.
 */
export class BoundedQueue<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(Math.min(capacity, 16));
  }

  /** Items waiting. */
  get length(): number {
    return this.size;
  }

  /** Room left before the queue is full. */
  get free(): number {
    return this.capacity - this.size;
  }

  /** Appends an item; returns false (and keeps nothing) when the queue is full. */
  push(item: T): boolean {
    if (this.size === this.capacity) return false;
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) % this.items.length] = item;
    this.size += 1;
    return true;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    // Cleared so a delivered event can be collected even while the slot waits for reuse.
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.size -= 1;
    return item;
  }

  /** Drops every item and gives the storage back. */
  clear(): void {
    this.items = new Array<T | undefined>(Math.min(this.capacity, 16));
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const grown = new Array<T | undefined>(Math.min(this.capacity, this.items.length * 2));
    for (let i = 0; i < this.size; i += 1) grown[i] = this.items[(this.head + i) % this.items.length];
    this.items = grown;
    this.head = 0;
  }
}
