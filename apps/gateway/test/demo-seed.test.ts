import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/demo';
import { request, startTestGateway, type TestGateway } from './harness';

// The demo catalog seeded on first start: three domains, services with declared lineage, tags,
// examples, two schema versions, a private and a deprecated event type — and restarts that
// leave edits alone.

describe('demo catalog seed', () => {
  let gw: TestGateway;
  const get = (path: string, headers: Record<string, string> = {}) => request(gw.url, 'GET', path, undefined, headers);

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { seedDemo: true });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('seeds three documented domains, services with lineage and every kind of event type', async () => {
    const domains = (await get('/v1/catalog/domains')).body.items as {
      name: string;
      description: string;
      serviceCount: number;
    }[];
    expect(domains.map((d) => d.name)).toEqual(['orders', 'payments', 'shipping']);
    for (const domain of domains) expect(domain.description).toMatch(/^# /);
    const services = (await get('/v1/catalog/services')).body.items as {
      name: string;
      produces: string[];
      consumes: string[];
    }[];
    expect(services.length).toBeGreaterThanOrEqual(5);
    expect(services.filter((s) => s.produces.length + s.consumes.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(services.find((s) => s.name === 'analytics-service')).toMatchObject({ application: 'demo-app' });

    const created = (await get('/v1/catalog/event-types/orders.order-created')).body;
    expect(created).toMatchObject({
      tags: ['orders', 'checkout'],
      keyPath: '/orderId',
      producers: ['checkout-service'],
      consumers: expect.arrayContaining(['payment-service', 'notification-service']),
    });
    expect(created.examples).toHaveLength(2);
    expect((await get('/registry/subjects/orders.order-created-value/versions')).body).toEqual([1, 2]);
    const diff = await get('/v1/catalog/event-types/orders.order-created/schema-diff');
    expect(diff.body).toMatchObject({ from: { version: 1 }, to: { version: 2 }, compatible: true });

    const shipped = await get('/v1/catalog/event-types/orders.order-shipped');
    expect(shipped.body.lifecycle).toBe('deprecated');
    expect(shipped.headers.get('deprecation')).toBe('true');
    expect((await get('/v1/catalog/event-types/payments.fraud-flagged')).body).toMatchObject({
      visibility: 'private',
      owner: 'team-risk',
    });
    // Every example matches its schema: produce them all.
    for (const eventType of (await get('/v1/catalog/event-types')).body.items as {
      name: string;
      examples: { payload: unknown }[];
    }[]) {
      for (const example of eventType.examples) {
        const produced = await request(gw.url, 'POST', `/v1/events/${eventType.name}`, example.payload);
        expect(produced.status, `${eventType.name}: ${JSON.stringify(produced.body)}`).toBe(202);
      }
    }
    const teams = (await get('/v1/admin/teams')).body.teams.map((t: { id: string }) => t.id);
    expect(teams).toEqual(expect.arrayContaining(['team-orders', 'team-risk']));
  });

  it('hides the private event type from users outside its team', async () => {
    await request(gw.url, 'POST', '/v1/admin/users', {
      email: 'dev@demo.test',
      name: 'Dev',
      password: 'a long passphrase',
    });
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email: 'dev@demo.test', password: 'a long passphrase' },
      { authorization: '' },
    );
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const listed = (await get('/v1/catalog/event-types', { authorization: '', cookie })).body.items.map(
      (e: { name: string }) => e.name,
    );
    expect(listed).toContain('payments.payment-captured');
    expect(listed).not.toContain('payments.fraud-flagged');
  });

  it('leaves existing entries alone on the next start', async () => {
    await request(gw.url, 'PUT', '/v1/catalog/domains/orders', { displayName: 'Our orders', ownerTeam: 'team-orders' });
    await request(gw.url, 'DELETE', '/v1/catalog/services/carrier-gateway');
    const before = (await get('/v1/catalog/changes?limit=500')).body.items.length;
    expect(await seedDemo(gw.gateway.runtime.services(), 3)).toBe(1); // only the deleted service comes back
    expect(await seedDemo(gw.gateway.runtime.services(), 3)).toBe(0);
    expect((await get('/v1/catalog/domains/orders')).body.displayName).toBe('Our orders');
    expect((await get('/v1/catalog/changes?limit=500')).body.items.length).toBe(before + 1);
  });
});
