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
import { isMeshgateError } from '@meshgate/core';
import type { Principal } from '@meshgate/policy';
import { isAllowedBrowserOrigin } from '../auth/browser-origin';
import { SESSION_COOKIE, readCookie } from '../auth/plugin';
import type { Runtime } from '../runtime';
import type { GraphQLContext } from './context';
import { toApolloGateway, type SchemaProvider } from './schema-provider';

/** What graphql-ws keeps per socket: the ws objects, and the caller once authenticated. */
interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
  principal?: Principal;
  releaseConnection?: () => void;
}

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
  runtime: Runtime,
  provider: SchemaProvider,
  logger: Logger,
  options: {
    connectionInitTimeoutMs?: number;
    /** Pages besides the gateway's own host that may use the session cookie on graphql-ws (see browser-origin.ts). */
    portalOrigins?: readonly string[];
  } = {},
): Promise<GraphQLTransport> {
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wsCleanup = useServer(
    {
      // Picked per operation: a new subscription sees the latest schema, running ones keep theirs.
      schema: () => provider.current(),
      // A socket that never sends connection_init is closed with 4408.
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? 10_000,
      // The caller authenticates once per socket: `authorization` in connection_init's payload
      // (browsers cannot set headers on a WebSocket), else the upgrade request's Authorization
      // header or portal session cookie — the cookie only from pages the gateway trusts (its own
      // host, MESHGATE_PORTAL_ORIGINS). Invalid or missing credentials close the socket with
      // 4403 (Forbidden); an application over its connection quota with 4429.
      onConnect: async (ctx) => {
        const extra = ctx.extra as SocketExtra;
        const { access } = runtime.services();
        const param = ctx.connectionParams?.authorization;
        const authorization = typeof param === 'string' ? param : extra.request.headers.authorization;
        const sourceIp = extra.request.socket.remoteAddress;
        const cookie = readCookie(extra.request, SESSION_COOKIE);
        const { origin, host } = extra.request.headers;
        if (!authorization && cookie && !isAllowedBrowserOrigin(origin, host, options.portalOrigins ?? [])) {
          await access.record({
            actor: { kind: 'anonymous' },
            action: 'auth.denied',
            resource: { kind: 'route', name: 'graphql-ws' },
            decision: 'deny',
            reason: `session cookie sent from a page at ${origin ?? '?'}, not the gateway's host or MESHGATE_PORTAL_ORIGINS`,
            sourceIp,
          });
          return false;
        }
        try {
          extra.principal = await access.authenticate(authorization, cookie);
        } catch (error) {
          if (!isMeshgateError(error) || error.code !== 'UNAUTHENTICATED') throw error;
          await access.record({
            actor: { kind: 'anonymous' },
            action: 'auth.denied',
            resource: { kind: 'route', name: 'graphql-ws' },
            decision: 'deny',
            reason: error.message,
            sourceIp,
          });
          return false;
        }
        try {
          extra.releaseConnection = await access.quotas.openConnection(extra.principal);
        } catch (error) {
          if (!isMeshgateError(error) || error.code !== 'QUOTA_EXCEEDED') throw error;
          extra.socket.close(4429, error.message.slice(0, 120));
          return false;
        }
        return true;
      },
      onClose: (ctx) => {
        (ctx.extra as SocketExtra).releaseConnection?.();
      },
      // Each subscription's `next` messages are written by Meshgate's fan-out (direct-delivery.ts).
      context: (ctx, id): DeliveryContext & GraphQLContext => {
        const { socket, request, principal } = ctx.extra as SocketExtra;
        return {
          delivery: { socket, id, transport: request.socket },
          principal,
          sourceIp: request.socket.remoteAddress,
        };
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

  const apollo = new ApolloServer<GraphQLContext>({
    gateway: toApolloGateway(provider),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // No drain plugin: the gateway drains HTTP itself (app.close) before stopping Apollo.
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    // The auth hook already authenticated the request (see auth/plugin.ts).
    context: async (request): Promise<GraphQLContext> => ({ principal: request.principal, sourceIp: request.ip }),
  });

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
