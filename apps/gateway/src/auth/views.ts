import { isMeshgateError, type FilterPredicate } from '@meshgate/core';
import type { EventType } from '@meshgate/catalog';
import { combinedRowFilter, createMasker, type Decision } from '@meshgate/policy';
import type { SchemaRegistry } from '@meshgate/registry';
import type { ParsedRecord, SubscriptionView } from '@meshgate/streaming';

/**
 * How one reader sees an event type: its grants' masking and row filter, as a fan-out hub view
 * (computed once per record for every reader with the same view), and as a plain function for
 * fetch. Undefined when the reader sees everything (the hub's raw view).
 */
export interface ReadView {
  view: SubscriptionView;
  /** The payload this reader may see, or undefined when its row filter excludes the record. */
  apply(record: Pick<ParsedRecord, 'data' | 'key' | 'timestamp' | 'partition'>): unknown;
}

// Views are shared by key in the hub, so the same key must always mean the same transform:
// one instance per key (the key names the schema id the masking was built from).
const views = new Map<string, ReadView>();
const MAX_VIEWS = 10_000;

/** The latest JSON Schema of an event type (masking annotations), or undefined when it has none. */
async function latestJsonSchema(
  registry: SchemaRegistry,
  eventType: EventType,
): Promise<{ id: number; schema: unknown } | undefined> {
  try {
    const latest = await registry.latest(eventType.subject);
    if (latest.schemaType !== 'JSON') return undefined;
    return { id: latest.id, schema: JSON.parse(latest.schema) as unknown };
  } catch (error) {
    if (isMeshgateError(error) && error.status === 404) return undefined;
    throw error;
  }
}

/** The reader's view of an event type for a `read` decision; undefined for the raw view. */
export async function readViewFor(
  registry: SchemaRegistry,
  eventType: EventType,
  decision: Decision,
): Promise<ReadView | undefined> {
  if (decision.viewKey === '') return undefined;
  const schema = decision.unmask.has('*') ? undefined : await latestJsonSchema(registry, eventType);
  const key = `${eventType.name}|schema=${schema?.id ?? '-'}|${decision.viewKey}`;
  let view = views.get(key);
  if (!view) {
    view = buildView(key, schema?.schema, decision);
    if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value!);
    views.set(key, view);
  }
  return view;
}

function buildView(key: string, schema: unknown, decision: Decision): ReadView {
  const mask = createMasker(schema, decision.unmask);
  const rows: FilterPredicate | undefined = combinedRowFilter(decision.rowFilter, undefined);
  const apply: ReadView['apply'] = (record) => {
    if (
      rows &&
      !rows({ data: record.data, key: record.key, timestamp: record.timestamp, partition: record.partition })
    ) {
      return undefined;
    }
    return mask(record.data);
  };
  return { view: { key, transform: apply }, apply };
}
