/** What a grant allows. `admin` allows everything. */
export const ACTIONS = ['read', 'produce', 'register-schema', 'manage-catalog', 'admin'] as const;
/** One of {@link ACTIONS}. */
export type Action = (typeof ACTIONS)[number];

/** Who a grant is given to. */
export type PrincipalKind = 'user' | 'team' | 'application';
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['user', 'team', 'application'];

/** What a grant covers: everything, a domain (the event type name's first segment), one event type or one schema subject. */
export type ResourceKind = 'all' | 'domain' | 'event-type' | 'subject';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['all', 'domain', 'event-type', 'subject'];

/** A grant as the engine sees it. */
export interface Grant {
  id: string;
  subjectKind: PrincipalKind;
  subjectId: string;
  resourceKind: ResourceKind;
  /** The domain, event type or subject name; `*` for `all`. */
  resourceName: string;
  action: Action;
  /** Sensitivity classes this grant lets its holder see unmasked (e.g. `pii`); `*` for every class. */
  unmask: readonly string[];
  /** A row filter in the filter language: the holder only sees (or may only produce) matching events. */
  rowFilter: string | null;
  expiresAt: Date | null;
}

/**
 * The authenticated caller. Users act with their own grants plus their teams'; applications
 * with their own. `admin` users (the bootstrap account) may do everything.
 */
export interface Principal {
  kind: 'user' | 'application';
  id: string;
  /** Display name (user email or application name), for audit entries and messages. */
  name: string;
  /** Teams a user belongs to (empty for applications). */
  teams: readonly string[];
  /** How the caller authenticated (`password` and `oidc`: just signed in to the portal). */
  via: 'api-key' | 'jwt' | 'session' | 'password' | 'oidc';
  /** The API key id or JWT subject used, for audit and revocation. */
  credentialId: string;
  /** When the credential stops being valid, if it does. */
  expiresAt: Date | null;
}

/** What a request addresses, as specific as the request knows it. */
export interface ResourceTarget {
  eventType?: string;
  /** Defaults to the event type's domain (see {@link domainOf}). */
  domain?: string;
  /** The schema subject (of the event type, or addressed directly by the registry API). */
  subject?: string;
}

/** The domain of an event type: the part of its name before the first dot (`shop.order-placed` → `shop`). */
export function domainOf(eventType: string): string {
  const dot = eventType.indexOf('.');
  return dot === -1 ? eventType : eventType.slice(0, dot);
}
