import type { CatalogScope } from '@meshgate/catalog';
import type { Principal } from '@meshgate/policy';
import type { AccessControl } from './access-control';

/**
 * What part of the catalog a caller sees, for readers that filter in SQL (search, AsyncAPI
 * export): administrators and holders of a grant on `all` see everything; portal users see
 * public entries, their teams' entries and whatever a live grant (any action) covers;
 * applications only what a live grant covers; anonymous readers of a public catalog only
 * public entries. The same rule as `maySee`, plus private entries.
 */
export function catalogScopeOf(
  access: AccessControl,
  principal: Principal | undefined,
  now = new Date(),
): CatalogScope {
  if (!principal) {
    return { all: false, publicEntries: true, teams: [], domains: [], eventTypes: [], subjects: [] };
  }
  // canSee with no target is true only for administrators and grants on `all`.
  if (access.engine.canSee(principal, {}, now)) {
    return { all: true, publicEntries: true, teams: [], domains: [], eventTypes: [], subjects: [] };
  }
  if (principal.expiresAt && principal.expiresAt <= now) {
    return { all: false, publicEntries: false, teams: [], domains: [], eventTypes: [], subjects: [] };
  }
  const domains: string[] = [];
  const eventTypes: string[] = [];
  const subjects: string[] = [];
  for (const grant of access.engine.grantsOf(principal)) {
    if (grant.expiresAt !== null && grant.expiresAt <= now) continue;
    if (grant.resourceKind === 'domain') domains.push(grant.resourceName);
    else if (grant.resourceKind === 'event-type') eventTypes.push(grant.resourceName);
    else if (grant.resourceKind === 'subject') subjects.push(grant.resourceName);
  }
  return {
    all: false,
    publicEntries: principal.kind === 'user',
    teams: principal.kind === 'user' ? [...principal.teams] : [],
    domains,
    eventTypes,
    subjects,
  };
}
