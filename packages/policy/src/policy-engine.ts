import { andFilters, compileFilter, parseFilter, type FilterNode, type FilterPredicate } from '@meshgate/core';
import { domainOf, type Action, type Grant, type Principal, type ResourceTarget } from './model';

/** The engine's answer for one principal, action and resource. */
export interface Decision {
  allowed: boolean;
  /** Why, in words fit for an audit entry or an error message (never naming other principals' grants). */
  reason: string;
  /** The grants that allowed it. */
  grants: readonly Grant[];
  /** Sensitivity classes the caller sees unmasked; contains `*` for all. */
  unmask: ReadonlySet<string>;
  /** Row filter the caller is held to (the OR of its matching grants' filters), or undefined for none. */
  rowFilter: FilterNode | undefined;
  /** A stable key naming this decision's view of events (masking + row filter), for sharing payloads. */
  viewKey: string;
}

/** Everything the engine evaluates against, loaded from the store (see PolicyStore.snapshot). */
export interface PolicySnapshot {
  grants: readonly Grant[];
  /** Users marked administrators: allowed everything. */
  adminUsers: ReadonlySet<string>;
}

const DENY_NONE: ReadonlySet<string> = new Set();

function matchesResource(grant: Grant, target: ResourceTarget): boolean {
  switch (grant.resourceKind) {
    case 'all':
      return true;
    case 'domain':
      return (target.domain ?? (target.eventType ? domainOf(target.eventType) : undefined)) === grant.resourceName;
    case 'event-type':
      return target.eventType === grant.resourceName;
    case 'subject':
      return target.subject === grant.resourceName;
  }
}

/**
 * Evaluates grants in memory: an index from principal to grants, rebuilt whenever policy
 * changes (the gateway feeds it from the change feed), so a check never touches the database.
 * Grants add up: a request is allowed when any live grant of the caller (or, for a user, of
 * one of the user's teams) covers the action (or `admin`) on the resource. Masking and row
 * filters are the union of what the matching grants allow: unmasked classes are added, row
 * filters are ORed, and a matching grant without a row filter lifts the filter altogether.
 */
export class PolicyEngine {
  private bySubject = new Map<string, Grant[]>();
  private admins: ReadonlySet<string> = new Set();
  private filters = new Map<string, FilterNode>();
  private version = 0;

  constructor(snapshot: PolicySnapshot = { grants: [], adminUsers: new Set() }) {
    this.load(snapshot);
  }

  /** Bumped on every load: callers holding decisions re-check when it moves. */
  get generation(): number {
    return this.version;
  }

  /** Replaces the grants the engine evaluates. Throws INVALID_FILTER naming the grant when a row filter does not parse. */
  load(snapshot: PolicySnapshot): void {
    const bySubject = new Map<string, Grant[]>();
    const filters = new Map<string, FilterNode>();
    for (const grant of snapshot.grants) {
      const key = `${grant.subjectKind}:${grant.subjectId}`;
      let list = bySubject.get(key);
      if (!list) bySubject.set(key, (list = []));
      list.push(grant);
      if (grant.rowFilter !== null) filters.set(grant.id, parseFilter(grant.rowFilter));
    }
    this.bySubject = bySubject;
    this.filters = filters;
    this.admins = snapshot.adminUsers;
    this.version += 1;
  }

  /** The grants that apply to a principal directly or through its teams (expired ones included). */
  grantsOf(principal: Principal): Grant[] {
    const own = this.bySubject.get(`${principal.kind}:${principal.id}`) ?? [];
    if (principal.kind !== 'user' || principal.teams.length === 0) return own;
    return [...own, ...principal.teams.flatMap((team) => this.bySubject.get(`team:${team}`) ?? [])];
  }

  /** Decides whether `principal` may do `action` on `target`, and with which view. */
  authorize(principal: Principal, action: Action, target: ResourceTarget, now = new Date()): Decision {
    if (principal.expiresAt && principal.expiresAt <= now) {
      return deny('the credential has expired');
    }
    if (principal.kind === 'user' && this.admins.has(principal.id)) {
      return { allowed: true, reason: 'administrator', grants: [], unmask: ALL, rowFilter: undefined, viewKey: '' };
    }
    const matching = this.grantsOf(principal).filter(
      (grant) =>
        (grant.action === action || grant.action === 'admin') &&
        (grant.expiresAt === null || grant.expiresAt > now) &&
        matchesResource(grant, target),
    );
    if (matching.length === 0) return deny(`no grant allows ${action} here`);
    const unmask = new Set<string>();
    let unfiltered = false;
    const rowFilters: FilterNode[] = [];
    for (const grant of matching) {
      for (const cls of grant.action === 'admin' ? ['*'] : grant.unmask) unmask.add(cls);
      const filter = this.filters.get(grant.id);
      if (!filter) unfiltered = true;
      else rowFilters.push(filter);
    }
    const rowFilter = unfiltered ? undefined : anyOf(rowFilters);
    const masked = unmask.has('*') ? '*' : [...unmask].sort().join(',');
    const filterKey = unfiltered
      ? ''
      : matching
          .map((grant) => grant.id)
          .sort()
          .join(',');
    return {
      allowed: true,
      reason: `granted by ${matching.length === 1 ? 'a grant' : `${matching.length} grants`}`,
      grants: matching,
      unmask,
      rowFilter,
      viewKey: masked === '*' && filterKey === '' ? '' : `unmask=${masked};rows=${filterKey}`,
    };
  }

  /** Whether the principal holds any live grant at all on anything under `target` for any action (for listing). */
  canSee(principal: Principal, target: ResourceTarget, now = new Date()): boolean {
    if (principal.kind === 'user' && this.admins.has(principal.id)) return true;
    return this.grantsOf(principal).some(
      (grant) => (grant.expiresAt === null || grant.expiresAt > now) && matchesResource(grant, target),
    );
  }
}

const ALL: ReadonlySet<string> = new Set(['*']);

function deny(reason: string): Decision {
  return { allowed: false, reason, grants: [], unmask: DENY_NONE, rowFilter: undefined, viewKey: '' };
}

function anyOf(filters: FilterNode[]): FilterNode | undefined {
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return { op: 'or', nodes: filters };
}

/** A compiled row filter (and the subscriber's own filter, ANDed), or undefined when neither is set. */
export function combinedRowFilter(
  grantFilter: FilterNode | undefined,
  own: FilterNode | undefined,
): FilterPredicate | undefined {
  if (!grantFilter && !own) return undefined;
  return compileFilter(andFilters(grantFilter, own)!);
}
