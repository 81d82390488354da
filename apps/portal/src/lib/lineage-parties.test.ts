import { describe, expect, it } from 'vitest';
import type { LineageService, ObservedParty } from './gateway-catalog';
import { joinLineageParties } from './lineage-parties';

const service = (name: string, applicationId: string | null = null): LineageService => ({
  name,
  displayName: name,
  summary: '',
  domain: 'orders',
  ownerTeam: 'team-orders',
  applicationId,
  repository: null,
});

const seen = (name: string, change: Partial<ObservedParty> = {}): ObservedParty => ({
  principalKind: 'application',
  principalId: `id-${name}`,
  name,
  service: null,
  events: 1,
  sessions: 1,
  firstSeen: '2026-11-24T00:00:00.000Z',
  lastSeen: '2026-11-24T00:00:00.000Z',
  ...change,
});

describe('joinLineageParties', () => {
  it('joins an observed application to the declared service bound to it, by name or by id', () => {
    const parties = joinLineageParties(
      [service('checkout'), service('billing', 'id-billing-app'), service('mailer')],
      [
        seen('checkout-app', { service: 'checkout', events: 5, lastSeen: '2026-11-24T02:00:00.000Z' }),
        seen('billing-app', { events: 2, firstSeen: '2026-11-23T00:00:00.000Z', lastSeen: '2026-11-24T01:00:00.000Z' }),
        seen('someone', { principalKind: 'user', events: 9 }),
        seen('script', { service: 'reporting', events: 3 }),
      ],
    );
    expect(parties.map((party) => [party.key, party.status, party.events])).toEqual([
      ['service:checkout', 'declared-and-observed', 5],
      ['service:billing', 'declared-and-observed', 2],
      ['service:mailer', 'declared-never-seen', 0],
      ['user:id-someone', 'observed-only', 9],
      ['application:id-script', 'observed-only', 3],
    ]);
    expect(parties[1]).toMatchObject({ firstSeen: '2026-11-23T00:00:00.000Z', lastSeen: '2026-11-24T01:00:00.000Z' });
    expect(parties[2]).toMatchObject({ firstSeen: null, lastSeen: null, observed: [] });
    // An application bound to a service that is not declared for this event type stays "observed only".
    expect(parties[4]).toMatchObject({ service: null, boundService: 'reporting' });
  });

  it('adds up several principals seen as one service', () => {
    const [party] = joinLineageParties(
      [service('checkout')],
      [
        seen('a', { service: 'checkout', events: 2, sessions: 1 }),
        seen('b', { service: 'checkout', events: 3, sessions: 4 }),
      ],
    );
    expect(party).toMatchObject({ events: 5, sessions: 5, status: 'declared-and-observed' });
  });
});
