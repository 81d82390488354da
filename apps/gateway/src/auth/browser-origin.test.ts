import { describe, expect, it } from 'vitest';
import { isAllowedBrowserOrigin, parseBrowserOrigins } from './browser-origin';

describe('isAllowedBrowserOrigin', () => {
  it('allows clients that send no Origin (not browsers)', () => {
    expect(isAllowedBrowserOrigin(undefined, '127.0.0.1:4000', [])).toBe(true);
  });

  it('allows pages on the gateway’s own host, any port', () => {
    expect(isAllowedBrowserOrigin('http://127.0.0.1:3000', '127.0.0.1:4000', [])).toBe(true);
    expect(isAllowedBrowserOrigin('https://mesh.example.com', 'mesh.example.com', [])).toBe(true);
    expect(isAllowedBrowserOrigin('http://[::1]:3000', '[::1]:4000', [])).toBe(true);
  });

  it('refuses other hosts unless listed, and opaque or malformed origins', () => {
    expect(isAllowedBrowserOrigin('https://evil.example.com', 'mesh.example.com', [])).toBe(false);
    expect(isAllowedBrowserOrigin('http://localhost:3000', '127.0.0.1:4000', [])).toBe(false);
    expect(isAllowedBrowserOrigin('https://portal.example.com', 'gw.example.com', ['https://portal.example.com'])).toBe(
      true,
    );
    expect(isAllowedBrowserOrigin('null', '127.0.0.1:4000', [])).toBe(false);
    expect(isAllowedBrowserOrigin('https://portal.example.com', undefined, [])).toBe(false);
  });
});

describe('parseBrowserOrigins', () => {
  it('reads a comma-separated list of origins', () => {
    expect(parseBrowserOrigins(undefined)).toEqual([]);
    expect(parseBrowserOrigins(' https://portal.example.com/ , http://localhost:3000')).toEqual([
      'https://portal.example.com',
      'http://localhost:3000',
    ]);
  });

  it('refuses anything that is not an origin', () => {
    expect(() => parseBrowserOrigins('https://portal.example.com/path')).toThrow(/not an origin/);
    expect(() => parseBrowserOrigins('ftp://x')).toThrow(/not an origin/);
    expect(() => parseBrowserOrigins('portal')).toThrow();
  });
});

describe('MESHGATE_PORTAL_ORIGINS', () => {
  it('is read as a list of origins, and a malformed one stops the start with the variable named', async () => {
    const { readEnv } = await import('../env');
    expect(readEnv({ MESHGATE_PORTAL_ORIGINS: 'https://portal.example.com' }).MESHGATE_PORTAL_ORIGINS).toEqual([
      'https://portal.example.com',
    ]);
    expect(readEnv({}).MESHGATE_PORTAL_ORIGINS).toEqual([]);
    expect(() => readEnv({ MESHGATE_PORTAL_ORIGINS: 'https://portal.example.com/app' })).toThrow(
      /MESHGATE_PORTAL_ORIGINS: 'https:\/\/portal.example.com\/app' is not an origin/,
    );
  });
});
