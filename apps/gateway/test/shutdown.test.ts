import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { adminConnectionParams, openSse, request, startTestGateway, uniqueName, waitFor } from './harness';

describe('graceful shutdown', () => {
  it('ends SSE streams, closes graphql-ws sockets with 1001, and finishes promptly', async () => {
    const gw = await startTestGateway('postgres', { shutdownGraceMs: 5000 });
    const name = uniqueName('shutdown');
    await request(gw.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o' });
    await request(gw.url, 'POST', `/registry/subjects/${name}-value/versions`, { schema: '{}', schemaType: 'JSON' });

    const sse = await openSse(`${gw.url}/v1/events/${name}/stream`);
    await waitFor(() => (sse.comments.includes('connected') ? true : undefined), 5000, 'SSE open');
    let closeCode: number | undefined;
    const client = createClient({
      url: `${gw.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: adminConnectionParams,
      retryAttempts: 0,
      on: { closed: (event) => (closeCode = (event as { code: number }).code) },
    });
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const dispose = client.subscribe(
      { query: `subscription($t: String!) { events(type: $t) { cursor } }`, variables: { t: name } },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await connected;

    const started = Date.now();
    await gw.stop();
    expect(Date.now() - started).toBeLessThan(4000);
    await waitFor(() => (sse.ended ? true : undefined), 2000, 'SSE stream to end');
    await waitFor(() => closeCode, 2000, 'WebSocket close');
    expect(closeCode).toBe(1001);
    dispose();
    await client.dispose();
    await sse.close();
  });
});
