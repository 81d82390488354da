import type { EventStream } from '../open-event-stream';
import type { StreamStart } from '../start-positions';
import type { FanoutHub } from './fanout-hub';

/**
 * A drop-in for `openEventStream(eventLog, topic, start)` that goes through the hub: same
 * shape, same cursors, but one shared reader per topic instead of one per call.
 */
export function openHubStream(hub: FanoutHub, topic: string, start: StreamStart): Promise<EventStream> {
  return hub.subscribe({ topic, start });
}
