import { describe, expect, it } from 'vitest';
import { compileFilter, formatFilter } from '@meshgate/core';
import { PolicyEngine, combinedRowFilter } from '../src/policy-engine';
import type { Grant, Principal } from '../src/model';
import { parseFilter } from '@meshgate/core';

let ids = 0;
function grant(partial: Partial<Grant> & Pick<Grant, 'subjectKind' | 'subjectId' | 'action'>): Grant {
  return {
    id: `g${++ids}`,
    resourceKind: 'all',
    resourceName: '*',
    unmask: [],
    rowFilter: null,
    expiresAt: null,
    ...partial,
  };
}

const app = (id: string, extra: Partial<Principal> = {}): Principal => ({
  kind: 'application',
  id,
  name: id,
  teams: [],
  via: 'api-key',
  credentialId: 'mgk_x',
  expiresAt: null,
  ...extra,
});
const user = (id: string, teams: string[] = []): Principal => ({ ...app(id), kind: 'user', teams, via: 'session' });

describe('PolicyEngine', () => {
  const past = new Date(Date.now() - 1000);
  const engine = new PolicyEngine({
    adminUsers: new Set(['root']),
    grants: [
      grant({
        subjectKind: 'application',
        subjectId: 'partner',
        action: 'read',
        resourceKind: 'event-type',
        resourceName: 'shop.order-placed',
        rowFilter: 'region == "EU"',
      }),
      grant({
        subjectKind: 'application',
        subjectId: 'billing',
        action: 'read',
        resourceKind: 'domain',
        resourceName: 'shop',
        unmask: ['pii'],
      }),
      grant({
        subjectKind: 'application',
        subjectId: 'billing',
        action: 'produce',
        resourceKind: 'event-type',
        resourceName: 'shop.invoice-sent',
      }),
      grant({ subjectKind: 'application', subjectId: 'expired', action: 'read', expiresAt: past }),
      grant({
        subjectKind: 'team',
        subjectId: 'team-shop',
        action: 'manage-catalog',
        resourceKind: 'domain',
        resourceName: 'shop',
      }),
      grant({ subjectKind: 'application', subjectId: 'ops', action: 'admin' }),
      grant({
        subjectKind: 'application',
        subjectId: 'registry-ci',
        action: 'register-schema',
        resourceKind: 'subject',
        resourceName: 'shop.order-placed-value',
      }),
    ],
  });

  it('allows what a grant covers and nothing else', () => {
    expect(engine.authorize(app('partner'), 'read', { eventType: 'shop.order-placed' }).allowed).toBe(true);
    expect(engine.authorize(app('partner'), 'read', { eventType: 'shop.cart-abandoned' }).allowed).toBe(false);
    expect(engine.authorize(app('partner'), 'produce', { eventType: 'shop.order-placed' }).allowed).toBe(false);
    expect(engine.authorize(app('billing'), 'read', { eventType: 'shop.anything' }).allowed).toBe(true);
    expect(engine.authorize(app('billing'), 'read', { eventType: 'crm.contact' }).allowed).toBe(false);
    expect(engine.authorize(app('billing'), 'produce', { eventType: 'shop.invoice-sent' }).allowed).toBe(true);
    expect(engine.authorize(app('stranger'), 'read', { eventType: 'shop.order-placed' })).toMatchObject({
      allowed: false,
      reason: 'no grant allows read here',
    });
    expect(
      engine.authorize(app('registry-ci'), 'register-schema', { subject: 'shop.order-placed-value' }).allowed,
    ).toBe(true);
    expect(engine.authorize(app('registry-ci'), 'register-schema', { subject: 'crm-value' }).allowed).toBe(false);
  });

  it('lets users act with their teams’ grants, and administrators do everything', () => {
    expect(engine.authorize(user('ada', ['team-shop']), 'manage-catalog', { eventType: 'shop.x' }).allowed).toBe(true);
    expect(engine.authorize(user('bob'), 'manage-catalog', { eventType: 'shop.x' }).allowed).toBe(false);
    const root = engine.authorize(user('root'), 'admin', {});
    expect(root.allowed).toBe(true);
    expect(root.unmask.has('*')).toBe(true);
    expect(engine.authorize(app('ops'), 'register-schema', { subject: 'x' }).allowed).toBe(true);
  });

  it('ignores expired grants and refuses expired credentials', () => {
    expect(engine.authorize(app('expired'), 'read', { eventType: 'shop.order-placed' }).allowed).toBe(false);
    const expiredKey = app('billing', { expiresAt: past });
    expect(engine.authorize(expiredKey, 'read', { eventType: 'shop.x' })).toMatchObject({
      allowed: false,
      reason: 'the credential has expired',
    });
  });

  it('returns the row filter and unmasked classes of the matching grants, and a view key per distinct view', () => {
    const partner = engine.authorize(app('partner'), 'read', { eventType: 'shop.order-placed' });
    expect(formatFilter(partner.rowFilter!)).toBe('region == "EU"');
    expect(partner.unmask.size).toBe(0);
    const billing = engine.authorize(app('billing'), 'read', { eventType: 'shop.order-placed' });
    expect(billing.rowFilter).toBeUndefined();
    expect([...billing.unmask]).toEqual(['pii']);
    expect(partner.viewKey).not.toBe(billing.viewKey);
    expect(engine.authorize(app('ops'), 'read', { eventType: 'x' }).viewKey).toBe('');
  });

  it('ORs row filters of several grants, and a grant without a filter lifts it', () => {
    const both = new PolicyEngine({
      adminUsers: new Set(),
      grants: [
        grant({ subjectKind: 'application', subjectId: 'p', action: 'read', rowFilter: 'region == "EU"' }),
        grant({ subjectKind: 'application', subjectId: 'p', action: 'read', rowFilter: 'region == "US"' }),
      ],
    });
    const decision = both.authorize(app('p'), 'read', { eventType: 'e' });
    const matches = compileFilter(decision.rowFilter!);
    const on = (region: string) => ({ data: { region }, key: null, timestamp: new Date(), partition: 0 });
    expect(matches(on('EU'))).toBe(true);
    expect(matches(on('US'))).toBe(true);
    expect(matches(on('APAC'))).toBe(false);
    both.load({
      adminUsers: new Set(),
      grants: [
        grant({ subjectKind: 'application', subjectId: 'p', action: 'read', rowFilter: 'region == "EU"' }),
        grant({ subjectKind: 'application', subjectId: 'p', action: 'read' }),
      ],
    });
    expect(both.authorize(app('p'), 'read', { eventType: 'e' }).rowFilter).toBeUndefined();
  });

  it('ANDs the grant’s row filter with the subscriber’s own', () => {
    const predicate = combinedRowFilter(parseFilter('region == "EU"'), parseFilter('total >= 100'))!;
    const on = (region: string, total: number) => ({
      data: { region, total },
      key: null,
      timestamp: new Date(),
      partition: 0,
    });
    expect(predicate(on('EU', 150))).toBe(true);
    expect(predicate(on('EU', 50))).toBe(false);
    expect(predicate(on('US', 150))).toBe(false);
    expect(combinedRowFilter(undefined, undefined)).toBeUndefined();
  });

  it('bumps its generation on every load, and refuses a grant whose row filter does not parse', () => {
    const e = new PolicyEngine();
    const before = e.generation;
    e.load({ grants: [], adminUsers: new Set() });
    expect(e.generation).toBe(before + 1);
    expect(() =>
      e.load({
        adminUsers: new Set(),
        grants: [grant({ subjectKind: 'application', subjectId: 'p', action: 'read', rowFilter: 'region == ' })],
      }),
    ).toThrow();
  });

  it('answers canSee for listings from any live grant on the resource', () => {
    expect(engine.canSee(app('partner'), { eventType: 'shop.order-placed' })).toBe(true);
    expect(engine.canSee(app('partner'), { eventType: 'shop.other' })).toBe(false);
    expect(engine.canSee(user('root'), { eventType: 'anything' })).toBe(true);
  });
});
