import { describe, expect, it } from 'vitest';
import { ValidatedOffsets } from './validated-offsets';

const positions = (partition: number, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ partition, offset: from + i }));

describe('ValidatedOffsets', () => {
  it('covers exactly the appended positions, per topic and partition', () => {
    const offsets = new ValidatedOffsets();
    // An append's records interleave partitions; each partition's offsets are consecutive.
    offsets.add('t', [
      { partition: 0, offset: 10 },
      { partition: 1, offset: 4 },
      { partition: 0, offset: 11 },
      { partition: 1, offset: 5 },
    ]);
    expect(offsets.covers('t', 0, 9)).toBe(false);
    expect(offsets.covers('t', 0, 10)).toBe(true);
    expect(offsets.covers('t', 0, 11)).toBe(true);
    expect(offsets.covers('t', 0, 12)).toBe(false);
    expect(offsets.covers('t', 1, 5)).toBe(true);
    expect(offsets.covers('t', 2, 5)).toBe(false);
    expect(offsets.covers('other', 1, 5)).toBe(false);
  });

  it('tells where a run of validated positions ends, stopping at a gap, without forgetting anything', () => {
    let now = 1_000;
    const offsets = new ValidatedOffsets({ now: () => now, maxAgeMs: 60_000 });
    offsets.add('t', positions(0, 0, 100));
    offsets.add('t', positions(0, 100, 200));
    // Offset 200 was written by a direct producer.
    offsets.add('t', positions(0, 201, 300));
    expect(offsets.runEnd('t', 0, 0)).toBe(200);
    expect(offsets.runEnd('t', 0, 150)).toBe(200);
    expect(offsets.runEnd('t', 0, 200)).toBe(200);
    expect(offsets.runEnd('t', 0, 201)).toBe(300);
    expect(offsets.runEnd('t', 0, 300)).toBe(300);
    expect(offsets.runEnd('t', 1, 5)).toBe(5);
    expect(offsets.runEnd('other', 0, 5)).toBe(5);
    expect(offsets.size).toBe(2);
    // A range past its age is no longer trusted.
    now += 60_001;
    expect(offsets.runEnd('t', 0, 0)).toBe(0);
  });

  it('merges adjacent appends into one range and keeps a gap (a record someone else wrote) uncovered', () => {
    const offsets = new ValidatedOffsets();
    offsets.add('t', positions(0, 0, 100));
    offsets.add('t', positions(0, 100, 200));
    expect(offsets.size).toBe(1);
    // Offset 200 was written by a direct producer between two of our appends.
    offsets.add('t', positions(0, 201, 300));
    expect(offsets.size).toBe(2);
    expect(offsets.covers('t', 0, 199)).toBe(true);
    expect(offsets.covers('t', 0, 200)).toBe(false);
    expect(offsets.covers('t', 0, 201)).toBe(true);
    // Appends acknowledged out of order (the embedded log's transactions) fill the gaps they fit.
    const late = new ValidatedOffsets();
    late.add('t', positions(0, 10, 20));
    late.add('t', positions(0, 0, 10));
    expect(late.size).toBe(1);
    expect(late.covers('t', 0, 0)).toBe(true);
  });

  it('drops ranges the reader has passed', () => {
    const offsets = new ValidatedOffsets();
    offsets.add('t', positions(0, 0, 10));
    offsets.add('t', positions(0, 20, 30));
    expect(offsets.covers('t', 0, 25)).toBe(true);
    expect(offsets.size).toBe(1);
    expect(offsets.covers('t', 0, 5)).toBe(false);
    expect(offsets.covers('t', 0, 30)).toBe(false);
    expect(offsets.size).toBe(0);
  });

  it('forgets everything of a partition whose offsets start again (topic recreated)', () => {
    const offsets = new ValidatedOffsets();
    offsets.add('t', positions(0, 0, 50));
    offsets.add('t', positions(1, 0, 50));
    offsets.add('t', positions(0, 0, 5));
    expect(offsets.covers('t', 0, 4)).toBe(true);
    expect(offsets.covers('t', 0, 5)).toBe(false);
    expect(offsets.covers('t', 0, 49)).toBe(false);
    expect(offsets.covers('t', 1, 49)).toBe(true);
  });

  it('is bounded: at most maxRangesPerPartition ranges (lowest forgotten first) and maxAgeMs', () => {
    let now = 0;
    const offsets = new ValidatedOffsets({ maxRangesPerPartition: 3, maxAgeMs: 1000, now: () => now });
    for (let i = 0; i < 5; i++) offsets.add('t', [{ partition: 0, offset: i * 10 }]);
    expect(offsets.size).toBe(3);
    expect(offsets.covers('t', 0, 10)).toBe(false);
    expect(offsets.covers('t', 0, 20)).toBe(true);
    now = 1500;
    expect(offsets.covers('t', 0, 30)).toBe(false);
    // Partitions nobody asks about are swept by later appends.
    offsets.add('u', [{ partition: 0, offset: 0 }]);
    now = 20_000;
    offsets.add('v', [{ partition: 0, offset: 0 }]);
    expect(offsets.size).toBe(1);
  });

  it('lets a reader wait for appends under way before it decides a record is not its own', async () => {
    const offsets = new ValidatedOffsets({ settleTimeoutMs: 50 });
    expect(offsets.settled('t')).toBeUndefined();
    const acknowledged = offsets.begin('t');
    const failed = offsets.begin('t');
    const waiting = offsets.settled('t')!;
    let settled = false;
    void waiting.then(() => (settled = true));
    acknowledged(positions(0, 7, 9));
    await Promise.resolve();
    expect(settled).toBe(false);
    failed();
    await waiting;
    expect(offsets.covers('t', 0, 8)).toBe(true);
    expect(offsets.settled('t')).toBeUndefined();
    // An append that never settles holds a reader for settleTimeoutMs at most.
    offsets.begin('t');
    const started = Date.now();
    await offsets.settled('t');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
