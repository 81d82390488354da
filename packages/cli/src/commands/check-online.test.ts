import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main';
import { captureIo } from '../testing/capture-io';
import { startFakeRegistry, unusedUrl, type FakeRegistry } from '../testing/fake-registry';
import { createTempDir, type TempDir } from '../testing/temp-dir';

const orderSchema = `{
  "type": "object",
  "properties": {
    "id": { "type": "string" },
    "total": { "type": "integer" }
  },
  "additionalProperties": false
}
`;

const typeNarrowed = {
  path: '#/properties/total/type',
  rule: 'TYPE_NARROWED',
  message: "The type of 'total' narrowed from number to integer.",
  old: 'number',
  new: 'integer',
  fix: "Keep 'total' a number.",
  version: 3,
  direction: 'BACKWARD',
};

let dir: TempDir;
let registry: FakeRegistry | undefined;

beforeAll(async () => {
  dir = await createTempDir();
  await dir.write('schemas/order.json', orderSchema);
});
afterAll(() => dir.remove());
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function check(args: string[], env: Record<string, string> = {}) {
  const io = captureIo({ cwd: dir.path, env });
  const code = await run(['schema', 'check', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshgate schema check (against the registry)', () => {
  it('exits 0 when the registry says compatible, and names the level in use', async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders-value/versions': { body: { is_compatible: true, messages: [] } },
      'GET /config/orders-value': { body: { compatibilityLevel: 'FULL' } },
    });
    const result = await check([
      '--subject',
      'orders-value',
      '--file',
      'schemas/order.json',
      '--registry',
      registry.url,
    ]);
    expect(result).toEqual({
      code: 0,
      out: 'compatible: schemas/order.json can replace the registered versions of orders-value under FULL\n',
      err: '',
    });
    const request = registry.requests.find((r) => r.method === 'POST');
    expect(request?.url).toBe('/compatibility/subjects/orders-value/versions?verbose=true');
    expect(request?.body).toEqual({ schema: orderSchema, schemaType: 'JSON' });
  });

  it('exits 1 and explains each structured incompatibility (text, json, github)', async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders-value/versions': {
        body: { is_compatible: false, messages: ['…'], incompatibilities: [typeNarrowed] },
      },
      'GET /config/orders-value': { body: { compatibilityLevel: 'BACKWARD' } },
    });
    const env = { MESHGATE_REGISTRY_URL: registry.url };
    const base = ['--subject', 'orders-value', '--file', 'schemas/order.json'];

    const text = await check(base, env);
    expect(text.code).toBe(1);
    expect(text.out).toBe(
      [
        'INCOMPATIBLE: schemas/order.json cannot replace the registered versions of orders-value under BACKWARD (1 incompatibility)',
        '',
        '1. TYPE_NARROWED at #/properties/total/type (schemas/order.json:5:16)',
        "   The type of 'total' narrowed from number to integer.",
        '   old: number → new: integer',
        '   BACKWARD: the new schema cannot read data written with version 3',
        "   fix: Keep 'total' a number.",
        '',
      ].join('\n'),
    );

    const json = await check([...base, '--format', 'json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      compatible: false,
      subject: 'orders-value',
      level: 'BACKWARD',
      file: 'schemas/order.json',
      schemaType: 'JSON',
      against: { kind: 'registry', registry: registry.url, version: 'all' },
      incompatibilities: [{ ...typeNarrowed, line: 5, column: 16 }],
    });

    const github = await check([...base, '--format', 'github'], env);
    expect(github.code).toBe(1);
    expect(github.out.split('\n')[0]).toBe(
      "::error file=schemas/order.json,line=5,col=16,title=TYPE_NARROWED::The type of 'total' narrowed from number to integer. [#/properties/total/type; BACKWARD vs version 3; number → integer] (fix: Keep 'total' a number.)",
    );
  });

  it("reads Confluent's verbose messages when the registry gives no structured incompatibilities", async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders-value/versions/latest': {
        body: {
          is_compatible: false,
          messages: [
            "{errorType:'TYPE_NARROWED', description:'The type of a property at path '#/properties/total' in the new schema narrowed', additionalInfo:'integer'}",
            '{oldSchemaVersion: 4}',
            "{oldSchema: '{}'}",
            "{validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}",
          ],
        },
      },
      'GET /config/orders-value': { status: 404, body: { error_code: 40401, message: 'Subject not found' } },
    });
    const result = await check(
      ['--subject', 'orders-value', '--file', 'schemas/order.json', '--version', 'latest', '--format', 'json'],
      { MESHGATE_REGISTRY_URL: registry.url },
    );
    expect(result.code).toBe(1);
    const verdict = JSON.parse(result.out);
    expect(verdict.level).toBe('BACKWARD_TRANSITIVE');
    expect(verdict.against.version).toBe('latest');
    expect(verdict.incompatibilities).toEqual([
      {
        path: '#/properties/total',
        rule: 'TYPE_NARROWED',
        message: "The type of a property at path '#/properties/total' in the new schema narrowed",
        fix: '',
        direction: 'BACKWARD',
        version: 4,
        line: 5,
        column: 5,
      },
    ]);
  });

  it('checks against one version with --version N, and treats a subject without versions as compatible', async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders-value/versions/2': { body: { is_compatible: true } },
      'POST /compatibility/subjects/new-value/versions/latest': {
        status: 404,
        body: { error_code: 40401, message: "Subject 'new-value' not found." },
      },
      'POST /compatibility/subjects/new-value/versions/1': {
        status: 404,
        body: { error_code: 40401, message: "Subject 'new-value' not found." },
      },
    });
    const env = { MESHGATE_REGISTRY_URL: registry.url };
    const pinned = await check(['--subject', 'orders-value', '--file', 'schemas/order.json', '--version', '2'], env);
    expect(pinned.code).toBe(0);
    expect(pinned.out).toContain('can replace version 2 of orders-value');

    const fresh = await check(['--subject', 'new-value', '--file', 'schemas/order.json', '--version', 'latest'], env);
    expect(fresh).toMatchObject({ code: 0, out: 'compatible: new-value has no versions yet; nothing to break\n' });

    const missingVersion = await check(
      ['--subject', 'new-value', '--file', 'schemas/order.json', '--version', '1'],
      env,
    );
    expect(missingVersion).toMatchObject({
      code: 2,
      err: "meshgate: registry: Subject 'new-value' not found. (error 40401)\n",
    });
  });

  it('sends the credentials from flags or the environment, and the references', async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders-value/versions': { body: { is_compatible: true } },
    });
    await dir.write('refs.json', JSON.stringify([{ name: 'money.json', subject: 'money-value', version: 2 }]));
    const base = ['--subject', 'orders-value', '--file', 'schemas/order.json', '--registry', registry.url];
    await check([...base, '--references', 'refs.json'], { MESHGATE_TOKEN: 'from-env' });
    await check([...base, '--user', 'key:secret'], { MESHGATE_TOKEN: 'from-env' });
    const posts = registry.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.headers.authorization)).toEqual([
      'Bearer from-env',
      `Basic ${Buffer.from('key:secret').toString('base64')}`,
    ]);
    expect(posts[0]?.body).toEqual({
      schema: orderSchema,
      schemaType: 'JSON',
      references: [{ name: 'money.json', subject: 'money-value', version: 2 }],
    });
  });

  it('exits 2 with one line naming what to fix when the registry cannot be reached', async () => {
    const url = await unusedUrl();
    const result = await check(['--subject', 'orders-value', '--file', 'schemas/order.json'], {
      MESHGATE_REGISTRY_URL: url,
    });
    expect(result).toEqual({
      code: 2,
      out: '',
      err: `meshgate: cannot reach the registry at ${url} (ECONNREFUSED); set --registry or MESHGATE_REGISTRY_URL\n`,
    });
  });

  it('exits 2 when the registry rejects the schema as invalid', async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders-value/versions': {
        status: 422,
        body: { error_code: 42201, message: 'Invalid schema: unexpected token' },
      },
    });
    const result = await check([
      '--subject',
      'orders-value',
      '--file',
      'schemas/order.json',
      '--registry',
      registry.url,
    ]);
    expect(result).toMatchObject({
      code: 2,
      err: 'meshgate: registry: Invalid schema: unexpected token (error 42201)\n',
    });
  });
});

