import { describe, expect, it } from 'vitest';
import { domainOf, grantCoversEventType, mayReadEventType, pendingRequestFor, splitAccessRequests } from './access';
import type { AccessRequest, Grant } from './gateway-client';

const orderCreated = { name: 'orders.order-created', subject: 'orders.order-created-value' };
const now = new Date('2026-11-23T12:00:00.000Z');

function grant(overrides: Partial<Grant>): Grant {
  return {
    id: 'g1',
    subjectKind: 'user',
    subjectId: 'u1',
    resourceKind: 'event-type',
    resourceName: 'orders.order-created',
    action: 'read',
    unmask: [],
    rowFilter: null,
    expiresAt: null,
    ...overrides,
  };
}

function request(overrides: Partial<AccessRequest>): AccessRequest {
  return {
    id: 'r1',
    requesterId: 'u1',
    applicationId: null,
    resourceKind: 'event-type',
    resourceName: 'orders.order-created',
    action: 'read',
    reason: 'dashboards',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    grantId: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

describe('domainOf', () => {
  it('is the name up to the first dot', () => {
    expect(domainOf('orders.order-created')).toBe('orders');
    expect(domainOf('a.b.c')).toBe('a');
    expect(domainOf('plain')).toBe('plain');
  });
});

describe('grantCoversEventType', () => {
  it.each([
    ['all', '*', true],
    ['domain', 'orders', true],
    ['domain', 'payments', false],
    ['event-type', 'orders.order-created', true],
    ['event-type', 'orders.order-shipped', false],
    ['subject', 'orders.order-created-value', true],
    ['subject', 'orders.order-created', false],
    ['something-new', 'orders.order-created', false],
  ])('%s %s → %s', (resourceKind, resourceName, expected) => {
    expect(grantCoversEventType({ resourceKind, resourceName }, orderCreated)).toBe(expected);
  });
});

describe('mayReadEventType', () => {
  it('lets administrators read everything', () => {
    expect(mayReadEventType({ admin: true, grants: [] }, orderCreated, now)).toBe(true);
  });

  it('needs a live read or admin grant covering the event type', () => {
    const me = (grants: Grant[]) => ({ admin: false, grants });
    expect(mayReadEventType(me([]), orderCreated, now)).toBe(false);
    expect(mayReadEventType(me([grant({})]), orderCreated, now)).toBe(true);
    expect(
      mayReadEventType(
        me([grant({ action: 'admin', resourceKind: 'domain', resourceName: 'orders' })]),
        orderCreated,
        now,
      ),
    ).toBe(true);
    // Produce does not imply read.
    expect(mayReadEventType(me([grant({ action: 'produce' })]), orderCreated, now)).toBe(false);
    // Another event type's grant does not count.
    expect(mayReadEventType(me([grant({ resourceName: 'orders.order-shipped' })]), orderCreated, now)).toBe(false);
    // Expired grants do not count; future expiries do.
    expect(mayReadEventType(me([grant({ expiresAt: '2026-11-23T11:59:59.000Z' })]), orderCreated, now)).toBe(false);
    expect(mayReadEventType(me([grant({ expiresAt: '2026-11-23T12:00:01.000Z' })]), orderCreated, now)).toBe(true);
  });
});

describe('pendingRequestFor', () => {
  it('finds the requester’s own pending request covering the event type', () => {
    const mine = request({ id: 'mine', resourceKind: 'domain', resourceName: 'orders' });
    const requests = [
      request({ id: 'other', requesterId: 'u2' }),
      request({ id: 'done', status: 'approved' }),
      request({ id: 'app', applicationId: 'a1' }),
      request({ id: 'elsewhere', resourceName: 'payments.payment-captured' }),
      mine,
    ];
    expect(pendingRequestFor(requests, 'u1', orderCreated)).toBe(mine);
    expect(pendingRequestFor(requests.slice(0, 4), 'u1', orderCreated)).toBeUndefined();
  });
});

describe('splitAccessRequests', () => {
  it('separates own requests from those to decide, pending first, then newest first', () => {
    const a = request({ id: 'a', status: 'approved', createdAt: '2026-11-23T11:00:00.000Z' });
    const b = request({ id: 'b', createdAt: '2026-11-23T09:00:00.000Z' });
    const c = request({ id: 'c', requesterId: 'u2' });
    const d = request({ id: 'd', requesterId: 'u3', createdAt: '2026-11-23T11:30:00.000Z' });
    const { mine, toDecide } = splitAccessRequests([a, b, c, d], 'u1');
    expect(mine.map((item) => item.id)).toEqual(['b', 'a']);
    expect(toDecide.map((item) => item.id)).toEqual(['d', 'c']);
  });
});
