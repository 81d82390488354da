import { decodeCursor } from '@meshgate/core';
import type { EventLog, PartitionOffsets } from '@meshgate/event-log';

/** Where a stream starts. */
export interface StreamStart {
  /** Resume after this cursor (takes precedence over `from`). */
  after?: string | undefined;
  /** Without a cursor: every retained event, or only events appended from now on. Default 'latest'. */
  from?: 'earliest' | 'latest' | undefined;
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
  const resumed = start.after === undefined ? undefined : decodeCursor(start.after);
  return positionsFromOffsets(await eventLog.offsets(topic), start, resumed);
}

/**
 * The pure half of {@link resolveStartPositions}: positions from one snapshot of the topic's
 * offsets. A resumed position is clamped to the earliest retained record (retention may have
 * removed what the cursor points at); a partition the cursor does not name starts at its earliest.
 */
export function positionsFromOffsets(
  offsets: readonly PartitionOffsets[],
  start: StreamStart,
  resumed: ReadonlyMap<number, number> | undefined = start.after === undefined ? undefined : decodeCursor(start.after),
): Map<number, number> {
  const positions = new Map<number, number>();
  for (const { partition, earliest, next } of offsets) {
    const position = resumed?.get(partition);
    if (position !== undefined) positions.set(partition, Math.max(position, earliest));
    else if (resumed) positions.set(partition, earliest);
    else positions.set(partition, start.from === 'earliest' ? earliest : next);
  }
  return positions;
}
