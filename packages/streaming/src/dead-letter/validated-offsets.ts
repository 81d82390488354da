/** Where the event log put one appended record (an `AppendResult` is one). */
export interface AppendedPosition {
  readonly partition: number;
  readonly offset: number;
}

/** What the dead-letter worker asks of {@link ValidatedOffsets}. */
export interface ValidatedRecords {
  /** Whether the record at this position was validated by this instance before it was appended. */
  covers(topic: string, partition: number, offset: number): boolean;
  /**
   * Resolves once the appends to `topic` under way now have settled (at most after a bound),
   * so that a record just read is not taken for someone else's only because the append that
   * wrote it has not been told its positions yet. Undefined when none is under way.
   */
  settled(topic: string): Promise<void> | undefined;
  /**
   * Where the run of positions this instance validated, starting at `offset`, ends: the first
   * offset after it, or `offset` itself when that record was not validated here. Reads only.
   */
  runEnd(topic: string, partition: number, offset: number): number;
}

/** Options for {@link ValidatedOffsets}. */
export interface ValidatedOffsetsOptions {
  /** Most offset ranges kept per partition; the lowest are forgotten first. Default 1024. */
  maxRangesPerPartition?: number;
  /** How long a range is trusted after the last append that extended it. Default 300 000 ms (5 min). */
  maxAgeMs?: number;
  /** Longest {@link ValidatedOffsets.settled} waits for appends under way. Default 5 000 ms. */
  settleTimeoutMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Offsets `[start, end)` of one partition, appended by this instance. */
interface Range {
  start: number;
  end: number;
  /** When an append last added to it (ms since the epoch). */
  touchedAt: number;
}

/** How often `add` sweeps expired ranges out of partitions nobody asks about. */
const SWEEP_INTERVAL_MS = 10_000;

/**
 * The positions this gateway instance's produce path appended, so that its dead-letter worker
 * does not validate again what the produce path validated just before appending it.
 *
 * Trust is keyed on **positions the event log acknowledged to this process**, never on anything
 * a record carries: a record written by a direct producer, whatever headers it forges, sits at
 * a position this instance did not get back from an append, and is checked as before. Records
 * other instances produced are checked too (they are not in this instance's memory).
 *
 * Bounded: at most `maxRangesPerPartition` ranges per partition (adjacent appends merge into one
 * range, so one producing instance usually needs one), ranges older than `maxAgeMs` are
 * forgotten, and ranges below the offset the worker asks about are dropped as it reads on. A
 * forgotten range only means its records are validated again. Offsets are only reused when a
 * topic is deleted and created again (or a partition is truncated by an unclean leader
 * election); an append that lands on an offset already remembered is taken as that sign and
 * drops what the partition remembered, and the age bound covers the rest.
 */
export class ValidatedOffsets implements ValidatedRecords {
  private readonly topics = new Map<string, Map<number, Range[]>>();
  /** Appends under way per topic, each settling when its positions are known (or it failed). */
  private readonly pending = new Map<string, Set<Promise<void>>>();
  private readonly maxRanges: number;
  private readonly maxAgeMs: number;
  private readonly settleTimeoutMs: number;
  private readonly now: () => number;
  private sweptAt: number;

  constructor(options: ValidatedOffsetsOptions = {}) {
    this.maxRanges = options.maxRangesPerPartition ?? 1024;
    this.maxAgeMs = options.maxAgeMs ?? 300_000;
    this.settleTimeoutMs = options.settleTimeoutMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.sweptAt = this.now();
  }

  /**
   * Announces an append of validated records to `topic`; call the returned function once with
   * the positions the event log acknowledged, or with none when the append failed.
   */
  begin(topic: string): (positions?: readonly AppendedPosition[]) => void {
    let settle!: () => void;
    const append = new Promise<void>((resolve) => (settle = resolve));
    let appends = this.pending.get(topic);
    if (!appends) {
      appends = new Set();
      this.pending.set(topic, appends);
    }
    appends.add(append);
    let done = false;
    return (positions) => {
      if (done) return;
      done = true;
      if (positions) this.add(topic, positions);
      appends.delete(append);
      if (appends.size === 0 && this.pending.get(topic) === appends) this.pending.delete(topic);
      settle();
    };
  }

