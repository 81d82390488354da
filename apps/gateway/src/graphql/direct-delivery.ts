import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { corkForThisTurn } from '../http/cork';
import { canPush, type EventDeliveries } from './event-subscription';

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

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const OPEN = 1; // WebSocket.OPEN

// Subscribers level with the hub receive the same payload object for an event; the result of
// executing an operation's selection on it, serialised, is kept on it (weakly) per operation.
// A string once known; a promise while an asynchronous execution is under way.
const sharedJson = new WeakMap<object, Map<string, string | Promise<string>>>();

/** JSON of an execution result; GraphQLError#toJSON gives graphql-ws's error shape. */
function resultJson(result: ExecutionResult | Promise<ExecutionResult>): string | Promise<string> {
  return result instanceof Promise ? result.then((value) => JSON.stringify(value)) : JSON.stringify(result);
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
  const execute = (payload: unknown): string | Promise<string> => {
    if (typeof payload !== 'object' || payload === null) {
      return resultJson(executeGraphQL({ ...args, rootValue: payload }));
    }
    let byKey = sharedJson.get(payload);
    if (!byKey) {
      byKey = new Map();
      sharedJson.set(payload, byKey);
    }
    let json = byKey.get(key);
    if (json === undefined) {
      json = resultJson(executeGraphQL({ ...args, rootValue: payload }));
      byKey.set(key, json);
      if (typeof json !== 'string') {
        const settled = json;
        void settled.then((text) => byKey.get(key) === settled && byKey.set(key, text)).catch(() => undefined);
      }
    }
    return json;
  };

  const { socket, transport } = target;
  const corked = { value: false };
  const prefix = `{"id":${JSON.stringify(target.id)},"type":"next","payload":`;
  /** Writes one `next` message; false when the socket is above its high-water mark (then `drained` runs once it flushed). */
  const send = (json: string, drained: () => void): boolean => {
    if (transport) corkForThisTurn(transport, corked);
    const message = `${prefix}${json}}`;
    if (socket.bufferedAmount < SOCKET_HIGH_WATER_BYTES) {
      socket.send(message);
      return true;
    }
    socket.send(message, () => drained());
    return false;
  };

  // Every subscription field resolves through subscribeToEvents, whose streams push.
  if (!canPush(source)) throw new Error('subscribeWithDirectDelivery needs a subscription from subscribeToEvents');
  return pushDeliveries(source, execute, send, () => socket.readyState === OPEN);
}

/**
 * The push path: the hub hands each payload to the sink synchronously as it dispatches a batch;
 * the selection result is serialised at most once per event and operation; the message is
 * written at once. Above the socket's high-water mark the sink pauses the hub subscription
 * (which then buffers, bounded) until the socket has flushed. The iterator handed to graphql-ws
 * settles when the stream ends: done when closed, rejected with the hub's reason otherwise.
 */
function pushDeliveries(
  source: EventDeliveries<unknown>,
  execute: (payload: unknown) => string | Promise<string>,
  send: (json: string, drained: () => void) => boolean,
  isOpen: () => boolean,
): AsyncGenerator<ExecutionResult> {
  let settle: { resolve(): void; reject(error: unknown): void } | undefined;
  let ended: { error?: unknown } | undefined;
  let control: { resume(): void } | undefined;
  let waiting = false; // an asynchronous execution is under way; events wait in the hub meanwhile
  const resume = () => control?.resume();
  const finish = (error?: unknown) => {
    if (ended) return;
    ended = error === undefined ? {} : { error };
    if (settle) {
      if (error === undefined) settle.resolve();
      else settle.reject(error);
    }
  };
  const stop = async (): Promise<IteratorReturnResult<undefined>> => {
    await source.return?.();
    finish();
    return DONE;
  };
  return {
    next(): Promise<IteratorResult<ExecutionResult>> {
      if (ended) return ended.error === undefined ? Promise.resolve(DONE) : Promise.reject(ended.error);
      return new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
        control ??= source.pushTo({
          push(payload) {
            if (waiting || !isOpen()) return false;
            const json = execute(payload);
            if (typeof json === 'string') return send(json, resume);
            waiting = true;
            json.then(
              (text) => {
                waiting = false;
                if (isOpen() && send(text, resume)) resume();
              },
              (error: unknown) => {
                finish(error);
                void source.return?.();
              },
            );
            return false;
          },
          end: finish,
        });
      }).then(() => DONE);
    },
    return: stop,
    async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncGenerator<ExecutionResult>;
}
