import { InputError } from '@meshgate/core';
import type { PrismaClient, Queryable } from '@meshgate/db';

/** Who did something: a user, an application, an unauthenticated caller or Meshgate itself. */
export interface AuditActor {
  kind: 'user' | 'application' | 'anonymous' | 'system';
  id?: string | null;
  name?: string | null;
}

/** One audit entry to record. */
export interface AuditRecord {
  actor: AuditActor;
  /** What was attempted, dotted: `event.produce`, `stream.open`, `grant.create`, `schema.register`, … */
  action: string;
  resource?: { kind: string; name: string } | null;
  decision: 'allow' | 'deny';
  reason?: string | null;
  /** The caller's address. */
  sourceIp?: string | null;
  /** Anything else worth keeping (status code, counts, transport); never secrets. */
  details?: Record<string, unknown>;
}

/** A recorded entry. */
export interface AuditEntry extends Required<Omit<AuditRecord, 'resource' | 'details'>> {
  id: string;
  at: Date;
  resource: { kind: string; name: string } | null;
  details: Record<string, unknown>;
}

/** Filters for {@link AuditLog.query}; all optional, combined with AND. */
export interface AuditQuery {
  actorId?: string;
  /** Exact action, or a prefix ending in `.` (e.g. `grant.`). */
  action?: string;
  resourceName?: string;
  decision?: 'allow' | 'deny';
  since?: Date;
  until?: Date;
  /** Continue after this entry id (from `next`). */
  after?: string;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** Where the audit log reads (Prisma) and writes (a raw node-postgres pool or client). */
export interface AuditLogDatabase {
  prisma: PrismaClient;
  pool: Queryable;
}

/** Options for {@link AuditLog}. */
export interface AuditLogOptions {
  /** How long an entry waits for others to share its INSERT; default 20 ms. */
  flushMs?: number;
  /** Most entries in one INSERT; a full batch is written at once. Default 200. */
  maxBatch?: number;
}

/**
 * One INSERT for a whole batch, whatever its size: one array parameter per column, so the text
 * never changes and PostgreSQL plans it once per connection. Prisma's createMany built the same
 * statement through its query compiler at ~2 ms of gateway CPU per batch, a cost that showed
 * in the produce benchmark (an audit entry per produce request).
 */
const INSERT_SQL = `
  INSERT INTO audit_log
    (actor_kind, actor_id, actor_name, action, resource_kind, resource_name, decision, reason, source_ip, details)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::jsonb[])`;

/**
 * The audit log: append-only in PostgreSQL (a trigger refuses UPDATE, DELETE and TRUNCATE, so
 * not even the product can edit it). Entries are written in small batches — `record` resolves
 * once its entry is stored — so a burst of stream opens costs one INSERT, not one each.
 */
export class AuditLog {
  private pending: { row: AuditRow; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly prisma: PrismaClient;
  private readonly pool: Queryable;

  constructor(
    db: AuditLogDatabase,
    private readonly options: AuditLogOptions = {},
  ) {
    this.prisma = db.prisma;
    this.pool = db.pool;
  }

  /** Stores an entry; resolves once it is written. */
  record(entry: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row: toRow(entry), resolve, reject });
      if (this.pending.length >= (this.options.maxBatch ?? 200)) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 20);
    });
  }

  /** Writes whatever is waiting; resolves when done (for shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    const previous = this.flushing;
    this.flushing = (async () => {
      await previous;
      try {
        await this.pool.query(INSERT_SQL, toColumns(batch));
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    })();
    return this.flushing;
  }

  /** Entries matching the filters, oldest first, with the cursor of the next page. */
  async query(query: AuditQuery = {}): Promise<{ entries: AuditEntry[]; next: string | null }> {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InputError('limit must be 1–1000.');
    if (query.after !== undefined && !/^\d{1,19}$/.test(query.after)) {
      throw new InputError('after must be an entry id from a previous page.');
    }
    const action = query.action;
    const rows = await this.prisma.auditEntry.findMany({
      where: {
        ...(query.actorId ? { actorId: query.actorId } : {}),
        ...(action ? (action.endsWith('.') ? { action: { startsWith: action } } : { action }) : {}),
        ...(query.resourceName ? { resourceName: query.resourceName } : {}),
        ...(query.decision ? { decision: query.decision } : {}),
        ...(query.since || query.until
          ? { at: { ...(query.since ? { gte: query.since } : {}), ...(query.until ? { lt: query.until } : {}) } }
          : {}),
        ...(query.after ? { id: { gt: BigInt(query.after) } } : {}),
      },
      orderBy: { id: 'asc' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      entries: page.map((row) => ({
        id: row.id.toString(),
        at: row.at,
        actor: { kind: row.actorKind as AuditActor['kind'], id: row.actorId, name: row.actorName },
        action: row.action,
        resource: row.resourceKind && row.resourceName ? { kind: row.resourceKind, name: row.resourceName } : null,
        decision: row.decision as 'allow' | 'deny',
        reason: row.reason,
        sourceIp: row.sourceIp,
        details: (row.details ?? {}) as Record<string, unknown>,
      })),
      next: rows.length > limit ? page.at(-1)!.id.toString() : null,
    };
  }
}

/** One entry as the audit_log columns the INSERT sets (`id` and `at` are the table's defaults). */
type AuditRow = [
  actorKind: string,
  actorId: string | null,
  actorName: string | null,
  action: string,
  resourceKind: string | null,
  resourceName: string | null,
  decision: string,
  reason: string | null,
  sourceIp: string | null,
  details: string,
];

function toRow(entry: AuditRecord): AuditRow {
  return [
    entry.actor.kind,
    entry.actor.id ?? null,
    entry.actor.name ?? null,
    entry.action,
    entry.resource?.kind ?? null,
    entry.resource?.name ?? null,
    entry.decision,
    entry.reason ?? null,
    entry.sourceIp ?? null,
    JSON.stringify(entry.details ?? {}),
  ];
}

/** A batch as one array per column, the INSERT's parameters. */
function toColumns(batch: ReadonlyArray<{ row: AuditRow }>): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 10 }, () => new Array<unknown>(batch.length));
  for (let i = 0; i < batch.length; i++) {
    const row = batch[i]!.row;
    for (let column = 0; column < 10; column++) columns[column]![i] = row[column];
  }
  return columns;
}
