import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { adminAuth, request, startTestGateway, uniqueName, type TestGateway } from './harness';

// The graphql-transport-ws protocol, spoken by hand so each rule is visible: init timeout (4408),
// duplicate subscription id (4409), too many init (4429), ping/pong, and a bad subscription as an
// `error` message rather than a dropped socket.
describe('graphql-ws protocol details', () => {
  let gw: TestGateway;
  let eventType: string;

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { graphqlInitTimeoutMs: 300 });
    eventType = uniqueName('ws.proto');
    await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, { summary: 's', owner: 'o' });
    await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: '{}',
      schemaType: 'JSON',
    });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  function open(): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>>; closed: Promise<number> }> {
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers: adminAuth });
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, messages, closed }));
      ws.once('error', reject);
    });
  }

  async function acked() {
    const socket = await open();
    socket.ws.send(JSON.stringify({ type: 'connection_init' }));
    const deadline = Date.now() + 5000;
    while (!socket.messages.some((m) => m.type === 'connection_ack')) {
      if (Date.now() > deadline) throw new Error('no connection_ack');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return socket;
  }

  it('closes a socket that never sends connection_init with 4408', async () => {
    const { closed } = await open();
    expect(await closed).toBe(4408);
  });

  it('closes with 4429 on a second connection_init', async () => {
    const { ws, closed } = await acked();
    ws.send(JSON.stringify({ type: 'connection_init' }));
    expect(await closed).toBe(4429);
  });

  it('closes with 4409 when a subscription id is reused while it runs', async () => {
    const { ws, closed } = await acked();
    const subscribe = {
      id: 'same',
      type: 'subscribe',
      payload: { query: `subscription($t: String!) { events(type: $t) { cursor } }`, variables: { t: eventType } },
    };
    ws.send(JSON.stringify(subscribe));
    await new Promise((resolve) => setTimeout(resolve, 200));
    ws.send(JSON.stringify(subscribe));
    expect(await closed).toBe(4409);
  });

  it('answers ping with pong', async () => {
    const { ws, messages } = await acked();
    ws.send(JSON.stringify({ type: 'ping' }));
    const deadline = Date.now() + 3000;
    while (!messages.some((m) => m.type === 'pong')) {
      if (Date.now() > deadline) throw new Error('no pong');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    ws.close();
  });

  it('reports an unknown event type as an error message with extensions.code, keeping the socket open', async () => {
    const { ws, messages } = await acked();
    ws.send(
      JSON.stringify({
        id: 'x',
        type: 'subscribe',
        payload: { query: `subscription { events(type: "no.such.type") { cursor } }` },
      }),
    );
    const deadline = Date.now() + 3000;
    let error: Record<string, unknown> | undefined;
    while (!(error = messages.find((m) => m.type === 'error' || m.type === 'next'))) {
      if (Date.now() > deadline) throw new Error('no error message');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const payload = JSON.stringify(error);
    expect(payload).toContain('EVENT_TYPE_NOT_FOUND');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
