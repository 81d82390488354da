import { NotFoundError } from '@meshgate/core';

/** The error every adapter throws for a topic that does not exist. */
export function topicNotFound(topic: string, cause?: unknown): NotFoundError {
  return new NotFoundError('TOPIC_NOT_FOUND', `Topic "${topic}" does not exist.`, { cause, retriable: false });
}
