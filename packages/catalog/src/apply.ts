import { InputError, MeshgateError, SYSTEM_ACTOR, isMeshgateError, type ChangeActor } from '@meshgate/core';
import type { ChangeFeed, PrismaClient } from '@meshgate/db';
import type { SchemaRegistry, ValidatorCache } from '@meshgate/registry';
import type { Tx } from './change-history';
import { parseCatalogDocument, schemaText, type CatalogDocument, type CatalogDocumentEventType } from './document';
import { deleteDomainIn, planDomain, putDomainIn, type DomainInput } from './domains';
import {
  deleteEventTypeIn,
  domainOfName,
  planEventType,
  putEventTypeIn,
  resolveEventTypeDefaults,
  sameJson,
  type EventTypeCatalog,
  type EventTypeInput,
} from './event-types';
import { assertServiceInput, deleteServiceIn, putServiceIn, readServiceSnapshot, type ServiceInput } from './services';

/** What an apply reports per entry. */
export type ApplyAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One field that differs: a JSON pointer into the entry and its value before and after. */
export interface FieldDiff {
  path: string;
  before: unknown;
  after: unknown;
}

/** What the apply did (or, in a dry run, would do) to one entry. */
export interface ApplyChange {
  kind: 'domain' | 'service' | 'event-type' | 'schema';
  name: string;
  action: ApplyAction;
  diff: FieldDiff[];
}

/** The outcome of {@link applyCatalogDocument}. */
export interface ApplyResult {
  dryRun: boolean;
  changes: ApplyChange[];
}

/** An entry the caller must be allowed to write (see {@link ApplyOptions.authorize}). */
export interface ApplyTarget {
  kind: ApplyChange['kind'];
  name: string;
  action: ApplyAction;
  /** Domains the entry belongs to before and after (services: the `domain` field; event types: the name's first segment). */
  domains: string[];
}

/** What {@link applyCatalogDocument} works with. */
export interface ApplyDependencies {
  prisma: PrismaClient;
  registry: SchemaRegistry;
  validators: ValidatorCache;
  changeFeed?: ChangeFeed | undefined;
  /** Its cache is dropped after a committed apply. */
  catalog?: EventTypeCatalog | undefined;
}

/** Options of {@link applyCatalogDocument}. */
export interface ApplyOptions {
  /** Work out and check every change, then roll back: nothing is written. Default false. */
  dryRun?: boolean;
  /** Delete services, event types and (empty) domains the document does not list. Default false. */
  prune?: boolean;
  /** Who applies (for the change history); default Meshgate itself. */
  actor?: ChangeActor;
  /**
   * Called for every entry the document names (unchanged ones too: their existence is not
   * revealed to callers who may not write them) and every entry prune would delete, before
   * anything commits; throw to refuse the whole apply.
   */
  authorize?: (target: ApplyTarget) => Promise<void>;
  /**
   * Called before commit with the topics of created event types and of event types whose topic
   * or partitions changed (not in a dry run): create them here. A failure rolls everything back.
   */
  ensureTopics?: (topics: { name: string; partitions: number }[]) => Promise<void>;
}

const APPLY_LOCK = 'catalog:apply';

/** The fields that differ between two snapshots (`name` aside); a missing side reads as null. */
export function diffEntries(before: object | null, after: object | null): FieldDiff[] {
  const left = (before ?? {}) as Record<string, unknown>;
  const right = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => key !== 'name');
  return keys
    .filter((key) => !sameJson(left[key] ?? null, right[key] ?? null))
    .map((key) => ({ path: `/${key}`, before: left[key] ?? null, after: right[key] ?? null }));
}

function actionOf(before: object | null, after: object | null, changed: boolean): ApplyAction {
  if (!changed) return 'unchanged';
  if (!before) return 'create';
  return after ? 'update' : 'delete';
}

function domainInput(entry: NonNullable<CatalogDocument['domains']>[number]): DomainInput {
  return {
    displayName: entry.displayName ?? entry.name,
    ...(entry.summary !== undefined ? { summary: entry.summary } : {}),
    ...(entry.description !== undefined ? { description: entry.description } : {}),
    ownerTeam: entry.owner,
  };
}

function serviceInput(entry: NonNullable<CatalogDocument['services']>[number]): ServiceInput {
  const { name: _name, owner, displayName, ...rest } = entry;
  return { ...rest, displayName: displayName ?? entry.name, ownerTeam: owner };
}

function eventTypeInput(entry: CatalogDocumentEventType): EventTypeInput {
  const { name: _name, schema: _schema, ...rest } = entry;
  return rest;
}

