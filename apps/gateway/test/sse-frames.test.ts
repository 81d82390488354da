import { describe, expect, it } from 'vitest';
import { SseFrameParser, type SseMessage } from './sse-frames';

function parse(chunks: Array<string | Uint8Array>) {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const parser = new SseFrameParser({ message: (m) => messages.push(m), comment: (c) => comments.push(c) });
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments };
}

describe('the tests’ SSE frame parser', () => {
  it('reads frames and comments however the chunks fall, with every line ending', () => {
    const text =
      ': connected\n\nid: c1\ndata: {"a":1}\n\nevent: error\r\ndata: line 1\r\ndata: line 2\r\n\r\nid: c2\rdata:x\r\r: bye\n\n';
    const expected = {
      comments: ['connected', 'bye'],
      messages: [
        { id: 'c1', data: '{"a":1}' },
        { event: 'error', data: 'line 1\nline 2' },
        { id: 'c2', data: 'x' },
      ],
    };
    expect(parse([text])).toEqual(expected);
    // One character at a time, splitting every CRLF, and as bytes split inside a multi-byte character.
    expect(parse([...text])).toEqual(expected);
    const bytes = new TextEncoder().encode('data: é\n\n');
    expect(parse([bytes.slice(0, 7), bytes.slice(7)]).messages).toEqual([{ data: 'é' }]);
  });

  it('keeps an unfinished frame until its blank line arrives', () => {
    const { messages } = parse(['id: 1\ndata: a\n']);
    expect(messages).toEqual([]);
  });
});
