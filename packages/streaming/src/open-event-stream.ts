import { decodeCursor, encodeCursor, type Positions } from '@meshgate/core';
import type { EventLog, LogRecord } from '@meshgate/event-log';

/** One event as delivered to a subscriber. */
export interface DeliveredEvent {
  /** Opaque position after this event in every partition read so far; hand it back to resume. */
  cursor: string;
  partition: number;
  offset: number;
  timestamp: Date;
  key: string | null;
  headers: Record<string, string>;
  /** The event's JSON payload. */
  data: unknown;
}

/** Where a stream starts. */
export interface StreamStart {
  /** Resume after this cursor (takes precedence over `from`). */
  after?: string | undefined;
  /** Without a cursor: every retained event, or only events appended from now on. Default 'latest'. */
  from?: 'earliest' | 'latest' | undefined;
}

/** A stream of events that can be closed early. */
export interface EventStream extends AsyncIterable<DeliveredEvent> {
  /** The position the stream started from, as a cursor (so even an idle client can resume). */
  readonly startCursor: string;
  close(): Promise<void>;
}

/**
 * Resolves a start into explicit positions for every partition, so every cursor the stream
 * hands out names every partition and a resume never replays or skips a partition.
 * Throws INVALID_CURSOR for a malformed `after`.
 */
export async function resolveStartPositions(
  eventLog: EventLog,
  topic: string,
  start: StreamStart,
): Promise<Map<number, number>> {
  const fromCursor = start.after === undefined ? undefined : decodeCursor(start.after);
  const offsets = await eventLog.offsets(topic);
  const positions = new Map<number, number>();
  for (const { partition, earliest, next } of offsets) {
    const resumed = fromCursor?.get(partition);
    if (resumed !== undefined) positions.set(partition, Math.max(resumed, earliest));
    else if (fromCursor) positions.set(partition, earliest);
    else positions.set(partition, start.from === 'earliest' ? earliest : next);
  }
  return positions;
}

/**
 * Opens a stream of one topic's JSON events with a cursor on each.
 * Each call opens its own reader; the shared per-topic fan-out hub replaces this later.
 */
export async function openEventStream(eventLog: EventLog, topic: string, start: StreamStart): Promise<EventStream> {
  let positions: Positions = await resolveStartPositions(eventLog, topic, start);
  const startCursor = encodeCursor(positions);
  const reader = eventLog.read({ topic, from: positions });

  async function* events(): AsyncGenerator<DeliveredEvent> {
    try {
      for await (const batch of reader) {
        for (const record of batch) {
          const next = new Map(positions);
          next.set(record.partition, record.offset + 1);
          positions = next;
          const data = parseJson(record);
          if (data === undefined) continue;
          yield {
            cursor: encodeCursor(positions),
            partition: record.partition,
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key ? record.key.toString('utf8') : null,
            headers: record.headers,
            data,
          };
        }
      }
    } finally {
      await reader.close();
    }
  }

  const iterator = events();
  return {
    startCursor,
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      await reader.close();
      await iterator.return(undefined);
    },
  };
}

function parseJson(record: LogRecord): unknown {
  if (!record.value) return undefined;
  try {
    return JSON.parse(record.value.toString('utf8')) as unknown;
  } catch {
    // Not JSON: records that bypassed the gateway are validated and dead-lettered in the streaming issue.
    return undefined;
  }
}
