import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestGateway, uniqueName, type TestGateway } from './harness';

describe('bad input gets a clear 4xx with a stable code and writes nothing', () => {
  let gw: TestGateway;
  let eventType: string;

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { bodyLimit: 2048 });
    eventType = uniqueName('bad.input');
    await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, { summary: 's', owner: 'o' });
    await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: JSON.stringify({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }),
      schemaType: 'JSON',
    });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const offsets = () => gw.gateway.runtime.services().eventLog.offsets(eventType);

  it('malformed JSON → 400 INVALID_JSON', async () => {
    const before = await offsets();
    const res = await request(gw.url, 'POST', `/v1/events/${eventType}`, '{"id": ', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_JSON');
    expect(await offsets()).toEqual(before);
  });

  it('empty body → 400 INVALID_JSON', async () => {
    const res = await request(gw.url, 'POST', `/v1/events/${eventType}`, '', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_JSON');
  });

  it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await request(gw.url, 'POST', `/v1/events/${eventType}`, 'id=1', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('oversized body → 413 PAYLOAD_TOO_LARGE', async () => {
    const before = await offsets();
    const res = await request(gw.url, 'POST', `/v1/events/${eventType}`, { id: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await offsets()).toEqual(before);
  });

  it('unknown event type → 404 EVENT_TYPE_NOT_FOUND, for produce and stream', async () => {
    const produce = await request(gw.url, 'POST', '/v1/events/no.such.type', { id: '1' });
    expect(produce.status).toBe(404);
    expect(produce.body.code).toBe('EVENT_TYPE_NOT_FOUND');
    const stream = await request(gw.url, 'GET', '/v1/events/no.such.type/stream');
    expect(stream.status).toBe(404);
    expect(stream.body.code).toBe('EVENT_TYPE_NOT_FOUND');
  });

  it('event type without a schema → 404 SCHEMA_NOT_FOUND', async () => {
    const name = uniqueName('no.schema');
    await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o' });
    const res = await request(gw.url, 'POST', `/v1/events/${name}`, { id: '1' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SCHEMA_NOT_FOUND');
  });

  it('a malformed cursor → 400 INVALID_CURSOR before the stream opens', async () => {
    const res = await request(gw.url, 'GET', `/v1/events/${eventType}/stream?after=bogus!`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('event type with wrong field types or unknown fields → 400 INVALID_REQUEST, nothing written', async () => {
    const name = uniqueName('typed');
    const wrongType = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 5, owner: 'o' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe('INVALID_REQUEST');
    const unknownField = await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, {
      summary: 's',
      owner: 'o',
      colour: 'red',
    });
    expect(unknownField.status).toBe(400);
    const badName = await request(gw.url, 'PUT', `/v1/catalog/event-types/${encodeURIComponent('bad name!')}`, {
      summary: 's',
      owner: 'o',
    });
    expect(badName.status).toBe(400);
    expect((await request(gw.url, 'GET', `/v1/catalog/event-types/${name}`)).status).toBe(404);
  });

  it('an invalid schema → 422 with Confluent error code 42201', async () => {
    const notJson = await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: '{not json',
      schemaType: 'JSON',
    });
    expect(notJson.status).toBe(422);
    expect(notJson.body).toMatchObject({ error_code: 42201, message: expect.stringMatching(/invalid .*schema/i) });
    const badKeyword = await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: JSON.stringify({ type: 'not-a-type' }),
      schemaType: 'JSON',
    });
    expect(badKeyword.status).toBe(422);
    expect(badKeyword.body.error_code).toBe(42201);
  });

  it('registry lookups of missing things use Confluent codes', async () => {
    expect((await request(gw.url, 'GET', '/registry/subjects/nope/versions/latest')).body.error_code).toBe(40401);
    expect((await request(gw.url, 'GET', `/registry/subjects/${eventType}-value/versions/99`)).body.error_code).toBe(
      40402,
    );
    expect((await request(gw.url, 'GET', '/registry/schemas/ids/999999')).body.error_code).toBe(40403);
    expect((await request(gw.url, 'GET', `/registry/subjects/${eventType}-value/versions/zero`)).body.error_code).toBe(
      42202,
    );
  });

  it('unknown route → 404 NOT_FOUND in JSON', async () => {
    const res = await request(gw.url, 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
