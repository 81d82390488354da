import { ConflictError, InputError, NotFoundError, SYSTEM_ACTOR, type ChangeActor } from '@meshgate/core';
import type { ChangeFeed, PrismaClient } from '@meshgate/db';
import { publishCatalogChange } from './catalog-feed';
import { recordChange, type Tx } from './change-history';
import type { WriteOptions } from './event-types';

/** A business domain: groups the event types whose names start with it, and services. */
export interface Domain {
  name: string;
  displayName: string;
  summary: string;
  /** Markdown. */
  description: string | null;
  /** The owning team's id. */
  ownerTeam: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The body of `PUT /v1/catalog/domains/{name}`: replaces the entry (summary defaults to '', description to null). */
export interface DomainInput {
  displayName: string;
  summary?: string;
  description?: string | null;
  ownerTeam: string;
}

/** The stored values of a domain (what the change history keeps). */
export interface DomainSnapshot {
  name: string;
  displayName: string;
  summary: string;
  description: string | null;
  ownerTeam: string;
}

/** What a domain write did. */
export interface DomainWrite {
  domain: Domain;
  created: boolean;
  changed: boolean;
  before: DomainSnapshot | null;
  after: DomainSnapshot;
}

/** A domain name: what an event type name's first segment may be. */
const DOMAIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Throws INVALID_REQUEST unless `name` can be a domain (an event type name's first segment). */
export function assertDomainName(name: string): void {
  if (!DOMAIN_PATTERN.test(name)) {
    throw new InputError(
      `Invalid domain name '${name}': use 1–100 letters, digits, '_' or '-' (it is the first segment of its event types' names).`,
    );
  }
}

function snapshot(row: Domain): DomainSnapshot {
  return {
    name: row.name,
    displayName: row.displayName,
    summary: row.summary,
    description: row.description,
    ownerTeam: row.ownerTeam,
  };
}

/** The stored values a PUT (or an apply) asks for; throws INVALID_REQUEST naming the field. */
export function planDomain(name: string, input: DomainInput): DomainSnapshot {
  assertDomainName(name);
  if (typeof input.displayName !== 'string' || input.displayName.trim() === '' || input.displayName.length > 200) {
    throw new InputError(`Domain '${name}' needs a displayName of 1–200 characters.`);
  }
  if (typeof input.ownerTeam !== 'string' || input.ownerTeam.trim() === '' || input.ownerTeam.length > 200) {
    throw new InputError(`Domain '${name}' needs an ownerTeam (a team id).`);
  }
  if (input.summary !== undefined && (typeof input.summary !== 'string' || input.summary.length > 500)) {
    throw new InputError(`The summary of domain '${name}' must be text of at most 500 characters.`);
  }
  return {
    name,
    displayName: input.displayName,
    summary: input.summary ?? '',
    description: input.description ?? null,
    ownerTeam: input.ownerTeam,
  };
}

function domainNotFound(name: string): NotFoundError {
  return new NotFoundError('DOMAIN_NOT_FOUND', `Domain '${name}' not found.`);
}

/** Creates the domain of a new event type when it does not exist yet (named after itself, owned by the event type's owner). */
export async function createDomainIfMissing(
  tx: Tx,
  name: string,
  ownerTeam: string,
  actor: ChangeActor,
  changeFeed: ChangeFeed | undefined,
): Promise<void> {
  if (await tx.domain.findUnique({ where: { name }, select: { name: true } })) return;
  const after: DomainSnapshot = { name, displayName: name, summary: '', description: null, ownerTeam };
  // Two first event types of a new domain may race: whoever inserts second does nothing.
  const { count } = await tx.domain.createMany({ data: [after], skipDuplicates: true });
  if (count === 0) return;
  await recordChange(tx, { entityKind: 'domain', entityName: name, action: 'created', actor, before: null, after });
  await publishCatalogChange(changeFeed, tx, `domain:${name}`);
}

/** Creates or replaces a domain inside a transaction; no-op (no history row) when nothing changes. */
export async function putDomainIn(
  tx: Tx,
  name: string,
  input: DomainInput,
  context: { actor: ChangeActor; changeFeed?: ChangeFeed | undefined },
): Promise<Omit<DomainWrite, 'domain'>> {
  const after = planDomain(name, input);
  const row = await tx.domain.findUnique({ where: { name } });
  const before = row ? snapshot(row) : null;
  if (before && JSON.stringify(before) === JSON.stringify(after))
    return { created: false, changed: false, before, after };
  await tx.domain.upsert({ where: { name }, create: after, update: after });
  await recordChange(tx, {
    entityKind: 'domain',
    entityName: name,
    action: before ? 'updated' : 'created',
    actor: context.actor,
    before,
    after,
  });
  await publishCatalogChange(context.changeFeed, tx, `domain:${name}`);
  return { created: !before, changed: true, before, after };
}

/** Deletes a domain inside a transaction; DOMAIN_NOT_EMPTY (409) while event types or services belong to it. */
export async function deleteDomainIn(
  tx: Tx,
  name: string,
  context: { actor: ChangeActor; changeFeed?: ChangeFeed | undefined },
): Promise<DomainSnapshot> {
  const row = await tx.domain.findUnique({ where: { name } });
  if (!row) throw domainNotFound(name);
  const [eventTypes, services] = await Promise.all([
    tx.eventType.count({ where: { domain: name } }),
    tx.catalogService.count({ where: { domain: name } }),
  ]);
  if (eventTypes > 0 || services > 0) {
    throw new ConflictError(
      `Domain '${name}' still has ${eventTypes} event type(s) and ${services} service(s); delete or move them first.`,
      { code: 'DOMAIN_NOT_EMPTY', details: { eventTypes, services } },
    );
  }
  await tx.domain.delete({ where: { name } });
  const before = snapshot(row);
  await recordChange(tx, {
    entityKind: 'domain',
    entityName: name,
    action: 'deleted',
    actor: context.actor,
    before,
    after: null,
  });
  await publishCatalogChange(context.changeFeed, tx, `domain:${name}`);
  return before;
}

/** The catalog's domains, stored in PostgreSQL; every write records a change history row. */
export class DomainCatalog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: { changeFeed?: ChangeFeed } = {},
  ) {}

