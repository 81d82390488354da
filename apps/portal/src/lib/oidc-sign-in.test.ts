import { describe, expect, it } from 'vitest';
import {
  browserOrigin,
  oidcCallbackUrl,
  oidcFlowCookie,
  oidcRedirectUri,
  readOidcFlow,
  readSignInError,
  signInErrorCookie,
  signInErrorPath,
} from './oidc-sign-in';

const flow = {
  state: 'st4te',
  next: '/event-types/orders.order-created?tab=schema',
  redirectUri: 'http://127.0.0.1:3000/login/oidc/callback',
};

describe('the single sign-on flow cookie', () => {
  it('is HttpOnly, Lax, limited to the sign-in routes and ten minutes, and reads back', () => {
    const cookie = oidcFlowCookie(flow);
    expect(cookie).toMatchObject({
      name: 'meshgate_oidc',
      httpOnly: true,
      sameSite: 'lax',
      path: '/login/oidc',
      maxAge: 600,
      secure: false,
    });
    expect(readOidcFlow(cookie.value)).toEqual(flow);
    expect(oidcFlowCookie({ ...flow, redirectUri: 'https://portal.example/login/oidc/callback' }).secure).toBe(true);
  });

  it('reads nothing from a missing or foreign value, and never an off-site next', () => {
    expect(readOidcFlow(undefined)).toBeNull();
    expect(readOidcFlow('not base64 json')).toBeNull();
    expect(readOidcFlow(Buffer.from('{"state":1}').toString('base64url'))).toBeNull();
    const forged = Buffer.from(JSON.stringify({ ...flow, next: '//evil.example/x' })).toString('base64url');
    expect(readOidcFlow(forged)?.next).toBe('/');
  });
});

describe('browserOrigin', () => {
  const fallback = 'http://localhost:3000';
  it('is the host the browser used, not the one Next.js started on', () => {
    expect(browserOrigin({ host: '127.0.0.1:3100' }, fallback)).toBe('http://127.0.0.1:3100');
    expect(browserOrigin({ host: '[::1]:3000' }, fallback)).toBe('http://[::1]:3000');
  });

  it("follows a proxy's forwarded host and protocol", () => {
    expect(
      browserOrigin({ host: '10.0.0.5:3000', forwardedHost: 'portal.example', forwardedProto: 'https' }, fallback),
    ).toBe('https://portal.example');
  });

  it('falls back for a missing or malformed host', () => {
    expect(browserOrigin({}, fallback)).toBe(fallback);
    expect(browserOrigin({ host: 'evil.example/path?x' }, fallback)).toBe(fallback);
    expect(browserOrigin({ host: 'a b' }, fallback)).toBe(fallback);
  });
});

describe('callback URLs', () => {
  it('come back to the portal origin the sign-in started on', () => {
    expect(oidcRedirectUri('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/login/oidc/callback');
    expect(oidcRedirectUri('https://portal.example/')).toBe('https://portal.example/login/oidc/callback');
  });

  it('are rebuilt from the flow and the query the browser arrived with', () => {
    expect(oidcCallbackUrl(flow, '?code=c0de&state=st4te&iss=http%3A%2F%2Fidp')).toBe(
      'http://127.0.0.1:3000/login/oidc/callback?code=c0de&state=st4te&iss=http%3A%2F%2Fidp',
    );
  });
});

describe('sign-in errors', () => {
  it('go back to the sign-in page, keeping a same-origin next', () => {
    expect(signInErrorPath('/me')).toBe('/login?error=sso&next=%2Fme');
    expect(signInErrorPath('/')).toBe('/login?error=sso');
    expect(signInErrorPath('https://evil.example')).toBe('/login?error=sso');
  });

  it('travel in a short-lived HttpOnly cookie, not the URL', () => {
    const cookie = signInErrorCookie('The account is disabled.', false);
    expect(cookie).toMatchObject({ name: 'meshgate_sign_in_error', httpOnly: true, path: '/login', maxAge: 60 });
    expect(readSignInError(cookie.value)).toBe('The account is disabled.');
    expect(readSignInError(undefined)).toBe('Single sign-on did not complete. Try again.');
    expect(readSignInError('%E0%A4%A')).toBe('Single sign-on did not complete. Try again.');
  });
});
