import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('keeps FIFO order across growth and wrap-around, and refuses items beyond its capacity', () => {
    const queue = new BoundedQueue<number>(40);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round += 1) {
      while (queue.push(next)) next += 1;
      expect(queue.length).toBe(40);
      expect(queue.free).toBe(0);
      for (let i = 0; i < 7 + (round % 13); i += 1) expect(queue.shift()).toBe(expected++);
    }
    expect(queue.length).toBeLessThanOrEqual(40);
  });

  it('empties on clear and rejects a capacity below one', () => {
    const queue = new BoundedQueue<string>(3);
    queue.push('a');
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
