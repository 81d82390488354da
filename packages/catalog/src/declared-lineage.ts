import { NotFoundError } from '@meshgate/core';
import type { PrismaClient } from '@meshgate/db';
import type { Tx } from './change-history';

/** A declared role: a service produces or consumes an event type. */
export type LineageRole = 'producer' | 'consumer';

/** The services declared as producers and consumers of one event type, sorted. */
export interface DeclaredParties {
  producers: string[];
  consumers: string[];
}

/** The event types one service declares it produces and consumes, sorted. */
export interface DeclaredUse {
  produces: string[];
  consumes: string[];
}

type Client = Tx | PrismaClient;

/**
 * Declared lineage grouped by one side — per event type its services, or per service its event
 * types — and role, sorted; every named entry gets one, rows or not.
 */
async function groupDeclared(
  client: Client,
  by: 'eventType' | 'service',
  names: readonly string[] | undefined,
): Promise<Map<string, Record<LineageRole, string[]>>> {
  const rows = await client.declaredLineage.findMany({
    where: names ? (by === 'eventType' ? { eventType: { in: [...names] } } : { service: { in: [...names] } }) : {},
    orderBy:
      by === 'eventType' ? [{ eventType: 'asc' }, { service: 'asc' }] : [{ service: 'asc' }, { eventType: 'asc' }],
  });
  const result = new Map<string, Record<LineageRole, string[]>>();
  for (const name of names ?? []) result.set(name, { producer: [], consumer: [] });
  for (const row of rows) {
    const key = by === 'eventType' ? row.eventType : row.service;
    let entry = result.get(key);
    if (!entry) result.set(key, (entry = { producer: [], consumer: [] }));
    entry[row.role === 'producer' ? 'producer' : 'consumer'].push(by === 'eventType' ? row.service : row.eventType);
  }
  return result;
}

/** Declared producers and consumers per event type (all, or the named ones); every named one gets an entry. */
export async function declaredPartiesOf(
  client: Client,
  eventTypes?: readonly string[],
): Promise<Map<string, DeclaredParties>> {
  const grouped = await groupDeclared(client, 'eventType', eventTypes);
  return new Map([...grouped].map(([name, roles]) => [name, { producers: roles.producer, consumers: roles.consumer }]));
}

/** Declared produced and consumed event types per service (all, or the named ones); every named one gets an entry. */
export async function declaredUseOf(client: Client, services?: readonly string[]): Promise<Map<string, DeclaredUse>> {
  const grouped = await groupDeclared(client, 'service', services);
  return new Map([...grouped].map(([name, roles]) => [name, { produces: roles.producer, consumes: roles.consumer }]));
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}

/** Replaces the services declared in one role for an event type; throws SERVICE_NOT_FOUND naming an unknown one. */
export async function replaceDeclaredParties(
  tx: Tx,
  eventType: string,
  role: LineageRole,
  services: readonly string[],
): Promise<void> {
  const wanted = unique(services);
  const known = new Set(
    (await tx.catalogService.findMany({ where: { name: { in: wanted } }, select: { name: true } })).map((r) => r.name),
  );
  const missing = wanted.find((name) => !known.has(name));
  if (missing !== undefined) {
    throw new NotFoundError(
      'SERVICE_NOT_FOUND',
      `Service '${missing}' (declared as a ${role} of '${eventType}') is not in the catalog: declare it first.`,
      { details: { service: missing, role } },
    );
  }
  await tx.declaredLineage.deleteMany({ where: { eventType, role } });
  if (wanted.length > 0) {
    await tx.declaredLineage.createMany({ data: wanted.map((service) => ({ eventType, service, role })) });
  }
}

/** Replaces the event types a service declares in one role; throws EVENT_TYPE_NOT_FOUND naming an unknown one. */
export async function replaceDeclaredUse(
  tx: Tx,
  service: string,
  role: LineageRole,
  eventTypes: readonly string[],
): Promise<void> {
  const wanted = unique(eventTypes);
  const known = new Set(
    (await tx.eventType.findMany({ where: { name: { in: wanted } }, select: { name: true } })).map((r) => r.name),
  );
  const missing = wanted.find((name) => !known.has(name));
  if (missing !== undefined) {
    throw new NotFoundError(
      'EVENT_TYPE_NOT_FOUND',
      `Event type '${missing}' (which service '${service}' ${role === 'producer' ? 'produces' : 'consumes'}) is not in the catalog.`,
      { details: { eventType: missing, role } },
    );
  }
  await tx.declaredLineage.deleteMany({ where: { service, role } });
  if (wanted.length > 0) {
    await tx.declaredLineage.createMany({ data: wanted.map((eventType) => ({ eventType, service, role })) });
  }
}
