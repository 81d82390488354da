import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createPartitioner, murmur2, partitionForKey } from './partitioner';

/** kafkajs's DefaultPartitioner (Java-compatible murmur2) for a key and partition count. */
function kafkajsPartition(key: Buffer | string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

describe('murmur2', () => {
  it("matches the Java client's test vectors (Kafka UtilsTest.testMurmur2)", () => {
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect(murmur2(Buffer.from(key)), key).toBe(hash);
  });
});

describe('partitionForKey', () => {
  it("agrees with kafkajs's DefaultPartitioner on fixed keys", () => {
    const keys = ['', 'a', 'ab', 'abc', 'abcd', 'order-1', 'order-42', 'customer:7f3a', 'ünïcødé ✓', '🙂🙃'];
    for (const key of keys) {
      for (const partitions of [1, 2, 3, 4, 6, 12, 100]) {
        expect(partitionForKey(key, partitions), `${key} / ${partitions}`).toBe(kafkajsPartition(key, partitions));
      }
    }
  });

  it("agrees with kafkajs's DefaultPartitioner on 2000 random binary keys of every tail length", () => {
    for (let i = 0; i < 2000; i++) {
      const key = randomBytes(i % 67);
      const partitions = 1 + (i % 31);
      expect(partitionForKey(key, partitions)).toBe(kafkajsPartition(key, partitions));
    }
  });

  it('treats a string key as its UTF-8 bytes', () => {
    expect(partitionForKey('ключ', 7)).toBe(partitionForKey(Buffer.from('ключ', 'utf8'), 7));
  });
});

describe('createPartitioner', () => {
  it('keeps an explicit partition and rejects one out of range', () => {
    const choose = createPartitioner();
    expect(choose('t', 4, { partition: 3, key: 'x' })).toBe(3);
    expect(() => choose('t', 4, { partition: 4 })).toThrow(/does not exist/);
    expect(() => choose('t', 4, { partition: -1 })).toThrow(/does not exist/);
  });

  it('places keyed records by murmur2', () => {
    const choose = createPartitioner();
    expect(choose('t', 5, { key: 'order-42' })).toBe(kafkajsPartition('order-42', 5));
  });

  it('spreads keyless records round-robin per topic', () => {
    const choose = createPartitioner();
    const first = Array.from({ length: 8 }, () => choose('a', 4, { key: null }));
    for (let i = 1; i < first.length; i++) expect(first[i]).toBe((first[i - 1]! + 1) % 4);
    // Another topic has a counter of its own.
    const other = choose('b', 3, {});
    expect(other).toBeGreaterThanOrEqual(0);
    expect(other).toBeLessThan(3);
    expect(choose('a', 4, {})).toBe((first[7]! + 1) % 4);
  });
});
