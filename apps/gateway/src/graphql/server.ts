import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type * as GraphQL from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import { toApolloGateway, type SchemaProvider } from './schema-provider';

/** The GraphQL transports: Apollo Server over HTTP and graphql-ws on the same port and path. */
export interface GraphQLTransport {
  /** Stops accepting subscriptions and closes open sockets with 1001 (going away). */
  closeSockets(): Promise<void>;
  /** Stops Apollo Server (and with it the schema provider); call after HTTP has drained. */
  stop(): Promise<void>;
}

// graphql-js refuses schemas built by another copy of itself. graphql-tools and graphql-ws load
// graphql through Node's resolution (CommonJS); a bundler-aware loader (Vitest) may hand this
// module the ESM build instead. Requiring it pins the same copy the schema was built with.
const {
  createSourceEventStream,
  execute: executeGraphQL,
  print,
} = createRequire(import.meta.url)('graphql') as typeof GraphQL;

type Result = ExecutionResult | Promise<ExecutionResult>;
const sharedResults = new WeakMap<object, Map<string, Result>>();

/**
 * graphql's `subscribe`, except that each event's selection is executed once for every
 * subscriber with the same operation and variables, not once per subscriber: subscribers of one
 * topic receive the same payload object from the fan-out hub, so the result is cached on it.
 * With access policies the subscriber's view must join the key (masking differs per grant).
 */
async function subscribeSharingResults(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const key = `${args.operationName ?? ''}\n${print(args.document)}\n${JSON.stringify(args.variableValues ?? {})}`;
  const execute = (payload: unknown): Result => {
    if (typeof payload !== 'object' || payload === null) return executeGraphQL({ ...args, rootValue: payload });
    let byKey = sharedResults.get(payload);
    if (!byKey) {
      byKey = new Map();
      sharedResults.set(payload, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = executeGraphQL({ ...args, rootValue: payload });
      byKey.set(key, result);
    }
    return result;
  };
  const iterator = source[Symbol.asyncIterator]();
  return (async function* () {
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) return;
        yield await execute(step.value);
      }
    } finally {
      await iterator.return?.();
    }
  })();
}

/**
 * Mounts `POST /graphql` (Apollo Server 5) and the `graphql-transport-ws` WebSocket at `/graphql`,
 * both serving the provider's current schema: Apollo through its gateway interface (the schema
 * is swapped when the provider rebuilds it), graphql-ws by asking the provider per operation.
 */
export async function mountGraphQL(
  app: FastifyInstance,
  provider: SchemaProvider,
  logger: Logger,
  options: { connectionInitTimeoutMs?: number } = {},
): Promise<GraphQLTransport> {
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wsCleanup = useServer(
    {
      // Picked per operation: a new subscription sees the latest schema, running ones keep theirs.
      schema: () => provider.current(),
      // A socket that never sends connection_init is closed with 4408.
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? 10_000,
      subscribe: subscribeSharingResults,
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ errors }, 'graphql-ws operation error');
      },
    },
    wsServer,
  );
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/graphql') {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });

  const apollo = new ApolloServer({
    gateway: toApolloGateway(provider),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // No drain plugin: the gateway drains HTTP itself (app.close) before stopping Apollo.
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), { path: '/graphql', method: ['GET', 'POST', 'OPTIONS'] });

  return {
    async closeSockets() {
      // dispose() closes every client with 1001 (going away) and then the server.
      await wsCleanup.dispose();
    },
    async stop() {
      await apollo.stop();
    },
  };
}
