import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';
import { captureIo } from '../testing/capture-io';
import { startFakeRegistry, type FakeRegistry } from '../testing/fake-registry';

const avro = '{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}';
let registry: FakeRegistry;

beforeAll(async () => {
  registry = await startFakeRegistry({
    'GET /subjects/orders-value/versions/latest': {
      body: { subject: 'orders-value', version: 3, id: 11, schema: avro },
    },
    'GET /subjects/orders-value/versions/2': {
      body: { subject: 'orders-value', version: 2, id: 9, schemaType: 'JSON', schema: '{"type":"object"}\n' },
    },
    'GET /subjects/orders-value/versions/7': {
      status: 404,
      body: { error_code: 40402, message: 'Version 7 not found.' },
    },
    'GET /schemas/ids/11': { body: { schema: avro } },
  });
});
afterAll(() => registry.close());

async function get(args: string[]) {
  const io = captureIo({ cwd: os.tmpdir(), env: { MESHGATE_REGISTRY_URL: registry.url } });
  const code = await run(['schema', 'get', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshgate schema get', () => {
  it('prints the latest schema of a subject, or a given version', async () => {
    expect(await get(['--subject', 'orders-value'])).toEqual({ code: 0, out: `${avro}\n`, err: '' });
    expect(await get(['--subject', 'orders-value', '--version', '2'])).toEqual({
      code: 0,
      out: '{"type":"object"}\n',
      err: '',
    });
  });

  it('prints the whole response with --format json, and fetches by id', async () => {
    const whole = await get(['--subject', 'orders-value', '--format', 'json']);
    expect(JSON.parse(whole.out)).toEqual({ subject: 'orders-value', version: 3, id: 11, schema: avro });
    expect(await get(['--id', '11'])).toEqual({ code: 0, out: `${avro}\n`, err: '' });
  });

  it('exits 2 naming the missing version', async () => {
    expect(await get(['--subject', 'orders-value', '--version', '7'])).toEqual({
      code: 2,
      out: '',
      err: 'meshgate: registry: Version 7 not found. (error 40402)\n',
    });
  });

  it.each([
    [[], 'pass either --subject SUBJECT [--version latest|N] or --id N'],
    [['--subject', 's', '--id', '1'], 'pass either --subject SUBJECT [--version latest|N] or --id N'],
    [['--id', '1', '--version', '2'], '--version applies to --subject'],
    [['--id', 'x'], "--id 'x' must be a positive integer"],
  ])('usage error %j exits 2', async (args, message) => {
    const result = await get(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
