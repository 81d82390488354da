import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';

// graphql-js refuses schemas built by another copy of itself. graphql-tools and graphql-ws load
// graphql through Node's resolution (CommonJS); a bundler-aware loader (Vitest) may hand this
// module the ESM build instead. Requiring it pins the same copy the schema was built with.
const {
  createSourceEventStream,
  execute: executeGraphQL,
  print,
} = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** Where one graphql-ws subscription's `next` messages go; set as the operation's contextValue. */
export interface DeliveryTarget {
  socket: WebSocket;
  /** The subscription's operation id (the client's `id`). */
  id: string;
  /**
   * The TCP socket under `socket` (the upgrade request's socket). Deliveries made in one turn
   * of the event loop are corked on it and leave in one write instead of one write per message.
   */
  transport?: Pick<Writable, 'cork' | 'uncork'>;
}

/** The graphql-ws context value carrying the delivery target. */
export interface DeliveryContext {
  delivery: DeliveryTarget;
}

/**
 * Bytes a socket may hold unsent before the next delivery waits for it to drain. The hub's
 * bounded buffer (and its SLOW_SUBSCRIBER end) then takes over, so a stuck client holds at most
 * this much in the socket plus its hub buffer.
 */
export const SOCKET_HIGH_WATER_BYTES = 64 * 1024;

/**
 * Corks a socket until the current turn's microtasks have run, so every `next` message written
 * in this turn (a hub batch reaches a subscriber as a run of resolved promises) goes out in one
 * writev. ws corks and uncorks around each frame itself; corks nest, so ours holds the flush.
 */
function corkForThisTurn(transport: Pick<Writable, 'cork' | 'uncork'>, corked: { value: boolean }): void {
  if (corked.value) return;
  corked.value = true;
  transport.cork();
  process.nextTick(() => {
    corked.value = false;
    transport.uncork();
  });
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const OPEN = 1; // WebSocket.OPEN

// Subscribers level with the hub receive the same payload object for an event; the result of
// executing an operation's selection on it, serialised, is kept on it (weakly) per operation.
const sharedJson = new WeakMap<object, Map<string, Promise<string>>>();

function resultJson(result: ExecutionResult | Promise<ExecutionResult>): Promise<string> {
  // GraphQLError#toJSON gives the same shape graphql-ws sends (message, locations, path, extensions).
  return Promise.resolve(result).then((value) => JSON.stringify(value));
}

/**
 * graphql's `subscribe`, rebuilt for fan-out. For each event the operation's selection is
 * executed and serialised once for every subscriber with the same operation and variables, and
 * the `next` message (`{"id":…,"type":"next","payload":…}`, exactly what graphql-ws would send)
 * is written straight to the subscriber's socket instead of going through graphql-ws's per-message
 * path (which re-serialises the payload for each subscriber and waits for every write to flush).
 * The iterator handed back to graphql-ws yields nothing: it settles when the stream ends (graphql-ws
 * then sends `complete`) or throws (graphql-ws sends `error`, with the thrown error's extensions),
 * so graphql-ws keeps the protocol (ids, complete from either side, close codes).
 */
export async function subscribeWithDirectDelivery(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const target = (args.contextValue as Partial<DeliveryContext> | undefined)?.delivery;
  if (!target) throw new Error('subscribeWithDirectDelivery needs a DeliveryContext as contextValue');
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const key = `${args.operationName ?? ''}\n${print(args.document)}\n${JSON.stringify(args.variableValues ?? {})}`;
  const execute = (payload: unknown): Promise<string> => {
    if (typeof payload !== 'object' || payload === null) {
      return resultJson(executeGraphQL({ ...args, rootValue: payload }));
    }
    let byKey = sharedJson.get(payload);
    if (!byKey) {
      byKey = new Map();
      sharedJson.set(payload, byKey);
    }
    let json = byKey.get(key);
    if (!json) {
      json = resultJson(executeGraphQL({ ...args, rootValue: payload }));
      byKey.set(key, json);
    }
    return json;
  };

  const { socket, transport } = target;
  const corked = { value: false };
  const prefix = `{"id":${JSON.stringify(target.id)},"type":"next","payload":`;
  const events = source[Symbol.asyncIterator]();
  let open = true;
  const stop = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await events.return?.();
  };
  const deliveries = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      while (open) {
        const step = await events.next(); // a thrown end (slow subscriber, upstream) becomes graphql-ws's `error`
        if (step.done) break;
        const json = await execute(step.value);
        if (!open || socket.readyState !== OPEN) break;
        const message = `${prefix}${json}}`;
        if (transport) corkForThisTurn(transport, corked);
        if (socket.bufferedAmount < SOCKET_HIGH_WATER_BYTES) socket.send(message);
        else await new Promise<void>((resolve) => socket.send(message, () => resolve()));
      }
      await stop();
      return DONE;
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await stop();
      return DONE;
    },
    async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return deliveries as AsyncGenerator<ExecutionResult>;
}
