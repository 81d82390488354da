import { describe, expect, it } from 'vitest';
import { checkCompatibility, compatibilityLevels, parseSchema } from './check';
import type { CompatibilityLevel, SchemaType } from './types';

// The seven levels composed from the engines' one-directional checks, for every schema type:
// which versions are compared (latest or all) and in which direction (new reads old, old reads new).

type Expectation = Record<CompatibilityLevel, boolean>;
const all = (value: boolean): Expectation =>
  Object.fromEntries(compatibilityLevels.map((level) => [level, value])) as Expectation;

interface Row {
  name: string;
  type: SchemaType;
  previous: string[];
  candidate: string;
  expected: Expectation;
}

const json = (value: unknown) => JSON.stringify(value);
const closed = (props: Record<string, unknown>, required: string[] = []) =>
  json({ type: 'object', properties: props, required, additionalProperties: false });
const record = (fields: Array<Record<string, unknown>>) =>
  json({ type: 'record', name: 'Order', namespace: 'shop', fields });
const proto = (body: string) => `syntax = "proto3";\npackage shop;\nmessage Order {\n${body}\n}\n`;

const backwardOnly: Expectation = {
  NONE: true,
  BACKWARD: true,
  BACKWARD_TRANSITIVE: true,
  FORWARD: false,
  FORWARD_TRANSITIVE: false,
  FULL: false,
  FULL_TRANSITIVE: false,
};
const forwardOnly: Expectation = {
  NONE: true,
  BACKWARD: false,
  BACKWARD_TRANSITIVE: false,
  FORWARD: true,
  FORWARD_TRANSITIVE: true,
  FULL: false,
  FULL_TRANSITIVE: false,
};
const onlyAgainstLatest: Expectation = {
  NONE: true,
  BACKWARD: true,
  BACKWARD_TRANSITIVE: false,
  FORWARD: true,
  FORWARD_TRANSITIVE: false,
  FULL: true,
  FULL_TRANSITIVE: false,
};

