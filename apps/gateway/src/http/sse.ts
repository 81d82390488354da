import type { ServerResponse } from 'node:http';
import { corkForThisTurn } from './cork';
import { waitForDrain } from './drain';

/** Options for {@link SseWriter}. */
export interface SseWriterOptions {
  /** Interval of keep-alive comments; default 15 s. */
  heartbeatMs?: number;
  /**
   * How long a write may wait for the socket to drain before the client counts as gone (it
   * stopped reading) and the connection is destroyed; default two heartbeat intervals.
   */
  stallTimeoutMs?: number;
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
 * forge frames). Honours back-pressure: `write` resolves once the socket has drained, and a
 * client that stops reading altogether is disconnected after `stallTimeoutMs`.
 */
export class SseWriter {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly stallTimeoutMs: number;
  private closed = false;
  private readonly corked = { value: false };

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
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 2 * heartbeatMs;
    this.heartbeat = setInterval(() => this.comment('ping'), heartbeatMs);
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
    // Frames written in one turn (a hub batch) leave the socket in one write.
    corkForThisTurn(this.response, this.corked);
    if (!this.response.write(text)) await waitForDrain(this.response, this.stallTimeoutMs);
  }

  /**
   * Writes a comment line (ignored by clients, keeps intermediaries from timing out). Skipped
   * while the socket is above its high-water mark: data is waiting to go anyway, and a stalled
   * socket must not grow by a ping per interval.
   */
  comment(text: string): void {
    if (this.closed || this.response.writableNeedDrain) return;
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
