import type { ServerResponse } from 'node:http';

/** Options for {@link SseWriter}. */
export interface SseWriterOptions {
  /** Interval of keep-alive comments; default 15 s. */
  heartbeatMs?: number;
}

/** One Server-Sent Events frame. */
export interface SseFrame {
  event?: string;
  id?: string;
  data: string;
  retry?: number;
}

/**
 * Writes Server-Sent Events to a raw Node response: sends a comment on connect so proxies and
 * clients see the stream open at once, pings on a timer, writes `id:` on every frame it is
 * given, splits multi-line data, and refuses CR/LF in `event` and `id` (which would let data
 * forge frames). Honours back-pressure: `write` resolves once the socket has drained.
 */
export class SseWriter {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    options: SseWriterOptions = {},
  ) {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(': connected\n\n');
    this.heartbeat = setInterval(() => this.comment('ping'), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    response.on('close', () => this.stop());
  }

  /** True once the client went away or {@link end} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes one frame; resolves when the socket can take more. */
  async write(frame: SseFrame): Promise<void> {
    if (this.closed) return;
    let text = '';
    if (frame.event !== undefined) text += `event: ${singleLine(frame.event, 'event')}\n`;
    if (frame.id !== undefined) text += `id: ${singleLine(frame.id, 'id')}\n`;
    if (frame.retry !== undefined) text += `retry: ${Math.max(0, Math.floor(frame.retry))}\n`;
    for (const line of frame.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
    text += '\n';
    if (!this.response.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.response.off('drain', done);
          this.response.off('close', done);
          resolve();
        };
        this.response.on('drain', done);
        this.response.on('close', done);
      });
    }
  }

  /** Writes a comment line (ignored by clients, keeps intermediaries from timing out). */
  comment(text: string): void {
    if (this.closed) return;
    this.response.write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`);
  }

  /** Ends the stream. */
  end(): void {
    if (this.closed) return;
    this.stop();
    this.response.end();
  }

  private stop(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
  }
}

function singleLine(value: string, field: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`SSE ${field} must not contain CR or LF`);
  return value;
}
