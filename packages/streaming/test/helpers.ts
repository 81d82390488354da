import { randomBytes } from 'node:crypto';
import type { EventLog, LogReader, LogRecord, ReadOptions } from '@meshgate/event-log';
import type { DeliveredEvent } from '../src';

/** A name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An EventLog that counts the readers opened through it (and how many are still open). */
export interface CountedEventLog {
  log: EventLog;
  /** Options of every read() call, in order. */
  reads: ReadOptions[];
  /** Readers opened and not yet closed. */
  open(): number;
}

/** Wraps an EventLog so tests can count upstream readers; everything else passes through. */
export function countReads(inner: EventLog): CountedEventLog {
  const reads: ReadOptions[] = [];
  let open = 0;
  const read = (options: ReadOptions): LogReader => {
    reads.push(options);
    open += 1;
    const reader = inner.read(options);
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        open -= 1;
      }
      await reader.close();
    };
    return {
      close,
      [Symbol.asyncIterator]() {
        const iterator = reader[Symbol.asyncIterator]();
        return {
          next: () => iterator.next(),
          return: async () => {
            await close();
            return { done: true, value: undefined };
          },
        } satisfies AsyncIterator<LogRecord[]>;
      },
    };
  };
  const log = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'read') return read;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { log, reads, open: () => open };
}

/** Consumes a stream in the background, keeping every event and the error that ended it. */
export class Collector {
  readonly events: DeliveredEvent[] = [];
  error: unknown;
  finished = false;
  readonly done: Promise<void>;

  /** @param pace called after each event; awaiting it slows the consumer down */
  constructor(stream: AsyncIterable<DeliveredEvent>, pace?: (count: number) => Promise<void> | void) {
    this.done = (async () => {
      try {
        for await (const event of stream) {
          this.events.push(event);
          await pace?.(this.events.length);
        }
      } catch (error) {
        this.error = error;
      } finally {
        this.finished = true;
      }
    })();
  }

  /** Offsets received per partition, in arrival order. */
  offsetsByPartition(): Map<number, number[]> {
    const byPartition = new Map<number, number[]>();
    for (const event of this.events) {
      const offsets = byPartition.get(event.partition) ?? [];
      offsets.push(event.offset);
      byPartition.set(event.partition, offsets);
    }
    return byPartition;
  }
}

/** Every offset from `from` (inclusive) to `to` (exclusive). */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
