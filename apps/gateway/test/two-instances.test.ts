import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { createGateway, type Gateway } from '../src/app';
import { createLogger } from '../src/logger';
import { TEST_TOKEN, request, uniqueName, waitFor } from './harness';

// Two gateway instances share one PostgreSQL: a change made through one is seen by the other
// within a second, through PostgreSQL notifications (no polling, no restart).
describe('two gateway instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  let a: Gateway;
  let b: Gateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-two-'));
    const start = () =>
      createGateway({
        port: 0,
        dataDir: dir,
        databaseUrl: db.url,
        seedDemo: false,
        logger: createLogger('silent', false),
        access: { bootstrapToken: TEST_TOKEN },
      });
    [a, b] = await Promise.all([start(), start()]);
    await Promise.all([a.runtime.ready(), b.runtime.ready()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sees a new schema version and a config change made through the other instance within a second', async () => {
    const name = uniqueName('shared');
    expect((await request(a.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o' })).status).toBe(
      201,
    );
    const v1 = { type: 'object', properties: { id: { type: 'string' } } };
    await request(a.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schema: JSON.stringify(v1),
      schemaType: 'JSON',
    });
    // B reads (and caches) v1.
    expect((await request(b.url, 'POST', `/v1/events/${name}`, { id: 'x' })).status).toBe(202);
    expect((await request(b.url, 'GET', `/registry/subjects/${name}-value/versions/latest`)).body.version).toBe(1);
    expect(
      (await request(b.url, 'GET', `/registry/config/${name}-value?defaultToGlobal=true`)).body.compatibilityLevel,
    ).toBe('BACKWARD');

    // Through A: allow anything, then require a new field.
    await request(a.url, 'PUT', `/registry/config/${name}-value`, { compatibility: 'NONE' });
    const v2 = {
      type: 'object',
      required: ['id', 'amount'],
      properties: { id: { type: 'string' }, amount: { type: 'number' } },
    };
    const changedAt = Date.now();
    await request(a.url, 'POST', `/registry/subjects/${name}-value/versions`, {
      schema: JSON.stringify(v2),
      schemaType: 'JSON',
    });

    await waitFor(
      async () =>
        (await request(b.url, 'GET', `/registry/subjects/${name}-value/versions/latest`)).body.version === 2
          ? true
          : undefined,
      1000,
      'instance B to see version 2',
    );
    const rejected = await request(b.url, 'POST', `/v1/events/${name}`, { id: 'x' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.details.errors).toEqual([expect.objectContaining({ path: '/amount', rule: 'required' })]);
    expect(Date.now() - changedAt).toBeLessThan(1000);
    expect((await request(b.url, 'GET', `/registry/config/${name}-value`)).body.compatibilityLevel).toBe('NONE');
  });

  it('sees an event type deleted through the other instance within a second', async () => {
    const name = uniqueName('gone');
    await request(a.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o' });
    await request(a.url, 'POST', `/registry/subjects/${name}-value/versions`, { schema: '{}', schemaType: 'JSON' });
    expect((await request(b.url, 'POST', `/v1/events/${name}`, { any: 1 })).status).toBe(202);
    await request(a.url, 'DELETE', `/v1/catalog/event-types/${name}`);
    await waitFor(
      async () => ((await request(b.url, 'POST', `/v1/events/${name}`, { any: 1 })).status === 404 ? true : undefined),
      1000,
      'instance B to forget the event type',
    );
  });
});
