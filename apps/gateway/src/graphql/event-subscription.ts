import { compileFilter, filterFromJson, type FilterPredicate } from '@meshgate/core';
import { assertNotRetired, type DeliveryCounter } from '@meshgate/catalog';
import type { DeliveredEvent, Subscription } from '@meshgate/streaming';
import { actorOf } from '../auth/access-control';
import { authorizeEventType } from '../auth/guards';
import { readViewFor } from '../auth/views';
import { principalOfContext, type GraphQLContext } from './context';
import type { Metrics } from '../metrics';
import type { Runtime } from '../runtime';
import { toGraphQLError } from './errors';

/** The arguments every event subscription (generic `events` and the typed ones) accepts. */
export interface EventSubscriptionArgs {
  after?: string | null;
  from?: 'EARLIEST' | 'LATEST' | null;
  filter?: unknown;
}

/** One delivered event as the GraphQL delivery types expose it. */
export interface EventDelivery {
  cursor: string;
  partition: number;
  offset: string;
  time: string;
  key: string | null;
  data: unknown;
}

/** Where {@link EventDeliveries.pushTo} sends payloads. */
export interface PayloadSink<T> {
  /** Takes one payload; false when it cannot take another now (call the returned resume() when it can). */
  push(payload: T): boolean;
  /** The stream ended: with the error to report (as a GraphQL error), or none when it was closed. */
  end(error?: unknown): void;
}

/**
 * The async iterator GraphQL subscriptions get, which can also push: `pushTo` hands each
 * payload to a sink synchronously as the hub dispatches it (see direct-delivery.ts).
 */
export interface EventDeliveries<T> extends AsyncIterableIterator<T> {
  pushTo(sink: PayloadSink<T>): { resume(): void };
}

/** Whether an async iterable is an {@link EventDeliveries} that can push. */
export function canPush<T>(iterable: AsyncIterable<T>): iterable is EventDeliveries<T> {
  return typeof (iterable as Partial<EventDeliveries<T>>).pushTo === 'function';
}

/**
 * Compiles a subscription's `filter` argument (the filter language's JSON form) once per
 * subscription; throws INVALID_FILTER naming the offending node.
 */
function compileSubscriptionFilter(filter: unknown): FilterPredicate | undefined {
  if (filter === undefined || filter === null) return undefined;
  return compileFilter(filterFromJson(filter));
}

// Subscribers level with the hub receive the same event object; giving them the same payload
// object too lets the GraphQL layer execute the selection once per event (see direct-delivery.ts).
const payloads = new WeakMap<object, WeakMap<DeliveredEvent, Map<string, unknown>>>();

/** The subscription payload for an event, built once per event object, event type and payload shape. */
function sharedPayload<T>(
  event: DeliveredEvent,
  name: string,
  toPayload: (delivery: EventDelivery, eventTypeName: string) => T,
): T {
  let byEvent = payloads.get(toPayload);
  if (!byEvent) {
    byEvent = new WeakMap();
    payloads.set(toPayload, byEvent);
  }
  let byName = byEvent.get(event);
  if (!byName) {
    byName = new Map();
    byEvent.set(event, byName);
  }
  if (!byName.has(name)) byName.set(name, toPayload(toDelivery(event), name));
  return byName.get(name) as T;
}

function toDelivery(event: DeliveredEvent): EventDelivery {
  return {
    cursor: event.cursor,
    partition: event.partition,
    offset: String(event.offset),
    time: event.timestamp.toISOString(),
    key: event.key,
    data: event.data,
  };
}

/**
 * Subscribes to one event type's events: checks the arguments and opens the stream before
 * returning, so a bad cursor, filter or event type is a GraphQL error with `extensions.code`
 * rather than a failed stream; then yields each delivery wrapped by `toPayload`. Pass a
 * module-level `toPayload`, not a closure made per call: payloads are shared per event and
 * `toPayload` function, and a new function per subscriber would defeat the sharing.
 */
