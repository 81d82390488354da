import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { apiKeyFromToken } from '@meshgate/policy';
import { createGateway, type Gateway, type GatewayOptions } from '../src/app';
import { createLogger } from '../src/logger';
import { SseFrameParser, type SseMessage } from './sse-frames';

/** The event-log adapters every end-to-end scenario runs against. */
export const adapters = ['postgres', 'kafka'] as const;
export type Adapter = (typeof adapters)[number];

/** Kafka brokers of the test run; a Kafka suite without a broker fails, it never skips. */
export function testKafkaBrokers(): string[] {
  const brokers = process.env.MESHGATE_TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('MESHGATE_TEST_KAFKA_BROKERS is not set: the Kafka suite needs the real broker.');
  return brokers.split(',');
}

/**
 * The administrator token every test gateway starts with (MESHGATE_BOOTSTRAP_TOKEN): the
 * helpers below send it unless a test passes its own `authorization` header ('' sends none).
 */
export const TEST_TOKEN = 'meshgate-test-admin-token-0123456789';

/** `Authorization` for the test administrator. */
export const adminAuth = { authorization: `Bearer ${TEST_TOKEN}` } as const;

/** `headers` plus the test administrator's Authorization, unless `headers` sets its own ('' = none). */
export function withAuth(headers: Record<string, string> = {}): Record<string, string> {
  if (!('authorization' in headers)) return { ...adminAuth, ...headers };
  if (headers.authorization !== '') return headers;
  const { authorization: _none, ...rest } = headers;
  return rest;
}

/** HTTP Basic credentials (key id, secret) of the test administrator, as Confluent clients send them. */
export const adminBasicAuth = { username: apiKeyFromToken(TEST_TOKEN).keyId, password: TEST_TOKEN } as const;

/** graphql-ws connectionParams for the test administrator. */
export const adminConnectionParams = { authorization: `Bearer ${TEST_TOKEN}` } as const;

/** A gateway on a free port over a fresh database (and Kafka, for that adapter). */
export interface TestGateway {
  gateway: Gateway;
  url: string;
  db: TestDatabase;
  stop(): Promise<void>;
}

/** Starts a gateway for one test file and waits until it is ready. */
export async function startTestGateway(adapter: Adapter, options: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-gw-'));
  const gateway = await createGateway({
    port: 0,
    dataDir,
    databaseUrl: db.url,
    kafkaBrokers: adapter === 'kafka' ? testKafkaBrokers() : undefined,
    seedDemo: false,
    logger: createLogger(process.env.MESHGATE_TEST_LOG === '1' ? 'debug' : 'silent', false),
    ...options,
    access: { bootstrapToken: TEST_TOKEN, ...options.access },
  });
  await gateway.runtime.ready();
  return {
    gateway,
    url: gateway.url,
    db,
    async stop() {
      await gateway.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A unique name per test, so tests never share topics or subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type { SseMessage } from './sse-frames';

/** Opens an SSE stream with fetch and collects its frames until closed. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: withAuth({ accept: 'text/event-stream', ...headers }),
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const parser = new SseFrameParser({
    message: (message) => messages.push(message),
    comment: (text) => comments.push(text),
  });
  let ended = false;
  const done = (async () => {
    if (!response.body) return;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.push(chunk);
    } catch {
      // aborted
    } finally {
      ended = true;
    }
  })();
  return {
    response,
    messages,
    comments,
    get ended() {
      return ended;
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}

/** JSON request helper returning status and parsed body. */
export async function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const init: RequestInit = { method, headers: withAuth(headers) };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
