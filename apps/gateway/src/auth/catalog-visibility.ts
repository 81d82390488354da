import { domainOfName, scopeAllows, type CatalogScope, type EventType } from '@meshgate/catalog';
import type { PolicyEngine, Principal } from '@meshgate/policy';

/** What visibility decisions read of an event type. */
export type VisibleEventType = Pick<EventType, 'name' | 'subject' | 'owner' | 'visibility'>;

/** What {@link CatalogViewer} needs of access control: the in-memory policy engine (AccessControl has it). */
export interface CatalogViewerAccess {
  readonly engine: PolicyEngine;
}

/**
 * Who may see a catalog entry — the one place this rule lives. It is worked out once per
 * caller as a {@link CatalogScope}; the checks below read that scope, and readers that filter
 * in SQL (search, the AsyncAPI export) take the same scope, so every transport and every
 * reader agrees:
 *
 * - without a caller (only when MESHGATE_PUBLIC_CATALOG opens catalog reads): public event types;
 * - portal users: public event types, and private ones when they are in the owner team, hold a
 *   live grant covering it (any action, on it, its domain, its subject or everything) or are
 *   administrators;
 * - applications: only event types a live grant covers, whatever the visibility (partners do
 *   not see the internal catalog — not even whether an entry exists);
 * - a credential past its expiry: nothing.
 *
 * Domains and services are visible to whoever browses the whole catalog (users, anonymous
 * readers of a public catalog, holders of a grant on everything); to an application when it
 * holds a grant on the domain, or sees one of the domain's event types (services: one of the
 * event types they declare).
 */
export class CatalogViewer {
  /** What the caller sees, as SQL readers take it and as every check of this class reads it. */
  readonly scope: CatalogScope;
  private readonly engine: PolicyEngine;

  constructor(
    access: CatalogViewerAccess,
    readonly principal: Principal | undefined,
    now = new Date(),
  ) {
    this.engine = access.engine;
    this.scope = scopeOf(access.engine, principal, now);
  }

  /** True for administrators (who see and may change everything). */
  get isAdmin(): boolean {
    return this.principal !== undefined && this.engine.authorize(this.principal, 'admin', {}).allowed;
  }

  /**
   * Whether the caller browses the catalog as a whole (portal users, anonymous readers of a
   * public catalog, holders of a grant on everything): every domain and service shows, and the
   * applications observed using event types; partners see only what their grants reach.
   */
  get browsesWholeCatalog(): boolean {
    return this.scope.all || this.scope.publicEntries;
  }

  /** Whether the caller may see an event type's catalog entry. */
  seesEventType(eventType: VisibleEventType): boolean {
    return scopeAllows(this.scope, { ...eventType, domain: domainOfName(eventType.name) });
  }

  /** Whether the caller may see a schema subject bound to no event type (users: yes; applications: with a grant on it). */
  seesSubject(subject: string): boolean {
    return this.browsesWholeCatalog || this.scope.subjects.includes(subject);
  }

  /** Whether the caller may see a domain, given the event types of it the caller sees. */
  seesDomain(name: string, visibleEventTypes: number): boolean {
    return this.browsesWholeCatalog || visibleEventTypes > 0 || this.scope.domains.includes(name);
  }

  /** Whether the caller may see a service, given whether it sees the event types it declares. */
  seesService(
    service: { domain: string | null; produces: string[]; consumes: string[] },
    seesName: (eventType: string) => boolean,
  ): boolean {
    if (this.browsesWholeCatalog) return true;
    // A grant on the service's domain shows it (a service without one: only a grant on everything).
    if (service.domain !== null && this.scope.domains.includes(service.domain)) return true;
    return [...service.produces, ...service.consumes].some(seesName);
  }
}

const NOTHING: CatalogScope = Object.freeze({
  all: false,
  publicEntries: false,
  teams: [],
  domains: [],
  eventTypes: [],
  subjects: [],
});

/** The scope of a caller: its teams and the resources its live grants (own and teams') name. */
function scopeOf(engine: PolicyEngine, principal: Principal | undefined, now: Date): CatalogScope {
  if (!principal) return { ...NOTHING, publicEntries: true };
  if (principal.expiresAt && principal.expiresAt <= now) return NOTHING;
  // canSee with no target is true only for administrators and grants on `all`.
  if (engine.canSee(principal, {}, now)) return { ...NOTHING, all: true, publicEntries: true };
  const domains: string[] = [];
  const eventTypes: string[] = [];
  const subjects: string[] = [];
  for (const grant of engine.grantsOf(principal)) {
    if (grant.expiresAt !== null && grant.expiresAt <= now) continue;
    if (grant.resourceKind === 'domain') domains.push(grant.resourceName);
    else if (grant.resourceKind === 'event-type') eventTypes.push(grant.resourceName);
    else if (grant.resourceKind === 'subject') subjects.push(grant.resourceName);
  }
  const user = principal.kind === 'user';
  return { all: false, publicEntries: user, teams: user ? [...principal.teams] : [], domains, eventTypes, subjects };
}
