import { describe, expect, it } from 'vitest';
import { parsePortalEnv, PortalEnvError } from './env';

describe('parsePortalEnv', () => {
  it('defaults the gateway to 127.0.0.1:4000', () => {
    expect(parsePortalEnv({})).toEqual({
      MESHGATE_GATEWAY_URL: 'http://127.0.0.1:4000',
      MESHGATE_PUBLIC_GATEWAY_URL: undefined,
    });
    expect(parsePortalEnv({ MESHGATE_GATEWAY_URL: '  ' }).MESHGATE_GATEWAY_URL).toBe('http://127.0.0.1:4000');
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(parsePortalEnv({ MESHGATE_GATEWAY_URL: 'https://mesh.example.com/gateway/' }).MESHGATE_GATEWAY_URL).toBe(
      'https://mesh.example.com/gateway',
    );
  });

  it.each([
    ['not a url', /absolute URL/],
    ['ftp://host', /http or https/],
    ['http://user:secret@host', /credentials/],
    ['http://host/?a=1', /query/],
  ])('rejects %s', (value, message) => {
    expect(() => parsePortalEnv({ MESHGATE_GATEWAY_URL: value })).toThrow(PortalEnvError);
    expect(() => parsePortalEnv({ MESHGATE_GATEWAY_URL: value })).toThrow(message);
  });

  it('reads the public gateway URL, checked like the other', () => {
    expect(
      parsePortalEnv({ MESHGATE_PUBLIC_GATEWAY_URL: 'https://api.example.com/' }).MESHGATE_PUBLIC_GATEWAY_URL,
    ).toBe('https://api.example.com');
    expect(parsePortalEnv({ MESHGATE_PUBLIC_GATEWAY_URL: ' ' }).MESHGATE_PUBLIC_GATEWAY_URL).toBeUndefined();
    expect(() => parsePortalEnv({ MESHGATE_PUBLIC_GATEWAY_URL: 'ws://host' })).toThrow(
      /MESHGATE_PUBLIC_GATEWAY_URL must use http or https/,
    );
  });
});
