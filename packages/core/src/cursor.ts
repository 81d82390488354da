import { InputError } from './errors';

/**
 * Positions in a topic: for each partition, the offset of the next record to read.
 * Partitions absent from a position map are read from their earliest retained record,
 * so resuming never loses an event.
 */
export type Positions = ReadonlyMap<number, number>;

const VERSION = '1';

/**
 * Encodes positions as an opaque, URL- and header-safe cursor string.
 * The format is private to Meshgate: clients only hand cursors back.
 */
export function encodeCursor(positions: Positions): string {
  const parts = [...positions.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => `${partition}:${offset}`);
  return Buffer.from(`${VERSION}|${parts.join(',')}`, 'utf8').toString('base64url');
}

/**
 * The cursor of one partition's position: exactly `encodeCursor(new Map([[partition, offset]]))`,
 * without the Map, the sort and the joins (the produce answer has one per event).
 */
export function encodePartitionCursor(partition: number, offset: number): string {
  return Buffer.from(`${VERSION}|${partition}:${offset}`, 'latin1').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; throws INVALID_CURSOR for anything else. */
export function decodeCursor(cursor: string): Map<number, number> {
  const invalid = () =>
    new InputError('The cursor is malformed or was not issued by Meshgate.', { code: 'INVALID_CURSOR' });
  if (cursor.length === 0 || cursor.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [version, body, ...rest] = text.split('|');
  if (version !== VERSION || body === undefined || rest.length > 0) throw invalid();
  const positions = new Map<number, number>();
  if (body === '') return positions;
  for (const part of body.split(',')) {
    const match = /^(\d{1,6}):(\d{1,16})$/.exec(part);
    if (!match) throw invalid();
    const partition = Number(match[1]);
    const offset = Number(match[2]);
    if (!Number.isSafeInteger(offset) || positions.has(partition)) throw invalid();
    positions.set(partition, offset);
  }
  return positions;
}

/** Returns positions advanced past one record (offset + 1 in its partition). */
export function advancePositions(positions: Positions, partition: number, offset: number): Map<number, number> {
  const next = new Map(positions);
  const current = next.get(partition);
  if (current === undefined || current <= offset) next.set(partition, offset + 1);
  return next;
}
