import { describe, expect, it } from 'vitest';
import { parseNdjson } from './produce-ndjson';

const parse = (text: string | Buffer) => parseNdjson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
const reused = (line: string) => parse(`${line}\n`)[0]!.json;

describe('parseNdjson', () => {
  it('parses one value per line, skipping blank lines, and keeps compact lines as they came', () => {
    const events = parse('{"id":"a","n":1}\r\n\n   \n[1,2,{"x":null}]\n"text"\ntrue\n{"id":"b"}');
    expect(events.map((event) => event.data)).toEqual([
      { id: 'a', n: 1 },
      [1, 2, { x: null }],
      'text',
      true,
      { id: 'b' },
    ]);
    expect(events.map((event) => event.json)).toEqual([
      '{"id":"a","n":1}',
      '[1,2,{"x":null}]',
      '"text"',
      'true',
      '{"id":"b"}',
    ]);
  });

  it('writes the bytes only when they mean what was validated', () => {
    // Compact, short numbers, unique keys, any escapes: reused.
    expect(reused('{"a":"x y\\u0041\\"\\\\","b":-12.5,"c":{"a":0}}')).toBe(
      '{"a":"x y\\u0041\\"\\\\","b":-12.5,"c":{"a":0}}',
    );
    expect(reused('{"é":"ü","__proto__":{"x":1}}')).toBe('{"é":"ü","__proto__":{"x":1}}');
    // Whitespace between tokens, a repeated key (JSON.parse keeps the last, others the first),
    // numbers a double cannot hold exactly or written with an exponent: serialised again.
    expect(reused('{"a": 1}')).toBeUndefined();
    expect(reused('[1,\t2]')).toBeUndefined();
    expect(reused('{"a":1,"a":2}')).toBeUndefined();
    expect(reused('{"x":{"a":1,"a":2},"y":[{"b":1,"b":1}]}')).toBeUndefined();
    expect(reused('{"n":12345678901234567}')).toBeUndefined();
    expect(reused('{"n":1e3}')).toBeUndefined();
    expect(reused('{"n":123456789012345}')).toBe('{"n":123456789012345}');
  });

  it('keeps the text as decoded and trimmed: invalid UTF-8 as U+FFFD, Unicode spaces around a line', () => {
    const invalid = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    expect(parse(invalid)).toEqual([{ data: { a: '\ufffd' }, json: '{"a":"\ufffd"}' }]);
    expect(parse('\ufeff{"a":1}\u00a0\r\n')).toEqual([{ data: { a: 1 }, json: '{"a":1}' }]);
  });

  it('finds the end of strings past escaped quotes and backslashes', () => {
    expect(reused('{"a":"\\\\","b":"x\\"y","c":1}')).toBe('{"a":"\\\\","b":"x\\"y","c":1}');
    expect(reused('["\\\\", 1]')).toBeUndefined();
    expect(reused('{"k\\\\":1,"k\\\\":2}')).toBeUndefined();
  });

  it('names the first line that is not JSON', () => {
    expect(() => parse('{"a":1}\n\n{"a":\n')).toThrow(
      expect.objectContaining({ code: 'INVALID_JSON', details: { line: 3 } }),
    );
  });

  it('reads an empty body as no events', () => {
    expect(parse('')).toEqual([]);
    expect(parse('\n \r\n')).toEqual([]);
  });
});
