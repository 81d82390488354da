import { describe, expect, it } from 'vitest';
import { isSecureRequest, sessionCookie } from './session-cookie';

describe('sessionCookie', () => {
  it('is HttpOnly, SameSite=Lax, for the whole portal, and ends with the session', () => {
    expect(sessionCookie('tok', '2026-11-24T07:00:00.000Z', false)).toEqual({
      name: 'meshgate_session',
      value: 'tok',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      expires: new Date('2026-11-24T07:00:00.000Z'),
      secure: false,
    });
    expect(sessionCookie('tok', '2026-11-24T07:00:00.000Z', true).secure).toBe(true);
  });

  it('refuses an expiry that is not a date', () => {
    expect(() => sessionCookie('tok', 'tomorrow', false)).toThrow(RangeError);
  });
});

describe('isSecureRequest', () => {
  it('follows the browser Origin first', () => {
    expect(isSecureRequest({ origin: 'https://portal.example', forwardedProto: 'http' })).toBe(true);
    expect(isSecureRequest({ origin: 'http://127.0.0.1:3000', forwardedProto: 'https' })).toBe(false);
  });

  it('falls back to the first X-Forwarded-Proto', () => {
    expect(isSecureRequest({ origin: null, forwardedProto: 'https, http' })).toBe(true);
    expect(isSecureRequest({ origin: 'null', forwardedProto: 'HTTPS' })).toBe(true);
    expect(isSecureRequest({ forwardedProto: 'http' })).toBe(false);
    expect(isSecureRequest({})).toBe(false);
  });
});