const rows: Row[] = [
  // JSON Schema
  {
    name: 'identical schema',
    type: 'JSON',
    previous: [closed({ a: { type: 'string' } })],
    candidate: closed({ a: { type: 'string' } }),
    expected: all(true),
  },
  {
    name: 'optional property added to a closed model (new readers accept old data, old readers reject new)',
    type: 'JSON',
    previous: [closed({ a: { type: 'string' } })],
    candidate: closed({ a: { type: 'string' }, b: { type: 'string' } }),
    expected: backwardOnly,
  },
  {
    name: 'property removed from a closed model',
    type: 'JSON',
    previous: [closed({ a: { type: 'string' }, b: { type: 'string' } })],
    candidate: closed({ a: { type: 'string' } }),
    expected: forwardOnly,
  },
  {
    name: 'compatible with the latest version only (an earlier one had another field)',
    type: 'JSON',
    previous: [
      closed({ a: { type: 'string' }, c: { type: 'number' } }),
      closed({ a: { type: 'string' } }),
      closed({ a: { type: 'string' } }, []),
    ],
    candidate: closed({ a: { type: 'string' } }),
    // Old readers (v1 knew an optional c) still read new data, so only backward fails transitively.
    expected: { ...onlyAgainstLatest, FORWARD_TRANSITIVE: true },
  },
  {
    name: 'type changed',
    type: 'JSON',
    previous: [closed({ a: { type: 'string' } })],
    candidate: closed({ a: { type: 'number' } }),
    expected: { ...all(false), NONE: true },
  },
  // Avro
  {
    name: 'Avro field added without a default (new readers cannot fill it in old data)',
    type: 'AVRO',
    previous: [record([{ name: 'id', type: 'string' }])],
    candidate: record([
      { name: 'id', type: 'string' },
      { name: 'total', type: 'double' },
    ]),
    expected: forwardOnly,
  },
  {
    name: 'Avro field added with a default',
    type: 'AVRO',
    previous: [record([{ name: 'id', type: 'string' }])],
    candidate: record([
      { name: 'id', type: 'string' },
      { name: 'total', type: 'double', default: 0 },
    ]),
    expected: all(true),
  },
  {
    name: 'Avro field without default removed',
    type: 'AVRO',
    previous: [
      record([
        { name: 'id', type: 'string' },
        { name: 'total', type: 'double' },
      ]),
    ],
    candidate: record([{ name: 'id', type: 'string' }]),
    expected: backwardOnly,
  },
  {
    name: 'Avro: compatible with the latest version only',
    type: 'AVRO',
    previous: [
      record([
        { name: 'id', type: 'string' },
        { name: 'total', type: 'double' },
      ]),
      record([
        { name: 'id', type: 'string' },
        { name: 'total', type: 'double', default: 0 },
      ]),
    ],
    candidate: record([
      { name: 'id', type: 'string' },
      { name: 'total', type: 'double', default: 1 },
    ]),
    expected: { ...all(true), FORWARD_TRANSITIVE: true, BACKWARD_TRANSITIVE: true, FULL_TRANSITIVE: true },
  },
  // Protobuf
  {
    name: 'Protobuf field added',
    type: 'PROTOBUF',
    previous: [proto('  string id = 1;')],
    candidate: proto('  string id = 1;\n  double total = 2;'),
    expected: all(true),
  },
  {
    name: 'Protobuf field type changed across wire groups',
    type: 'PROTOBUF',
    previous: [proto('  string id = 1;\n  int64 total = 2;')],
    candidate: proto('  string id = 1;\n  string total = 2;'),
    expected: { ...all(false), NONE: true },
  },
  {
    name: 'Protobuf: compatible with the latest version only',
    type: 'PROTOBUF',
    previous: [proto('  string id = 1;\n  int64 total = 2;'), proto('  string id = 1;\n  string note = 2;')],
    candidate: proto('  string id = 1;\n  string note = 2;\n  bool paid = 3;'),
    expected: onlyAgainstLatest,
  },
];

describe.each(rows)('$type: $name', (row) => {
  const previous = row.previous.map((text, index) => ({ version: index + 1, schema: parseSchema(row.type, text) }));
  const candidate = parseSchema(row.type, row.candidate);
  it.each(compatibilityLevels)('%s', (level) => {
    const issues = checkCompatibility(level, candidate, previous);
    expect(issues.length === 0).toBe(row.expected[level]);
    for (const issue of issues) {
      expect(issue.version).toBeGreaterThan(0);
      expect(['BACKWARD', 'FORWARD']).toContain(issue.direction);
      if (!level.endsWith('_TRANSITIVE')) expect(issue.version).toBe(previous.length);
    }
  });
});

describe('checkCompatibility', () => {
  it('reports a changed schema type as incompatible under every level but NONE', () => {
    const previous = [{ version: 1, schema: parseSchema('JSON', '{"type":"string"}') }];
    const candidate = parseSchema('AVRO', '"string"');
    expect(checkCompatibility('NONE', candidate, previous)).toEqual([]);
    expect(checkCompatibility('BACKWARD', candidate, previous)[0]).toMatchObject({
      rule: 'SCHEMA_TYPE_CHANGED',
      version: 1,
    });
  });

  it('passes the lenient option to the JSON engine', () => {
    const open = (props: Record<string, unknown>) => parseSchema('JSON', json({ type: 'object', properties: props }));
    const previous = [{ version: 1, schema: open({ a: { type: 'string' } }) }];
    const candidate = open({ a: { type: 'string' }, b: { type: 'number' } });
    expect(checkCompatibility('BACKWARD', candidate, previous).length).toBeGreaterThan(0);
    expect(checkCompatibility('BACKWARD', candidate, previous, { lenient: true })).toEqual([]);
  });

  it('is compatible with nothing to compare against', () => {
    expect(checkCompatibility('FULL_TRANSITIVE', parseSchema('JSON', '{}'), [])).toEqual([]);
  });
});
