import { InputError, NotFoundError, encodeCursor, isMeshgateError } from '@meshgate/core';
import type { EventTypeCatalog } from '@meshgate/catalog';
import type { EventLog } from '@meshgate/event-log';
import type { SchemaRegistry, ValidatorCache } from '@meshgate/registry';

/** What a client gets back for an accepted event. */
export interface ProducedEvent {
  /** Resume position just after this event in its partition. */
  cursor: string;
  partition: number;
  offset: number;
  timestamp: string;
  schemaId: number;
  schemaVersion: number;
}

/** Dependencies of {@link produceEvent}. */
export interface ProduceDeps {
  catalog: EventTypeCatalog;
  registry: SchemaRegistry;
  validators: ValidatorCache;
  eventLog: EventLog;
}

/**
 * The produce path: resolve the event type, validate the event against its subject's latest
 * schema (compiled once per schema id), then append. Nothing is appended when validation fails.
 */
export async function produceEvent(deps: ProduceDeps, eventTypeName: string, event: unknown): Promise<ProducedEvent> {
  const eventType = await deps.catalog.get(eventTypeName);
  const schema = await deps.registry.latest(eventType.subject).catch((error: unknown) => {
    if (isMeshgateError(error) && error.code === 'SUBJECT_NOT_FOUND') {
      throw new NotFoundError(
        'SCHEMA_NOT_FOUND',
        `Event type '${eventTypeName}' has no schema yet: register one under subject '${eventType.subject}'.`,
        { cause: error },
      );
    }
    throw error;
  });
  if (schema.schemaType !== 'JSON') {
    throw new InputError(
      `Event type '${eventTypeName}' uses a ${schema.schemaType} schema; REST produce accepts JSON Schema event types for now.`,
      { code: 'UNSUPPORTED_MEDIA_TYPE' },
    );
  }
  const references = schema.references.length > 0 ? await deps.registry.resolveReferences(schema.references) : [];
  deps.validators.validate(schema.id, schema.schema, event, references);
  const [result] = await deps.eventLog.append(eventType.topic, [
    {
      value: JSON.stringify(event),
      headers: {
        'content-type': 'application/json',
        'meshgate-event-type': eventType.name,
        'meshgate-schema-id': String(schema.id),
      },
    },
  ]);
  if (!result) throw new Error('The event log returned no position for the appended event.');
  return {
    cursor: encodeCursor(new Map([[result.partition, result.offset + 1]])),
    partition: result.partition,
    offset: result.offset,
    timestamp: result.timestamp.toISOString(),
    schemaId: schema.id,
    schemaVersion: schema.version,
  };
}
