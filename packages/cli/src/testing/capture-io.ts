import { Writable } from 'node:stream';
import type { CliIo } from '../io';

/** A CliIo whose output tests read back. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

function collector(tty: boolean): { stream: Writable & { isTTY?: boolean; columns?: number }; text(): string } {
  const chunks: string[] = [];
  const stream: Writable & { isTTY?: boolean; columns?: number } = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  if (tty) {
    stream.isTTY = true;
    stream.columns = 100;
  }
  return { stream, text: () => chunks.join('') };
}

/** An in-memory CliIo: `cwd` for relative paths, `env` as given, stderr a TTY when `tty` is true. */
export function captureIo(options: { cwd: string; env?: Record<string, string>; tty?: boolean }): CapturedIo {
  const stdout = collector(false);
  const stderr = collector(options.tty ?? false);
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    cwd: options.cwd,
    env: options.env ?? {},
    out: stdout.text,
    err: stderr.text,
  };
}
