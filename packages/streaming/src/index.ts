export {
  openEventStream,
  resolveStartPositions,
  type DeliveredEvent,
  type EventStream,
  type StreamStart,
} from './open-event-stream';
