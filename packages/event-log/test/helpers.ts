import { randomBytes } from 'node:crypto';
import type { LogReader, LogRecord } from '../src';

/** A name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Rejects with `message()` when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${message()}`)), Math.max(0, ms));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` until it holds (or resolves truthy); fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Pulls batches from a reader until it has at least `count` records; fails after `timeoutMs`. */
export async function collect(reader: LogReader, count: number, timeoutMs = 20_000): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  const iterator = reader[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (records.length < count) {
    const result = await withTimeout(
      iterator.next(),
      deadline - Date.now(),
      () => `${records.length} of ${count} records`,
    );
    if (result.done) break;
    records.push(...result.value);
  }
  return records;
}

/** Resolves with the reader's next batch, or undefined when none arrives within `ms`. */
export async function nextBatchWithin(reader: LogReader, ms: number): Promise<LogRecord[] | undefined> {
  const next = reader[Symbol.asyncIterator]().next();
  next.catch(() => undefined);
  const result = await Promise.race([
    next,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms)),
  ]);
  return result && !result.done ? result.value : undefined;
}

/** "partition:offset", to compare sets of records. */
export function position(record: Pick<LogRecord, 'partition' | 'offset'>): string {
  return `${record.partition}:${record.offset}`;
}

/** A record's value as text. */
export function text(record: LogRecord): string {
  return record.value?.toString('utf8') ?? '';
}
