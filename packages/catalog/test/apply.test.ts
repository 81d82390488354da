import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed, createPrismaClient, type PrismaClient } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { SchemaRegistry, ValidatorCache } from '@meshgate/registry';
import { applyCatalogDocument, type ApplyDependencies } from '../src/apply';
import { recordSchemaChange } from '../src/change-history';
import { parseCatalogDocument } from '../src/document';
import { EventTypeCatalog } from '../src/event-types';

let db: TestDatabase;
let prisma: PrismaClient;
let feed: ChangeFeed;
let deps: ApplyDependencies;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  feed = new ChangeFeed({ databaseUrl: db.url, origin: 'test' });
  await feed.start();
  const registry = new SchemaRegistry(prisma, { changeFeed: feed, onChange: recordSchemaChange });
  const validators = new ValidatorCache();
  deps = {
    prisma,
    registry,
    validators,
    changeFeed: feed,
    catalog: new EventTypeCatalog(prisma, { changeFeed: feed, schemas: { registry, validators } }),
  };
});

afterAll(async () => {
  deps?.catalog?.close();
  deps?.registry.close();
  await feed?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const catalogYaml = `
apiVersion: meshgate/v1
domains:
  - name: orders
    displayName: Orders
    summary: Order lifecycle events
    description: |
      # Orders
      Everything about **orders**.
    owner: team-orders
services:
  - name: order-service
    displayName: Order service
    domain: orders
    owner: team-orders
    repository: https://git.example/order-service
    produces: [orders.order-created]
eventTypes:
  - name: orders.order-created
    summary: A customer placed an order
    owner: team-orders
    version: 1.2.0
    tags: [orders, checkout]
    partitions: 2
    keyPath: /orderId
    examples:
      - name: small order
        payload: { orderId: o-1, total: 12.5 }
    schema:
      type: JSON
      definition:
        type: object
        additionalProperties: false
        required: [orderId]
        properties:
          orderId: { type: string }
          total: { type: number }
`;

const counts = async () => ({
  domains: await prisma.domain.count(),
  services: await prisma.catalogService.count(),
  eventTypes: await prisma.eventType.count(),
  versions: await prisma.subjectVersion.count(),
  changes: await prisma.catalogChange.count(),
});

describe('parseCatalogDocument', () => {
  it('reads YAML and JSON', () => {
    const document = parseCatalogDocument(catalogYaml);
    expect(document.eventTypes?.[0]?.schema?.definition).toMatchObject({ required: ['orderId'] });
    expect(parseCatalogDocument(JSON.stringify(document))).toEqual(document);
    expect(parseCatalogDocument(document)).toEqual(document);
  });

  it('names every problem with a JSON pointer and, for text, a line', () => {
    const broken = catalogYaml
      .replace('tags: [orders, checkout]', 'tags: [Orders]')
      .replace('owner: team-orders\nservices', 'ownr: x\nservices');
    const error = (() => {
      try {
        parseCatalogDocument(broken);
      } catch (caught) {
        return caught as {
          code: string;
          status: number;
          message: string;
          details: { errors: { path: string; line?: number }[] };
        };
      }
      throw new Error('expected an error');
    })();
    expect(error).toMatchObject({ code: 'INVALID_CATALOG_DOCUMENT', status: 400 });
    const paths = error.details.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/domains/0', '/eventTypes/0/tags/0']));
    const tag = error.details.errors.find((e) => e.path === '/eventTypes/0/tags/0')!;
    expect(tag.line).toBe(broken.split('\n').findIndex((line) => line.includes('[Orders]')) + 1);
  });

  it('refuses bad syntax, another apiVersion, duplicates and two schemas for one subject', () => {
    expect(() => parseCatalogDocument('apiVersion: [')).toThrow(
      expect.objectContaining({ code: 'INVALID_CATALOG_DOCUMENT' }),
    );
    expect(() => parseCatalogDocument({ apiVersion: 'v2' })).toThrow(/apiVersion/);
    expect(() => parseCatalogDocument('apiVersion: meshgate/v1\na: 1\na: 2')).toThrow(/INVALID|unique|key/i);
    expect(() =>
      parseCatalogDocument({
        apiVersion: 'meshgate/v1',
        domains: [
          { name: 'a', owner: 't' },
          { name: 'a', owner: 't' },
        ],
      }),
    ).toThrow(/listed twice/);
    const schema = { type: 'JSON', definition: { type: 'object' } };
    expect(() =>
      parseCatalogDocument({
        apiVersion: 'meshgate/v1',
        eventTypes: [
          { name: 'a.b', summary: 's', owner: 't', subject: 'shared', schema },
          { name: 'a.c', summary: 's', owner: 't', subject: 'shared', schema },
        ],
      }),
    ).toThrow(/already gets a schema/);
  });
});

describe('applyCatalogDocument', () => {
  it('dry-runs without writing, applies all of it, and is idempotent', async () => {
    const empty = await counts();
    const plan = await applyCatalogDocument(deps, catalogYaml, { dryRun: true });
    expect(plan.dryRun).toBe(true);
    expect(plan.changes.map((c) => [c.kind, c.name, c.action])).toEqual([
      ['domain', 'orders', 'create'],
      ['event-type', 'orders.order-created', 'create'],
      ['schema', 'orders.order-created-value', 'create'],
      ['service', 'order-service', 'create'],
    ]);
    expect(await counts()).toEqual(empty);

    const topics: { name: string; partitions: number }[] = [];
    const applied = await applyCatalogDocument(deps, catalogYaml, {
      actor: { kind: 'user', id: 'u-1', name: 'ci' },
      ensureTopics: async (wanted) => void topics.push(...wanted),
    });
    expect(applied.changes.map((c) => c.action)).toEqual(['create', 'create', 'create', 'create']);
    expect(topics).toEqual([{ name: 'orders.order-created', partitions: 2 }]);
    const eventType = await deps.catalog!.getWithLineage('orders.order-created');
    expect(eventType).toMatchObject({
      version: '1.2.0',
      tags: ['orders', 'checkout'],
      keyPath: '/orderId',
      producers: ['order-service'],
    });
    expect((await deps.registry.latest('orders.order-created-value')).version).toBe(1);
    const schemaRow = await prisma.catalogChange.findFirst({ where: { entityKind: 'schema' } });
    expect(schemaRow).toMatchObject({
      action: 'registered',
      actorName: 'ci',
      after: expect.objectContaining({ eventTypes: ['orders.order-created'] }),
    });

    const afterFirst = await counts();
    const again = await applyCatalogDocument(deps, catalogYaml);
    expect(again.changes.every((c) => c.action === 'unchanged' && c.diff.length === 0)).toBe(true);
    expect(await counts()).toEqual(afterFirst);
  });

  it('reports field diffs of updates and a new schema version', async () => {
    const changed = catalogYaml
      .replace('summary: A customer placed an order', 'summary: A customer placed an order (v2)')
      .replace('total: { type: number }', 'total: { type: number }\n          currency: { type: string }');
    const result = await applyCatalogDocument(deps, changed);
    expect(result.changes.find((c) => c.kind === 'event-type')).toEqual({
      kind: 'event-type',
      name: 'orders.order-created',
      action: 'update',
      diff: [{ path: '/summary', before: 'A customer placed an order', after: 'A customer placed an order (v2)' }],
    });
    expect(result.changes.find((c) => c.kind === 'schema')).toEqual({
      kind: 'schema',
      name: 'orders.order-created-value',
      action: 'update',
      diff: [{ path: '/version', before: 1, after: 2 }],
    });
  });

  it('is all or nothing: a bad entry anywhere leaves everything as it was', async () => {
    const before = await counts();
    const withBadExample = catalogYaml
      .replace('name: orders\n', 'name: orders-new\n')
      .replace('payload: { orderId: o-1, total: 12.5 }', 'payload: { orderId: 7 }');
    await expect(applyCatalogDocument(deps, withBadExample)).rejects.toMatchObject({
      code: 'INVALID_EXAMPLE',
      details: { index: 0, pointer: '/orderId', documentPath: '/eventTypes/0' },
    });
    const incompatible = catalogYaml
      .replace('name: orders\n', 'name: orders-new\n')
      .replace('orderId: { type: string }', 'orderId: { type: integer }')
      .replace('payload: { orderId: o-1, total: 12.5 }', 'payload: { orderId: 1 }');
    await expect(applyCatalogDocument(deps, incompatible)).rejects.toMatchObject({
      code: 'INCOMPATIBLE_SCHEMA',
      details: { documentPath: '/eventTypes/0/schema' },
    });
    await expect(
      applyCatalogDocument(deps, catalogYaml.replace('keyPath: /orderId', 'keyPath: /orderId\n    lifecycle: draft')),
    ).rejects.toMatchObject({ code: 'INVALID_LIFECYCLE_TRANSITION' });
    await expect(
      applyCatalogDocument(deps, catalogYaml, {
        authorize: async (target) => {
          if (target.kind === 'service') throw Object.assign(new Error('no'), { code: 'FORBIDDEN' });
        },
      }),
    ).rejects.toThrow('no');
    expect(await counts()).toEqual(before);
  });

  it('creates topics only for new event types, and rolls back when that fails', async () => {
    const before = await counts();
    const extra = `${catalogYaml}  - name: orders.order-cancelled\n    summary: Cancelled\n    owner: team-orders\n`;
    await expect(
      applyCatalogDocument(deps, extra, {
        ensureTopics: async (topics) => {
          expect(topics).toEqual([{ name: 'orders.order-cancelled', partitions: 3 }]);
          throw new Error('broker down');
        },
      }),
    ).rejects.toThrow('broker down');
    expect(await counts()).toEqual(before);
  });

  it('prunes what the document no longer lists', async () => {
    await applyCatalogDocument(deps, {
      apiVersion: 'meshgate/v1',
      domains: [{ name: 'legacy', owner: 't' }],
      eventTypes: [{ name: 'legacy.thing-happened', summary: 's', owner: 't' }],
      services: [{ name: 'legacy-service', owner: 't', domain: 'legacy', consumes: ['legacy.thing-happened'] }],
    });
    const kept = parseCatalogDocument(catalogYaml);
    const plan = await applyCatalogDocument(deps, kept, { prune: true, dryRun: true });
    expect(plan.changes.filter((c) => c.action === 'delete').map((c) => [c.kind, c.name])).toEqual([
      ['service', 'legacy-service'],
      ['event-type', 'legacy.thing-happened'],
      ['domain', 'legacy'],
    ]);
    const deleted = plan.changes.find((c) => c.kind === 'service' && c.action === 'delete')!;
    expect(deleted.diff).toContainEqual({ path: '/consumes', before: ['legacy.thing-happened'], after: null });
    await applyCatalogDocument(deps, kept, { prune: true });
    expect(await prisma.domain.findUnique({ where: { name: 'legacy' } })).toBeNull();
    expect(await prisma.eventType.findUnique({ where: { name: 'legacy.thing-happened' } })).toBeNull();
    expect(await prisma.eventType.findUnique({ where: { name: 'orders.order-created' } })).not.toBeNull();
  });
});
