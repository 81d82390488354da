import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypeCatalog } from '@meshgate/catalog';
import { createPrismaClient, type PrismaClient } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { SchemaRegistry, ValidatorCache } from '@meshgate/registry';
import { decodeRecordValue, type CheckableRecord, type RecordVerdict } from '@meshgate/streaming';
import { RecordValidator } from '../src/services/validate-records';
import { uniqueName } from './harness';

// The gateway's record check on a real PostgreSQL, with no change feed: its caches are never
// dropped by a notification, as on an instance whose notification has not arrived yet. It must
// still honour schema versions registered after it cached the subject.
describe('RecordValidator against the real registry and catalog', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let catalog: EventTypeCatalog;
  let registry: SchemaRegistry;
  let clock = 1_000_000;
  let validator: RecordValidator;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    catalog = new EventTypeCatalog(prisma);
    registry = new SchemaRegistry(prisma);
    validator = new RecordValidator({
      catalog,
      registry,
      validators: new ValidatorCache(),
      recheckAfterMs: 200,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  const record = (data: unknown, headers: Record<string, string> = {}): CheckableRecord => ({
    headers,
    value: decodeRecordValue(Buffer.from(JSON.stringify(data)), headers),
  });
  const check = async (topic: string, records: CheckableRecord[]): Promise<readonly RecordVerdict[]> =>
    validator.check(topic, records);
  const closed = (required: string[], properties: Record<string, unknown>) =>
    JSON.stringify({ type: 'object', required, properties, additionalProperties: false });

  it('answers from its caches synchronously once warm, and follows versions registered since', async () => {
    const name = uniqueName('validator');
    const subject = `${name}-value`;
    await catalog.put(name, { summary: 's', owner: 'o' });
    await registry.setConfig(subject, { compatibility: 'NONE' });
    const v1 = await registry.register(subject, {
      schemaType: 'JSON',
      schema: closed(['id'], { id: { type: 'string' } }),
    });

    const cold = validator.check(name, [record({ id: 'a' })]);
    expect(cold).toBeInstanceOf(Promise);
    expect(await cold).toEqual([{ valid: true, eventType: name, schemaId: v1.id }]);
    const warm = validator.check(name, [record({ id: 'b' }), record({ id: 1 })]);
    expect(Array.isArray(warm)).toBe(true);
    expect(warm).toMatchObject([{ valid: true }, { valid: false, reason: 'SCHEMA_MISMATCH', schemaId: v1.id }]);

    // v2 allows a note. A record naming v2's id is honoured at once: an id first seen after the
    // subject was cached makes the check read the subject again.
    const v2 = await registry.register(subject, {
      schemaType: 'JSON',
      schema: closed(['id'], { id: { type: 'string' }, note: { type: 'string' } }),
    });
    expect(await check(name, [record({ id: 'c', note: 'n' }, { 'meshgate-schema-id': String(v2.id) })])).toEqual([
      { valid: true, eventType: name, schemaId: v2.id },
    ]);

    // v3 allows a tag. A record naming no id that only v3 accepts is confirmed against a fresh
    // read once the cached subject is older than recheckAfterMs.
    const v3 = await registry.register(subject, {
      schemaType: 'JSON',
      schema: closed(['id'], { id: { type: 'string' }, tag: { type: 'string' } }),
    });
    expect(await check(name, [record({ id: 'd', tag: 't' })])).toMatchObject([
      { valid: false, reason: 'SCHEMA_MISMATCH' },
    ]);
    clock += 300;
    expect(await check(name, [record({ id: 'd', tag: 't' })])).toEqual([
      { valid: true, eventType: name, schemaId: v3.id },
    ]);
    // Newest first: a record every version accepts is credited to the newest.
    expect(await check(name, [record({ id: 'e' })])).toEqual([{ valid: true, eventType: name, schemaId: v3.id }]);
  });

  it('tells records of another subject and unknown ids apart, and leaves topics no event type uses alone', async () => {
    const name = uniqueName('validator');
    const other = uniqueName('other');
    await catalog.put(name, { summary: 's', owner: 'o' });
    await registry.register(`${name}-value`, { schemaType: 'JSON', schema: '{"type":"object"}' });
    const foreign = await registry.register(`${other}-value`, { schemaType: 'JSON', schema: '{"type":"array"}' });
    expect(
      await check(name, [
        record({}, { 'meshgate-schema-id': String(foreign.id) }),
        record({}, { 'meshgate-schema-id': '999999' }),
      ]),
    ).toMatchObject([
      { valid: false, reason: 'SCHEMA_OF_ANOTHER_SUBJECT', schemaId: foreign.id },
      { valid: false, reason: 'UNKNOWN_SCHEMA_ID', schemaId: 999_999 },
    ]);
    expect(await check(uniqueName('not-in-catalog'), [record([1, 2])])).toEqual([{ valid: true }]);
  });

  it('rejects records naming no schema while the subject has none', async () => {
    const name = uniqueName('validator');
    await catalog.put(name, { summary: 's', owner: 'o' });
    expect(await check(name, [record({ any: 1 })])).toMatchObject([
      { valid: false, reason: 'SCHEMA_NOT_FOUND', eventType: name },
    ]);
  });
});
