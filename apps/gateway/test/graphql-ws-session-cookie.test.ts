import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { request, startTestGateway, type TestGateway } from './harness';

/** Opens a graphql-ws socket with the given handshake headers; resolves with how it went. */
function connect(
  url: string,
  headers: Record<string, string>,
  payload: Record<string, unknown> = {},
): Promise<{ acked: boolean; closeCode?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { type: string }).type === 'connection_ack') {
        socket.close();
        resolve({ acked: true });
      }
    });
    socket.once('close', (code) => resolve({ acked: false, closeCode: code }));
    socket.once('error', reject);
  });
}

describe('graphql-ws with the portal session cookie (browsers)', () => {
  let gw: TestGateway;
  let cookie: string;

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { access: { portalOrigins: ['https://portal.example.com'] } });
    await request(gw.url, 'POST', '/v1/admin/users', {
      email: 'ws@cookie.test',
      name: 'WS',
      password: 'a long passphrase',
    });
    const login = await request(
      gw.url,
      'POST',
      '/v1/auth/login',
      { email: 'ws@cookie.test', password: 'a long passphrase' },
      { authorization: '' },
    );
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('accepts the cookie from a page on the gateway’s host (any port), a listed origin, or no browser at all', async () => {
    expect(await connect(gw.url, { cookie, origin: 'http://127.0.0.1:3000' })).toEqual({ acked: true });
    expect(await connect(gw.url, { cookie, origin: 'https://portal.example.com' })).toEqual({ acked: true });
    expect(await connect(gw.url, { cookie })).toEqual({ acked: true });
  });

  it('refuses the cookie from a page elsewhere with 4403, and audits it', async () => {
    expect(await connect(gw.url, { cookie, origin: 'https://evil.example.com' })).toEqual({
      acked: false,
      closeCode: 4403,
    });
    expect(await connect(gw.url, { cookie, origin: 'null' })).toMatchObject({ closeCode: 4403 });
    const audit = await request(gw.url, 'GET', '/v1/audit?action=auth.denied&resource=graphql-ws');
    expect(audit.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: expect.stringContaining('https://evil.example.com'), decision: 'deny' }),
      ]),
    );
  });

  it('still accepts explicit credentials from any page: only the ambient cookie is checked', async () => {
    const app = await request(gw.url, 'POST', '/v1/admin/applications', { name: 'ws-origin-app' });
    const key = await request(gw.url, 'POST', `/v1/admin/applications/${app.body.id}/keys`, { name: 'k' });
    expect(
      await connect(gw.url, { origin: 'https://elsewhere.example.com' }, { authorization: `Bearer ${key.body.token}` }),
    ).toEqual({ acked: true });
  });
});
