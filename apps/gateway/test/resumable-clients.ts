import { withAuth, adminConnectionParams } from './harness';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { SseFrameParser } from './sse-frames';

/** A client that follows a stream across disconnects and records the `seq` of every event seen. */
export interface FollowingClient {
  seen: Set<number>;
  /** Resolves once the client stopped (after `stopped()` turned true). */
  done: Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An SSE client that reconnects with Last-Event-ID whenever the stream ends or fails. */
export function followSse(url: string, eventType: string, stopped: () => boolean): FollowingClient {
  const seen = new Set<number>();
  let cursor: string | undefined;
  const done = (async () => {
    while (!stopped()) {
      const controller = new AbortController();
      const stopTimer = setInterval(() => stopped() && controller.abort(), 100);
      try {
        const response = await fetch(`${url}/v1/events/${eventType}/stream?from=earliest`, {
          headers: withAuth(cursor ? { 'last-event-id': cursor } : {}),
          signal: controller.signal,
        });
        const parser = new SseFrameParser({
          message: ({ id, event, data }) => {
            // An `event: error` frame (the stream's end) carries no cursor to resume from.
            if (id === undefined || event !== undefined) return;
            seen.add((JSON.parse(data) as { data: { seq: number } }).data.seq);
            cursor = id;
          },
        });
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.push(chunk);
      } catch {
        // refused or reset while the gateway or broker is down: try again
      } finally {
        clearInterval(stopTimer);
      }
      await pause(200);
    }
  })();
  return { seen, done };
}

/** A graphql-ws client that resubscribes with `after: <last cursor>` whenever its subscription ends. */
export function followGraphql(url: string, eventType: string, stopped: () => boolean): FollowingClient {
  const seen = new Set<number>();
  let cursor: string | undefined;
  const done = (async () => {
    while (!stopped()) {
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: adminConnectionParams,
        retryAttempts: 0,
      });
      await new Promise<void>((resolve) => {
        const stopTimer = setInterval(() => {
          if (stopped()) finish();
        }, 100);
        const finish = () => {
          clearInterval(stopTimer);
          dispose();
          resolve();
        };
        const dispose = client.subscribe<{ events: { cursor: string; data: { seq: number } } }>(
          {
            query: `subscription($t: String!, $after: String) { events(type: $t, after: $after, from: EARLIEST) { cursor data } }`,
            variables: { t: eventType, after: cursor ?? null },
          },
          {
            next: (value) => {
              if (!value.data) return;
              seen.add(value.data.events.data.seq);
              cursor = value.data.events.cursor;
            },
            error: finish,
            complete: finish,
          },
        );
      });
      await client.dispose();
      await pause(200);
    }
  })();
  return { seen, done };
}

/** Produces one event, retrying until it is accepted (at-least-once; tests deduplicate by seq). */
export async function produceWithRetry(url: string, eventType: string, event: unknown): Promise<void> {
  for (;;) {
    const ok = await fetch(`${url}/v1/events/${eventType}`, {
      method: 'POST',
      headers: withAuth({ 'content-type': 'application/json' }),
      body: JSON.stringify(event),
    }).then(
      (r) => r.status === 202,
      () => false,
    );
    if (ok) return;
    await pause(100);
  }
}

/**
 * Produces events as one NDJSON batch (padded past 8 KiB, so a produce worker checks and
 * appends it), retrying until the gateway accepts it.
 */
export async function produceBatchWithRetry(url: string, eventType: string, events: object[]): Promise<void> {
  const pad = 'p'.repeat(Math.ceil(8192 / events.length));
  const body = `${events.map((event) => JSON.stringify({ ...event, pad })).join('\n')}\n`;
  for (;;) {
    const ok = await fetch(`${url}/v1/events/${eventType}`, {
      method: 'POST',
      headers: withAuth({ 'content-type': 'application/x-ndjson' }),
      body,
    }).then(
      (r) => r.status === 202,
      () => false,
    );
    if (ok) return;
    await pause(100);
  }
}
