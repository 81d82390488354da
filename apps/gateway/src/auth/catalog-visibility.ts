import type { EventType } from '@meshgate/catalog';
import type { Principal } from '@meshgate/policy';
import type { AccessControl } from './access-control';

/** What visibility decisions read of an event type. */
export type VisibleEventType = Pick<EventType, 'name' | 'subject' | 'owner' | 'visibility'>;

/**
 * Who may see a catalog entry (the one place these rules live; REST, GraphQL and the change
 * history use it):
 *
 * - without a caller (only when MESHGATE_PUBLIC_CATALOG opens catalog reads): public event types;
 * - portal users: public event types, and private ones when they are in the owner team, hold a
 *   grant covering it (any action) or are administrators;
 * - applications: only event types they hold a grant on, whatever the visibility (partners do
 *   not see the internal catalog — not even whether an entry exists).
 *
 * Domains are visible to users (and anonymous readers of a public catalog); to an application
 * when it holds a grant on the domain or sees one of its event types. Services follow their
 * domain, or the event types they declare.
 */
export class CatalogViewer {
  constructor(
    private readonly access: AccessControl,
    readonly principal: Principal | undefined,
  ) {}

  /** True for administrators (who see and may change everything). */
  get isAdmin(): boolean {
    return this.principal !== undefined && this.access.decide(this.principal, 'admin', {}).allowed;
  }

  /** Whether the caller may see an event type's catalog entry. */
  seesEventType(eventType: VisibleEventType): boolean {
    const principal = this.principal;
    if (!principal) return eventType.visibility !== 'private';
    if (principal.kind === 'user' && eventType.visibility !== 'private') return true;
    if (principal.kind === 'user' && principal.teams.includes(eventType.owner)) return true;
    return this.access.engine.canSee(principal, { eventType: eventType.name, subject: eventType.subject });
  }

  /** Whether the caller may see a schema subject bound to no event type (users: yes; applications: with a grant on it). */
  seesSubject(subject: string): boolean {
    const principal = this.principal;
    if (!principal || principal.kind === 'user') return true;
    return this.access.engine.canSee(principal, { subject });
  }

  /** Whether the caller may see a domain, given the event types of it the caller sees. */
  seesDomain(name: string, visibleEventTypes: number): boolean {
    const principal = this.principal;
    if (!principal || principal.kind === 'user') return true;
    return visibleEventTypes > 0 || this.access.engine.canSee(principal, { domain: name });
  }

  /** Whether the caller may see a service, given whether it sees its domain and the event types it declares. */
  seesService(
    service: { domain: string | null; produces: string[]; consumes: string[] },
    seesName: (eventType: string) => boolean,
  ): boolean {
    const principal = this.principal;
    if (!principal || principal.kind === 'user') return true;
    // A grant on the service's domain (or on everything, for a service without one) shows it.
    if (this.access.engine.canSee(principal, service.domain !== null ? { domain: service.domain } : {})) return true;
    return [...service.produces, ...service.consumes].some(seesName);
  }
}
