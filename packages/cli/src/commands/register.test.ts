import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';
import { captureIo } from '../testing/capture-io';
import { startFakeRegistry, unusedUrl, type FakeRegistry, type RecordedRequest } from '../testing/fake-registry';
import { createTempDir, type TempDir } from '../testing/temp-dir';

let dir: TempDir;
let registry: FakeRegistry | undefined;

beforeAll(async () => {
  dir = await createTempDir();
  await dir.write('schemas/order.json', '{"type":"object"}');
  await dir.write('schemas/payment.avsc', '{"type":"record","name":"Payment","fields":[]}');
  await dir.write('schemas/shipment.proto', 'syntax = "proto3"; message Shipment {}');
  await dir.write('schemas/broken.json', '{"type":');
  await dir.write('schemas/README.md', 'not a schema');
  await dir.write('empty/notes.txt', 'nothing');
});
afterAll(() => dir.remove());
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

/** A registry that gives ids 1, 2, … and answers broken schemas with 42201 and `payment-value` with 409. */
function registering(): Record<string, (request: RecordedRequest) => { status?: number; body: unknown }> {
  let id = 0;
  const answer = (request: RecordedRequest) => {
    const { schema } = request.body as { schema: string };
    if (schema.endsWith(':')) return { status: 422, body: { error_code: 42201, message: 'Invalid schema' } };
    return { body: { id: ++id } };
  };
  return {
    'POST /subjects/order-value/versions': answer,
    'POST /subjects/orders-value/versions': answer,
    'POST /subjects/broken-value/versions': answer,
    'POST /subjects/shipment-value/versions': answer,
    'POST /subjects/shipment-key/versions': answer,
    'POST /subjects/order-key/versions': answer,
    'POST /subjects/broken-key/versions': answer,
    'POST /subjects/payment-key/versions': answer,
    'POST /subjects/payment-value/versions': () => ({
      status: 409,
      body: { error_code: 409, message: 'Schema being registered is incompatible with an earlier schema' },
    }),
  };
}

