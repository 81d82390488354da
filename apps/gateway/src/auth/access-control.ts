import { MeshgateError, SYSTEM_ACTOR, type ChangeActor } from '@meshgate/core';
import type { ChangeFeed } from '@meshgate/db';
import {
  type AuditLog,
  type JwtVerifier,
  PolicyEngine,
  type PolicyStore,
  parseAuthorization,
  unauthenticated,
  type Action,
  type AuditActor,
  type AuditRecord,
  type Decision,
  type PresentedCredential,
  type Principal,
  type ResourceTarget,
} from '@meshgate/policy';
import type { Logger } from '../logger';
import { Quotas, type QuotaLimits } from './quotas';

/** Where a request came from, for audit entries. */
export interface RequestOrigin {
  sourceIp?: string | undefined;
}

/** Who acted, for audit entries: the caller (none when unauthenticated) and its address. */
export interface AuditCaller extends RequestOrigin {
  principal: Principal | undefined;
}

/** A live stream the access layer keeps an eye on: re-checked on every policy change, ended when no longer allowed. */
interface TrackedStream {
  principal: Principal;
  action: Action;
  target: ResourceTarget;
  /** The view the stream was opened with: a change of masking or row filter ends it too (the client reconnects with the new view). */
  viewKey: string;
  end(error: MeshgateError): void;
  expiry: NodeJS.Timeout | undefined;
}

/** Options for {@link AccessControl}. */
export interface AccessControlOptions {
  store: PolicyStore;
  audit: AuditLog;
  changes: ChangeFeed;
  logger: Logger;
  jwt?: JwtVerifier | undefined;
}

/** The audit actor for a principal (or an unauthenticated caller). */
export function actorOf(principal: Principal | undefined): AuditActor {
  return principal ? { kind: principal.kind, id: principal.id, name: principal.name } : { kind: 'anonymous' };
}

/** The change history's actor for a principal (Meshgate itself when there is none). */
export function changeActorOf(principal: Principal | undefined): ChangeActor {
  return principal ? { kind: principal.kind, id: principal.id, name: principal.name } : SYSTEM_ACTOR;
}

/** FORBIDDEN with Meshgate's wording; never says whether the resource exists. */
export function forbidden(action: Action, what: string): MeshgateError {
  return new MeshgateError('FORBIDDEN', `Your credentials do not allow ${action} on ${what}.`);
}

/**
 * The one implementation of access decisions, used by REST, SSE, NDJSON, fetch, GraphQL
 * queries and subscriptions, the registry and the catalog: authenticates credentials, asks the
 * in-memory policy engine (no database round trip per check), audits decisions, and keeps every
 * live stream under watch so a revoked key or grant ends it within a second.
 */
export class AccessControl {
  readonly engine = new PolicyEngine();
  readonly store: PolicyStore;
  readonly audit: AuditLog;
  private readonly streams = new Set<TrackedStream>();
  private readonly unsubscribe: () => void;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private readonly limits = new Map<string, Promise<QuotaLimits | undefined>>();
  /** Per-application produce rate, subscription and connection limits (per instance). */
  readonly quotas = new Quotas((principal) => this.limitsOf(principal));

  constructor(private readonly options: AccessControlOptions) {
    this.store = options.store;
    this.audit = options.audit;
    this.unsubscribe = options.changes.on('policy', () => void this.reload());
  }

  private limitsOf(principal: Principal): Promise<QuotaLimits | undefined> {
    if (principal.kind !== 'application') return Promise.resolve(undefined);
    let limits = this.limits.get(principal.id);
    if (!limits) {
      limits = this.store.getApplication(principal.id).then(
        (app) => app,
        () => undefined,
      );
      this.limits.set(principal.id, limits);
    }
    return limits;
  }

  /** Loads the grants; call once before serving. */
  async start(): Promise<void> {
    this.engine.load(await this.store.snapshot());
  }

  /** Stops following policy changes and flushes the audit log. */
  async close(): Promise<void> {
    this.unsubscribe();
    for (const stream of this.streams) clearTimeout(stream.expiry);
    this.streams.clear();
    await this.reloading;
    await this.audit.flush();
  }

