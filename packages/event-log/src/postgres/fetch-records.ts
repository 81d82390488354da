import type { Pool } from '@meshgate/db';
import type { LogRecord } from '../event-log';

interface RecordRow {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string> | null;
  timestamp: Date;
}

// One round trip for every partition: the lateral subquery walks each partition's primary key
// from its position; ordering by rank within the partition interleaves partitions fairly, so
// a busy partition cannot starve the others when the batch limit cuts the result.
const FETCH_SQL = `
  SELECT r.partition, r."offset", r.key, r.value, r.headers, r."timestamp"
  FROM unnest($2::int[], $3::bigint[]) AS p(partition, position)
  CROSS JOIN LATERAL (
    SELECT partition, "offset", key, value, headers, "timestamp"
    FROM el_records
    WHERE topic = $1 AND partition = p.partition AND "offset" >= p.position
    ORDER BY "offset"
    LIMIT $4
  ) AS r
  ORDER BY r."offset" - p.position, r.partition
  LIMIT $4`;

/**
 * Reads up to `limit` records at or after the given positions, in offset order per partition.
 * Offsets become visible in order within a partition (appends lock the partition row until
 * they commit), so a result never skips a record that a later query could still find.
 */
export async function fetchRecords(
  pool: Pool,
  topic: string,
  positions: ReadonlyMap<number, number>,
  limit: number,
): Promise<LogRecord[]> {
  if (positions.size === 0) return [];
  const partitions = [...positions.keys()];
  const offsets = partitions.map((partition) => positions.get(partition)!);
  const { rows } = await pool.query<RecordRow>(FETCH_SQL, [topic, partitions, offsets, limit]);
  return rows.map((row) => ({
    topic,
    partition: row.partition,
    offset: Number(row.offset),
    key: row.key,
    value: row.value,
    headers: row.headers ?? {},
    timestamp: row.timestamp,
  }));
}
