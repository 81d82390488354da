import { describe, expect, it } from 'vitest';
import { auditFiltersOf, auditHref, hasAuditFilters, parseAuditSearch } from './audit-filters';

describe('parseAuditSearch', () => {
  it('reads the filters, trimmed', () => {
    expect(
      parseAuditSearch({
        actor: ' u1 ',
        action: 'auth.',
        resource: 'orders.order-created',
        decision: 'deny',
        after: '42',
      }),
    ).toEqual({ actor: 'u1', action: 'auth.', resource: 'orders.order-created', decision: 'deny', after: '42' });
  });

  it('takes the first of repeated parameters', () => {
    expect(parseAuditSearch({ decision: ['allow', 'deny'] }).decision).toBe('allow');
  });

  it('drops what the gateway would refuse', () => {
    expect(parseAuditSearch({ decision: 'maybe', after: 'abc' })).toEqual({
      actor: '',
      action: '',
      resource: '',
      decision: '',
      after: '',
    });
    expect(parseAuditSearch({ actor: 'x'.repeat(1000) }).actor).toHaveLength(300);
  });
});

describe('auditFiltersOf', () => {
  it('leaves out empty filters', () => {
    expect(auditFiltersOf(parseAuditSearch({}))).toEqual({});
    expect(auditFiltersOf(parseAuditSearch({ decision: 'deny', after: '7' }))).toEqual({
      decision: 'deny',
      after: '7',
    });
  });
});

describe('auditHref', () => {
  it('builds the page URL from the set filters', () => {
    expect(auditHref({})).toBe('/audit');
    expect(auditHref({ actor: '', action: 'auth.', decision: 'deny', after: '' })).toBe(
      '/audit?action=auth.&decision=deny',
    );
    expect(auditHref({ resource: 'a b&c' })).toBe('/audit?resource=a+b%26c');
  });

  it('round-trips through parseAuditSearch', () => {
    const search = parseAuditSearch({ actor: 'u 1', action: 'grant.', resource: 'r', decision: 'allow', after: '9' });
    const params = Object.fromEntries(new URLSearchParams(auditHref(search).split('?')[1]));
    expect(parseAuditSearch(params)).toEqual(search);
  });
});

describe('hasAuditFilters', () => {
  it('ignores the page cursor', () => {
    expect(hasAuditFilters(parseAuditSearch({ after: '5' }))).toBe(false);
    expect(hasAuditFilters(parseAuditSearch({ decision: 'deny' }))).toBe(true);
  });
});