  settled(topic: string): Promise<void> | undefined {
    const appends = this.pending.get(topic);
    if (!appends) return undefined;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      Promise.all(appends).then(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.settleTimeoutMs);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Remembers the positions of records appended to `topic` after they were validated. */
  add(topic: string, positions: readonly AppendedPosition[]): void {
    if (positions.length === 0) return;
    const now = this.now();
    if (now - this.sweptAt >= SWEEP_INTERVAL_MS) this.sweep(now);
    let partitions = this.topics.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.topics.set(topic, partitions);
    }
    // One run per partition and stretch of consecutive offsets: an append's records in one
    // partition are consecutive (Kafka writes them as one batch), interleaved with other partitions'.
    const runs = new Map<number, Range>();
    for (const { partition, offset } of positions) {
      const run = runs.get(partition);
      if (run && offset === run.end) {
        run.end++;
        continue;
      }
      if (run) this.insert(partitions, partition, run);
      runs.set(partition, { start: offset, end: offset + 1, touchedAt: now });
    }
    for (const [partition, run] of runs) this.insert(partitions, partition, run);
  }

  /**
   * Whether this instance validated and appended the record at this position. The worker reads
   * each partition in offset order: ranges entirely below `offset` are dropped on the way.
   */
  covers(topic: string, partition: number, offset: number): boolean {
    const partitions = this.topics.get(topic);
    const ranges = partitions?.get(partition);
    if (!ranges) return false;
    let drop = 0;
    while (drop < ranges.length && ranges[drop]!.end <= offset) drop++;
    if (drop > 0) ranges.splice(0, drop);
    const first = ranges[0];
    if (!first) {
      partitions!.delete(partition);
      if (partitions!.size === 0) this.topics.delete(topic);
      return false;
    }
    if (first.start > offset) return false;
    if (this.now() - first.touchedAt > this.maxAgeMs) {
      ranges.shift();
      return false;
    }
    return true;
  }

  runEnd(topic: string, partition: number, offset: number): number {
    const ranges = this.topics.get(topic)?.get(partition);
    if (!ranges) return offset;
    const now = this.now();
    // Ranges are sorted and never overlap; adjacent ones were merged when added.
    for (const range of ranges) {
      if (range.end <= offset) continue;
      if (range.start > offset || now - range.touchedAt > this.maxAgeMs) return offset;
      return range.end;
    }
    return offset;
  }

  /** Ranges remembered now, over every topic and partition (for tests and metrics). */
  get size(): number {
    let size = 0;
    for (const partitions of this.topics.values()) for (const ranges of partitions.values()) size += ranges.length;
    return size;
  }

  private insert(partitions: Map<number, Range[]>, partition: number, run: Range): void {
    let ranges = partitions.get(partition);
    if (!ranges) {
      partitions.set(partition, [run]);
      return;
    }
    // Usually after the last range (one produce call per topic at a time); the embedded log's
    // transactions may finish out of order, hence the general case.
    let index = ranges.length;
    while (index > 0 && ranges[index - 1]!.start >= run.end) index--;
    const before = ranges[index - 1];
    const after = ranges[index];
    if ((before && before.end > run.start) || (after && after.start < run.end)) {
      // An offset acknowledged twice: the partition's offsets started again (topic recreated,
      // log truncated). Nothing remembered for it can be trusted any more.
      ranges = [run];
      partitions.set(partition, ranges);
      return;
    }
    if (before && before.end === run.start) {
      before.end = run.end;
      before.touchedAt = run.touchedAt;
      if (after && after.start === before.end) {
        before.end = after.end;
        ranges.splice(index, 1);
      }
    } else if (after && after.start === run.end) {
      after.start = run.start;
      after.touchedAt = run.touchedAt;
    } else {
      ranges.splice(index, 0, run);
    }
    if (ranges.length > this.maxRanges) ranges.splice(0, ranges.length - this.maxRanges);
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [topic, partitions] of this.topics) {
      for (const [partition, ranges] of partitions) {
        const kept = ranges.filter((range) => now - range.touchedAt <= this.maxAgeMs);
        if (kept.length === 0) partitions.delete(partition);
        else if (kept.length !== ranges.length) partitions.set(partition, kept);
      }
      if (partitions.size === 0) this.topics.delete(topic);
    }
  }
}
