import { decodeCursor, encodeCursor } from '@meshgate/core';
import type { EventLog, LogReader, LogRecord } from '@meshgate/event-log';
import { positionsFromOffsets, type DeliveredEvent } from '@meshgate/streaming';

/** Where and how much {@link fetchEvents} reads. */
export interface FetchOptions {
  /** Continue after this cursor (takes precedence over `from`). */
  after?: string | undefined;
  /** Without a cursor: every retained event (default) or only events appended from now on. */
  from?: 'earliest' | 'latest' | undefined;
  /** Most events returned; the caller bounds it. */
  limit: number;
  /** Longest wait for records known to exist (e.g. while a Kafka reader joins); default 10 s. */
  maxWaitMs?: number;
}

/** One fetched event: the same shape as a streamed one. */
export type FetchedEvent = DeliveredEvent;

/** One page of events and where to continue. */
export interface FetchedPage {
  events: FetchedEvent[];
  /** Position after the last event returned, in every partition; also when `events` is empty. */
  cursor: string;
  /** True when the topic held more events (at the time of the call) than this page returned. */
  hasMore: boolean;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Reads one page of a topic for batch readers: takes the high watermarks first, then reads from
 * the start positions up to them (or up to `limit` events) with a short-lived reader, and
 * closes it. Never tails: with nothing new it returns at once without opening a reader, and
 * records appended during the call are left for the next page.
 */
export async function fetchEvents(eventLog: EventLog, topic: string, options: FetchOptions): Promise<FetchedPage> {
  const after = options.after === undefined ? undefined : decodeCursor(options.after);
  const offsets = await eventLog.offsets(topic);
  const positions = positionsFromOffsets(offsets, { after: options.after, from: options.from ?? 'earliest' }, after);
  const watermarks = new Map(offsets.map(({ partition, next }) => [partition, next]));
  const behind = () => [...watermarks].some(([partition, next]) => (positions.get(partition) ?? next) < next);
  const events: FetchedEvent[] = [];
  if (options.limit > 0 && behind()) {
    const reader = eventLog.read({ topic, from: new Map(positions), maxBatchSize: Math.min(options.limit, 500) });
    try {
      await readUntil(reader, options.maxWaitMs ?? 10_000, (record) => {
        const position = positions.get(record.partition);
        const watermark = watermarks.get(record.partition);
        if (position === undefined || watermark === undefined) return true;
        if (record.offset < position || record.offset >= watermark) return true;
        positions.set(record.partition, record.offset + 1);
        const data = parseJson(record);
        if (data !== undefined) {
          events.push({
            cursor: encodeCursor(positions),
            partition: record.partition,
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key ? record.key.toString('utf8') : null,
            headers: record.headers,
            data,
          });
        }
        return events.length < options.limit && behind();
      });
    } finally {
      await reader.close();
    }
  }
  return { events, cursor: encodeCursor(positions), hasMore: behind() };
}

/**
 * Explicit start positions for every partition, with the stream's cursor semantics: a cursor's
 * position (never below the earliest retained record), the earliest record for a partition the
 * cursor does not name, and without a cursor the earliest or the next record of each partition.
 */
/** Feeds records to `take` until it returns false, the reader ends, or `maxWaitMs` passes. */
async function readUntil(reader: LogReader, maxWaitMs: number, take: (record: LogRecord) => boolean): Promise<void> {
  const iterator = reader[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), maxWaitMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next === TIMED_OUT || next.done) return;
      for (const record of next.value) if (!take(record)) return;
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(record: LogRecord): unknown {
  if (!record.value) return undefined;
  try {
    return JSON.parse(record.value.toString('utf8')) as unknown;
  } catch {
    // Records that bypassed the gateway may not be JSON; they are skipped, as in streams.
    return undefined;
  }
}
