'use client';

import { createClient, type Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'react';
import { formatTimestamp } from '../lib/format-timestamp';
import { describeStreamFailure, isFinalClose, type TailEvent } from '../lib/live-tail';

const TAIL_SUBSCRIPTION = /* GraphQL */ `
  subscription PortalLiveTail($type: String!, $after: String) {
    events(type: $type, after: $after, from: LATEST) {
      cursor
      partition
      offset
      time
      key
      data
    }
  }
`;

type TailState = 'idle' | 'connecting' | 'live' | 'paused' | 'failed';

/**
 * Live events of one event type, straight from the gateway's graphql-ws endpoint in the
 * browser. The browser sends the portal's session cookie with the WebSocket handshake (same
 * host, any port), so the gateway applies the signed-in person's masking and row filters: this
 * shows exactly what they may see. Pause unsubscribes and keeps the last cursor; Resume
 * subscribes again after it, so nothing produced meanwhile is missed. Keeps the last `limit`
 * events, newest first; a polite live status line says what arrived.
 */
export function LiveTail({ eventType, wsUrl, limit = 50 }: { eventType: string; wsUrl: string; limit?: number }) {
  const [state, setState] = useState<TailState>('idle');
  const [events, setEvents] = useState<TailEvent[]>([]);
  const [received, setReceived] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const client = useRef<Client | null>(null);
  const unsubscribe = useRef<(() => void) | null>(null);
  const lastCursor = useRef<string | null>(null);

  useEffect(
    () => () => {
      unsubscribe.current?.();
      void client.current?.dispose();
    },
    [],
  );

  function start() {
    setProblem(null);
    setState('connecting');
    client.current ??= createClient({
      url: wsUrl,
      lazy: true,
      // A dropped network may come back; a refused session (4403) or a quota (4429) will not.
      retryAttempts: 3,
      shouldRetry: (event) => !isFinalClose(event),
      on: { connected: () => setState((current) => (current === 'connecting' ? 'live' : current)) },
    });
    let stopped = false;
    const stop = client.current.subscribe<{ events: TailEvent }>(
      { query: TAIL_SUBSCRIPTION, variables: { type: eventType, after: lastCursor.current } },
      {
        next: (result) => {
          const event = result.data?.events;
          if (!event) return;
          lastCursor.current = event.cursor;
          setState('live');
          setEvents((previous) => [event, ...previous].slice(0, limit));
          setReceived((count) => count + 1);
        },
        error: (error: unknown) => {
          if (stopped) return;
          unsubscribe.current = null;
          setProblem(describeStreamFailure(error, wsUrl));
          setState('failed');
        },
        complete: () => {
          if (stopped) return;
          unsubscribe.current = null;
          setState('paused');
        },
      },
    );
    unsubscribe.current = () => {
      stopped = true;
      stop();
    };
  }

  function pause() {
    unsubscribe.current?.();
    unsubscribe.current = null;
    setState('paused');
  }

  const running = state === 'connecting' || state === 'live';
  return (
    <div className="live-tail">
      <div className="live-tail__controls">
        {running ? (
          <button type="button" className="button" onClick={pause}>
            Pause
          </button>
        ) : (
          <button type="button" className="button button--primary" onClick={start}>
            {state === 'idle' ? 'Start live tail' : 'Resume'}
          </button>
        )}
        <button
          type="button"
          className="button button--quiet"
          onClick={() => setEvents([])}
          disabled={events.length === 0}
        >
          Clear
        </button>
        <p className="live-tail__status" role="status" aria-live="polite">
          <span className={`live-dot live-dot--${state}`} aria-hidden="true" />
          {statusText(state, received, events.length, limit)}
        </p>
      </div>
      {problem ? (
        <p className="live-tail__problem" role="alert">
          {problem}
        </p>
      ) : null}
      {events.length === 0 ? (
        <p className="muted live-tail__empty">
          {state === 'idle'
            ? 'Start the live tail to watch new events as they are produced.'
            : 'No events yet. New events appear here as they are produced.'}
        </p>
      ) : (
        <ol className="live-tail__events" aria-label={`Latest events of ${eventType}, newest first`}>
          {events.map((event) => (
            <li key={event.cursor} className="live-tail__event">
              <p className="live-tail__meta">
                <time dateTime={event.time}>{formatTimestamp(event.time)}</time>
                <span>
                  partition {event.partition}, offset {event.offset}
                </span>
                {event.key === null ? null : (
                  <span>
                    key <code>{event.key}</code>
                  </span>
                )}
              </p>
              <pre className="live-tail__data" tabIndex={0} aria-label={`Event at offset ${event.offset}`}>
                <code>{JSON.stringify(event.data, null, 2)}</code>
              </pre>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function statusText(state: TailState, received: number, shown: number, limit: number): string {
  const counts =
    received === 0
      ? ''
      : ` ${received === 1 ? '1 event' : `${received} events`} received${received > shown ? `; showing the last ${Math.min(shown, limit)}` : ''}.`;
  switch (state) {
    case 'idle':
      return 'Not started.';
    case 'connecting':
      return `Connecting…${counts}`;
    case 'live':
      return `Live.${counts}`;
    case 'paused':
      return `Paused.${counts}`;
    case 'failed':
      return `Stopped.${counts}`;
  }
}
