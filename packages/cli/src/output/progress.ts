import { Presets, SingleBar } from 'cli-progress';
import { describeResult, type RegisterResult } from './register-report';

/** Progress of a batch registration. */
export interface Progress {
  /** Counts one file as done. */
  advance(result: RegisterResult): void;
  /** Ends the bar (and restores the cursor). */
  stop(): void;
}

/**
 * A progress bar on a terminal; on anything else (a CI log, a pipe) one plain line per file,
 * since redrawn bars turn into noise there.
 */
export function startProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number): Progress {
  if (stream.isTTY !== true) {
    let done = 0;
    return {
      advance(result) {
        done++;
        stream.write(`[${done}/${total}] ${describeResult(result)}\n`);
      },
      stop() {},
    };
  }
  const bar = new SingleBar(
    {
      stream,
      format: 'registering [{bar}] {value}/{total} {file}',
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { file: '' });
  return {
    advance(result) {
      bar.increment(1, { file: `${result.file}${result.status === 'registered' ? '' : ` (${result.status})`}` });
    },
    stop() {
      bar.stop();
    },
  };
}
