import type {
  DomainInput,
  DomainWrite,
  EventType,
  EventTypeInput,
  EventTypeWrite,
  Lifecycle,
  ServiceInput,
  ServiceWrite,
} from '@meshgate/catalog';
import { assertEventTypeValues, resolveEventTypeDefaults } from '@meshgate/catalog';
import type { Principal } from '@meshgate/policy';
import { actorOf, changeActorOf } from '../auth/access-control';
import type { Services } from '../runtime';

/** Who asks for a catalog write: the authenticated caller and its address (for the audit log). */
export interface CatalogCaller {
  principal: Principal;
  sourceIp?: string | undefined;
}

/**
 * Catalog writes as every transport performs them (REST and GraphQL share these): authorize
 * (`manage-catalog` on the entry, audited when denied), write through the catalog (which
 * records the change history in the same transaction), then audit what changed.
 */

/** Creates or replaces an event type, creating its topic first (so a failure writes nothing to the catalog). */
export async function putEventType(
  services: Services,
  caller: CatalogCaller,
  name: string,
  input: EventTypeInput,
): Promise<EventTypeWrite> {
  const { access, catalog, eventLog } = services;
  const { principal, sourceIp } = caller;
  await access.require(principal, 'manage-catalog', { eventType: name }, { sourceIp }, 'catalog.put');
  const values = resolveEventTypeDefaults(name, input);
  assertEventTypeValues(name, values);
  await eventLog.createTopic({ name: values.topic, partitions: values.partitions });
  const result = await catalog.put(name, input, { actor: changeActorOf(principal) });
  if (result.changed) {
    await access.record({
      actor: actorOf(principal),
      action: result.created ? 'catalog.create' : 'catalog.update',
      resource: { kind: 'event-type', name },
      decision: 'allow',
      sourceIp: sourceIp ?? null,
      details: { topic: result.eventType.topic, subject: result.eventType.subject, owner: result.eventType.owner },
    });
  }
  return result;
}

/** Removes an event type from the catalog (its topic and schemas stay). */
export async function deleteEventType(services: Services, caller: CatalogCaller, name: string): Promise<EventType> {
  const { access, catalog } = services;
  const { principal, sourceIp } = caller;
  await access.require(principal, 'manage-catalog', { eventType: name }, { sourceIp }, 'catalog.delete');
  const deleted = await catalog.delete(name, { actor: changeActorOf(principal) });
  await access.record({
    actor: actorOf(principal),
    action: 'catalog.delete',
    resource: { kind: 'event-type', name },
    decision: 'allow',
    sourceIp: sourceIp ?? null,
  });
  return deleted;
}

/** Moves an event type through its lifecycle. */
export async function setLifecycle(
  services: Services,
  caller: CatalogCaller,
  name: string,
  lifecycle: Lifecycle,
  note: string | null,
): Promise<EventTypeWrite> {
  const { access, catalog } = services;
  const { principal, sourceIp } = caller;
  await access.require(principal, 'manage-catalog', { eventType: name }, { sourceIp }, 'catalog.lifecycle');
  const result = await catalog.setLifecycle(name, lifecycle, note, { actor: changeActorOf(principal) });
  if (result.changed) {
    await access.record({
      actor: actorOf(principal),
      action: 'catalog.lifecycle',
      resource: { kind: 'event-type', name },
      decision: 'allow',
      sourceIp: sourceIp ?? null,
      details: { from: result.before?.lifecycle, to: result.after.lifecycle },
    });
  }
  return result;
}

/** Creates or replaces a domain (manage-catalog on the domain). */
export async function putDomain(
  services: Services,
  caller: CatalogCaller,
  name: string,
  input: DomainInput,
): Promise<DomainWrite> {
  const { access, domains } = services;
  const { principal, sourceIp } = caller;
  await access.require(principal, 'manage-catalog', { domain: name }, { sourceIp }, 'catalog.domain.put');
  const result = await domains.put(name, input, { actor: changeActorOf(principal) });
  if (result.changed) {
    await access.record({
      actor: actorOf(principal),
      action: result.created ? 'catalog.domain.create' : 'catalog.domain.update',
      resource: { kind: 'domain', name },
      decision: 'allow',
      sourceIp: sourceIp ?? null,
    });
  }
  return result;
}

/** Deletes an empty domain. */
export async function deleteDomain(services: Services, caller: CatalogCaller, name: string) {
  const { access, domains } = services;
  const { principal, sourceIp } = caller;
  await access.require(principal, 'manage-catalog', { domain: name }, { sourceIp }, 'catalog.domain.delete');
  const deleted = await domains.delete(name, { actor: changeActorOf(principal) });
  await access.record({
    actor: actorOf(principal),
    action: 'catalog.domain.delete',
    resource: { kind: 'domain', name },
    decision: 'allow',
    sourceIp: sourceIp ?? null,
  });
  return deleted;
}

/** Needs manage-catalog on each domain a service write touches (no domain: on everything). */
async function requireServiceDomains(
  services: Services,
  caller: CatalogCaller,
  domains: ReadonlySet<string | null>,
  auditAction: string,
): Promise<void> {
  for (const domain of domains) {
    await services.access.require(
      caller.principal,
      'manage-catalog',
      domain === null ? {} : { domain },
      { sourceIp: caller.sourceIp },
      auditAction,
    );
  }
}

/** Creates or replaces a service (manage-catalog on its domain, old and new when it moves). */
export async function putService(
  services: Services,
  caller: CatalogCaller,
  name: string,
  input: ServiceInput,
): Promise<ServiceWrite> {
  const existing = await services.catalogServices.get(name).catch(() => undefined);
  const domains = new Set<string | null>([input.domain ?? null]);
  if (existing) domains.add(existing.domain);
  await requireServiceDomains(services, caller, domains, 'catalog.service.put');
  const result = await services.catalogServices.put(name, input, { actor: changeActorOf(caller.principal) });
  if (result.changed) {
    await services.access.record({
      actor: actorOf(caller.principal),
      action: result.created ? 'catalog.service.create' : 'catalog.service.update',
      resource: { kind: 'service', name },
      decision: 'allow',
      sourceIp: caller.sourceIp ?? null,
    });
  }
  return result;
}

/** Deletes a service and the lineage it declares. */
export async function deleteService(services: Services, caller: CatalogCaller, name: string) {
  const existing = await services.catalogServices.get(name).catch(() => undefined);
  await requireServiceDomains(services, caller, new Set([existing?.domain ?? null]), 'catalog.service.delete');
  const deleted = await services.catalogServices.delete(name, { actor: changeActorOf(caller.principal) });
  await services.access.record({
    actor: actorOf(caller.principal),
    action: 'catalog.service.delete',
    resource: { kind: 'service', name },
    decision: 'allow',
    sourceIp: caller.sourceIp ?? null,
  });
  return deleted;
}
