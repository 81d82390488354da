import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger';
import { subscribeWithDirectDelivery, type DeliveryContext } from './direct-delivery';
import { toApolloGateway, type SchemaProvider } from './schema-provider';

/** The GraphQL transports: Apollo Server over HTTP and graphql-ws on the same port and path. */
export interface GraphQLTransport {
  /** Stops accepting subscriptions and closes open sockets with 1001 (going away). */
  closeSockets(): Promise<void>;
  /** Stops Apollo Server (and with it the schema provider); call after HTTP has drained. */
  stop(): Promise<void>;
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
      // Each subscription's `next` messages are written by Meshgate's fan-out (direct-delivery.ts).
      context: (ctx, id): DeliveryContext => {
        const { socket, request } = ctx.extra as { socket: WebSocket; request: IncomingMessage };
        return { delivery: { socket, id, transport: request.socket } };
      },
      subscribe: subscribeWithDirectDelivery,
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