export async function subscribeToEvents<T>(
  runtime: Runtime,
  metrics: Metrics,
  context: GraphQLContext,
  eventTypeName: string,
  args: EventSubscriptionArgs,
  toPayload: (delivery: EventDelivery, eventTypeName: string) => T,
): Promise<EventDeliveries<T>> {
  let stream: Subscription;
  let matches: FilterPredicate | undefined;
  let name: string;
  let unwatch: () => void;
  let releaseSubscription: () => void;
  let counter: DeliveryCounter;
  try {
    const services = runtime.services();
    const { access } = services;
    const principal = principalOfContext(context);
    // Authorized before anything reveals whether the event type exists.
    const { eventType, decision } = await authorizeEventType(
      access,
      services.catalog,
      principal,
      'read',
      eventTypeName,
      context.sourceIp,
      'stream.open',
    );
    assertNotRetired(eventType, 'subscribe');
    matches = compileSubscriptionFilter(args.filter);
    name = eventType.name;
    const view = await readViewFor(services.registry, eventType, decision);
    releaseSubscription = await access.quotas.openSubscription(principal);
    try {
      stream = await services.hub.subscribe({
        topic: eventType.topic,
        start: { after: args.after ?? undefined, from: args.from === 'EARLIEST' ? 'earliest' : 'latest' },
        ...(view ? { view: view.view } : {}),
      });
    } catch (error) {
      releaseSubscription();
      throw error;
    }
    const opened = stream;
    unwatch = access.track(
      principal,
      'read',
      { eventType: name, subject: eventType.subject },
      decision.viewKey,
      (error) => opened.terminate(error),
    );
    await access.record({
      actor: actorOf(principal),
      action: 'stream.open',
      resource: { kind: 'event-type', name },
      decision: 'allow',
      sourceIp: context.sourceIp ?? null,
      details: { transport: 'graphql-ws', ...(decision.viewKey ? { view: decision.viewKey } : {}) },
    });
    // Observed lineage: one session now, one count per delivered event (a field increment).
    counter = services.lineage.subscribed(name, principal);
  } catch (error) {
    throw toGraphQLError(error);
  }
  // A hand-written iterator rather than a generator: return() must close the stream at once,
  // even while a next() is waiting on an idle topic or before the first next() (a generator
  // would queue it, or skip its finally block).
  const events = stream[Symbol.asyncIterator]();
  let open = true;
  metrics.activeStreams.inc({ transport: 'graphql-ws' });
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    if (open) {
      open = false;
      counter.release();
      unwatch();
      releaseSubscription();
      metrics.activeStreams.dec({ transport: 'graphql-ws' });
      await stream.close();
    }
    return { done: true, value: undefined };
  };
  const delivered = metrics.eventsDelivered.labels({ transport: 'graphql-ws' });
  const deliveries: EventDeliveries<T> = {
    pushTo(sink) {
      stream.pushTo({
        push(event) {
          if (
            matches &&
            !matches({ data: event.data, key: event.key, timestamp: event.timestamp, partition: event.partition })
          ) {
            return true;
          }
          delivered.inc();
          counter.events++;
          return sink.push(sharedPayload(event, name, toPayload));
        },
        end(end) {
          void finish();
          sink.end(end.error ? toGraphQLError(end.error) : undefined);
        },
      });
      return { resume: () => stream.resume() };
    },
    async next() {
      while (open) {
        let step: IteratorResult<DeliveredEvent>;
        try {
          step = await events.next();
        } catch (error) {
          await finish();
          throw toGraphQLError(error);
        }
        if (step.done) break;
        const event = step.value;
        if (
          matches &&
          !matches({ data: event.data, key: event.key, timestamp: event.timestamp, partition: event.partition })
        ) {
          continue;
        }
        delivered.inc();
        counter.events++;
        return { done: false, value: sharedPayload(event, name, toPayload) };
      }
      return finish();
    },
    return: finish,
    async throw(error: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return deliveries;
}
