import { afterAll, describe, expect, it } from 'vitest';
import { NdjsonCheckPool } from './ndjson-check-pool';
import { checkNdjson, type NdjsonCheckResult, type NdjsonCheckTask } from './produce-ndjson-check';
import { countNdjsonEvents, parseNdjson } from './produce-ndjson';

const schema = JSON.stringify({
  type: ['object', 'array', 'string', 'boolean', 'number'],
  properties: { id: { type: 'string' }, n: { type: 'number', minimum: 0 } },
});
let nextSchemaId = 9000;

function task(body: string | Buffer, options: Partial<NdjsonCheckTask> = {}): NdjsonCheckTask {
  return {
    bytes: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    schemaId: nextSchemaId,
    schema,
    references: [],
    keyPath: null,
    ...options,
  };
}

/** The record values a check says to write, as text: the body's bytes or the texts it returned. */
function values(body: Buffer, result: NdjsonCheckResult): string[] {
  if (!result.ok) throw new Error(`expected a valid body, got ${JSON.stringify(result)}`);
  const texts = new Map(result.texts);
  return Array.from({ length: result.count }, (_, i) => {
    const text = texts.get(i);
    if (text !== undefined) return text;
    const [start, end] = [result.spans[2 * i]!, result.spans[2 * i + 1]!];
    expect(end).toBeGreaterThan(start);
    return body.toString('utf8', start, end);
  });
}

/** What the main thread's path writes for the same body: the kept text, else the data serialised. */
const mainThreadValues = (body: Buffer) => parseNdjson(body).map((event) => event.json ?? JSON.stringify(event.data));

const awkwardBodies: Array<string | Buffer> = [
  '{"id":"a","n":1}\r\n\n   \n[1,2,{"x":null}]\n"text"\ntrue\n{"id":"b"}',
  '{"id":"raw","n":1.50,"note":"caf\\u00e9"}\n{ "id": "spaced", "n": 2 }\n{"id":"x","id":"dup","n":3}\n',
  '\ufeff{"id":"bom"}\u00a0\r\n{"id":"é ü","n":12345678901234567}\n{"n":1e3}\n\u2028{"id":"ls"}\u2028\n',
  Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xe2]), Buffer.from('"}\n{"id":"ok"}\n')]),
  '{"id":"\\"quoted\\\\"}\n{"id":"\ufffd literal"}\n  \t \n',
];

describe('checkNdjson', () => {
  it('writes what the main thread would, byte ranges of the body where they say the same', () => {
    for (const raw of awkwardBodies) {
      const body = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      const result = checkNdjson(task(body));
      expect(values(body, result)).toEqual(mainThreadValues(body));
      expect(result.ok && result.count).toBe(countNdjsonEvents(body));
    }
  });

  it('points at the body for compact ASCII and valid UTF-8 lines, hands back text for the rest', () => {
    const body = Buffer.from('{"id":"a"}\n{"id":"é"}\n{ "id":"b" }\n\u00a0{"id":"c"}\n', 'utf8');
    const result = checkNdjson(task(body));
    if (!result.ok) throw new Error('expected a valid body');
    expect(Array.from(result.spans)).toEqual([0, 10, 11, 22, 0, 0, 0, 0]);
    expect(result.texts).toEqual([
      [2, '{"id":"b"}'],
      [3, '{"id":"c"}'],
    ]);
    expect(result.keys).toBeUndefined();
  });

  it('reads each record key at the keyPath', () => {
    const result = checkNdjson(
      task('{"id":"a","n":1}\n{"n":2}\n{"id":"c","n":3}\n', {
        schemaId: ++nextSchemaId,
        keyPath: '/id',
      }),
    );
    expect(result).toMatchObject({ ok: true, count: 3, keys: ['a', undefined, 'c'] });
  });

  it('names the first line that is not JSON, even after invalid events', () => {
    expect(checkNdjson(task('{"n":-1}\n\n{"id":\n{"id":"x"}\n'))).toEqual({
      ok: false,
      kind: 'json',
      line: 3,
      message: expect.any(String),
    });
  });

  it('reports every invalid event with its index, path and rule', () => {
    expect(checkNdjson(task('{"id":"a","n":1}\n{"n":-1}\n{"id":2}\n'))).toEqual({
      ok: false,
      kind: 'invalid',
      count: 3,
      invalid: 2,
      errors: [
        expect.objectContaining({ index: 1, path: '/n', rule: 'minimum' }),
        expect.objectContaining({ index: 2, path: '/id', rule: 'type' }),
      ],
    });
  });
});

describe('NdjsonCheckPool', () => {
  const checked: string[] = [];
  const pool = new NdjsonCheckPool({ threads: 1, tasksPerThread: 1, onCheck: (thread) => checked.push(thread) });
  afterAll(() => pool.close());

  it('checks on a worker thread what the calling thread would, and on the calling thread when the queue is full', async () => {
    const bodies = awkwardBodies.map((raw) => (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw));
    // A view into a larger allocation: only its own bytes may travel.
    const pooled = Buffer.concat([Buffer.from('xxxx'), Buffer.from('{"id":"view"}\n')]).subarray(4);
    const all = [...bodies, pooled];
    const results = await Promise.all(all.map((body) => pool.check(task(body))));
    results.forEach((result, i) => expect(values(all[i]!, result)).toEqual(mainThreadValues(all[i]!)));
    // One at a time on the worker: the others ran here.
    expect(checked.filter((thread) => thread === 'worker').length).toBeGreaterThanOrEqual(1);
    expect(checked.filter((thread) => thread === 'main').length).toBeGreaterThanOrEqual(1);
    expect(checked).toHaveLength(all.length);
    expect(pool.threads).toBe(1);
  });
});