async function register(args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  const io = captureIo({ cwd: dir.path, env: options.env ?? {}, tty: options.tty });
  const code = await run(['schema', 'register', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshgate schema register --file', () => {
  it('registers one schema with its type and prints the id', async () => {
    registry = await startFakeRegistry(registering());
    const result = await register([
      '--subject',
      'orders-value',
      '--file',
      'schemas/order.json',
      '--normalize',
      '--registry',
      registry.url,
    ]);
    expect(result).toEqual({ code: 0, out: 'registered schemas/order.json → orders-value: id 1\n', err: '' });
    expect(registry.requests[0]).toMatchObject({
      url: '/subjects/orders-value/versions?normalize=true',
      body: { schema: '{"type":"object"}', schemaType: 'JSON' },
    });
  });

  it('derives the subject from the file name when --subject is not given', async () => {
    registry = await startFakeRegistry(registering());
    const avro = await register(['--file', 'schemas/payment.avsc', '--subject', 'order-value', '--format', 'json'], {
      env: { MESHGATE_REGISTRY_URL: registry.url },
    });
    expect(avro.code).toBe(0);
    expect(JSON.parse(avro.out)).toEqual({
      ok: true,
      registered: 1,
      failed: 0,
      results: [
        { status: 'registered', file: 'schemas/payment.avsc', subject: 'order-value', schemaType: 'AVRO', id: 1 },
      ],
    });
    const proto = await register(['--file', 'schemas/shipment.proto'], {
      env: { MESHGATE_REGISTRY_URL: registry.url },
    });
    expect(proto.out).toBe('registered schemas/shipment.proto → shipment-value: id 2\n');
    expect(registry.requests[1]?.body).toMatchObject({ schemaType: 'PROTOBUF' });
  });

  it('exits 1 when the registry calls the schema incompatible (409), 2 when it is invalid', async () => {
    registry = await startFakeRegistry(registering());
    const env = { MESHGATE_REGISTRY_URL: registry.url };
    const incompatible = await register(['--file', 'schemas/payment.avsc'], { env });
    expect(incompatible).toEqual({
      code: 1,
      out: '',
      err: 'meshgate: registry: Schema being registered is incompatible with an earlier schema (error 409)\n',
    });
    const invalid = await register(['--file', 'schemas/broken.json'], { env });
    expect(invalid).toMatchObject({ code: 2, err: 'meshgate: registry: Invalid schema (error 42201)\n' });
  });
});

describe('meshgate schema register --dir', () => {
  it('registers every schema file, continues past failures and reports each at the end', async () => {
    registry = await startFakeRegistry(registering());
    const result = await register(['--dir', 'schemas', '--registry', registry.url]);
    expect(result.code).toBe(2);
    expect(registry.requests.map((request) => request.url)).toEqual([
      '/subjects/broken-value/versions',
      '/subjects/order-value/versions',
      '/subjects/payment-value/versions',
      '/subjects/shipment-value/versions',
    ]);
    expect(result.out).toBe(
      [
        'registered 2 of 4 schemas',
        '  schemas/order.json → order-value: id 1',
        '  schemas/shipment.proto → shipment-value: id 2',
        '',
      ].join('\n'),
    );
    // Not a terminal: one plain line per file, then the failures.
    expect(result.err).toBe(
      [
        '[1/4] schemas/broken.json → broken-value: FAILED: registry: Invalid schema (error 42201)',
        '[2/4] schemas/order.json → order-value: id 1',
        '[3/4] schemas/payment.avsc → payment-value: FAILED: registry: Schema being registered is incompatible with an earlier schema (error 409)',
        '[4/4] schemas/shipment.proto → shipment-value: id 2',
        'meshgate: 2 of 4 schemas not registered:',
        '  schemas/broken.json → broken-value: FAILED: registry: Invalid schema (error 42201)',
        '  schemas/payment.avsc → payment-value: FAILED: registry: Schema being registered is incompatible with an earlier schema (error 409)',
        '',
      ].join('\n'),
    );
  });

  it('draws a progress bar on a terminal, applies --subject-template, and exits 1 when only incompatibilities failed', async () => {
    await dir.write('few/order.json', '{"type":"object"}');
    await dir.write('few/payment.avsc', '{"type":"record","name":"Payment","fields":[]}');
    registry = await startFakeRegistry({
      ...registering(),
      'POST /subjects/payment-key/versions': () => ({
        status: 409,
        body: { error_code: 409, message: 'incompatible' },
      }),
    });
    const result = await register(
      ['--dir', 'few', '--subject-template', '{name}-key', '--format', 'json', '--registry', registry.url],
      { tty: true },
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain('registering [');
    expect(result.err).toContain('2/2');
    expect(result.err).toContain('\u001b[');
    expect(JSON.parse(result.out)).toMatchObject({
      ok: false,
      registered: 1,
      failed: 1,
      results: [
        { status: 'registered', file: 'few/order.json', subject: 'order-key', id: 1 },
        {
          status: 'failed',
          file: 'few/payment.avsc',
          subject: 'payment-key',
          error: 'registry: incompatible (error 409)',
          exitCode: 1,
        },
      ],
    });
  });

  it('stops trying after the registry turns out unreachable, reporting the rest as skipped', async () => {
    const url = await unusedUrl();
    const result = await register(['--dir', 'schemas', '--format', 'json', '--registry', url]);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.out) as { results: Array<{ status: string; error: string }> };
    expect(report.results.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(report.results.map((r) => r.error)).toEqual([
      `cannot reach the registry at ${url} (ECONNREFUSED); set --registry or MESHGATE_REGISTRY_URL`,
      'the registry is unreachable',
      'the registry is unreachable',
      'the registry is unreachable',
    ]);
  });

  it.each([
    [['--dir', 'empty'], 'meshgate: --dir empty holds no .json, .avsc or .proto files'],
    [['--dir', 'nowhere'], 'meshgate: --dir nowhere: cannot read the folder (ENOENT); check the path'],
    [
      ['--dir', 'schemas', '--subject', 'x'],
      'meshgate: --subject names one subject; with --dir use --subject-template',
    ],
    [['--dir', 'schemas', '--subject-template', 'fixed'], "meshgate: --subject-template 'fixed' must contain {name}"],
    [
      ['--dir', 'schemas', '--file', 'schemas/order.json'],
      'meshgate: pass either --file FILE (with --subject) or --dir DIR',
    ],
    [[], 'meshgate: pass either --file FILE (with --subject) or --dir DIR'],
  ])('usage error %j exits 2', async (args, message) => {
    const result = await register(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
