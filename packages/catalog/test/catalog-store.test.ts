import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeActor } from '@meshgate/core';
import { ChangeFeed, createPrismaClient, type PrismaClient } from '@meshgate/db';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { SchemaRegistry, ValidatorCache } from '@meshgate/registry';
import { ChangeHistory, recordSchemaChange } from '../src/change-history';
import { DomainCatalog } from '../src/domains';
import { EventTypeCatalog } from '../src/event-types';
import { ServiceCatalog } from '../src/services';

let db: TestDatabase;
let prisma: PrismaClient;
let feed: ChangeFeed;
let registry: SchemaRegistry;
let eventTypes: EventTypeCatalog;
let domains: DomainCatalog;
let services: ServiceCatalog;
let history: ChangeHistory;

const alice: ChangeActor = { kind: 'user', id: 'u-1', name: 'alice@example.com' };
const orderSchema = JSON.stringify({
  type: 'object',
  required: ['orderId'],
  properties: { orderId: { type: 'string' }, total: { type: 'number' } },
});

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  feed = new ChangeFeed({ databaseUrl: db.url, origin: 'test' });
  await feed.start();
  registry = new SchemaRegistry(prisma, { changeFeed: feed, onChange: recordSchemaChange });
  eventTypes = new EventTypeCatalog(prisma, {
    changeFeed: feed,
    schemas: { registry, validators: new ValidatorCache() },
  });
  domains = new DomainCatalog(prisma, { changeFeed: feed });
  services = new ServiceCatalog(prisma, { changeFeed: feed });
  history = new ChangeHistory(prisma);
});

