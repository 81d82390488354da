import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';
import { positionAt } from '../locate';
import { captureIo } from '../testing/capture-io';
import { createTempDir, type TempDir } from '../testing/temp-dir';

/** The 1-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`'${needle}' not in text`);
  return positionAt(text, offset).line;
}

const avroV1 = `{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme",
  "fields": [
    { "name": "id", "type": "string" },
    { "name": "total", "type": "double" }
  ]
}
`;

const avroV2Compatible = avroV1.replace(
  '{ "name": "total", "type": "double" }',
  '{ "name": "total", "type": "double" },\n    { "name": "note", "type": "string", "default": "" }',
);

const avroV2Breaking = avroV1.replace(
  '{ "name": "total", "type": "double" }',
  '{ "name": "total", "type": "double" },\n    { "name": "note", "type": "string" }',
);

const jsonV1 = `{
  "type": "object",
  "properties": {
    "id": { "type": "string" },
    "total": { "type": "number" }
  },
  "required": ["id"],
  "additionalProperties": false
}
`;

// A closed content model: old data cannot hold 'note', so the new schema reads all of it.
const jsonV2Compatible = jsonV1.replace(
  '"total": { "type": "number" }',
  '"total": { "type": "number" },\n    "note": { "type": "string" }',
);
const jsonV2Breaking = jsonV1.replace('"total": { "type": "number" }', '"total": { "type": "string" }');

const protoV1 = `syntax = "proto3";

package shop.v1;

message Order {
  string id = 1;
  double total = 2;
}
`;

const protoV2Compatible = protoV1.replace('  double total = 2;\n', '  double total = 2;\n  string note = 3;\n');
const protoV2Breaking = protoV1.replace('  double total = 2;\n', '  string total = 2;\n');

let dir: TempDir;

beforeAll(async () => {
  dir = await createTempDir();
  await dir.write('avro/v1.avsc', avroV1);
  await dir.write('avro/v2-ok.avsc', avroV2Compatible);
  await dir.write('avro/v2-bad.avsc', avroV2Breaking);
  await dir.write('json/v1.json', jsonV1);
  await dir.write('json/v2-ok.json', jsonV2Compatible);
  await dir.write('json/v2-bad.json', jsonV2Breaking);
  await dir.write('proto/v1.proto', protoV1);
  await dir.write('proto/v2-ok.proto', protoV2Compatible);
  await dir.write('proto/v2-bad.proto', protoV2Breaking);
  await dir.write('broken.json', '{"type": "object", "properties": ');
  await dir.write('broken.avsc', '{"type": "record", "name": "X"}');
});
afterAll(() => dir.remove());

async function check(args: string[], cwd = dir.path) {
  const io = captureIo({ cwd });
  const code = await run(['schema', 'check', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshgate schema check --against FILE (offline)', () => {
  it.each([
    ['Avro', 'avro/v2-ok.avsc', 'avro/v1.avsc'],
    ['JSON Schema', 'json/v2-ok.json', 'json/v1.json'],
    ['Protobuf', 'proto/v2-ok.proto', 'proto/v1.proto'],
  ])('%s: a compatible change exits 0', async (_type, file, against) => {
    const result = await check(['--file', file, '--against', against]);
    expect(result).toEqual({
      code: 0,
      out: `compatible: ${file} can replace ${against} under BACKWARD\n`,
      err: '',
    });
  });

  it('Avro: a new field without a default exits 1, at the field, in every format', async () => {
    const base = ['--file', 'avro/v2-bad.avsc', '--against', 'avro/v1.avsc'];
    const line = lineOf(avroV2Breaking, '"name": "note"');

    const text = await check(base);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      'INCOMPATIBLE: avro/v2-bad.avsc cannot replace avro/v1.avsc under BACKWARD (1 incompatibility)',
    );
    expect(text.out).toContain(
      `1. READER_FIELD_MISSING_DEFAULT_VALUE at com.acme.Order.note (avro/v2-bad.avsc:${line}:7)`,
    );
    expect(text.out).toContain('BACKWARD: the new schema cannot read data written with avro/v1.avsc');
    expect(text.out).toContain("fix: Give field 'note' a default");

    const json = await check([...base, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      compatible: false,
      subject: null,
      level: 'BACKWARD',
      file: 'avro/v2-bad.avsc',
      schemaType: 'AVRO',
      against: { kind: 'file', file: 'avro/v1.avsc' },
      incompatibilities: [
        {
          path: 'com.acme.Order.note',
          rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
          direction: 'BACKWARD',
          new: 'string',
          line,
          column: 7,
        },
      ],
    });

    const github = await check([...base, '--format', 'github', '--subject', 'orders-value']);
    expect(github.code).toBe(1);
    expect(github.out).toMatch(
      new RegExp(
        `^::error file=avro/v2-bad.avsc,line=${line},col=7,title=READER_FIELD_MISSING_DEFAULT_VALUE::Field 'note' of com\\.acme\\.Order .*\\(fix: Give field 'note' a default`,
      ),
    );
  });

  it('Avro: FORWARD finds what BACKWARD allows', async () => {
    const forward = await check(['--file', 'avro/v2-ok.avsc', '--against', 'avro/v1.avsc', '--level', 'forward']);
    expect(forward.code).toBe(0);
    const removed = await check(['--file', 'avro/v1.avsc', '--against', 'avro/v2-bad.avsc', '--level', 'FORWARD']);
    expect(removed.code).toBe(1);
    expect(removed.out).toContain('FORWARD: avro/v2-bad.avsc cannot read data written with the new schema');
  });

  it('JSON Schema: a changed property type exits 1, at the "type" key, in every format', async () => {
    const base = ['--file', 'json/v2-bad.json', '--against', 'json/v1.json'];
    const { line, column } = positionAt(
      jsonV2Breaking,
      jsonV2Breaking.indexOf('"type": "string"', jsonV2Breaking.indexOf('"total"')),
    );

    const text = await check(base);
    expect(text.code).toBe(1);
    expect(text.out).toContain(`1. TYPE_CHANGED at #/properties/total/type (json/v2-bad.json:${line}:${column})`);
    expect(text.out).toContain('   old: number → new: string');

    const json = await check([...base, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      compatible: false,
      schemaType: 'JSON',
      incompatibilities: [
        { path: '#/properties/total/type', rule: 'TYPE_CHANGED', direction: 'BACKWARD', line, column },
      ],
    });

    const github = await check([...base, '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.out.split('\n')[0]).toMatch(
      new RegExp(
        `^::error file=json/v2-bad.json,line=${line},col=${column},title=TYPE_CHANGED::.+\\[#/properties/total/type; BACKWARD vs json/v1.json; number → string\\] \\(fix: .+\\)$`,
      ),
    );
  });

  it('JSON Schema: --lenient allows an optional property added to an open content model', async () => {
    await dir.write('json/open-v1.json', '{"type":"object","properties":{"id":{"type":"string"}}}');
    await dir.write(
      'json/open-v2.json',
      '{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}}}',
    );
    const strict = await check(['--file', 'json/open-v2.json', '--against', 'json/open-v1.json']);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('1. OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/note');
    const lenient = await check(['--file', 'json/open-v2.json', '--against', 'json/open-v1.json', '--lenient']);
    expect(lenient.code).toBe(0);
  });

  it('Protobuf: a changed field type exits 1, at the field declaration, in every format', async () => {
    const base = ['--file', 'proto/v2-bad.proto', '--against', 'proto/v1.proto'];
    const { line, column } = positionAt(protoV2Breaking, protoV2Breaking.indexOf('total = 2'));

    const text = await check(base);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      `1. FIELD_SCALAR_KIND_CHANGED at shop.v1.Order.total#2 (proto/v2-bad.proto:${line}:${column})`,
    );
    expect(text.out).toContain('   old: double total = 2 → new: string total = 2');

    const json = await check([...base, '--format', 'json']);
    expect(JSON.parse(json.out)).toMatchObject({
      compatible: false,
      schemaType: 'PROTOBUF',
      incompatibilities: [{ path: 'shop.v1.Order.total#2', rule: 'FIELD_SCALAR_KIND_CHANGED', line, column }],
    });

    const github = await check([...base, '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.out.split('\n')[0]).toMatch(
      new RegExp(`^::error file=proto/v2-bad.proto,line=${line},col=${column},title=FIELD_SCALAR_KIND_CHANGED::`),
    );
  });

  it('JSON Schema: a property removed from a closed model points at the nearest key that is left', async () => {
    const removed = jsonV1.replace(',\n    "total": { "type": "number" }', '');
    await dir.write('json/v2-removed.json', removed);
    const result = await check(['--file', 'json/v2-removed.json', '--against', 'json/v1.json', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({
      incompatibilities: [{ path: '#/properties/total', ...positionAt(removed, removed.indexOf('"properties"')) }],
    });
  });

  it('parses the schemas a --references file lists, relative to it', async () => {
    await dir.write(
      'refs/money.avsc',
      '{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"amount","type":"double"}]}',
    );
    await dir.write(
      'refs/refs.json',
      JSON.stringify([{ name: 'com.acme.Money', subject: 'money-value', version: 1, file: 'money.avsc' }]),
    );
    await dir.write('refs/bad-refs.json', JSON.stringify([{ name: 'com.acme.Money', version: 'one' }]));
    const order = (extra: string) =>
      `{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"total","type":"com.acme.Money"}${extra}]}`;
    await dir.write('refs/order-v1.avsc', order(''));
    await dir.write('refs/order-v2.avsc', order(',{"name":"note","type":"string","default":""}'));
    const base = ['--file', 'refs/order-v2.avsc', '--against', 'refs/order-v1.avsc'];

    expect(await check([...base, '--references', 'refs/refs.json'])).toMatchObject({ code: 0, err: '' });
    const unresolved = await check(base);
    expect(unresolved.code).toBe(2);
    expect(unresolved.err).toMatch(/^meshgate: refs\/order-v2\.avsc: .*com\.acme\.Money/);
    const malformed = await check([...base, '--references', 'refs/bad-refs.json']);
    expect(malformed).toMatchObject({
      code: 2,
      err: 'meshgate: --references refs/bad-refs.json: entry 0 must be {"name": string, "subject": string, "version": positive integer, "file"?: string}\n',
    });
  });

  it('exits 2 with the parser reason when a schema is invalid', async () => {
    const json = await check(['--file', 'broken.json', '--against', 'json/v1.json']);
    expect(json.code).toBe(2);
    expect(json.err).toMatch(/^meshgate: broken\.json: .+\n$/);
    const avro = await check(['--file', 'broken.avsc', '--against', 'avro/v1.avsc']);
    expect(avro.code).toBe(2);
    expect(avro.err).toMatch(/^meshgate: broken\.avsc: .+\n$/);
  });

  it('exits 2 on an unknown level, naming the valid ones', async () => {
    const result = await check(['--file', 'avro/v2-ok.avsc', '--against', 'avro/v1.avsc', '--level', 'SIDEWAYS']);
    expect(result).toMatchObject({
      code: 2,
      err: "meshgate: --level 'SIDEWAYS' is not a compatibility level; use one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE\n",
    });
  });
});

describe('meshgate schema check --against GIT-REF (offline)', () => {
  let repo: TempDir;
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '-c',
        'user.name=Meshgate Test',
        '-c',
        'user.email=test@meshgate.invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      { cwd: repo.path, stdio: 'pipe' },
    );

  beforeAll(async () => {
    repo = await createTempDir('meshgate-cli-git-');
    git('init', '-q', '-b', 'main');
    await repo.write('schemas/order.avsc', avroV1);
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    await repo.write('schemas/order.avsc', avroV2Compatible);
    git('commit', '-q', '-am', 'v2');
    await repo.write('schemas/order.avsc', avroV2Breaking);
    await repo.write('schemas/new.avsc', avroV1);
  });
  afterAll(() => repo.remove());

  it('reads the same path at the ref and checks the working tree against it', async () => {
    const result = await check(['--file', 'schemas/order.avsc', '--against', 'HEAD~1'], repo.path);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'INCOMPATIBLE: schemas/order.avsc cannot replace HEAD~1:schemas/order.avsc under BACKWARD (1 incompatibility)',
    );
    const json = await check(['--file', 'schemas/order.avsc', '--against', 'main~1', '--format', 'json'], repo.path);
    expect(JSON.parse(json.out)).toMatchObject({
      compatible: false,
      against: { kind: 'git', ref: 'main~1', file: 'schemas/order.avsc' },
      incompatibilities: [
        { rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', line: lineOf(avroV2Breaking, '"name": "note"') },
      ],
    });
  });

  it('works from a subfolder, and exits 0 when the committed version is compatible', async () => {
    await repo.write('schemas/order.avsc', avroV2Compatible);
    try {
      const result = await check(['--file', 'order.avsc', '--against', 'HEAD~1'], `${repo.path}/schemas`);
      expect(result).toEqual({
        code: 0,
        out: 'compatible: order.avsc can replace HEAD~1:order.avsc under BACKWARD\n',
        err: '',
      });
    } finally {
      await repo.write('schemas/order.avsc', avroV2Breaking);
    }
  });

  it('treats a file that does not exist at the ref as compatible: nothing to break', async () => {
    const result = await check(['--file', 'schemas/new.avsc', '--against', 'HEAD'], repo.path);
    expect(result).toEqual({
      code: 0,
      out: 'compatible: schemas/new.avsc does not exist at HEAD; nothing to break\n',
      err: '',
    });
  });

  it('exits 2 when the ref is neither a file nor a commit', async () => {
    const result = await check(['--file', 'schemas/order.avsc', '--against', 'origin/nope'], repo.path);
    expect(result).toEqual({
      code: 2,
      out: '',
      err: "meshgate: --against 'origin/nope' is neither a file nor a git ref (no commit named 'origin/nope' in the repository); fetch the ref or pass a file\n",
    });
    const outside = await check(['--file', 'avro/v1.avsc', '--against', 'HEAD'], dir.path);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain("--against 'HEAD' is neither a file nor a git ref (not a git repository");
  });
});