  /** Every domain, by name. */
  list(): Promise<Domain[]> {
    return this.prisma.domain.findMany({ orderBy: { name: 'asc' } });
  }

  /** One domain; throws DOMAIN_NOT_FOUND. */
  async get(name: string): Promise<Domain> {
    const row = await this.prisma.domain.findUnique({ where: { name } });
    if (!row) throw domainNotFound(name);
    return row;
  }

  /** Creates or replaces a domain. */
  async put(name: string, input: DomainInput, options: WriteOptions = {}): Promise<DomainWrite> {
    planDomain(name, input);
    const result = await this.prisma.$transaction((tx) =>
      putDomainIn(tx, name, input, { actor: options.actor ?? SYSTEM_ACTOR, changeFeed: this.options.changeFeed }),
    );
    if (result.changed) this.options.changeFeed?.emitLocal({ topic: 'catalog', key: `domain:${name}` });
    return { ...result, domain: await this.get(name) };
  }

  /** Deletes an empty domain; throws DOMAIN_NOT_FOUND or DOMAIN_NOT_EMPTY. */
  async delete(name: string, options: WriteOptions = {}): Promise<DomainSnapshot> {
    const before = await this.prisma.$transaction((tx) =>
      deleteDomainIn(tx, name, { actor: options.actor ?? SYSTEM_ACTOR, changeFeed: this.options.changeFeed }),
    );
    this.options.changeFeed?.emitLocal({ topic: 'catalog', key: `domain:${name}` });
    return before;
  }
}
