import { InputError } from '@meshgate/core';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 hash (`org.apache.kafka.common.utils.Utils.murmur2`), as a signed 32-bit
 * integer. Math.imul keeps the arithmetic in 32 bits exactly like Java's int overflow, so the
 * result matches the Java client and kafkajs's DefaultPartitioner bit for bit.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  // Java's switch falls through from case 3 to case 1; spelled out as ifs for the same effect.
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs, which differs for negatives). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a key: positive(murmur2(key)) % partitions. */
export function partitionForKey(key: Buffer | string, partitions: number): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return toPositive(murmur2(bytes)) % partitions;
}

/** Picks a record's partition: explicit, else by key, else round-robin. */
export type Partitioner = (
  topic: string,
  partitions: number,
  record: { key?: Buffer | string | null | undefined; partition?: number | undefined },
) => number;

/**
 * Creates the partitioner both adapters use, so a key lands in the same partition whichever
 * adapter wrote it. Keyless records are spread round-robin per topic, starting at a random
 * partition (as kafkajs does) so that several gateway instances do not all start at 0.
 */
export function createPartitioner(): Partitioner {
  const counters = new Map<string, number>();
  return (topic, partitions, record) => {
    if (record.partition != null) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= partitions) {
        throw new InputError(
          `Partition ${record.partition} does not exist in topic "${topic}" (it has ${partitions}).`,
        );
      }
      return record.partition;
    }
    if (record.key != null) return partitionForKey(record.key, partitions);
    const next = (counters.get(topic) ?? Math.floor(Math.random() * 0x7fffffff)) + 1;
    counters.set(topic, next & 0x7fffffff);
    return toPositive(next) % partitions;
  };
}
