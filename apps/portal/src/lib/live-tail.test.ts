import { describe, expect, it } from 'vitest';
import { describeStreamFailure, isFinalClose } from './live-tail';

const url = 'ws://127.0.0.1:4000/graphql';

describe('describeStreamFailure', () => {
  it('shows the gateway’s GraphQL error with its code, and points to access requests on FORBIDDEN', () => {
    expect(
      describeStreamFailure(
        [{ message: 'Your credentials do not allow read on x.', extensions: { code: 'FORBIDDEN' } }],
        url,
      ),
    ).toBe('Your credentials do not allow read on x. Request read access to watch this event type.');
    expect(describeStreamFailure([{ message: 'Revoked.', extensions: { code: 'ACCESS_REVOKED' } }], url)).toBe(
      'Revoked. (ACCESS_REVOKED)',
    );
  });

  it('explains the gateway’s close codes', () => {
    expect(describeStreamFailure({ code: 4403, reason: 'Forbidden' }, url)).toMatch(/MESHGATE_PUBLIC_GATEWAY_URL/);
    expect(describeStreamFailure({ code: 4429, reason: '' }, url)).toMatch(/quota exceeded/);
    expect(describeStreamFailure({ code: 1011, reason: 'boom' }, url)).toBe(
      `The connection to ${url} closed (code 1011: boom).`,
    );
  });

  it('says the gateway is unreachable for anything else', () => {
    expect(describeStreamFailure(new Event('error'), url)).toMatch(/^Cannot reach the gateway/);
  });
});

describe('isFinalClose', () => {
  it('stops retrying only when the gateway refused the credentials or a quota', () => {
    expect(isFinalClose({ code: 4403, reason: '' })).toBe(true);
    expect(isFinalClose({ code: 4429, reason: 'quota' })).toBe(true);
    expect(isFinalClose({ code: 1006, reason: '' })).toBe(false);
    expect(isFinalClose(new Error('network'))).toBe(false);
  });
});