/** Thrown inside the transaction to roll a dry run back with its result. */
class DryRun extends Error {
  constructor(readonly changes: ApplyChange[]) {
    super('dry run');
  }
}

/**
 * Applies a catalog document — domains, then event types (each followed by its schema), then
 * services, then, with `prune`, deletions — in ONE transaction: all of it or nothing. Entries
 * that already match are reported `unchanged` and not written (no history row), so applying
 * the same document twice changes nothing the second time. Every write records its change
 * history row in the same transaction. Throws INVALID_CATALOG_DOCUMENT for a malformed
 * document and the REST API's codes (INVALID_REQUEST, INVALID_EXAMPLE,
 * INVALID_LIFECYCLE_TRANSITION, INCOMPATIBLE_SCHEMA, DOMAIN_NOT_EMPTY, …) for a refused entry.
 */
export async function applyCatalogDocument(
  deps: ApplyDependencies,
  input: CatalogDocument | string | unknown,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const document = parseCatalogDocument(input);
  const dryRun = options.dryRun ?? false;
  const actor = options.actor ?? SYSTEM_ACTOR;
  const context = { actor, changeFeed: deps.changeFeed };
  const schemas = { registry: deps.registry, validators: deps.validators };
  const at = (path: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      throw withPath(error, path);
    }
  };
  // Plain checks first, naming the entry, so a bad document never opens a transaction.
  (document.domains ?? []).forEach((entry, index) =>
    at(`/domains/${index}`, () => planDomain(entry.name, domainInput(entry))),
  );
  (document.eventTypes ?? []).forEach((entry, index) =>
    at(`/eventTypes/${index}`, () => planEventType(entry.name, eventTypeInput(entry), null)),
  );
  (document.services ?? []).forEach((entry, index) =>
    at(`/services/${index}`, () => assertServiceInput(entry.name, serviceInput(entry))),
  );

  const changedSubjects = new Set<string>();
  const run = async (tx: Tx): Promise<ApplyChange[]> => {
    await tx.$queryRawUnsafe('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))', APPLY_LOCK);
    const changes: ApplyChange[] = [];
    const topics: { name: string; partitions: number }[] = [];
    const authorize = async (target: ApplyTarget) => options.authorize?.(target);
    const step = async <T>(path: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw withPath(error, path);
      }
    };

    for (const [index, entry] of (document.domains ?? []).entries()) {
      await step(`/domains/${index}`, async () => {
        const result = await putDomainIn(tx, entry.name, domainInput(entry), context);
        const action = actionOf(result.before, result.after, result.changed);
        await authorize({ kind: 'domain', name: entry.name, action, domains: [entry.name] });
        changes.push({
          kind: 'domain',
          name: entry.name,
          action,
          diff: result.changed ? diffEntries(result.before, result.after) : [],
        });
      });
    }

    for (const [index, entry] of (document.eventTypes ?? []).entries()) {
      await step(`/eventTypes/${index}`, async () => {
        const values = resolveEventTypeDefaults(entry.name, eventTypeInput(entry));
        const docSchema = entry.schema
          ? {
              schemaType: entry.schema.type,
              schema: schemaText(entry.schema),
              references: entry.schema.references ?? [],
            }
          : undefined;
        const result = await putEventTypeIn(tx, entry.name, eventTypeInput(entry), {
          ...context,
          schemas,
          ...(docSchema ? { schema: docSchema } : {}),
        });
        const action = actionOf(result.before, result.after, result.changed);
        await authorize({ kind: 'event-type', name: entry.name, action, domains: [domainOfName(entry.name)] });
        changes.push({
          kind: 'event-type',
          name: entry.name,
          action,
          diff: result.changed ? diffEntries(result.before, result.after) : [],
        });
        if (
          result.changed &&
          (!result.before ||
            result.before.topic !== result.after.topic ||
            result.before.partitions !== result.after.partitions)
        ) {
          topics.push({ name: values.topic, partitions: values.partitions });
        }
        if (entry.schema && docSchema) {
          const subject = values.subject;
          const latest = await tx.subjectVersion.findFirst({
            where: { subject, deleted: false },
            orderBy: { version: 'desc' },
            select: { version: true },
          });
          await authorize({ kind: 'schema', name: subject, action: 'update', domains: [domainOfName(entry.name)] });
          const registered = await step(`/eventTypes/${index}/schema`, () =>
            deps.registry.registerInTransaction(
              tx,
              subject,
              { schema: docSchema.schema, schemaType: docSchema.schemaType, references: docSchema.references },
              { actor },
            ),
          );
          if (registered.changed) changedSubjects.add(subject);
          changes.push({
            kind: 'schema',
            name: subject,
            action: registered.changed ? (latest ? 'update' : 'create') : 'unchanged',
            diff: registered.changed
              ? [{ path: '/version', before: latest?.version ?? null, after: registered.version }]
              : [],
          });
        }
        // A pinned version must exist (the document may have just registered it).
        if (result.after.schemaVersion !== null) {
          const pinned = await tx.subjectVersion.findUnique({
            where: { subject_version: { subject: values.subject, version: result.after.schemaVersion } },
          });
          if (!pinned || pinned.deleted) {
            throw new InputError(
              `schemaVersion ${result.after.schemaVersion} does not exist under subject '${values.subject}'.`,
            );
          }
        }
      });
    }

    for (const [index, entry] of (document.services ?? []).entries()) {
      await step(`/services/${index}`, async () => {
        const existing = await readServiceSnapshot(tx, entry.name);
        const result = await putServiceIn(tx, entry.name, serviceInput(entry), context);
        const action = actionOf(result.before, result.after, result.changed);
        const domains = [existing?.domain, entry.domain].filter((d): d is string => typeof d === 'string');
        await authorize({ kind: 'service', name: entry.name, action, domains });
        changes.push({
          kind: 'service',
          name: entry.name,
          action,
          diff: result.changed ? diffEntries(result.before, result.after) : [],
        });
      });
    }

    if (options.prune) {
      const keepServices = new Set((document.services ?? []).map((entry) => entry.name));
      const keepEventTypes = new Set((document.eventTypes ?? []).map((entry) => entry.name));
      const keepDomains = new Set([
        ...(document.domains ?? []).map((entry) => entry.name),
        ...[...keepEventTypes].map(domainOfName),
        ...(document.services ?? []).flatMap((entry) => (entry.domain ? [entry.domain] : [])),
      ]);
      for (const service of await tx.catalogService.findMany({
        where: { name: { notIn: [...keepServices] } },
        orderBy: { name: 'asc' },
      })) {
        await authorize({
          kind: 'service',
          name: service.name,
          action: 'delete',
          domains: service.domain ? [service.domain] : [],
        });
        const before = await deleteServiceIn(tx, service.name, context);
        changes.push({ kind: 'service', name: service.name, action: 'delete', diff: diffEntries(before, null) });
      }
      for (const eventType of await tx.eventType.findMany({
        where: { name: { notIn: [...keepEventTypes] } },
        orderBy: { name: 'asc' },
      })) {
        await authorize({ kind: 'event-type', name: eventType.name, action: 'delete', domains: [eventType.domain] });
        const before = await deleteEventTypeIn(tx, eventType.name, context);
        changes.push({ kind: 'event-type', name: eventType.name, action: 'delete', diff: diffEntries(before, null) });
      }
      for (const domain of await tx.domain.findMany({
        where: { name: { notIn: [...keepDomains] } },
        orderBy: { name: 'asc' },
      })) {
        await authorize({ kind: 'domain', name: domain.name, action: 'delete', domains: [domain.name] });
        const before = await deleteDomainIn(tx, domain.name, context);
        changes.push({ kind: 'domain', name: domain.name, action: 'delete', diff: diffEntries(before, null) });
      }
    }

    if (dryRun) throw new DryRun(changes);
    if (topics.length > 0) await options.ensureTopics?.(topics);
    return changes;
  };

  let changes: ApplyChange[];
  try {
    changes = await deps.prisma.$transaction(run, { maxWait: 10_000, timeout: 120_000 });
  } catch (error) {
    if (error instanceof DryRun) return { dryRun: true, changes: error.changes };
    throw error;
  }
  for (const subject of changedSubjects) deps.registry.forgetCommitted(subject);
  if (changes.some((change) => change.action !== 'unchanged')) {
    if (deps.catalog) deps.catalog.changedLocally();
    else deps.changeFeed?.emitLocal({ topic: 'catalog' });
  }
  return { dryRun: false, changes };
}

/** The error with the document path of the failing entry in its message and `details.documentPath`. */
function withPath(error: unknown, path: string): unknown {
  if (!isMeshgateError(error)) return error;
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  if ('documentPath' in details) return error;
  return new MeshgateError(error.code, `${path}: ${error.message}`, {
    details: { ...details, documentPath: path },
    cause: error,
    retriable: error.retriable,
  });
}
