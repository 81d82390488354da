import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake registry received. */
export interface RecordedRequest {
  method: string;
  /** Path and query, relative to the registry's base URL. */
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A canned answer. */
export interface CannedResponse {
  status?: number;
  body: unknown;
  /** Default: Confluent's content type. */
  contentType?: string;
  /** Wait this long before answering (for timeouts). */
  delayMs?: number;
}

/** A small HTTP server answering Confluent Schema Registry paths under `/registry` with canned bodies. */
export interface FakeRegistry {
  /** e.g. `http://127.0.0.1:PORT/registry`. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a fake registry on a free port. `routes` maps `METHOD /path` (without the `/registry`
 * prefix or the query) to an answer; anything else gets Confluent's 404 `{error_code: 404}`.
 */
export async function startFakeRegistry(
  routes: Record<string, CannedResponse | ((request: RecordedRequest) => CannedResponse)>,
): Promise<FakeRegistry> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = (req.url ?? '').replace(/^\/registry/, '');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as unknown) : undefined,
      };
      requests.push(recorded);
      const route = routes[`${recorded.method} ${decodeURIComponent(url.split('?')[0] ?? '')}`];
      const answer = typeof route === 'function' ? route(recorded) : route;
      const {
        status = 200,
        body,
        contentType = 'application/vnd.schemaregistry.v1+json',
        delayMs = 0,
      } = answer ?? {
        status: 404,
        body: { error_code: 404, message: 'HTTP 404 Not Found' },
      };
      setTimeout(() => {
        res.writeHead(status, { 'content-type': contentType });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/registry`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: a port the system handed out and that was closed again. */
export async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/registry`;
}
