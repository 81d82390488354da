import { encodeCursor, type Positions } from '@meshgate/core';
import type { EventLog } from '@meshgate/event-log';
import { parseRecordValue } from './parse-record-value';
import { resolveStartPositions, type StreamStart } from './start-positions';

/** One event as delivered to a subscriber. Treat it (and `data`) as read-only: the hub shares it. */
export interface DeliveredEvent {
  /** Opaque position after this event in every partition read so far; hand it back to resume. */
  cursor: string;
  partition: number;
  offset: number;
  timestamp: Date;
  key: string | null;
  headers: Record<string, string>;
  /** The event's JSON payload (as seen through the subscriber's view, if any). */
  data: unknown;
  /**
   * `JSON.stringify(data)`, computed at most once per record and view and shared by every
   * subscriber of that view (hub streams only), so transports can splice it into their envelope.
   */
  readonly serialized?: string;
}

/** A stream of events that can be closed early. */
export interface EventStream extends AsyncIterable<DeliveredEvent> {
  /** The position the stream started from, as a cursor (so even an idle client can resume). */
  readonly startCursor: string;
  close(): Promise<void>;
}

/**
 * Opens a stream of one topic's JSON events with a cursor on each, with a reader of its own.
 * Gateways share one reader per topic through the fan-out hub instead (see `openHubStream`);
 * this stays for tools and tests that want one private stream.
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
          const data = parseRecordValue(record);
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
