import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPath } from './sign-in-path';

describe('safeNextPath', () => {
  it.each([
    ['/', '/'],
    ['/event-types/orders.order-created', '/event-types/orders.order-created'],
    ['/audit?decision=deny&action=auth.', '/audit?decision=deny&action=auth.'],
    ['/me#grants', '/me#grants'],
    // Dot segments are resolved, and stay on the portal.
    ['/a/../me', '/me'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    ['absolute URL', 'https://evil.example/'],
    ['protocol-relative URL', '//evil.example/path'],
    ['backslash trick', '/\\evil.example'],
    ['javascript URL', 'javascript:alert(1)'],
    ['relative path', 'me'],
    ['control characters', '/\t/evil.example'],
    ['newline', '/me\nSet-Cookie: x'],
    ['the sign-in page', '/login?next=/me'],
    ['empty', ''],
    ['not a string', ['/me']],
    ['missing', undefined],
  ])('refuses %s', (_what, raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });
});

describe('signInPath', () => {
  it('encodes where to come back to', () => {
    expect(signInPath('/audit?decision=deny')).toBe('/login?next=%2Faudit%3Fdecision%3Ddeny');
  });

  it('leaves out a next of / or an unsafe one', () => {
    expect(signInPath('/')).toBe('/login');
    expect(signInPath('//evil.example')).toBe('/login');
  });
});
