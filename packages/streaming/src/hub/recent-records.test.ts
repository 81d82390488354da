import { describe, expect, it } from 'vitest';
import { RecentRecords } from './recent-records';

const record = (partition: number, offset: number) => ({ partition, offset });

describe('RecentRecords', () => {
  it('covers from the start position until it evicts, then from after the evicted record', () => {
    const recent = new RecentRecords(3, new Map([[0, 10]]));
    expect(recent.coverFrom(0)).toBe(10);
    for (const offset of [10, 11, 12]) recent.add(record(0, offset));
    expect(recent.coverFrom(0)).toBe(10);
    recent.add(record(0, 14)); // 13 was not JSON: never added, still covered
    expect(recent.coverFrom(0)).toBe(11);
    expect([...recent.from(0, 12)].map((r) => r.offset)).toEqual([12, 14]);
    expect([...recent.from(0, 13)].map((r) => r.offset)).toEqual([14]);
    expect([...recent.from(0, 15)]).toEqual([]);
    expect(recent.covers(new Map([[0, 11]]), new Map([[0, 15]]))).toBe(true);
    expect(recent.covers(new Map([[0, 10]]), new Map([[0, 15]]))).toBe(false);
  });

  it('with no capacity covers only the live position', () => {
    const recent = new RecentRecords(0, new Map([[0, 0]]));
    recent.add(record(0, 0));
    expect(recent.coverFrom(0)).toBe(1);
    expect(recent.size).toBe(0);
  });

  it('finds records by offset after growing and wrapping', () => {
    const recent = new RecentRecords(50, new Map([[1, 0]]));
    for (let offset = 0; offset < 130; offset += 1) recent.add(record(1, offset));
    expect(recent.size).toBe(50);
    expect(recent.coverFrom(1)).toBe(80);
    expect([...recent.from(1, 0)].map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => 80 + i));
    expect([...recent.from(1, 127)].map((r) => r.offset)).toEqual([127, 128, 129]);
  });
});