afterAll(async () => {
  eventTypes?.close();
  registry?.close();
  await feed?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const changesOf = (entityName: string) =>
  prisma.catalogChange.findMany({ where: { entityName }, orderBy: { id: 'asc' } });

describe('event types', () => {
  it('creates with defaults, creates the domain, and records both in the history', async () => {
    const { eventType, created, changed } = await eventTypes.put(
      'shop.cart-abandoned',
      { summary: 'A cart was left', owner: 'team-shop' },
      { actor: alice },
    );
    expect(created && changed).toBe(true);
    expect(eventType).toMatchObject({
      domain: 'shop',
      version: '1.0.0',
      lifecycle: 'active',
      visibility: 'public',
      tags: [],
      schemaVersion: null,
      keyPath: null,
      examples: [],
      producers: [],
      consumers: [],
    });
    expect(await domains.get('shop')).toMatchObject({ displayName: 'shop', ownerTeam: 'team-shop' });
    expect(await changesOf('shop')).toEqual([
      expect.objectContaining({ entityKind: 'domain', action: 'created', actorId: 'u-1' }),
    ]);
    const [row] = await changesOf('shop.cart-abandoned');
    expect(row).toMatchObject({ entityKind: 'event-type', action: 'created', actorKind: 'user', before: null });
    expect(row!.after).toMatchObject({ name: 'shop.cart-abandoned', summary: 'A cart was left' });
  });

  it('writes nothing when a PUT asks for what is stored, and keeps catalog fields a PUT leaves out', async () => {
    const name = 'shop.cart-kept';
    await eventTypes.put(name, {
      summary: 's',
      owner: 'team-shop',
      tags: ['cart'],
      visibility: 'private',
      version: '2.0.0',
    });
    const again = await eventTypes.put(name, { summary: 's', owner: 'team-shop' });
    expect(again.changed).toBe(false);
    expect(again.eventType).toMatchObject({ tags: ['cart'], visibility: 'private', version: '2.0.0' });
    expect(await changesOf(name)).toHaveLength(1);
    const updated = await eventTypes.put(name, { summary: 'changed', owner: 'team-shop', keyPath: '/cartId' });
    expect(updated).toMatchObject({ changed: true, created: false });
    const rows = await changesOf(name);
    expect(rows.map((r) => r.action)).toEqual(['created', 'updated']);
    expect(rows[1]!.before).toMatchObject({ summary: 's' });
    expect(rows[1]!.after).toMatchObject({ summary: 'changed', keyPath: '/cartId', tags: ['cart'] });
  });

  it('refuses bad fields with INVALID_REQUEST and writes nothing', async () => {
    const name = 'shop.bad-fields';
    for (const input of [
      { tags: ['Not-Lower'] },
      { keyPath: 'orderId' },
      { visibility: 'secret' },
      { version: 'a b' },
      { schemaVersion: 0 },
      { lifecycle: 'gone' },
    ]) {
      await expect(eventTypes.put(name, { summary: 's', owner: 'o', ...(input as object) })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
    }
    expect(await prisma.eventType.findUnique({ where: { name } })).toBeNull();
    expect(await changesOf(name)).toHaveLength(0);
  });

  it('checks examples against the latest or pinned schema: INVALID_EXAMPLE names the example and pointer', async () => {
    const name = 'shop.order-placed';
    await eventTypes.put(name, { summary: 's', owner: 'team-shop' });
    await registry.register(`${name}-value`, { schemaType: 'JSON', schema: orderSchema });
    const error = await eventTypes
      .put(name, {
        summary: 's',
        owner: 'team-shop',
        examples: [
          { name: 'good', payload: { orderId: 'o-1' } },
          { name: 'bad', payload: { total: 'ten' } },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVALID_EXAMPLE',
      status: 400,
      details: { index: 1, name: 'bad', pointer: expect.stringMatching(/^\/(orderId|total)$/) },
    });
    expect((await eventTypes.get(name)).examples).toEqual([]);
    await expect(eventTypes.put(name, { summary: 's', owner: 'team-shop', schemaVersion: 7 })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('schemaVersion 7'),
    });
    const ok = await eventTypes.put(name, {
      summary: 's',
      owner: 'team-shop',
      schemaVersion: 1,
      examples: [{ name: 'good', summary: 'one line', payload: { orderId: 'o-1', total: 3 } }],
    });
    expect(ok.eventType).toMatchObject({
      schemaVersion: 1,
      examples: [{ name: 'good', payload: { orderId: 'o-1', total: 3 } }],
    });
  });

  it('moves through the lifecycle and refuses other transitions with 409', async () => {
    const name = 'shop.lifecycle';
    await eventTypes.put(name, { summary: 's', owner: 'o', lifecycle: 'draft' });
    await eventTypes.setLifecycle(name, 'active', null, { actor: alice });
    await expect(eventTypes.setLifecycle(name, 'retired', null)).rejects.toMatchObject({
      code: 'INVALID_LIFECYCLE_TRANSITION',
      status: 409,
    });
    await expect(eventTypes.put(name, { summary: 's', owner: 'o', lifecycle: 'draft' })).rejects.toMatchObject({
      code: 'INVALID_LIFECYCLE_TRANSITION',
    });
    const deprecated = await eventTypes.setLifecycle(name, 'deprecated', 'Use shop.lifecycle-v2 by June.');
    expect(deprecated.eventType).toMatchObject({
      lifecycle: 'deprecated',
      lifecycleNote: 'Use shop.lifecycle-v2 by June.',
    });
    await eventTypes.setLifecycle(name, 'active', null);
    await eventTypes.setLifecycle(name, 'deprecated', null);
    await eventTypes.setLifecycle(name, 'retired', 'Gone.');
    await expect(eventTypes.setLifecycle(name, 'active', null)).rejects.toMatchObject({
      code: 'INVALID_LIFECYCLE_TRANSITION',
    });
    expect((await eventTypes.get(name)).lifecycle).toBe('retired');
    const actions = (await changesOf(name)).map((r) => r.action);
    expect(actions).toEqual(['created', 'lifecycle', 'lifecycle', 'lifecycle', 'lifecycle', 'lifecycle']);
  });

  it('filters lists by domain, owner, tag and lifecycle', async () => {
    await eventTypes.put('filt.one', { summary: 'Invoice issued', owner: 'team-a', tags: ['billing'] });
    await eventTypes.put('filt.two', {
      summary: 'Refund',
      owner: 'team-b',
      lifecycle: 'draft',
      description: 'an INVOICE refund',
    });
    const names = async (filter: Parameters<EventTypeCatalog['list']>[0]) =>
      (await eventTypes.list(filter)).map((e) => e.name);
    expect(await names({ domain: 'filt' })).toEqual(['filt.one', 'filt.two']);
    expect(await names({ domain: 'filt', owner: 'team-b' })).toEqual(['filt.two']);
    expect(await names({ tag: 'billing' })).toEqual(['filt.one']);
    expect(await names({ domain: 'filt', lifecycle: 'draft' })).toEqual(['filt.two']);
  });

  it('deletes with a history row holding the last state', async () => {
    await eventTypes.put('shop.to-delete', { summary: 's', owner: 'o' });
    await eventTypes.delete('shop.to-delete', { actor: alice });
    await expect(eventTypes.get('shop.to-delete')).rejects.toMatchObject({ code: 'EVENT_TYPE_NOT_FOUND' });
    const rows = await changesOf('shop.to-delete');
    expect(rows.at(-1)).toMatchObject({
      action: 'deleted',
      after: null,
      before: expect.objectContaining({ summary: 's' }),
    });
  });
});

describe('domains and services', () => {
  it('puts, reads and deletes domains; refuses to delete one that is not empty', async () => {
    const put = await domains.put(
      'payments',
      { displayName: 'Payments', summary: 'Money in', description: '# Payments', ownerTeam: 'team-pay' },
      { actor: alice },
    );
    expect(put).toMatchObject({ created: true, domain: { displayName: 'Payments', description: '# Payments' } });
    expect(
      (
        await domains.put('payments', {
          displayName: 'Payments',
          summary: 'Money in',
          description: '# Payments',
          ownerTeam: 'team-pay',
        })
      ).changed,
    ).toBe(false);
    await eventTypes.put('payments.captured', { summary: 's', owner: 'team-pay' });
    await expect(domains.delete('payments')).rejects.toMatchObject({ code: 'DOMAIN_NOT_EMPTY', status: 409 });
    await eventTypes.delete('payments.captured');
    await domains.delete('payments', { actor: alice });
    await expect(domains.get('payments')).rejects.toMatchObject({ code: 'DOMAIN_NOT_FOUND' });
    expect((await changesOf('payments')).map((r) => r.action)).toEqual(['created', 'deleted']);
    await expect(domains.put('bad.name', { displayName: 'x', ownerTeam: 't' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('declares lineage from both sides and refuses unknown names without writing anything', async () => {
    await domains.put('ship', { displayName: 'Shipping', ownerTeam: 'team-ship' });
    await eventTypes.put('ship.parcel-sent', { summary: 's', owner: 'team-ship' });
    await eventTypes.put('ship.parcel-lost', { summary: 's', owner: 'team-ship' });
    await expect(
      services.put('tracker', { displayName: 'Tracker', ownerTeam: 'team-ship', consumes: ['ship.nope'] }),
    ).rejects.toMatchObject({ code: 'EVENT_TYPE_NOT_FOUND' });
    await expect(services.get('tracker')).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    await expect(
      services.put('tracker', { displayName: 'Tracker', ownerTeam: 'team-ship', domain: 'nowhere' }),
    ).rejects.toMatchObject({ code: 'DOMAIN_NOT_FOUND' });
    const { service } = await services.put(
      'warehouse',
      {
        displayName: 'Warehouse',
        ownerTeam: 'team-ship',
        domain: 'ship',
        repository: 'https://git.example/warehouse',
        produces: ['ship.parcel-sent', 'ship.parcel-lost'],
      },
      { actor: alice },
    );
    expect(service).toMatchObject({ produces: ['ship.parcel-lost', 'ship.parcel-sent'], consumes: [] });
    await expect(
      eventTypes.put('ship.parcel-sent', { summary: 's', owner: 'team-ship', consumers: ['ghost'] }),
    ).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND', status: 404 });
    await services.put('tracker', { displayName: 'Tracker', ownerTeam: 'team-ship' });
    await eventTypes.put('ship.parcel-sent', { summary: 's', owner: 'team-ship', consumers: ['tracker'] });
    expect(await eventTypes.getWithLineage('ship.parcel-sent')).toMatchObject({
      producers: ['warehouse'],
      consumers: ['tracker'],
    });
    expect((await services.get('tracker')).consumes).toEqual(['ship.parcel-sent']);
    // Leaving produces out keeps them.
    await services.put('warehouse', { displayName: 'Warehouse v2', ownerTeam: 'team-ship', domain: 'ship' });
    expect((await services.get('warehouse')).produces).toEqual(['ship.parcel-lost', 'ship.parcel-sent']);
    await services.delete('warehouse');
    expect((await eventTypes.getWithLineage('ship.parcel-sent')).producers).toEqual([]);
    expect((await changesOf('warehouse')).map((r) => r.action)).toEqual(['created', 'updated', 'deleted']);
  });

  it('binds a service to a policy application by name, once', async () => {
    const app = await prisma.application.create({ data: { name: 'billing-app' } });
    await services.put('billing', { displayName: 'Billing', ownerTeam: 't', application: 'billing-app' });
    expect((await services.get('billing')).application).toBe('billing-app');
    expect((await prisma.catalogService.findUnique({ where: { name: 'billing' } }))!.applicationId).toBe(app.id);
    await expect(
      services.put('billing-2', { displayName: 'Billing 2', ownerTeam: 't', application: 'billing-app' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      services.put('billing-3', { displayName: 'Billing 3', ownerTeam: 't', application: 'no-such-app' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('change history', () => {
  it('records schema registrations and deletions in the registry transaction', async () => {
    const name = 'hist.schema';
    await eventTypes.put(name, { summary: 's', owner: 'o' });
    await registry.register(`${name}-value`, { schemaType: 'JSON', schema: orderSchema }, { actor: alice });
    // Registering the same schema again stores nothing and records nothing.
    await registry.register(`${name}-value`, { schemaType: 'JSON', schema: orderSchema });
    // An incompatible schema is refused: no version, no row.
    await expect(
      registry.register(`${name}-value`, {
        schemaType: 'JSON',
        schema: JSON.stringify({
          type: 'object',
          required: ['orderId', 'x'],
          properties: { orderId: { type: 'integer' } },
        }),
      }),
    ).rejects.toMatchObject({ code: 'INCOMPATIBLE_SCHEMA' });
    await registry.deleteVersion(`${name}-value`, 1, { actor: alice });
    const rows = await changesOf(`${name}-value`);
    expect(rows.map((r) => [r.entityKind, r.action])).toEqual([
      ['schema', 'registered'],
      ['schema', 'deleted'],
    ]);
    expect(rows[0]!.after).toEqual({
      subject: `${name}-value`,
      version: 1,
      id: expect.any(Number),
      schemaType: 'JSON',
      eventTypes: [name],
    });
    expect(rows[1]!.before).toMatchObject({ versions: [1], permanent: false });

    const entries = await history.ofEventType(name, `${name}-value`);
    expect(entries.map((e) => `${e.entityKind}:${e.action}`)).toEqual([
      'schema:deleted',
      'schema:registered',
      'event-type:created',
    ]);
    expect(entries[1]!.actor).toEqual({ kind: 'user', id: 'u-1', name: 'alice@example.com' });
  });

  it('rolls a registration back when its history row cannot be written', async () => {
    const failing = new SchemaRegistry(prisma, {
      onChange: async () => {
        throw new Error('history unavailable');
      },
    });
    await expect(failing.register('hist.rollback-value', { schemaType: 'JSON', schema: orderSchema })).rejects.toThrow(
      'history unavailable',
    );
    expect(await prisma.subjectVersion.count({ where: { subject: 'hist.rollback-value' } })).toBe(0);
  });

  it('pages back with before and skips entries the reader may not see', async () => {
    for (const i of [1, 2, 3, 4]) await eventTypes.put(`page.e${i}`, { summary: 's', owner: 'o' });
    const first = await history.list({ entityKind: 'event-type', limit: 2 });
    expect(first.map((e) => e.entityName)).toEqual(['page.e4', 'page.e3']);
    const next = await history.list({ entityKind: 'event-type', limit: 2, before: first[1]!.id });
    expect(next.map((e) => e.entityName)).toEqual(['page.e2', 'page.e1']);
    const visible = await history.list({
      limit: 2,
      visible: (e) => e.entityName !== 'page.e4' && e.entityName !== 'page.e3',
    });
    expect(visible.map((e) => e.entityName)).toEqual(['page.e2', 'page.e1']);
    await expect(history.list({ before: 'x' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('concurrency', () => {
  it('creates a new domain once when its first event types arrive together', async () => {
    await Promise.all(
      ['race.a', 'race.b', 'race.c', 'race.d'].map((name) =>
        eventTypes.put(name, { summary: 's', owner: 'team-race' }),
      ),
    );
    expect(await prisma.domain.count({ where: { name: 'race' } })).toBe(1);
    expect(await prisma.catalogChange.count({ where: { entityKind: 'domain', entityName: 'race' } })).toBe(1);
    expect(await prisma.eventType.count({ where: { domain: 'race' } })).toBe(4);
  });
});
