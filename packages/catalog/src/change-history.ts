import { InputError, type ChangeActor } from '@meshgate/core';
import { Prisma, type PrismaClient } from '@meshgate/db';
import type { SchemaChange } from '@meshgate/registry';

/** What a change history row is about. */
export const changeEntityKinds = ['domain', 'service', 'event-type', 'schema'] as const;
/** One of {@link changeEntityKinds}. */
export type ChangeEntityKind = (typeof changeEntityKinds)[number];
/** What happened: `lifecycle` for event type lifecycle moves, `registered` for schema versions. */
export type ChangeAction = 'created' | 'updated' | 'deleted' | 'lifecycle' | 'registered';

/** A Prisma transaction: catalog writes and their history rows share one. */
export type Tx = Prisma.TransactionClient;

/** A change to record. */
export interface ChangeInput {
  entityKind: ChangeEntityKind;
  entityName: string;
  action: ChangeAction;
  actor: ChangeActor;
  /** The entry before the change (null when created). */
  before: unknown;
  /** The entry after the change (null when deleted). */
  after: unknown;
}

/** One row of the change history, as readers get it (newest first). */
export interface ChangeEntry {
  /** Increasing; pass as `before` to page back. */
  id: string;
  at: Date;
  entityKind: string;
  entityName: string;
  action: string;
  actor: { kind: string; id: string | null; name: string | null };
  before: unknown;
  after: unknown;
}

/** A page request: filters, at most `limit` rows (default 50, at most 500), older than id `before`. */
export interface ChangeQuery {
  entityKind?: ChangeEntityKind | undefined;
  entityName?: string | undefined;
  limit?: number | undefined;
  before?: string | undefined;
  /** Readers see only what they may: rows it refuses are skipped (and the page filled further back). */
  visible?: ((entry: ChangeEntry) => boolean) | undefined;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

/**
 * Inserts a change history row inside the caller's transaction, so it commits (or rolls back)
 * with the write it describes. Webhooks are driven by these rows.
 */
export async function recordChange(tx: Tx, change: ChangeInput): Promise<void> {
  await tx.catalogChange.create({
    data: {
      entityKind: change.entityKind,
      entityName: change.entityName,
      action: change.action,
      actorKind: change.actor.kind,
      actorId: change.actor.id,
      actorName: change.actor.name,
      before: json(change.before),
      after: json(change.after),
    },
  });
}

/**
 * The registry's change hook (SchemaRegistryOptions.onChange): a `schema` row per registered
 * version or deletion, naming the event types bound to the subject.
 */
export async function recordSchemaChange(tx: Tx, change: SchemaChange): Promise<void> {
  const eventTypes = (
    await tx.eventType.findMany({
      where: { subject: change.subject },
      select: { name: true },
      orderBy: { name: 'asc' },
    })
  ).map((row) => row.name);
  await recordChange(tx, {
    entityKind: 'schema',
    entityName: change.subject,
    action: change.action,
    actor: change.actor,
    before: change.before ? { ...change.before, eventTypes } : null,
    after: change.after ? { ...change.after, eventTypes } : null,
  });
}

/** Parses a page cursor (a change id); throws INVALID_REQUEST. */
function parseBefore(before: string | undefined): bigint | undefined {
  if (before === undefined) return undefined;
  if (!/^[1-9]\d{0,18}$/.test(before)) throw new InputError(`'before' must be a change id, got '${before}'.`);
  return BigInt(before);
}

/** Reads the change history of the catalog and the registry. */
export class ChangeHistory {
  constructor(private readonly prisma: PrismaClient) {}

  /** Catalog-wide history, newest first, filtered by entity. */
  list(query: ChangeQuery = {}): Promise<ChangeEntry[]> {
    return this.page(
      {
        ...(query.entityKind ? { entityKind: query.entityKind } : {}),
        ...(query.entityName ? { entityName: query.entityName } : {}),
      },
      query,
    );
  }

  /** The history of an event type: its own rows and those of its schema subject, newest first. */
  ofEventType(name: string, subject: string, query: ChangeQuery = {}): Promise<ChangeEntry[]> {
    return this.page(
      {
        OR: [
          { entityKind: 'event-type', entityName: name },
          { entityKind: 'schema', entityName: subject },
        ],
      },
      query,
    );
  }

  private async page(where: Prisma.CatalogChangeWhereInput, query: ChangeQuery): Promise<ChangeEntry[]> {
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
    let before = parseBefore(query.before);
    const entries: ChangeEntry[] = [];
    // Invisible rows are skipped; keep reading back until the page is full or the history ends.
    for (;;) {
      const batch = limit - entries.length + (query.visible ? 50 : 0);
      const rows = await this.prisma.catalogChange.findMany({
        where: { ...where, ...(before !== undefined ? { id: { lt: before } } : {}) },
        orderBy: { id: 'desc' },
        take: batch,
      });
      for (const row of rows) {
        before = row.id;
        const entry: ChangeEntry = {
          id: row.id.toString(),
          at: row.at,
          entityKind: row.entityKind,
          entityName: row.entityName,
          action: row.action,
          actor: { kind: row.actorKind, id: row.actorId, name: row.actorName },
          before: row.before,
          after: row.after,
        };
        if (query.visible && !query.visible(entry)) continue;
        entries.push(entry);
        if (entries.length === limit) return entries;
      }
      if (rows.length < batch) return entries;
    }
  }
}
