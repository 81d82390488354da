/**
 * A re-armable wake-up for one waiter. A wake() that comes while nobody waits is remembered,
 * so a notification that arrives during a query is never lost between "found nothing" and
 * "start waiting".
 */
export class Signal {
  private release: (() => void) | undefined;
  private pending = false;

  /** Wakes the current waiter, or the next one if nobody waits. */
  wake(): void {
    const release = this.release;
    if (release) release();
    else this.pending = true;
  }

  /** Resolves on the next wake(), or after `timeoutMs` when given. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.release = undefined;
        resolve();
      };
      this.release = done;
    });
  }
}

/** Resolves after `ms`, or as soon as `interrupt` settles (without leaving a timer behind). */
export function delay(ms: number, interrupt?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    interrupt?.then(stop, stop);
  });
}
