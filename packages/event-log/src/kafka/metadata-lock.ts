/**
 * A readers-writer lock for kafkajs admin metadata calls. `admin.fetchTopicMetadata({ topics })`
 * replaces the shared cluster's metadata with just those topics; a `fetchTopicOffsets` of another
 * topic running meanwhile then finds no partitions for it and crashes inside kafkajs (see
 * tulios/kafkajs#461). Offsets reads share the lock; explicit-topic metadata fetches take it alone.
 */
export class MetadataLock {
  private readers = 0;
  private writer: Promise<void> | undefined;
  private readonly drained: (() => void)[] = [];

  /** Runs `work` alongside other shared holders, never during an exclusive one. */
  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    this.readers += 1;
    try {
      return await work();
    } finally {
      this.readers -= 1;
      if (this.readers === 0) for (const wake of this.drained.splice(0)) wake();
    }
  }

  /** Runs `work` alone: waits for shared holders to finish and keeps new ones out meanwhile. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    let release!: () => void;
    this.writer = new Promise((resolve) => (release = resolve));
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      return await work();
    } finally {
      this.writer = undefined;
      release();
    }
  }
}
