import { describe, expect, it } from 'vitest';
import { escapePointerToken, pointerOf, unescapeFragmentToken, unescapePointerToken } from './json-pointer';

describe('JSON pointer tokens', () => {
  it('escapes ~ before / so that neither reads back as the other', () => {
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c');
    expect(escapePointerToken('~1')).toBe('~01');
    expect(unescapePointerToken('~01')).toBe('~1');
    for (const token of ['', 'plain', 'a/b', '~', '~0', '~1', '/~/', 'x~01/y']) {
      expect(unescapePointerToken(escapePointerToken(token))).toBe(token);
    }
  });

  it('builds pointers from keys and indexes, the empty pointer for the root', () => {
    expect(pointerOf([])).toBe('');
    expect(pointerOf(['channels', 'orders/created', 0, 'a~b'])).toBe('/channels/orders~1created/0/a~0b');
  });

  it('reads fragment tokens percent-decoded where they decode, as they are where they do not', () => {
    expect(unescapeFragmentToken('a%20b~1c')).toBe('a b/c');
    expect(unescapeFragmentToken('100%~0')).toBe('100%~');
  });
});
