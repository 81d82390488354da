import { MeshgateError } from '@meshgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from './registry-client';
import { startFakeRegistry, unusedUrl, type FakeRegistry } from './testing/fake-registry';

let registry: FakeRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function failure(promise: Promise<unknown>): Promise<MeshgateError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MeshgateError);
  return error as MeshgateError;
}

describe('RegistryClient', () => {
  it("speaks Confluent's API: paths, content type, verbose compatibility checks", async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/orders value/versions': { body: { is_compatible: true } },
      'POST /subjects/orders value/versions': { body: { id: 7 } },
      'GET /subjects/orders value/versions/latest': {
        body: { subject: 'orders value', version: 2, id: 7, schema: '{}', schemaType: 'JSON' },
      },
      'GET /schemas/ids/7': { body: { schema: '{"type":"string"}' } },
      'GET /config/orders value': { body: { compatibilityLevel: 'FULL' } },
    });
    const client = new RegistryClient({ baseUrl: `${registry.url}/` });
    const payload = { schema: '{}', schemaType: 'JSON' as const };

    expect(await client.checkCompatibility('orders value', payload)).toEqual({ is_compatible: true });
    expect(await client.register('orders value', payload, { normalize: true })).toEqual({ id: 7 });
    expect((await client.getVersion('orders value', 'latest')).version).toBe(2);
    expect(await client.getSchemaById(7)).toEqual({ schema: '{"type":"string"}' });
    expect(await client.getCompatibilityLevel('orders value')).toEqual({ compatibilityLevel: 'FULL' });

    const [check, register] = registry.requests;
    expect(check?.url).toBe('/compatibility/subjects/orders%20value/versions?verbose=true');
    expect(check?.headers['content-type']).toBe('application/vnd.schemaregistry.v1+json');
    expect(check?.body).toEqual(payload);
    expect(register?.url).toBe('/subjects/orders%20value/versions?normalize=true');
    expect(registry.requests.map((request) => request.url).slice(2)).toEqual([
      '/subjects/orders%20value/versions/latest',
      '/schemas/ids/7',
      '/config/orders%20value?defaultToGlobal=true',
    ]);
    expect(check?.headers.authorization).toBeUndefined();
  });

  it('checks against one version when asked', async () => {
    registry = await startFakeRegistry({
      'POST /compatibility/subjects/s/versions/3': { body: { is_compatible: false, messages: ['x'] } },
    });
    const client = new RegistryClient({ baseUrl: registry.url });
    const answer = await client.checkCompatibility('s', { schema: '{}', schemaType: 'JSON' }, 3);
    expect(answer).toEqual({ is_compatible: false, messages: ['x'] });
    expect(registry.requests[0]?.url).toBe('/compatibility/subjects/s/versions/3?verbose=true');
  });

  it('sends a bearer token, or HTTP Basic credentials, the token winning', async () => {
    registry = await startFakeRegistry({ 'GET /schemas/ids/1': { body: { schema: '{}' } } });
    await new RegistryClient({ baseUrl: registry.url, token: 'tok' }).getSchemaById(1);
    await new RegistryClient({ baseUrl: registry.url, user: 'key:secret' }).getSchemaById(1);
    await new RegistryClient({ baseUrl: registry.url, token: 'tok', user: 'key:secret' }).getSchemaById(1);
    expect(registry.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer tok',
      `Basic ${Buffer.from('key:secret').toString('base64')}`,
      'Bearer tok',
    ]);
  });

  it('maps Confluent error codes to Meshgate errors that keep the message', async () => {
    registry = await startFakeRegistry({
      'GET /subjects/missing/versions/latest': {
        status: 404,
        body: { error_code: 40401, message: "Subject 'missing' not found." },
      },
      'GET /subjects/s/versions/9': { status: 404, body: { error_code: 40402, message: 'Version 9 not found.' } },
      'GET /schemas/ids/5': { status: 404, body: { error_code: 40403, message: 'Schema 5 not found' } },
      'POST /subjects/s/versions': {
        status: 409,
        body: { error_code: 409, message: 'Schema being registered is incompatible' },
      },
      'POST /compatibility/subjects/s/versions': {
        status: 422,
        body: { error_code: 42201, message: 'Invalid schema' },
      },
      'GET /config/s': { status: 500, body: { error_code: 50001, message: 'Error in the backend datastore' } },
    });
    const client = new RegistryClient({ baseUrl: registry.url });
    const payload = { schema: '{', schemaType: 'JSON' as const };

    const notFound = await failure(client.getVersion('missing', 'latest'));
    expect(notFound.code).toBe('SUBJECT_NOT_FOUND');
    expect(notFound.message).toBe("registry: Subject 'missing' not found. (error 40401)");
    expect((await failure(client.getVersion('s', 9))).code).toBe('VERSION_NOT_FOUND');
    expect((await failure(client.getSchemaById(5))).code).toBe('SCHEMA_ID_NOT_FOUND');
    expect((await failure(client.register('s', payload))).code).toBe('CONFLICT');
    const invalid = await failure(client.checkCompatibility('s', payload));
    expect(invalid.code).toBe('INVALID_SCHEMA');
    expect(invalid.details).toEqual({ status: 422, errorCode: 42201 });
    expect((await failure(client.getCompatibilityLevel('s'))).code).toBe('INTERNAL');
  });

  it('says what to fix for missing credentials and for a URL that is not a registry', async () => {
    registry = await startFakeRegistry({
      'GET /schemas/ids/1': { status: 401, body: { error_code: 40101, message: 'Unauthorized' } },
      'GET /schemas/ids/2': { status: 200, body: '<html>portal</html>', contentType: 'text/html' },
      'GET /schemas/ids/3': { status: 404, body: 'Not Found', contentType: 'text/plain' },
    });
    const client = new RegistryClient({ baseUrl: registry.url });
    const unauthenticated = await failure(client.getSchemaById(1));
    expect(unauthenticated.code).toBe('UNAUTHENTICATED');
    expect(unauthenticated.message).toContain('set --token/MESHGATE_TOKEN or --user/MESHGATE_USER');
    expect((await failure(client.getSchemaById(2))).message).toContain('did not answer GET /schemas/ids/2 with JSON');
    const notFound = await failure(client.getSchemaById(3));
    expect(notFound.code).toBe('NOT_FOUND');
    expect(notFound.message).toBe('registry: HTTP 404: Not Found; check --registry (it should end in /registry)');
  });

  it('names the URL and the reason when the registry cannot be reached', async () => {
    const url = await unusedUrl();
    const error = await failure(new RegistryClient({ baseUrl: url }).getSchemaById(1));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe(
      `cannot reach the registry at ${url} (ECONNREFUSED); set --registry or MESHGATE_REGISTRY_URL`,
    );
  });

  it('gives up after the timeout', async () => {
    registry = await startFakeRegistry({ 'GET /schemas/ids/1': { body: { schema: '{}' }, delayMs: 2_000 } });
    const error = await failure(new RegistryClient({ baseUrl: registry.url, timeoutMs: 100 }).getSchemaById(1));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe(
      `the registry at ${registry.url} did not answer within 0.1s; check --registry or raise --timeout`,
    );
  });
});
