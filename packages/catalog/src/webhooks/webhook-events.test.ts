import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isMeshgateError } from '@meshgate/core';
import { parseWebhookEvents, webhookMatches } from './webhook-events';
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from './webhook-signature';

describe('webhook event patterns', () => {
  it('accepts *, kind.*, *.action and kind.action, de-duplicated', () => {
    expect(parseWebhookEvents(['schema.*', '*.deleted', 'event-type.lifecycle', 'schema.*', '*'])).toEqual([
      'schema.*',
      '*.deleted',
      'event-type.lifecycle',
      '*',
    ]);
  });

  it.each([
    [[], /at least one/],
    [['schemas.*'], /events\[0\].*unknown entity kind 'schemas'/],
    [['schema.*', 'event-type.renamed'], /events\[1\].*unknown action 'renamed'/],
    [['schema'], /use \*, entityKind/],
    [['*.*.*'], /use \*, entityKind/],
  ])('refuses %j with INVALID_REQUEST naming the pattern', (patterns, message) => {
    try {
      parseWebhookEvents(patterns);
      expect.unreachable();
    } catch (error) {
      expect(isMeshgateError(error) && error.code).toBe('INVALID_REQUEST');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('matches events as the SQL trigger does', () => {
    expect(webhookMatches(['*'], 'schema.registered')).toBe(true);
    expect(webhookMatches(['schema.*'], 'schema.registered')).toBe(true);
    expect(webhookMatches(['schema.*'], 'event-type.updated')).toBe(false);
    expect(webhookMatches(['*.deleted'], 'domain.deleted')).toBe(true);
    expect(webhookMatches(['event-type.created'], 'event-type.updated')).toBe(false);
  });
});

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = '{"id":"d1","event":"schema.registered"}';

  it('signs HMAC-SHA256 of "<t>.<body>" in hex, as a receiver computes it with node:crypto', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });

  it('verifies within the tolerance only, in constant time, for the exact body and secret', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    expect(verifyWebhookSignature(secret, body, header, { now: 1_700_000_100 })).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, { now: 1_700_000_301 })).toBe(false);
    expect(verifyWebhookSignature(secret, `${body} `, header, { now: 1_700_000_000 })).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), body, header, { now: 1_700_000_000 })).toBe(false);
    expect(verifyWebhookSignature(secret, body, 't=1700000000,v1=zz', { now: 1_700_000_000 })).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined)).toBe(false);
  });
});
