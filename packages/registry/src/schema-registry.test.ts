import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { SchemaRegistry } from './schema-registry';

let db: TestDatabase;
let prisma: PrismaClient;
let registry: SchemaRegistry;

const schemaOf = (properties: Record<string, unknown>) => ({
  schemaType: 'JSON',
  schema: JSON.stringify({ type: 'object', properties }),
});

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  registry = new SchemaRegistry(prisma);
});

afterAll(async () => {
  registry?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

describe('latestOrUndefined', () => {
  it('is undefined for an unknown subject, where latest() throws SUBJECT_NOT_FOUND', async () => {
    await expect(registry.latestOrUndefined('unknown-value')).resolves.toBeUndefined();
    // Asked twice: the second answer comes from the cache of subjects without a version.
    await expect(registry.latestOrUndefined('unknown-value')).resolves.toBeUndefined();
    await expect(registry.latest('unknown-value')).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
  });

  it('is the latest live version, as latest() answers, and undefined again once the subject is deleted', async () => {
    const subject = 'orders-value';
    await expect(registry.latestOrUndefined(subject)).resolves.toBeUndefined();
    await registry.register(subject, schemaOf({ orderId: { type: 'string' } }));
    const second = await registry.register(subject, schemaOf({ orderId: { type: 'string' }, note: {} }));

    const latest = await registry.latestOrUndefined(subject);
    expect(latest).toMatchObject({ subject, version: second.version, id: second.id });
    expect(latest).toEqual(await registry.latest(subject));

    await registry.deleteSubject(subject);
    await expect(registry.latestOrUndefined(subject)).resolves.toBeUndefined();
    await expect(registry.latest(subject)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
  });
});
