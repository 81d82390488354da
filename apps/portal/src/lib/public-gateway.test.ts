import { describe, expect, it } from 'vitest';
import { publicGatewayUrl } from './public-gateway';

describe('publicGatewayUrl', () => {
  it('uses the configured public URL as it is', () => {
    expect(
      publicGatewayUrl({
        configured: 'https://api.example.com',
        internal: 'http://127.0.0.1:4000',
        requestHost: 'portal.example.com',
      }),
    ).toBe('https://api.example.com');
  });

  it('puts the browser’s host on a gateway on this machine, keeping its port and path', () => {
    const internal = 'http://127.0.0.1:4000';
    expect(publicGatewayUrl({ configured: undefined, internal, requestHost: 'localhost:3000' })).toBe(
      'http://localhost:4000',
    );
    expect(publicGatewayUrl({ configured: undefined, internal, requestHost: '127.0.0.1:3100' })).toBe(
      'http://127.0.0.1:4000',
    );
    expect(
      publicGatewayUrl({ configured: undefined, internal: 'http://localhost:4000/mesh', requestHost: 'dev-box:3000' }),
    ).toBe('http://dev-box:4000/mesh');
    expect(publicGatewayUrl({ configured: undefined, internal, requestHost: '[::1]:3000, proxy' })).toBe(
      'http://[::1]:4000',
    );
  });

  it('keeps a remote gateway URL, and ignores a missing or odd Host', () => {
    expect(
      publicGatewayUrl({ configured: undefined, internal: 'http://gateway:4000', requestHost: 'portal.example.com' }),
    ).toBe('http://gateway:4000');
    const internal = 'http://127.0.0.1:4000';
    expect(publicGatewayUrl({ configured: undefined, internal, requestHost: null })).toBe(internal);
    expect(publicGatewayUrl({ configured: undefined, internal, requestHost: 'evil.example/path' })).toBe(internal);
    expect(publicGatewayUrl({ configured: undefined, internal, requestHost: 'a b' })).toBe(internal);
  });
});
