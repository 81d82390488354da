import { adminAuth } from './harness';
import http from 'node:http';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { decodeCursor } from '@meshgate/core';
import { SseFrameParser, type SseMessage } from './sse-frames';

/** One event as a test client received it (the events carry `{seq}` in their data). */
export interface ReceivedEvent {
  seq: number;
  cursor: string;
  partition: number;
  offset: number;
  /** `Date.now()` when the client parsed it. */
  receivedAt: number;
}

/** Every seq in [0, total) exactly once, in offset order per partition, each cursor past its event. */
export function expectEveryEventOnce(events: readonly ReceivedEvent[], total: number): void {
  expect(events.map((event) => event.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
  const lastOffset = new Map<number, number>();
  for (const event of events) {
    expect(event.offset).toBeGreaterThan(lastOffset.get(event.partition) ?? -1);
    lastOffset.set(event.partition, event.offset);
    expect(decodeCursor(event.cursor).get(event.partition)).toBe(event.offset + 1);
  }
}

/** The stream envelope's fields a test looks at (SSE `data:` and the GraphQL `events` delivery). */
interface Envelope {
  cursor: string;
  partition: number;
  offset: number | string;
  data: { seq: number };
}

function received(envelope: Envelope): ReceivedEvent {
  return {
    seq: envelope.data.seq,
    cursor: envelope.cursor,
    partition: envelope.partition,
    offset: Number(envelope.offset),
    receivedAt: Date.now(),
  };
}

/** An SSE stream read through `node:http`, whose reading the test controls. */
export interface SseRecorder {
  /** Events in arrival order. */
  events: ReceivedEvent[];
  /** `event: error` frames (the gateway's explanation of why it ended the stream). */
  errors: SseMessage[];
  /** Every frame, events and errors, in arrival order. */
  frames: SseMessage[];
  /** Resolves when the response has ended (the gateway closed the stream) or the client closed it. */
  done: Promise<void>;
  /** True once the response ended. */
  readonly ended: boolean;
  /** True while the client is not reading. */
  readonly paused: boolean;
  /** Stops reading: the socket is no longer read, so TCP back-pressure builds up to the gateway. */
  pause(): void;
  /** Reads again, first what was waiting in the socket. */
  resume(): void;
  /** Closes the connection. */
  close(): void;
}

/** Options for {@link recordSse}. */
export interface RecordSseOptions {
  /** Resume after this cursor (sent as `Last-Event-ID`). */
  lastEventId?: string;
  /** Stop reading once this many events arrived (a subscriber that stalls); 0: never read. */
  pauseAfter?: number;
}

/** The stream answered 503 UNAVAILABLE (retriable) when it was opened. */
class UnavailableAnswer extends Error {}

/** How long openers retry a stream that answers UNAVAILABLE (see {@link recordSse}). */
const UNAVAILABLE_RETRY_MS = 10_000;

/**
 * Opens `GET {url}` as an SSE stream with `node:http` (no agent, its own socket) and records what
 * arrives. Pausing pauses the response, whose socket then stops being read: the kernel buffers
 * fill and the gateway's writes stop draining, as with a real client that stops reading.
 * Resolves once the response headers are in; rejects on another status than 200. A 503
 * UNAVAILABLE (retriable by contract) is retried for a few seconds, as clients should: on Kafka
 * a stream opened while the gateway describes another topic can fail that way (kafkajs's admin
 * replaces its cached metadata with that topic's alone, and a concurrent ListOffsets finds no
 * leaders for ours — the dead-letter worker does this when an event type is declared).
 */
export async function recordSse(url: string, options: RecordSseOptions = {}): Promise<SseRecorder> {
  const deadline = Date.now() + UNAVAILABLE_RETRY_MS;
  for (;;) {
    try {
      return await openRecordedSse(url, options);
    } catch (error) {
      if (!(error instanceof UnavailableAnswer) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function openRecordedSse(url: string, options: RecordSseOptions): Promise<SseRecorder> {
  return new Promise((resolve, reject) => {
    const events: ReceivedEvent[] = [];
    const errors: SseMessage[] = [];
    const frames: SseMessage[] = [];
    const headers: Record<string, string> = { accept: 'text/event-stream', ...adminAuth };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const request = http.get(url, { headers, agent: false });
    request.once('error', reject);
    request.once('response', (response) => {
      // Errors after the response began (a reset) end the stream; `done` reports them.
      request.on('error', () => undefined);
      if (response.statusCode !== 200) {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          const message = `SSE answered ${response.statusCode}: ${body}`;
          reject(response.statusCode === 503 ? new UnavailableAnswer(message) : new Error(message));
        });
        return;
      }
      let ended = false;
      let paused = options.pauseAfter === 0;
      const parser = new SseFrameParser({
        message: (message) => {
          frames.push(message);
          if (message.event === 'error') errors.push(message);
          else if (message.id !== undefined) {
            events.push(received(JSON.parse(message.data) as Envelope));
            if (events.length === options.pauseAfter) recorder.pause();
          }
        },
      });
      const done = new Promise<void>((settle) => {
        const finish = () => {
          ended = true;
          settle();
        };
        response.once('end', finish);
        response.once('close', finish);
        response.once('error', finish);
      });
      response.on('data', (chunk: Buffer) => parser.push(chunk));
      if (options.pauseAfter === 0) response.pause();
      const recorder: SseRecorder = {
        events,
        errors,
        frames,
        done,
        get ended() {
          return ended;
        },
        get paused() {
          return paused;
        },
        pause() {
          paused = true;
          response.pause();
        },
        resume() {
          paused = false;
          response.resume();
        },
        close() {
          request.destroy();
        },
      };
      resolve(recorder);
    });
  });
}

/** What one graphql-ws operation received. */
export interface OperationRecord {
  /** The `payload` of every `next` message. */
  nexts: Array<{ data?: Record<string, unknown> | null; errors?: unknown[] }>;
  /** Deliveries of a generic `events` subscription, parsed. */
  events: ReceivedEvent[];
  /** The payload of its `error` message (a list of GraphQL errors), if it got one. */
  error: Array<{ message: string; extensions?: { code?: string; details?: unknown } }> | undefined;
  /** True once the server sent `complete`. */
  completed: boolean;
}

/** Options for {@link GraphqlWsRecorder.subscribeEvents}. */
export interface SubscribeEventsOptions {
  after?: string;
  from?: 'EARLIEST' | 'LATEST';
  /** Stop reading the socket once this many events arrived. */
  pauseAfter?: number;
}

/**
 * A graphql-transport-ws client spoken by hand over a raw `ws` socket, so a test sees every
 * protocol message (`error` with `extensions.code`, close codes) and can stop reading the socket.
 */
export class GraphqlWsRecorder {
  /** Records per operation id. */
  readonly operations = new Map<string, OperationRecord>();
  /** The close code, once the socket closed. */
  closeCode: number | undefined;
  private readonly closed: Promise<number>;
  private readonly pauseAfter = new Map<string, number | undefined>();
  private readonly retries = new Map<string, { message: string; until: number }>();
  private readonly retrying = new Set<string>();
  private isPaused = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(JSON.parse(String(data)) as ServerMessage));
    this.closed = new Promise((resolve) =>
      ws.once('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  /** Opens a socket to `{baseUrl}/graphql` and waits for `connection_ack`. */
  static async connect(baseUrl: string, timeoutMs = 10_000): Promise<GraphqlWsRecorder> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: adminAuth,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const acked = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connection_ack')), timeoutMs);
      ws.on('message', (data) => {
        if ((JSON.parse(String(data)) as ServerMessage).type === 'connection_ack') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const client = new GraphqlWsRecorder(ws);
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await acked;
    return client;
  }

  /** True while the socket is open. */
  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** True while the client is not reading. */
  get paused(): boolean {
    return this.isPaused;
  }

  /**
   * Starts an operation and returns its record. An `error` with UNAVAILABLE before anything was
   * delivered is retried (same id) for a few seconds, for the reason given at {@link recordSse}.
   */
  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): OperationRecord {
    const record: OperationRecord = { nexts: [], events: [], error: undefined, completed: false };
    this.operations.set(id, record);
    const message = JSON.stringify({ id, type: 'subscribe', payload: { query, variables } });
    this.retries.set(id, { message, until: Date.now() + UNAVAILABLE_RETRY_MS });
    this.ws.send(message);
    return record;
  }

  /** Subscribes to the generic `events` subscription and parses each delivery. */
  subscribeEvents(id: string, eventType: string, options: SubscribeEventsOptions = {}): OperationRecord {
    const record = this.subscribe(
      id,
      `subscription($t: String!, $after: String, $from: StartPosition) {
        events(type: $t, after: $after, from: $from) { cursor partition offset data }
      }`,
      { t: eventType, after: options.after ?? null, from: options.from ?? 'LATEST' },
    );
    this.pauseAfter.set(id, options.pauseAfter);
    return record;
  }

  /** Stops reading the socket (`ws.pause()` pauses the TCP socket under it). */
  pause(): void {
    this.isPaused = true;
    this.ws.pause();
  }

  /** Reads again, first what was waiting in the socket. */
  resume(): void {
    this.isPaused = false;
    this.ws.resume();
  }

  /** Sends `complete` for an operation. */
  complete(id: string): void {
    this.ws.send(JSON.stringify({ id, type: 'complete' }));
  }

  /** Closes the socket (1000) and resolves with the close code. */
  async close(): Promise<number> {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    return this.closed;
  }

  private receive(message: ServerMessage): void {
    const id = message.id;
    const record = id === undefined ? undefined : this.operations.get(id);
    if (id === undefined || !record) return;
    if (message.type === 'next') {
      const payload = message.payload as OperationRecord['nexts'][number];
      // An operation that fails to open answers `next` with errors, then `complete`.
      if (this.retryUnavailable(id, record, payload.errors)) return;
      record.nexts.push(payload);
      const delivery = payload.data?.events as Envelope | undefined;
      if (delivery) {
        record.events.push(received(delivery));
        if (record.events.length === this.pauseAfter.get(id)) this.pause();
      }
    } else if (message.type === 'error') {
      const errors = message.payload as NonNullable<OperationRecord['error']>;
      if (this.retryUnavailable(id, record, errors)) return;
      record.error = errors;
    } else if (message.type === 'complete') {
      // The `complete` of an attempt being retried is not the operation's.
      if (!this.retrying.has(id)) record.completed = true;
    }
  }

  /** Subscribes again (same id) after an UNAVAILABLE open, within the retry window; true if it will. */
  private retryUnavailable(id: string, record: OperationRecord, errors: unknown[] | undefined): boolean {
    const retry = this.retries.get(id);
    const code = (errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
    if (!retry || code !== 'UNAVAILABLE' || record.nexts.length > 0 || Date.now() > retry.until) return false;
    this.retrying.add(id);
    setTimeout(() => {
      this.retrying.delete(id);
      if (this.open) this.ws.send(retry.message);
    }, 200);
    return true;
  }
}

interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}