  /**
   * Reloads the engine (coalescing bursts of changes) and re-checks every live stream; resolves
   * once the engine reflects every change made before the call. The change feed calls it; so
   * does start-up after the bootstrap, so the first requests see the bootstrap's grants.
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        this.limits.clear();
        try {
          this.engine.load(await this.store.snapshot());
          await this.recheckStreams();
        } catch (error) {
          this.options.logger.error({ err: error }, 'Reloading access policies failed; keeping the previous ones');
        }
      } while (this.reloadAgain);
    })().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async recheckStreams(): Promise<void> {
    const validity = new Map<string, Promise<boolean>>();
    await Promise.all(
      [...this.streams].map(async (stream) => {
        const key = `${stream.principal.kind}:${stream.principal.id}:${stream.principal.credentialId}`;
        if (!validity.has(key)) validity.set(key, this.store.stillValid(stream.principal));
        const valid = await validity.get(key)!;
        const decision = valid ? this.engine.authorize(stream.principal, stream.action, stream.target) : undefined;
        if (decision?.allowed && decision.viewKey === stream.viewKey) return;
        const reason = !valid
          ? 'the credential was revoked or the application disabled'
          : decision!.allowed
            ? 'the grant changed (masking or row filter); reconnect to continue with the new view'
            : 'access was revoked';
        this.endStream(stream, reason);
        void this.audit
          .record({
            actor: actorOf(stream.principal),
            action: 'stream.revoked',
            resource: resourceOf(stream.target),
            decision: 'deny',
            reason,
          })
          .catch(() => undefined);
      }),
    );
  }

  private endStream(stream: TrackedStream, reason: string): void {
    if (!this.streams.delete(stream)) return;
    clearTimeout(stream.expiry);
    stream.end(new MeshgateError('ACCESS_REVOKED', `Access ended: ${reason}.`));
  }

  /**
   * Who is calling: from an `Authorization` header (Bearer API key or JWT, Basic API key) or a
   * portal session token. Throws UNAUTHENTICATED when missing or invalid.
   */
  async authenticate(authorization: string | undefined, sessionToken?: string): Promise<Principal> {
    const credential: PresentedCredential | undefined =
      parseAuthorization(authorization) ?? (sessionToken ? { kind: 'session', token: sessionToken } : undefined);
    if (!credential) {
      throw unauthenticated('Credentials are required: send Authorization: Bearer <API key or JWT>.');
    }
    if (credential.kind === 'jwt') {
      if (!this.options.jwt) throw unauthenticated('JWTs are not accepted here: no JWKS is configured.');
      const verified = await this.options.jwt.verify(credential.token);
      return this.store.principalForJwtSubject(verified.subject, verified.expiresAt);
    }
    return this.store.authenticate(credential);
  }

  /** The engine's decision, without auditing (for listings and views). */
  decide(principal: Principal, action: Action, target: ResourceTarget): Decision {
    return this.engine.authorize(principal, action, target);
  }

  /**
   * Checks an action and audits a denial; throws FORBIDDEN (naming the action and the resource
   * as the caller named it) when not allowed. Returns the decision (masking, row filter).
   */
  async require(
    principal: Principal,
    action: Action,
    target: ResourceTarget,
    origin: RequestOrigin = {},
    auditAction: string = action,
  ): Promise<Decision> {
    const decision = this.engine.authorize(principal, action, target);
    if (!decision.allowed) {
      await this.record({
        actor: actorOf(principal),
        action: auditAction,
        resource: resourceOf(target),
        decision: 'deny',
        reason: decision.reason,
        sourceIp: origin.sourceIp ?? null,
      });
      throw forbidden(action, describe(target));
    }
    return decision;
  }

  /** Audits an action the caller was allowed to take. */
  recordAllowed(
    caller: AuditCaller,
    action: string,
    resource: { kind: string; name: string } | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return this.record({
      actor: actorOf(caller.principal),
      action,
      resource,
      decision: 'allow',
      sourceIp: caller.sourceIp ?? null,
      ...(details ? { details } : {}),
    });
  }

  /** Writes an audit entry; a failing audit write is logged, never lost silently. */
  async record(entry: AuditRecord): Promise<void> {
    try {
      await this.audit.record(entry);
    } catch (error) {
      this.options.logger.error({ err: error, entry }, 'Writing an audit entry failed');
    }
  }

  /**
   * Watches a live stream: it is ended (with ACCESS_REVOKED) when a policy change takes the
   * access away or changes its view, and when its credential expires. Returns the unwatch function.
   */
  track(
    principal: Principal,
    action: Action,
    target: ResourceTarget,
    viewKey: string,
    end: (error: MeshgateError) => void,
  ): () => void {
    const stream: TrackedStream = { principal, action, target, viewKey, end, expiry: undefined };
    this.streams.add(stream);
    if (principal.expiresAt) {
      const ms = principal.expiresAt.getTime() - Date.now();
      // setTimeout's limit is ~24.8 days; longer expiries are caught by the next policy change or reconnect.
      if (ms < 2 ** 31 - 1) {
        stream.expiry = setTimeout(() => this.endStream(stream, 'the credential expired'), Math.max(0, ms));
        stream.expiry.unref();
      }
    }
    return () => {
      this.streams.delete(stream);
      clearTimeout(stream.expiry);
    };
  }

  /** Live streams being watched (for tests and metrics). */
  get trackedStreams(): number {
    return this.streams.size;
  }
}

/** The audit resource for a target. */
export function resourceOf(target: ResourceTarget): { kind: string; name: string } | null {
  if (target.eventType) return { kind: 'event-type', name: target.eventType };
  if (target.subject) return { kind: 'subject', name: target.subject };
  if (target.domain) return { kind: 'domain', name: target.domain };
  return null;
}

function describe(target: ResourceTarget): string {
  if (target.eventType) return `event type '${target.eventType}'`;
  if (target.subject) return `subject '${target.subject}'`;
  if (target.domain) return `domain '${target.domain}'`;
  return 'this resource';
}
