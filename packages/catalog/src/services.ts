import { ConflictError, InputError, NotFoundError, SYSTEM_ACTOR, type ChangeActor } from '@meshgate/core';
import type { Prisma, ChangeFeed, PrismaClient } from '@meshgate/db';
import { publishCatalogChange } from './catalog-feed';
import { recordChange, type Tx } from './change-history';
import { declaredUseOf, replaceDeclaredUse, type DeclaredUse } from './declared-lineage';
import { assertDomainName } from './domains';
import { sameJson, TRANSACTION_OPTIONS, type WriteOptions } from './event-types';

/** A catalog service: a producer and/or consumer of event types, as its owners declare it. */
export interface CatalogService extends DeclaredUse {
  name: string;
  displayName: string;
  summary: string;
  /** Markdown. */
  description: string | null;
  domain: string | null;
  ownerTeam: string;
  /** The policy application (by name) the service authenticates as, so observed traffic is attributed to it. */
  application: string | null;
  /** Where its code lives. */
  repository: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The body of `PUT /v1/catalog/services/{name}`: replaces the entry; `produces` and `consumes`
 * replace the declared event types when given and keep them when left out.
 */
export interface ServiceInput {
  displayName: string;
  summary?: string;
  description?: string | null;
  domain?: string | null;
  ownerTeam: string;
  /** A policy application's name; null unbinds. */
  application?: string | null;
  repository?: string | null;
  produces?: string[];
  consumes?: string[];
}

/** The stored values of a service (what the change history keeps). */
export type ServiceSnapshot = Omit<CatalogService, 'createdAt' | 'updatedAt'>;

/** What a service write did. */
export interface ServiceWrite {
  service: CatalogService;
  created: boolean;
  changed: boolean;
  before: ServiceSnapshot | null;
  after: ServiceSnapshot;
}

const SERVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Throws INVALID_REQUEST unless `name` is a legal service name (a slug such as `order-service`). */
export function assertServiceName(name: string): void {
  if (!SERVICE_PATTERN.test(name)) {
    throw new InputError(
      `Invalid service name '${name}': use 1–200 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
}

function serviceNotFound(name: string): NotFoundError {
  return new NotFoundError('SERVICE_NOT_FOUND', `Service '${name}' not found.`);
}

/** Checks a service body; throws INVALID_REQUEST naming the field. */
export function assertServiceInput(name: string, input: ServiceInput): void {
  assertServiceName(name);
  if (typeof input.displayName !== 'string' || input.displayName.trim() === '' || input.displayName.length > 200) {
    throw new InputError(`Service '${name}' needs a displayName of 1–200 characters.`);
  }
  if (typeof input.ownerTeam !== 'string' || input.ownerTeam.trim() === '') {
    throw new InputError(`Service '${name}' needs an ownerTeam (a team id).`);
  }
  if (input.domain !== undefined && input.domain !== null) assertDomainName(input.domain);
  if (input.repository !== undefined && input.repository !== null) {
    let url: URL | undefined;
    try {
      url = new URL(input.repository);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new InputError(`The repository of service '${name}' must be an http(s) URL, got '${input.repository}'.`);
    }
  }
}

type ServiceRow = Prisma.CatalogServiceGetPayload<object>;

/** Application names by id, for the ids given (nulls skipped). */
export async function applicationNames(
  client: Tx | PrismaClient,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await client.application.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

async function toServices(client: Tx | PrismaClient, rows: readonly ServiceRow[]): Promise<CatalogService[]> {
  const [names, use] = await Promise.all([
    applicationNames(
      client,
      rows.map((row) => row.applicationId),
    ),
    declaredUseOf(
      client,
      rows.map((row) => row.name),
    ),
  ]);
  return rows.map((row) => ({
    name: row.name,
    displayName: row.displayName,
    summary: row.summary,
    description: row.description,
    domain: row.domain,
    ownerTeam: row.ownerTeam,
    application: row.applicationId === null ? null : (names.get(row.applicationId) ?? null),
    repository: row.repository,
    produces: use.get(row.name)?.produces ?? [],
    consumes: use.get(row.name)?.consumes ?? [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}

function snapshotOf(service: CatalogService): ServiceSnapshot {
  const { createdAt: _created, updatedAt: _updated, ...rest } = service;
  return rest;
}

/** Reads a service inside a transaction (null when absent). */
export async function readServiceSnapshot(tx: Tx, name: string): Promise<ServiceSnapshot | null> {
  const row = await tx.catalogService.findUnique({ where: { name } });
  return row ? snapshotOf((await toServices(tx, [row]))[0]!) : null;
}

/**
 * Creates or replaces a service inside a transaction: its domain must exist (DOMAIN_NOT_FOUND),
 * its application too (INVALID_REQUEST) and be bound to no other service (CONFLICT), the
 * event types it declares too (EVENT_TYPE_NOT_FOUND). No-op when nothing changes.
 */
export async function putServiceIn(
  tx: Tx,
  name: string,
  input: ServiceInput,
  context: { actor: ChangeActor; changeFeed?: ChangeFeed | undefined },
): Promise<Omit<ServiceWrite, 'service'>> {
  assertServiceInput(name, input);
  const before = await readServiceSnapshot(tx, name);
  const domain = input.domain ?? null;
  if (domain !== null && !(await tx.domain.findUnique({ where: { name: domain }, select: { name: true } }))) {
    throw new NotFoundError(
      'DOMAIN_NOT_FOUND',
      `Domain '${domain}' (of service '${name}') not found: declare it first.`,
    );
  }
  let applicationId: string | null = null;
  if (input.application !== undefined && input.application !== null) {
    const app = await tx.application.findUnique({ where: { name: input.application }, select: { id: true } });
    if (!app) {
      throw new InputError(`No application '${input.application}' (of service '${name}'): create it first.`, {
        details: { application: input.application },
      });
    }
    const bound = await tx.catalogService.findFirst({
      where: { applicationId: app.id, name: { not: name } },
      select: { name: true },
    });
    if (bound) {
      throw new ConflictError(`Application '${input.application}' is already bound to service '${bound.name}'.`, {
        details: { application: input.application, service: bound.name },
      });
    }
    applicationId = app.id;
  }
  const after: ServiceSnapshot = {
    name,
    displayName: input.displayName,
    summary: input.summary ?? '',
    description: input.description ?? null,
    domain,
    ownerTeam: input.ownerTeam,
    application: input.application ?? null,
    repository: input.repository ?? null,
    produces: input.produces !== undefined ? [...new Set(input.produces)].sort() : (before?.produces ?? []),
    consumes: input.consumes !== undefined ? [...new Set(input.consumes)].sort() : (before?.consumes ?? []),
  };
  if (before && sameJson(before, after)) return { created: false, changed: false, before, after };
  const data = {
    name,
    displayName: after.displayName,
    summary: after.summary,
    description: after.description,
    domain,
    ownerTeam: after.ownerTeam,
    applicationId,
    repository: after.repository,
  };
  await tx.catalogService.upsert({ where: { name }, create: data, update: data });
  if (input.produces !== undefined) await replaceDeclaredUse(tx, name, 'producer', after.produces);
  if (input.consumes !== undefined) await replaceDeclaredUse(tx, name, 'consumer', after.consumes);
  await recordChange(tx, {
    entityKind: 'service',
    entityName: name,
    action: before ? 'updated' : 'created',
    actor: context.actor,
    before,
    after,
  });
  await publishCatalogChange(context.changeFeed, tx, `service:${name}`);
  return { created: !before, changed: true, before, after };
}

/** Deletes a service and what it declares inside a transaction; throws SERVICE_NOT_FOUND. */
export async function deleteServiceIn(
  tx: Tx,
  name: string,
  context: { actor: ChangeActor; changeFeed?: ChangeFeed | undefined },
): Promise<ServiceSnapshot> {
  const before = await readServiceSnapshot(tx, name);
  if (!before) throw serviceNotFound(name);
  await tx.declaredLineage.deleteMany({ where: { service: name } });
  await tx.catalogService.delete({ where: { name } });
  await recordChange(tx, {
    entityKind: 'service',
    entityName: name,
    action: 'deleted',
    actor: context.actor,
    before,
    after: null,
  });
  await publishCatalogChange(context.changeFeed, tx, `service:${name}`);
  return before;
}

/** The catalog's services, stored in PostgreSQL; every write records a change history row. */
export class ServiceCatalog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: { changeFeed?: ChangeFeed } = {},
  ) {}

  /** Services by name, optionally of one domain and/or only the given names. */
  async list(
    filter: { domain?: string | undefined; names?: readonly string[] | undefined } = {},
  ): Promise<CatalogService[]> {
    const rows = await this.prisma.catalogService.findMany({
      where: {
        ...(filter.domain ? { domain: filter.domain } : {}),
        ...(filter.names ? { name: { in: [...filter.names] } } : {}),
      },
      orderBy: { name: 'asc' },
    });
    return toServices(this.prisma, rows);
  }

  /** One service; throws SERVICE_NOT_FOUND. */
  async get(name: string): Promise<CatalogService> {
    const row = await this.prisma.catalogService.findUnique({ where: { name } });
    if (!row) throw serviceNotFound(name);
    return (await toServices(this.prisma, [row]))[0]!;
  }

  /** Creates or replaces a service (see {@link putServiceIn}). */
  async put(name: string, input: ServiceInput, options: WriteOptions = {}): Promise<ServiceWrite> {
    assertServiceInput(name, input);
    const result = await this.prisma.$transaction(
      (tx) =>
        putServiceIn(tx, name, input, { actor: options.actor ?? SYSTEM_ACTOR, changeFeed: this.options.changeFeed }),
      TRANSACTION_OPTIONS,
    );
    if (result.changed) this.options.changeFeed?.emitLocal({ topic: 'catalog', key: `service:${name}` });
    return { ...result, service: await this.get(name) };
  }

  /** Deletes a service; throws SERVICE_NOT_FOUND. */
  async delete(name: string, options: WriteOptions = {}): Promise<ServiceSnapshot> {
    const before = await this.prisma.$transaction(
      (tx) => deleteServiceIn(tx, name, { actor: options.actor ?? SYSTEM_ACTOR, changeFeed: this.options.changeFeed }),
      TRANSACTION_OPTIONS,
    );
    this.options.changeFeed?.emitLocal({ topic: 'catalog', key: `service:${name}` });
    return before;
  }
}