describe('meshgate schema check: usage errors exit 2', () => {
  const cases: Array<[string, string[], string]> = [
    ['no --file', ['--subject', 's'], "error: required option '--file <file>' not specified"],
    ['online without --subject', ['--file', 'schemas/order.json'], 'meshgate: --subject is required'],
    ['an unknown option', ['--file', 'schemas/order.json', '--bogus'], "error: unknown option '--bogus'"],
    ['a bad --format', ['--file', 'x.json', '--format', 'xml'], "argument 'xml' is invalid"],
    ['a bad --type', ['--file', 'x.json', '--type', 'xsd'], "argument 'xsd' is invalid"],
    [
      '--level online',
      ['--subject', 's', '--file', 'schemas/order.json', '--level', 'FULL'],
      "meshgate: --level applies to offline checks (--against); the registry uses the subject's configured level",
    ],
    [
      '--lenient online',
      ['--subject', 's', '--file', 'schemas/order.json', '--lenient'],
      'meshgate: --lenient applies to offline checks',
    ],
    [
      '--version with --against',
      ['--file', 'schemas/order.json', '--against', 'HEAD', '--version', '2'],
      'meshgate: --version applies to registry checks; drop it, or drop --against',
    ],
    [
      'a bad --version',
      ['--subject', 's', '--file', 'schemas/order.json', '--version', 'newest'],
      "meshgate: --version 'newest' must be 'latest' or a positive integer",
    ],
    [
      'an unknown extension',
      ['--subject', 's', '--file', 'schemas/order.xsd'],
      'meshgate: cannot tell the schema type of schemas/order.xsd from its extension',
    ],
    [
      'a missing file',
      ['--subject', 's', '--file', 'schemas/missing.json', '--registry', 'http://127.0.0.1:1/registry'],
      'meshgate: --file schemas/missing.json: cannot read the file (ENOENT); check the path',
    ],
    [
      'a registry URL that is not http',
      ['--subject', 's', '--file', 'schemas/order.json', '--registry', 'ftp://host/registry'],
      "meshgate: --registry 'ftp://host/registry' must be an http:// or https:// URL",
    ],
    [
      'a bad --timeout',
      ['--subject', 's', '--file', 'schemas/order.json', '--timeout', '0'],
      "meshgate: --timeout '0' must be a positive number of seconds",
    ],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await check(args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
  });

  it('exits 2 on a malformed environment variable, naming it', async () => {
    const result = await check(['--subject', 's', '--file', 'schemas/order.json'], {
      MESHGATE_REGISTRY_URL: 'not a url',
    });
    expect(result).toMatchObject({
      code: 2,
      err: "meshgate: MESHGATE_REGISTRY_URL 'not a url' is not a URL; use e.g. http://127.0.0.1:4000/registry\n",
    });
  });
});
