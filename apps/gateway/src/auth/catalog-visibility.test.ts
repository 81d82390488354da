import { describe, expect, it } from 'vitest';
import { PolicyEngine, type Grant, type Principal } from '@meshgate/policy';
import { CatalogViewer } from './catalog-visibility';

// The visibility rule on its own: a real policy engine, no database.

const past = new Date(Date.now() - 60_000);

function grant(subject: string, resource: string, extra: Partial<Grant> = {}): Grant {
  const [subjectKind, subjectId] = subject.split(':') as [Grant['subjectKind'], string];
  const [resourceKind, resourceName] = resource.split(':') as [Grant['resourceKind'], string];
  return {
    id: `${subject}>${resource}`,
    subjectKind,
    subjectId,
    resourceKind,
    resourceName,
    action: 'read',
    unmask: [],
    rowFilter: null,
    expiresAt: null,
    ...extra,
  };
}

const engine = new PolicyEngine({
  adminUsers: new Set(['admin']),
  grants: [
    grant('team:team-audit', 'event-type:hr.salary-changed'),
    grant('application:by-domain', 'domain:hr', { action: 'produce' }),
    grant('application:by-name', 'event-type:orders.order-created'),
    grant('application:by-subject', 'subject:hr.salary-changed-value', { action: 'register-schema' }),
    grant('application:expired-grant', 'domain:orders', { expiresAt: past }),
    grant('application:everything', 'all:*'),
  ],
});

function principal(kind: Principal['kind'], id: string, extra: Partial<Principal> = {}): Principal {
  return { kind, id, name: id, teams: [], via: 'api-key', credentialId: id, expiresAt: null, ...extra };
}

const entries = [
  { name: 'orders.order-created', subject: 'orders.order-created-value', owner: 'team-orders', visibility: 'public' },
  { name: 'orders.order-shipped', subject: 'orders.order-shipped-value', owner: 'team-orders', visibility: 'public' },
  { name: 'hr.salary-changed', subject: 'hr.salary-changed-value', owner: 'team-hr', visibility: 'private' },
  { name: 'hr.badge-issued', subject: 'hr.badge-issued-value', owner: 'team-hr', visibility: 'public' },
];

const callers: Array<[string, Principal | undefined, string[]]> = [
  ['anonymous (public catalog)', undefined, ['orders.order-created', 'orders.order-shipped', 'hr.badge-issued']],
  ['a user', principal('user', 'dev'), ['orders.order-created', 'orders.order-shipped', 'hr.badge-issued']],
  ['a member of the owner team', principal('user', 'hr-dev', { teams: ['team-hr'] }), entries.map((e) => e.name)],
  [
    'a user whose team holds a grant',
    principal('user', 'auditor', { teams: ['team-audit'] }),
    entries.map((e) => e.name),
  ],
  ['an administrator', principal('user', 'admin'), entries.map((e) => e.name)],
  ['a user whose session expired', principal('user', 'dev', { expiresAt: past }), []],
  ['an application without grants', principal('application', 'nobody'), []],
  [
    'an application with a domain grant',
    principal('application', 'by-domain'),
    ['hr.salary-changed', 'hr.badge-issued'],
  ],
  ['an application with an event type grant', principal('application', 'by-name'), ['orders.order-created']],
  ['an application with a subject grant', principal('application', 'by-subject'), ['hr.salary-changed']],
  ['an application whose grant expired', principal('application', 'expired-grant'), []],
  ['an application with a grant on everything', principal('application', 'everything'), entries.map((e) => e.name)],
];

describe('CatalogViewer', () => {
  it.each(callers)('shows %s exactly the event types the rule allows', (_, caller, visible) => {
    const viewer = new CatalogViewer({ engine }, caller);
    expect(entries.filter((entry) => viewer.seesEventType(entry)).map((entry) => entry.name)).toEqual(visible);
  });

  it('produces the scope SQL readers filter with', () => {
    expect(new CatalogViewer({ engine }, undefined).scope).toEqual({
      all: false,
      publicEntries: true,
      teams: [],
      domains: [],
      eventTypes: [],
      subjects: [],
    });
    expect(new CatalogViewer({ engine }, principal('user', 'auditor', { teams: ['team-audit'] })).scope).toEqual({
      all: false,
      publicEntries: true,
      teams: ['team-audit'],
      domains: [],
      eventTypes: ['hr.salary-changed'],
      subjects: [],
    });
    expect(new CatalogViewer({ engine }, principal('application', 'by-subject')).scope).toMatchObject({
      publicEntries: false,
      subjects: ['hr.salary-changed-value'],
    });
    expect(new CatalogViewer({ engine }, principal('user', 'admin')).scope).toMatchObject({ all: true });
  });

  it('shows domains, services and subjects to catalog browsers, and to applications what their grants reach', () => {
    const user = new CatalogViewer({ engine }, principal('user', 'dev'));
    const partner = new CatalogViewer({ engine }, principal('application', 'by-domain'));
    const narrow = new CatalogViewer({ engine }, principal('application', 'by-name'));
    expect([user.browsesWholeCatalog, partner.browsesWholeCatalog, narrow.browsesWholeCatalog]).toEqual([
      true,
      false,
      false,
    ]);
    expect([user.seesDomain('payments', 0), partner.seesDomain('hr', 0), partner.seesDomain('payments', 0)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(narrow.seesDomain('orders', 1)).toBe(true);
    const billing = { domain: 'payments', produces: ['orders.order-created'], consumes: [] };
    expect(partner.seesService(billing, () => false)).toBe(false);
    expect(partner.seesService({ ...billing, domain: 'hr' }, () => false)).toBe(true);
    expect(narrow.seesService(billing, (name) => name === 'orders.order-created')).toBe(true);
    expect([user.seesSubject('x-value'), partner.seesSubject('x-value')]).toEqual([true, false]);
    expect(
      new CatalogViewer({ engine }, principal('application', 'by-subject')).seesSubject('hr.salary-changed-value'),
    ).toBe(true);
    expect([user.isAdmin, new CatalogViewer({ engine }, principal('user', 'admin')).isAdmin]).toEqual([false, true]);
  });
});
