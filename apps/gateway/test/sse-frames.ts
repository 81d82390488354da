/** A parsed SSE frame (an event; comments are reported apart). */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** What an {@link SseFrameParser} reports. */
export interface SseFrameHandlers {
  /** Each frame with at least one field, in order. */
  message(message: SseMessage): void;
  /** Each comment line's text (`: connected` → `connected`). */
  comment?(text: string): void;
}

/**
 * Splits a Server-Sent Events byte stream into frames, however the chunks fall, so every test
 * client (fetch, raw `node:http`, reconnecting) reads the gateway's stream the same way. Follows
 * the WHATWG rules the gateway's writer relies on: `field: value` with one optional space,
 * several `data:` lines joined by LF, blocks ended by an empty line, LF, CRLF or CR line ends.
 */
export class SseFrameParser {
  private readonly decoder = new TextDecoder();
  /** The last, unfinished line. */
  private partial = '';
  /** Lines of the frame being read. */
  private block: string[] = [];

  constructor(private readonly handlers: SseFrameHandlers) {}

  /** Feeds the next chunk (bytes or text); reports every frame it completes. */
  push(chunk: Uint8Array | string): void {
    let text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    // A CR at the end may be the first half of a CRLF: keep it for the next chunk.
    const trailingCr = text.endsWith('\r');
    if (trailingCr) text = text.slice(0, -1);
    const lines = text.split(/\r\n|\r|\n/);
    this.partial = (lines.pop() ?? '') + (trailingCr ? '\r' : '');
    for (const line of lines) {
      if (line !== '') this.block.push(line);
      else {
        this.dispatch(this.block);
        this.block = [];
      }
    }
  }

  private dispatch(lines: string[]): void {
    const message: SseMessage = { data: '' };
    const data: string[] = [];
    let fields = 0;
    for (const line of lines) {
      if (line.startsWith(':')) {
        this.handlers.comment?.(line.slice(1).trim());
        continue;
      }
      fields += 1;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
    }
    if (fields === 0) return;
    message.data = data.join('\n');
    this.handlers.message(message);
  }
}
