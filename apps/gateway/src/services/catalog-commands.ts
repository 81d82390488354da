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
import {
  applyCatalogDocument,
  assertEventTypeValues,
  resolveEventTypeDefaults,
  type ApplyOptions,
  type ApplyResult,
} from '@meshgate/catalog';
import type { Principal } from '@meshgate/policy';
import { changeActorOf } from '../auth/access-control';
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
    await services.access.recordAllowed(
      caller,
      result.created ? 'catalog.create' : 'catalog.update',
      { kind: 'event-type', name },
      { topic: result.eventType.topic, subject: result.eventType.subject, owner: result.eventType.owner },
    );
  }
  return result;
}

/** Removes an event type from the catalog (its topic and schemas stay). */
export async function deleteEventType(services: Services, caller: CatalogCaller, name: string): Promise<EventType> {
  const { access, catalog } = services;
  const { principal, sourceIp } = caller;
  await access.require(principal, 'manage-catalog', { eventType: name }, { sourceIp }, 'catalog.delete');
  const deleted = await catalog.delete(name, { actor: changeActorOf(principal) });
  await services.access.recordAllowed(caller, 'catalog.delete', { kind: 'event-type', name });
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
    await services.access.recordAllowed(
      caller,
      'catalog.lifecycle',
      { kind: 'event-type', name },
      { from: result.before?.lifecycle, to: result.after.lifecycle },
    );
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
    await services.access.recordAllowed(caller, result.created ? 'catalog.domain.create' : 'catalog.domain.update', {
      kind: 'domain',
      name,
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
  await services.access.recordAllowed(caller, 'catalog.domain.delete', { kind: 'domain', name });
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
    await services.access.recordAllowed(caller, result.created ? 'catalog.service.create' : 'catalog.service.update', {
      kind: 'service',
      name,
    });
  }
  return result;
}

/** Deletes a service and the lineage it declares. */
export async function deleteService(services: Services, caller: CatalogCaller, name: string) {
  const existing = await services.catalogServices.get(name).catch(() => undefined);
  await requireServiceDomains(services, caller, new Set([existing?.domain ?? null]), 'catalog.service.delete');
  const deleted = await services.catalogServices.delete(name, { actor: changeActorOf(caller.principal) });
  await services.access.recordAllowed(caller, 'catalog.service.delete', { kind: 'service', name });
  return deleted;
}

/** Options of {@link applyCatalog}. */
export interface ApplyCatalogOptions {
  dryRun?: boolean;
  prune?: boolean;
}

/**
 * Runs catalog-as-code's apply against the gateway's stores, creating the topics of new (or
 * re-partitioned) event types before it commits. Callers bring the actor and any authorization.
 */
export function applyToCatalog(
  services: Services,
  document: unknown,
  options: Omit<ApplyOptions, 'ensureTopics'>,
): Promise<ApplyResult> {
  return applyCatalogDocument(
    {
      prisma: services.db.prisma,
      registry: services.registry,
      validators: services.validators,
      changeFeed: services.changes,
      catalog: services.catalog,
    },
    document,
    {
      ...options,
      ensureTopics: async (topics) => {
        for (const topic of topics) await services.eventLog.createTopic(topic);
      },
    },
  );
}

/**
 * Applies a catalog document (YAML/JSON text or a parsed value) for a caller: every entry it
 * names — and every entry prune would delete — needs the same right as its REST write
 * (manage-catalog on the event type, domain, or service's domains; register-schema on a
 * schema's subject), unchanged ones included, so a dry run reveals nothing to whoever may not
 * write it. New topics are created before the transaction commits. Audited as `catalog.apply`.
 */
export async function applyCatalog(
  services: Services,
  caller: CatalogCaller,
  document: unknown,
  options: ApplyCatalogOptions = {},
): Promise<ApplyResult> {
  const { access } = services;
  const { principal, sourceIp } = caller;
  const origin = { sourceIp };
  const result = await applyToCatalog(services, document, {
    dryRun: options.dryRun ?? false,
    prune: options.prune ?? false,
    actor: changeActorOf(principal),
    authorize: async (target) => {
      switch (target.kind) {
        case 'domain':
          await access.require(principal, 'manage-catalog', { domain: target.name }, origin, 'catalog.apply');
          return;
        case 'event-type':
          await access.require(principal, 'manage-catalog', { eventType: target.name }, origin, 'catalog.apply');
          return;
        case 'schema':
          await access.require(principal, 'register-schema', { subject: target.name }, origin, 'catalog.apply');
          return;
        case 'service':
          for (const domain of target.domains.length > 0 ? target.domains : [undefined]) {
            await access.require(principal, 'manage-catalog', domain ? { domain } : {}, origin, 'catalog.apply');
          }
      }
    },
  });
  const tally: Record<string, number> = {};
  for (const change of result.changes) tally[change.action] = (tally[change.action] ?? 0) + 1;
  if (!result.dryRun && result.changes.some((change) => change.action !== 'unchanged')) {
    await services.access.recordAllowed(
      caller,
      'catalog.apply',
      { kind: 'catalog', name: '*' },
      {
        ...tally,
        prune: options.prune ?? false,
      },
    );
  }
  return result;
}
