import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';
import { captureIo } from '../testing/capture-io';
import { createTempDir, type TempDir } from '../testing/temp-dir';

const fields = [
  { name: 'id', type: 'string' },
  { name: 'total', type: 'double' },
];
const v1 = JSON.stringify({ type: 'record', name: 'Order', fields }, null, 2);
// Adds a field without a default: old data lacks it (BACKWARD breaks), old readers ignore it (FORWARD holds).
const v2 = JSON.stringify(
  { type: 'record', name: 'Order', fields: [...fields, { name: 'note', type: 'string' }] },
  null,
  2,
);

let dir: TempDir;

beforeAll(async () => {
  dir = await createTempDir();
  await dir.write('v1.avsc', v1);
  await dir.write('v2.avsc', v2);
  await dir.write('same.avsc', v1);
});
afterAll(() => dir.remove());

async function diff(args: string[]) {
  const io = captureIo({ cwd: dir.path });
  const code = await run(['schema', 'diff', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshgate schema diff', () => {
  it('reports both directions; FULL (the default) fails when one does', async () => {
    const result = await diff(['v1.avsc', 'v2.avsc']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('INCOMPATIBLE: v2.avsc cannot replace v1.avsc under FULL (1 incompatibility)');
    expect(result.out).toContain('  BACKWARD (v2.avsc reads data written with v1.avsc): no');
    expect(result.out).toContain('  FORWARD (v1.avsc reads data written with v2.avsc): yes');
    expect(result.out).toContain('1. READER_FIELD_MISSING_DEFAULT_VALUE at Order.note (v2.avsc:');
  });

  it('decides by --level: FORWARD holds here, and the directions stay in the JSON', async () => {
    const result = await diff(['v1.avsc', 'v2.avsc', '--level', 'FORWARD', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      compatible: true,
      subject: null,
      level: 'FORWARD',
      file: 'v2.avsc',
      schemaType: 'AVRO',
      against: { kind: 'file', file: 'v1.avsc' },
      directions: { BACKWARD: false, FORWARD: true },
      incompatibilities: [],
    });
  });

  it('swapping the files swaps the directions', async () => {
    const result = await diff(['v2.avsc', 'v1.avsc', '--format', 'github']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^::error file=v1\.avsc,line=\d+,col=\d+,title=READER_FIELD_MISSING_DEFAULT_VALUE::/);
    // The registry reports old/new as writer/reader; shown as old file → new file in either direction.
    expect(result.out).toContain('[Order.note; FORWARD vs v2.avsc; string → (none)]');
  });

  it('exits 0 for identical schemas and 2 for usage errors', async () => {
    expect((await diff(['v1.avsc', 'same.avsc'])).code).toBe(0);
    const missing = await diff(['v1.avsc']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("error: missing required argument 'new'");
    const unreadable = await diff(['v1.avsc', 'nope.avsc']);
    expect(unreadable).toMatchObject({
      code: 2,
      err: 'meshgate: <new> nope.avsc: cannot read the file (ENOENT); check the path\n',
    });
  });
});
