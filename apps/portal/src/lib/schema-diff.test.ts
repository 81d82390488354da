import { describe, expect, it } from 'vitest';
import { diffSchemas, prettySchema } from './schema-diff';

const v1 = JSON.stringify({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } });
const v2 = JSON.stringify({
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, total: { type: 'number' } },
});

describe('diffSchemas', () => {
  it('diffs pretty-printed JSON with line numbers on both sides', () => {
    const diff = diffSchemas(v1, v2);
    expect(diff).toMatchObject({ added: 3, removed: 0 });
    expect(diff.hunks).toHaveLength(1);
    const hunk = diff.hunks[0]!;
    expect(hunk.header).toBe('@@ -6,6 +6,9 @@');
    expect(hunk.lines.filter((line) => line.kind === 'added')).toEqual([
      { kind: 'added', oldLine: null, newLine: 9, text: '    },' },
      { kind: 'added', oldLine: null, newLine: 10, text: '    "total": {' },
      { kind: 'added', oldLine: null, newLine: 11, text: '      "type": "number"' },
    ]);
    // Context after the insertion: the old and new line numbers part ways.
    expect(hunk.lines.at(-1)).toEqual({ kind: 'context', oldLine: 11, newLine: 14, text: '}' });
  });

  it('shows a changed line as removed then added', () => {
    const diff = diffSchemas(v1, v1.replace('"string"', '"integer"'));
    expect(diff).toMatchObject({ added: 1, removed: 1 });
    expect(diff.hunks[0]!.lines.filter((line) => line.kind !== 'context')).toEqual([
      { kind: 'removed', oldLine: 8, newLine: null, text: '      "type": "string"' },
      { kind: 'added', oldLine: null, newLine: 8, text: '      "type": "integer"' },
    ]);
  });

  it('ignores formatting: the same JSON differently spaced is no change', () => {
    const spaced = JSON.stringify(JSON.parse(v1), null, 4);
    expect(diffSchemas(v1, spaced)).toEqual({ hunks: [], added: 0, removed: 0 });
  });

  it('diffs text that is not JSON (Protobuf) line by line', () => {
    const diff = diffSchemas('message A {\n  string id = 1;\n}', 'message A {\n  string id = 1;\n  int32 n = 2;\n}');
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(0);
    expect(diff.hunks[0]!.lines.find((line) => line.kind === 'added')).toMatchObject({
      text: '  int32 n = 2;',
      newLine: 3,
    });
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettySchema('{"a":1}')).toBe('{\n  "a": 1\n}\n');
    expect(prettySchema('syntax = "proto3";')).toBe('syntax = "proto3";\n');
  });
});
