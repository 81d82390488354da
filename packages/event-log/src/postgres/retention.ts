import type { Pool } from '@meshgate/db';
import { murmur2 } from '../partitioner';
import { withTransaction } from './transaction';

// A single-key advisory lock (objsubid 1), so it cannot collide with the group locks.
const RETENTION_LOCK = murmur2(Buffer.from('meshgate-el-retention', 'utf8'));

// Deletes only a prefix of each partition: everything before its first record that is still
// young enough. A record appended late with an old timestamp therefore never punches a hole in
// the middle of a partition, and "earliest retained" stays the smallest offset, as in Kafka.
//
// Both CTEs are MATERIALIZED: inlined, the planner joined every record with the partitions and
// ran the first-young-record subquery once per record, not once per partition — minutes of a
// PostgreSQL core for 80 000 records, every minute.
/** The retention statement (`$1`: the default retention in ms); exported for its plan's test. */
export const DELETE_SQL = `
  WITH horizon AS MATERIALIZED (
    SELECT p.topic, p.partition, p.next_offset,
           now() - make_interval(secs => COALESCE(t.retention_ms, $1::bigint) / 1000.0) AS cutoff
    FROM el_partitions p JOIN el_topics t ON t.name = p.topic
  ), keep AS MATERIALIZED (
    SELECT h.topic, h.partition, COALESCE((
      SELECT r."offset" FROM el_records r
      WHERE r.topic = h.topic AND r.partition = h.partition AND r."timestamp" >= h.cutoff
      ORDER BY r."offset" LIMIT 1
    ), h.next_offset) AS from_offset
    FROM horizon h
  )
  DELETE FROM el_records r USING keep k
  WHERE r.topic = k.topic AND r.partition = k.partition AND r."offset" < k.from_offset`;

/**
 * Deletes records older than their topic's retention (or `defaultRetentionMs`) and returns how
 * many went. Several gateway instances share the database: only one of them does the work at
 * a time, the others skip the round (and return 0).
 */
export function deleteExpiredRecords(pool: Pool, defaultRetentionMs: number): Promise<number> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [
      RETENTION_LOCK,
    ]);
    if (!rows[0]?.ok) return 0;
    return (await client.query(DELETE_SQL, [defaultRetentionMs])).rowCount ?? 0;
  });
}
