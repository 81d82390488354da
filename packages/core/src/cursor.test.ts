import { describe, expect, it } from 'vitest';
import { advancePositions, decodeCursor, encodeCursor, encodePartitionCursor } from './cursor';

describe('cursor', () => {
  it('round-trips positions in any partition order', () => {
    const positions = new Map([
      [2, 7],
      [0, 15],
    ]);
    const cursor = encodeCursor(positions);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(
      new Map([
        [0, 15],
        [2, 7],
      ]),
    );
  });

  it('round-trips empty positions', () => {
    expect(decodeCursor(encodeCursor(new Map()))).toEqual(new Map());
  });

  it('is deterministic regardless of insertion order', () => {
    expect(
      encodeCursor(
        new Map([
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toBe(
      encodeCursor(
        new Map([
          [0, 0],
          [1, 1],
        ]),
      ),
    );
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('2|0:1').toString('base64url'),
    Buffer.from('1|0:x').toString('base64url'),
    Buffer.from('1|0:1,0:2').toString('base64url'),
  ])('rejects %j with INVALID_CURSOR', (bad) => {
    expect(() => decodeCursor(bad)).toThrowError(expect.objectContaining({ code: 'INVALID_CURSOR', status: 400 }));
  });

  it('advances past a record without moving backwards', () => {
    const start = new Map([[0, 10]]);
    expect(advancePositions(start, 0, 12)).toEqual(new Map([[0, 13]]));
    expect(advancePositions(start, 0, 3)).toEqual(new Map([[0, 10]]));
    expect(advancePositions(start, 1, 0)).toEqual(
      new Map([
        [0, 10],
        [1, 1],
      ]),
    );
  });

  it('encodes one partition position exactly as encodeCursor does', () => {
    for (const partition of [0, 1, 7, 99, 123_456]) {
      for (const offset of [0, 1, 9, 10, 255, 65_536, 1_000_000_007, Number.MAX_SAFE_INTEGER]) {
        expect(encodePartitionCursor(partition, offset)).toBe(encodeCursor(new Map([[partition, offset]])));
      }
    }
  });
});
