import type { Pool } from '@meshgate/db';
import type { LogCallback } from '../log';

/** Next offset of every partition of one topic. */
export type Tips = ReadonlyMap<number, number>;

/**
 * The safety net under LISTEN/NOTIFY: every `intervalMs`, one query reads the next offset of
 * every partition of every topic some reader of this instance waits on, and hands it to the
 * readers, which wake only if they are behind. A missed notification therefore costs at most
 * one interval of latency, and idle readers cost one query per interval per instance, not one
 * per reader.
 */
export class TipWatch {
  private readonly watchers = new Map<string, Set<(tips: Tips) => void>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs: number,
    private readonly onLog: LogCallback | undefined,
  ) {}

  /** Calls `check` with the topic's tips on every poll; returns the function that stops it. */
  watch(topic: string, check: (tips: Tips) => void): () => void {
    let set = this.watchers.get(topic);
    if (!set) this.watchers.set(topic, (set = new Set()));
    set.add(check);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      const current = this.watchers.get(topic);
      current?.delete(check);
      if (current?.size === 0) this.watchers.delete(topic);
      if (this.watchers.size === 0) this.stop();
    };
  }

  /** Stops polling; watchers are dropped. */
  close(): void {
    this.watchers.clear();
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.watchers.size === 0) return;
    this.polling = true;
    try {
      const { rows } = await this.pool.query<{ topic: string; partition: number; next_offset: string }>(
        'SELECT topic, partition, next_offset FROM el_partitions WHERE topic = ANY($1::text[])',
        [[...this.watchers.keys()]],
      );
      const tips = new Map<string, Map<number, number>>();
      for (const row of rows) {
        let topic = tips.get(row.topic);
        if (!topic) tips.set(row.topic, (topic = new Map()));
        topic.set(row.partition, Number(row.next_offset));
      }
      for (const [topic, checks] of [...this.watchers]) {
        const topicTips = tips.get(topic);
        if (topicTips) for (const check of [...checks]) check(topicTips);
      }
    } catch (error) {
      // The readers' own queries report database trouble; here it only delays a wake-up.
      this.onLog?.('debug', 'event log: poll for new records failed', { error: String(error) });
    } finally {
      this.polling = false;
    }
  }
}
