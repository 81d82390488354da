import { deadLetterTopicOf, type EventTypeCatalog } from '@meshgate/catalog';
import type { ChangeFeed } from '@meshgate/db';
import type { DeadLetterRoute, DeadLetterRoutes } from '@meshgate/streaming';

/**
 * The dead-letter worker's routes from the event catalog: every event type's topic, with its own
 * dead-letter topic or `{topic}{suffix}`, re-listed on every catalog change (here or on another
 * instance). A topic shared by several event types takes the first one's (by name).
 */
export function catalogDeadLetterRoutes(
  catalog: EventTypeCatalog,
  changes: ChangeFeed,
  suffix: string,
): DeadLetterRoutes {
  return {
    async list(): Promise<DeadLetterRoute[]> {
      const routes = new Map<string, DeadLetterRoute>();
      for (const eventType of await catalog.list()) {
        if (!routes.has(eventType.topic)) {
          routes.set(eventType.topic, {
            topic: eventType.topic,
            deadLetterTopic: deadLetterTopicOf(eventType, suffix),
          });
        }
      }
      return [...routes.values()];
    },
    onChange: (listener) => changes.on('catalog', () => listener()),
  };
}
