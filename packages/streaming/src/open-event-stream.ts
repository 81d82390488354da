import { encodeCursor, type Positions } from '@meshgate/core';
import type { EventLog } from '@meshgate/event-log';
import { HubRecord, judgeRecords } from './hub/hub-record';
import type { RecordCheck } from './record-check';
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
  /** The schema id the record names (Confluent wire format, else the `meshgate-schema-id` header), if any. */
  schemaId?: number | undefined;
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

/** Options for {@link openEventStream}. */
export interface OpenEventStreamOptions {
  /** Judges records before they are delivered (as the hub does); default: every JSON record is delivered. */
  check?: RecordCheck | undefined;
}

/**
 * Opens a stream of one topic's JSON events with a cursor on each, with a reader of its own.
 * Gateways share one reader per topic through the fan-out hub instead (see `openHubStream`);
 * this stays for tools and tests that want one private stream.
 */
export async function openEventStream(
  eventLog: EventLog,
  topic: string,
  start: StreamStart,
  options: OpenEventStreamOptions = {},
): Promise<EventStream> {
  let positions: Positions = await resolveStartPositions(eventLog, topic, start);
  const startCursor = encodeCursor(positions);
  const reader = eventLog.read({ topic, from: positions });

  async function* events(): AsyncGenerator<DeliveredEvent> {
    try {
      for await (const batch of reader) {
        const records = batch.map((raw) => new HubRecord(raw));
        await judgeRecords(options.check, topic, records);
        for (const record of records) {
          const next = new Map(positions);
          next.set(record.partition, record.offset + 1);
          positions = next;
          if (!record.deliverable) continue;
          yield {
            cursor: encodeCursor(positions),
            partition: record.partition,
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key,
            headers: record.headers as Record<string, string>,
            data: record.data,
            schemaId: record.schemaId,
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
