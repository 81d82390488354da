import { decodeCursor, encodeCursor } from '@meshgate/core';
import type { EventLog, LogReader, LogRecord } from '@meshgate/event-log';
import { decodeRecordValue, positionsFromOffsets, type DeliveredEvent, type RecordCheck } from '@meshgate/streaming';

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
  /** Judges records as streams do (invalid ones are skipped, positions move past them); default: none. */
  check?: RecordCheck | undefined;
  /**
   * The reader's view (access policy masking and row filter): the payload it may see, or
   * undefined to skip the record (positions still move past it). Default: the record as is.
   */
  view?: ((record: { data: unknown; key: string | null; timestamp: Date; partition: number }) => unknown) | undefined;
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
 * records appended during the call are left for the next page. Records that are not JSON, or
 * that the check finds invalid, are skipped as streams skip them (positions move past them).
 */
export async function fetchEvents(eventLog: EventLog, topic: string, options: FetchOptions): Promise<FetchedPage> {
  const page = await fetchPage(eventLog, topic, options, async (records) => {
    const decoded = records.map((record) => ({
      headers: record.headers,
      value: decodeRecordValue(record.value, record.headers),
    }));
    // Records that bypassed the gateway are checked as streams check them: the same verdicts.
    const verdicts = options.check ? await options.check.check(topic, decoded) : undefined;
    return records.map((record, index): Omit<FetchedEvent, 'cursor'> | undefined => {
      const { value } = decoded[index]!;
      if (!value.ok || verdicts?.[index]?.valid === false) return undefined;
      const key = record.key ? record.key.toString('utf8') : null;
      const data = options.view
        ? options.view({ data: value.data, key, timestamp: record.timestamp, partition: record.partition })
        : value.data;
      if (data === undefined) return undefined;
      return {
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        key,
        headers: record.headers,
        data,
        schemaId: value.schemaId,
      };
    });
  });
  return {
    events: page.items.map(({ cursor, item }) => ({ cursor, ...item })),
    cursor: page.cursor,
    hasMore: page.hasMore,
  };
}

/** Where and how much {@link fetchPage} reads. */
export type PageOptions = Omit<FetchOptions, 'check'>;

/** One page of items, each with the cursor just after its record. */
export interface Page<T> {
  items: Array<{ cursor: string; item: T }>;
  cursor: string;
  hasMore: boolean;
}

/**
 * The page reader behind {@link fetchEvents}: `convert` turns each batch of records (in order)
 * into items, undefined for a record to skip; every record read moves the position, skipped or not.
 */
export async function fetchPage<T>(
  eventLog: EventLog,
  topic: string,
  options: PageOptions,
  convert: (records: readonly LogRecord[]) => Promise<ReadonlyArray<T | undefined>>,
): Promise<Page<T>> {
  const after = options.after === undefined ? undefined : decodeCursor(options.after);
  const offsets = await eventLog.offsets(topic);
  const positions = positionsFromOffsets(offsets, { after: options.after, from: options.from ?? 'earliest' }, after);
  const watermarks = new Map(offsets.map(({ partition, next }) => [partition, next]));
  const behind = () => [...watermarks].some(([partition, next]) => (positions.get(partition) ?? next) < next);
  const items: Page<T>['items'] = [];
  if (options.limit > 0 && behind()) {
    const reader = eventLog.read({ topic, from: new Map(positions), maxBatchSize: Math.min(options.limit, 500) });
    try {
      await readUntil(reader, options.maxWaitMs ?? 10_000, async (batch) => {
        const records = batch.filter((record) => {
          const position = positions.get(record.partition);
          const watermark = watermarks.get(record.partition);
          return (
            position !== undefined && watermark !== undefined && record.offset >= position && record.offset < watermark
          );
        });
        const converted = records.length > 0 ? await convert(records) : [];
        for (const [index, record] of records.entries()) {
          if (items.length >= options.limit) return false;
          positions.set(record.partition, record.offset + 1);
          const item = converted[index];
          if (item !== undefined) items.push({ cursor: encodeCursor(positions), item });
        }
        return items.length < options.limit && behind();
      });
    } finally {
      await reader.close();
    }
  }
  return { items, cursor: encodeCursor(positions), hasMore: behind() };
}

/** Feeds batches to `take` until it resolves false, the reader ends, or `maxWaitMs` passes. */
async function readUntil(
  reader: LogReader,
  maxWaitMs: number,
  take: (batch: readonly LogRecord[]) => Promise<boolean>,
): Promise<void> {
  const iterator = reader[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), maxWaitMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next === TIMED_OUT || next.done) return;
      if (!(await take(next.value))) return;
    }
  } finally {
    clearTimeout(timer);
  }
}
