import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, InputError, NotFoundError, parseFilter, isUuid } from '@meshgate/core';
import type { ChangeFeed, PrismaClient } from '@meshgate/db';
import {
  apiKeySecretMatches,
  generateApiKey,
  hashPassword,
  unauthenticated,
  verifyPassword,
  type IssuedApiKey,
  type PresentedCredential,
} from './credentials';
import {
  ACTIONS,
  PRINCIPAL_KINDS,
  RESOURCE_KINDS,
  type Action,
  type Grant,
  type Principal,
  type PrincipalKind,
  type ResourceKind,
} from './model';
import type { PolicySnapshot } from './policy-engine';

/** An application as the API shows it. */
export interface Application {
  id: string;
  name: string;
  description: string | null;
  ownerTeam: string | null;
  jwtSubject: string | null;
  produceRatePerSecond: number | null;
  maxSubscriptions: number | null;
  maxConnections: number | null;
  createdAt: Date;
  disabledAt: Date | null;
}

/** What creating or updating an application takes. */
export interface ApplicationInput {
  name: string;
  description?: string | null;
  ownerTeam?: string | null;
  jwtSubject?: string | null;
  produceRatePerSecond?: number | null;
  maxSubscriptions?: number | null;
  maxConnections?: number | null;
}

/** An API key as listings show it: never its secret. */
export interface ApiKeyInfo {
  keyId: string;
  name: string;
  applicationId: string | null;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** A user as the API shows it: never the password hash. */
export interface UserInfo {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  teams: { teamId: string; role: string }[];
  createdAt: Date;
  disabledAt: Date | null;
}

/**
 * What an OpenID Provider said about the person signing in, taken from a validated ID token
 * (and the UserInfo endpoint).
 */
export interface OidcIdentity {
  /** The provider's issuer identifier (`iss`). */
  issuer: string;
  /** The provider's stable id of the person (`sub`). */
  subject: string;
  /** `email`, when the provider shares it. */
  email: string | null;
  /** `email_verified`: only a verified email links an existing local account. */
  emailVerified: boolean;
  /** `name`, for new accounts; default the email. */
  name: string | null;
  /**
   * Team ids from the configured teams claim: the user's memberships become the listed teams
   * that exist (roles of kept memberships stay). `undefined`: memberships are not managed by the
   * provider and stay as administrators set them.
   */
  teams?: readonly string[] | undefined;
}

/** The outcome of {@link PolicyStore.signInOidcUser}. */
export interface OidcSignIn {
  /** The signed-in user (`via: 'oidc'`). */
  principal: Principal;
  /** The new portal session's token (only its SHA-256 is stored) and end. */
  session: { token: string; expiresAt: Date };
  /** How the account was found: `created` on a first sign-in, `linked` to a local account by verified email. */
  account: 'existing' | 'created' | 'linked';
  /** Memberships the teams claim added and removed. */
  teamsAdded: string[];
  teamsRemoved: string[];
}

/** What creating a grant takes. */
export interface GrantInput {
  subjectKind: PrincipalKind;
  subjectId: string;
  resourceKind: ResourceKind;
  resourceName?: string;
  action: Action;
  unmask?: string[];
  rowFilter?: string | null;
  expiresAt?: Date | null;
}

/** A grant as the API shows it. */
export interface GrantInfo extends Grant {
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
}

/** An access request. */
export interface AccessRequestInfo {
  id: string;
  requesterId: string;
  applicationId: string | null;
  resourceKind: ResourceKind;
  resourceName: string;
  action: Action;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  grantId: string | null;
  createdAt: Date;
}

/** Options for {@link PolicyStore}. */
export interface PolicyStoreOptions {
  /** Keeps the credential cache (and the engines fed from {@link PolicyStore.snapshot}) in step across instances. */
  changeFeed?: ChangeFeed;
  /** How long a portal session lasts; default 12 h. */
  sessionTtlMs?: number;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function assertName(value: string, what: string): void {
  if (!NAME.test(value)) {
    throw new InputError(`Invalid ${what} '${value}': use 1–63 lower-case letters, digits, '.', '_' or '-'.`);
  }
}

function assertQuota(value: number | null | undefined, what: string): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 0) throw new InputError(`${what} must be a non-negative integer or null.`);
}

type KeyRow = {
  id: string;
  secretHash: string;
  applicationId: string | null;
  userId: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Identities, credentials, grants and access requests, stored in PostgreSQL. Every change is
 * published on the change feed (`policy`), so every instance reloads its policy engine and drops
 * cached credentials: a revoked key or grant stops working everywhere at once.
 */
export class PolicyStore {
  private readonly keys = new Map<string, KeyRow | null>();
  private readonly principals = new Map<string, Principal | null>();
  private generation = 0;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: PolicyStoreOptions = {},
  ) {
    this.unsubscribe = options.changeFeed?.on('policy', () => this.forget());
  }

  /** Stops following the change feed. */
  close(): void {
    this.unsubscribe?.();
  }

  private forget(): void {
    this.generation += 1;
    this.keys.clear();
    this.principals.clear();
  }

  private async changed<T>(work: (tx: Tx) => Promise<T>, key?: string): Promise<T> {
    const result = await this.prisma.$transaction(async (tx) => {
      const value = await work(tx);
      await this.options.changeFeed?.publish(
        { query: (text, values) => tx.$queryRawUnsafe(text, ...(values ?? [])) },
        { topic: 'policy', ...(key ? { key } : {}) },
      );
      return value;
    });
    this.forget();
    this.options.changeFeed?.emitLocal({ topic: 'policy', ...(key ? { key } : {}) });
    return result;
  }

  // ---- what the engine evaluates ---------------------------------------------------------------

  /** Every live (not revoked) grant and the administrators, for {@link PolicyEngine.load}. */
  async snapshot(): Promise<PolicySnapshot> {
    const [grants, admins] = await Promise.all([
      this.prisma.grant.findMany({ where: { revokedAt: null } }),
      this.prisma.user.findMany({ where: { admin: true, disabledAt: null }, select: { id: true } }),
    ]);
    return { grants: grants.map(toGrant), adminUsers: new Set(admins.map((user) => user.id)) };
  }

  // ---- authentication ------------------------------------------------------------------------

  /**
   * The principal behind an API key or session credential; throws UNAUTHENTICATED (unknown,
   * wrong secret, expired, revoked, owner disabled). Keys and principals are cached until the
   * next policy change, so a request costs one SHA-256, not a database round trip.
   */
  async authenticate(credential: PresentedCredential, now = new Date()): Promise<Principal> {
    if (credential.kind === 'session') return this.authenticateSession(credential.token, now);
    if (credential.kind !== 'api-key') throw unauthenticated('JWTs are verified by the JWT verifier.');
    const generation = this.generation;
    let row = this.keys.get(credential.keyId);
    if (row === undefined) {
      row = await this.prisma.apiKey.findUnique({
        where: { id: credential.keyId },
        select: { id: true, secretHash: true, applicationId: true, userId: true, expiresAt: true, revokedAt: true },
      });
      if (generation === this.generation) this.keys.set(credential.keyId, row);
    }
    // One message for unknown ids and wrong secrets: nothing tells which key ids exist.
    if (!row || !apiKeySecretMatches(credential.secret, row.secretHash)) throw unauthenticated('Invalid API key.');
    if (row.revokedAt) throw unauthenticated('This API key was revoked.');
    if (row.expiresAt && row.expiresAt <= now) throw unauthenticated('This API key has expired.');
    const owner = row.applicationId
      ? await this.applicationPrincipal(row.applicationId)
      : await this.userPrincipal(row.userId!);
    if (!owner) throw unauthenticated('The owner of this API key is disabled.');
    return { ...owner, via: 'api-key', credentialId: row.id, expiresAt: row.expiresAt };
  }

  /** The principal of an application by its JWT subject; throws UNAUTHENTICATED when none or disabled. */
  async principalForJwtSubject(subject: string, expiresAt: Date | null): Promise<Principal> {
    const app = await this.prisma.application.findUnique({ where: { jwtSubject: subject } });
    if (!app || app.disabledAt) throw unauthenticated('The token’s subject is not a known application.');
    return {
      kind: 'application',
      id: app.id,
      name: app.name,
      teams: [],
      via: 'jwt',
      credentialId: `jwt:${subject}`,
      expiresAt,
    };
  }

  /**
   * Checks that a principal authenticated earlier is still valid (key not revoked or expired,
   * owner not disabled); used when policy changes to cut live streams of revoked credentials.
   */
  async stillValid(principal: Principal, now = new Date()): Promise<boolean> {
    if (principal.expiresAt && principal.expiresAt <= now) return false;
    if (principal.via === 'api-key') {
      const row = await this.prisma.apiKey.findUnique({ where: { id: principal.credentialId } });
      if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return false;
    }
    if (principal.via === 'session') {
      const row = await this.prisma.session.findUnique({ where: { id: principal.credentialId } });
      if (!row || row.expiresAt <= now) return false;
    }
    const owner =
      principal.kind === 'application'
        ? await this.applicationPrincipal(principal.id)
        : await this.userPrincipal(principal.id);
    return owner !== null;
  }

  private async applicationPrincipal(
    id: string,
  ): Promise<Omit<Principal, 'via' | 'credentialId' | 'expiresAt'> | null> {
    const cacheKey = `application:${id}`;
    const cached = this.principals.get(cacheKey);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const app = await this.prisma.application.findUnique({ where: { id } });
    const principal: Principal | null =
      app && !app.disabledAt
        ? { kind: 'application', id, name: app.name, teams: [], via: 'api-key', credentialId: '', expiresAt: null }
        : null;
    if (generation === this.generation) this.principals.set(cacheKey, principal);
    return principal;
  }

  private async userPrincipal(id: string): Promise<Omit<Principal, 'via' | 'credentialId' | 'expiresAt'> | null> {
    const cacheKey = `user:${id}`;
    const cached = this.principals.get(cacheKey);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const user = await this.prisma.user.findUnique({ where: { id }, include: { teams: true } });
    const principal: Principal | null =
      user && !user.disabledAt
        ? {
            kind: 'user',
            id,
            name: user.email,
            teams: user.teams.map((member) => member.teamId),
            via: 'session',
            credentialId: '',
            expiresAt: null,
          }
        : null;
    if (generation === this.generation) this.principals.set(cacheKey, principal);
    return principal;
  }

  /** Signs a user in with email and password; throws UNAUTHENTICATED with one message for every failure. */
  async authenticatePassword(email: string, password: string): Promise<Principal> {
    const user = await this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
    const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : false;
    if (!user || !ok || user.disabledAt) throw unauthenticated('Wrong email or password.');
    const principal = await this.userPrincipal(user.id);
    if (!principal) throw unauthenticated('Wrong email or password.');
    return { ...principal, via: 'password', credentialId: user.id, expiresAt: null };
  }

  /** Opens a portal session; returns the token for the cookie (only its SHA-256 is stored). */
  async createSession(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const { token, row } = this.newSession(userId, now);
    await this.prisma.session.create({ data: row });
    return { token, expiresAt: row.expiresAt };
  }

  private newSession(
    userId: string,
    now: Date,
  ): { token: string; row: { id: string; userId: string; expiresAt: Date } } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + (this.options.sessionTtlMs ?? 12 * 3600_000));
    return { token, row: { id: sha256(token), userId, expiresAt } };
  }

  /**
   * Signs in a person an OpenID Provider vouched for, and opens a portal session. The account is
   * the one linked to (issuer, subject); on a first sign-in, a local account with the same email
   * is linked to it only when the provider says the email is verified (else UNAUTHENTICATED:
   * an unverified claim must not take over someone's account), and without one a new account
   * (no password) is created. With `identity.teams`, memberships follow the claim. Account,
   * memberships and session are written in one transaction: a refusal writes nothing.
   */
  async signInOidcUser(identity: OidcIdentity, now = new Date()): Promise<OidcSignIn> {
    const email = normaliseEmail(identity.email);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.signInOidcUserOnce(identity, email, now);
      } catch (error) {
        // Two first sign-ins of one person racing: the loser finds the winner's account next time.
        if (attempt < 3 && (error as { code?: unknown }).code === 'P2002') continue;
        throw error;
      }
    }
  }

  private async signInOidcUserOnce(identity: OidcIdentity, email: string | null, now: Date): Promise<OidcSignIn> {
    let policyChanged = false;
    const result = await this.prisma.$transaction(async (tx) => {
      let account: OidcSignIn['account'] = 'existing';
      let user = await tx.user.findUnique({
        where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
      });
      if (!user) {
        if (!email) {
          throw unauthenticated(
            'The identity provider did not share an email address; Meshgate needs one (scope "email").',
          );
        }
        const local = await tx.user.findUnique({ where: { email } });
        if (local) {
          if (local.oidcIssuer !== null) {
            throw unauthenticated(`The account ${email} is linked to another single sign-on identity.`);
          }
          if (!identity.emailVerified) {
            throw unauthenticated(
              `An account with the email ${email} exists, and the identity provider does not say the email is verified, so it is not linked.`,
            );
          }
          user = await tx.user.update({
            where: { id: local.id },
            data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
          });
          account = 'linked';
        } else {
          user = await tx.user.create({
            data: {
              email,
              name: identity.name?.trim() || email,
              passwordHash: null,
              oidcIssuer: identity.issuer,
              oidcSubject: identity.subject,
            },
          });
          account = 'created';
        }
      }
      if (user.disabledAt) throw unauthenticated('The account is disabled.');

      const current = await tx.teamMember.findMany({ where: { userId: user.id } });
      let teams = current.map((member) => member.teamId);
      const teamsAdded: string[] = [];
      const teamsRemoved: string[] = [];
      if (identity.teams !== undefined) {
        const claimed = [...new Set(identity.teams)];
        const existing = new Set(
          (await tx.team.findMany({ where: { id: { in: claimed } }, select: { id: true } })).map((team) => team.id),
        );
        const wanted = claimed.filter((id) => existing.has(id));
        teamsAdded.push(...wanted.filter((id) => !teams.includes(id)));
        teamsRemoved.push(...teams.filter((id) => !existing.has(id)));
        if (teamsAdded.length > 0) {
          await tx.teamMember.createMany({ data: teamsAdded.map((teamId) => ({ teamId, userId: user.id })) });
        }
        if (teamsRemoved.length > 0) {
          await tx.teamMember.deleteMany({ where: { userId: user.id, teamId: { in: teamsRemoved } } });
        }
        teams = [...teams.filter((id) => existing.has(id)), ...teamsAdded].sort();
      }

      const session = this.newSession(user.id, now);
      await tx.session.create({ data: session.row });
      policyChanged = account !== 'existing' || teamsAdded.length > 0 || teamsRemoved.length > 0;
      if (policyChanged) {
        await this.options.changeFeed?.publish(
          { query: (text, values) => tx.$queryRawUnsafe(text, ...(values ?? [])) },
          { topic: 'policy', key: `user:${user.id}` },
        );
      }
      const principal: Principal = {
        kind: 'user',
        id: user.id,
        name: user.email,
        teams,
        via: 'oidc',
        credentialId: user.id,
        expiresAt: null,
      };
      return {
        principal,
        session: { token: session.token, expiresAt: session.row.expiresAt },
        account,
        teamsAdded,
        teamsRemoved,
      };
    });
    if (policyChanged) {
      this.forget();
      this.options.changeFeed?.emitLocal({ topic: 'policy', key: `user:${result.principal.id}` });
    }
    return result;
  }

  /** Ends a portal session. */
  async endSession(token: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sha256(token) } });
  }

  private async authenticateSession(token: string, now: Date): Promise<Principal> {
    const session = await this.prisma.session.findUnique({ where: { id: sha256(token) } });
    if (!session || session.expiresAt <= now) throw unauthenticated('The session has expired; sign in again.');
    const user = await this.userPrincipal(session.userId);
    if (!user) throw unauthenticated('The account is disabled.');
    return { ...user, via: 'session', credentialId: session.id, expiresAt: session.expiresAt };
  }

  // ---- users and teams -------------------------------------------------------------------------

  /** Creates a local account; throws CONFLICT when the email is taken. */
  async createUser(input: { email: string; name: string; password?: string; admin?: boolean }): Promise<UserInfo> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw new InputError(`Invalid email '${input.email}'.`);
    if (input.password !== undefined && input.password.length < 12) {
      throw new InputError('Passwords need at least 12 characters.');
    }
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const existing = await this.prisma.user.findUnique({ where: { email } });
    if (existing) throw new ConflictError(`A user with email '${email}' exists.`);
    const user = await this.changed((tx) =>
      tx.user.create({
        data: { email, name: input.name, passwordHash, admin: input.admin ?? false },
        include: { teams: true },
      }),
    );
    return toUser(user);
  }

  /** A user by id or email; throws NOT_FOUND. */
  async getUser(idOrEmail: string): Promise<UserInfo> {
    const where = idOrEmail.includes('@') ? { email: idOrEmail.toLowerCase() } : { id: idOrEmail };
    const user = await this.prisma.user.findUnique({ where, include: { teams: true } }).catch(() => null);
    if (!user) throw new NotFoundError('NOT_FOUND', `No user '${idOrEmail}'.`);
    return toUser(user);
  }

  /** Every user, by email. */
  async listUsers(): Promise<UserInfo[]> {
    const users = await this.prisma.user.findMany({ orderBy: { email: 'asc' }, include: { teams: true } });
    return users.map(toUser);
  }

  /** Sets a user's password (and keeps the rest). */
  async setPassword(userId: string, password: string): Promise<void> {
    if (password.length < 12) throw new InputError('Passwords need at least 12 characters.');
    const passwordHash = await hashPassword(password);
    await this.changed((tx) => tx.user.update({ where: { id: userId }, data: { passwordHash } }));
  }

  /** Creates a team; throws CONFLICT when the id is taken. */
  async createTeam(id: string, displayName = id): Promise<{ id: string; displayName: string }> {
    assertName(id, 'team id');
    if (await this.prisma.team.findUnique({ where: { id } })) {
      throw new ConflictError(`Team '${id}' exists.`);
    }
    return this.changed((tx) => tx.team.create({ data: { id, displayName } }), `team:${id}`);
  }

  /** Every team with its members. */
  async listTeams(): Promise<{ id: string; displayName: string; members: { userId: string; role: string }[] }[]> {
    const teams = await this.prisma.team.findMany({ orderBy: { id: 'asc' }, include: { members: true } });
    return teams.map((team) => ({
      id: team.id,
      displayName: team.displayName,
      members: team.members.map((member) => ({ userId: member.userId, role: member.role })),
    }));
  }

  /** Adds (or updates) a member; `owner`s decide the team's access requests. */
  async addTeamMember(teamId: string, userId: string, role: 'member' | 'owner' = 'member'): Promise<void> {
    if (!(await this.prisma.team.findUnique({ where: { id: teamId } }))) {
      throw new NotFoundError('NOT_FOUND', `No team '${teamId}'.`);
    }
    await this.getUser(userId);
    await this.changed(
      (tx) =>
        tx.teamMember.upsert({
          where: { teamId_userId: { teamId, userId } },
          create: { teamId, userId, role },
          update: { role },
        }),
      `team:${teamId}`,
    );
  }

  // ---- applications and keys -----------------------------------------------------------------

  /** Creates an application; throws CONFLICT when the name (or JWT subject) is taken. */
  async createApplication(input: ApplicationInput): Promise<Application> {
    assertName(input.name, 'application name');
    assertQuota(input.produceRatePerSecond, 'produceRatePerSecond');
    assertQuota(input.maxSubscriptions, 'maxSubscriptions');
    assertQuota(input.maxConnections, 'maxConnections');
    if (await this.prisma.application.findUnique({ where: { name: input.name } })) {
      throw new ConflictError(`Application '${input.name}' exists.`);
    }
    if (input.jwtSubject && (await this.prisma.application.findUnique({ where: { jwtSubject: input.jwtSubject } }))) {
      throw new ConflictError(`Another application has JWT subject '${input.jwtSubject}'.`);
    }
    return this.changed((tx) =>
      tx.application.create({
        data: {
          name: input.name,
          description: input.description ?? null,
          ownerTeam: input.ownerTeam ?? null,
          jwtSubject: input.jwtSubject ?? null,
          produceRatePerSecond: input.produceRatePerSecond ?? null,
          maxSubscriptions: input.maxSubscriptions ?? null,
          maxConnections: input.maxConnections ?? null,
        },
      }),
    );
  }

  /** An application by id or name; throws NOT_FOUND. */
  async getApplication(idOrName: string): Promise<Application> {
    const app = await this.prisma.application
      .findFirst({ where: isUuid(idOrName) ? { id: idOrName } : { name: idOrName } })
      .catch(() => null);
    if (!app) throw new NotFoundError('NOT_FOUND', `No application '${idOrName}'.`);
    return app;
  }

  /** Every application, by name. */
  async listApplications(): Promise<Application[]> {
    return this.prisma.application.findMany({ orderBy: { name: 'asc' } });
  }

  /** Changes an application's description, owner, JWT subject or quotas. */
  async updateApplication(idOrName: string, input: Partial<Omit<ApplicationInput, 'name'>>): Promise<Application> {
    const app = await this.getApplication(idOrName);
    assertQuota(input.produceRatePerSecond, 'produceRatePerSecond');
    assertQuota(input.maxSubscriptions, 'maxSubscriptions');
    assertQuota(input.maxConnections, 'maxConnections');
    return this.changed((tx) => tx.application.update({ where: { id: app.id }, data: input }), `application:${app.id}`);
  }

  /** Disables an application: its keys stop working and its live streams end. */
  async disableApplication(idOrName: string): Promise<Application> {
    const app = await this.getApplication(idOrName);
    return this.changed(
      (tx) => tx.application.update({ where: { id: app.id }, data: { disabledAt: new Date() } }),
      `application:${app.id}`,
    );
  }

  /**
   * Issues an API key for an application or a user. The token is in the answer once; only the
   * SHA-256 of its secret is stored.
   */
  async issueApiKey(input: {
    applicationId?: string;
    userId?: string;
    name: string;
    expiresAt?: Date | null;
    createdBy?: string | null;
  }): Promise<ApiKeyInfo & { token: string; secret: string }> {
    if (!input.applicationId === !input.userId) throw new InputError('An API key belongs to an application or a user.');
    if (input.expiresAt && input.expiresAt <= new Date()) throw new InputError('expiresAt must be in the future.');
    if (input.applicationId) await this.getApplication(input.applicationId);
    if (input.userId) await this.getUser(input.userId);
    const key: IssuedApiKey = generateApiKey();
    const row = await this.changed((tx) =>
      tx.apiKey.create({
        data: {
          id: key.keyId,
          applicationId: input.applicationId ?? null,
          userId: input.userId ?? null,
          name: input.name,
          secretHash: key.secretHash,
          expiresAt: input.expiresAt ?? null,
          createdBy: input.createdBy ?? null,
        },
      }),
    );
    return { ...toKeyInfo(row), token: key.token, secret: key.secret };
  }

  /**
   * Stores a key whose id and secret hash were made elsewhere (the operator's bootstrap token,
   * see apiKeyFromToken); does nothing when a key with that id exists. Returns whether it stored one.
   */
  async importApiKey(input: {
    keyId: string;
    secretHash: string;
    applicationId: string;
    name: string;
  }): Promise<boolean> {
    if (await this.prisma.apiKey.findUnique({ where: { id: input.keyId } })) return false;
    // skipDuplicates: instances starting together on a fresh database may both try.
    const { count } = await this.changed((tx) =>
      tx.apiKey.createMany({
        data: [{ id: input.keyId, secretHash: input.secretHash, applicationId: input.applicationId, name: input.name }],
        skipDuplicates: true,
      }),
    );
    return count === 1;
  }

  /** Whether any user exists (a fresh instance creates its admin account when none does). */
  async hasUsers(): Promise<boolean> {
    return (await this.prisma.user.count()) > 0;
  }

  /** Keys of an application or user (never their secrets). */
  async listApiKeys(owner: { applicationId?: string; userId?: string }): Promise<ApiKeyInfo[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: owner.applicationId ? { applicationId: owner.applicationId } : { userId: owner.userId ?? '' },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toKeyInfo);
  }

  /** Live API keys (neither revoked nor expired at `now`) per application, in one query; an id without any is absent. */
  async countLiveApiKeys(applicationIds: readonly string[], now: Date = new Date()): Promise<Map<string, number>> {
    if (applicationIds.length === 0) return new Map();
    const groups = await this.prisma.apiKey.groupBy({
      by: ['applicationId'],
      where: {
        applicationId: { in: [...applicationIds] },
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      _count: { _all: true },
    });
    return new Map(groups.flatMap((group) => (group.applicationId ? [[group.applicationId, group._count._all]] : [])));
  }

  /** One key's details; throws NOT_FOUND. */
  async getApiKey(keyId: string): Promise<ApiKeyInfo> {
    const row = await this.prisma.apiKey.findUnique({ where: { id: keyId } });
    if (!row) throw new NotFoundError('NOT_FOUND', `No API key '${keyId}'.`);
    return toKeyInfo(row);
  }

  /** Revokes a key at once (idempotent). */
  async revokeApiKey(keyId: string): Promise<ApiKeyInfo> {
    const existing = await this.getApiKey(keyId);
    if (existing.revokedAt) return existing;
    const row = await this.changed(
      (tx) => tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } }),
      `key:${keyId}`,
    );
    return toKeyInfo(row);
  }

  /**
   * Rotates a key: issues a new one for the same owner and lets the old one live for
   * `graceSeconds` more (default 0: revoked at once), so clients can switch without downtime.
   */
  async rotateApiKey(
    keyId: string,
    graceSeconds = 0,
    createdBy: string | null = null,
  ): Promise<ApiKeyInfo & { token: string; secret: string }> {
    const old = await this.getApiKey(keyId);
    if (old.revokedAt) throw new ConflictError(`API key '${keyId}' is revoked; issue a new one.`);
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 86_400) {
      throw new InputError('graceSeconds must be an integer from 0 to 2592000 (30 days).');
    }
    const issued = await this.issueApiKey({
      ...(old.applicationId ? { applicationId: old.applicationId } : { userId: old.userId! }),
      name: old.name,
      expiresAt: old.expiresAt,
      createdBy,
    });
    const end = new Date(Date.now() + graceSeconds * 1000);
    await this.changed(
      (tx) =>
        tx.apiKey.update({
          where: { id: keyId },
          data:
            graceSeconds === 0
              ? { revokedAt: end }
              : { expiresAt: old.expiresAt && old.expiresAt < end ? old.expiresAt : end },
        }),
      `key:${keyId}`,
    );
    return issued;
  }

  // ---- grants ----------------------------------------------------------------------------------

  /** Creates a grant after checking its parts; throws INVALID_REQUEST / INVALID_FILTER / NOT_FOUND. */
  async createGrant(input: GrantInput, createdBy: string | null = null): Promise<GrantInfo> {
    if (!PRINCIPAL_KINDS.includes(input.subjectKind)) {
      throw new InputError(`subjectKind must be one of ${PRINCIPAL_KINDS.join(', ')}.`);
    }
    if (!RESOURCE_KINDS.includes(input.resourceKind)) {
      throw new InputError(`resourceKind must be one of ${RESOURCE_KINDS.join(', ')}.`);
    }
    if (!ACTIONS.includes(input.action)) throw new InputError(`action must be one of ${ACTIONS.join(', ')}.`);
    const resourceName = input.resourceKind === 'all' ? '*' : (input.resourceName ?? '').trim();
    if (resourceName === '') throw new InputError(`A ${input.resourceKind} grant needs a resourceName.`);
    if (input.rowFilter) parseFilter(input.rowFilter); // INVALID_FILTER with the column
    if (input.expiresAt && input.expiresAt <= new Date()) throw new InputError('expiresAt must be in the future.');
    const unmask = [...new Set((input.unmask ?? []).map((cls) => cls.trim()).filter(Boolean))].sort();
    await this.assertSubject(input.subjectKind, input.subjectId);
    const row = await this.changed((tx) =>
      tx.grant.create({
        data: {
          subjectKind: input.subjectKind,
          subjectId: input.subjectId,
          resourceKind: input.resourceKind,
          resourceName,
          action: input.action,
          unmask,
          rowFilter: input.rowFilter ?? null,
          expiresAt: input.expiresAt ?? null,
          createdBy,
        },
      }),
    );
    return toGrantInfo(row);
  }

  private async assertSubject(kind: PrincipalKind, id: string): Promise<void> {
    const exists =
      kind === 'team'
        ? await this.prisma.team.findUnique({ where: { id } })
        : kind === 'user'
          ? isUuid(id) && (await this.prisma.user.findUnique({ where: { id } }))
          : isUuid(id) && (await this.prisma.application.findUnique({ where: { id } }));
    if (!exists) throw new NotFoundError('NOT_FOUND', `No ${kind} '${id}'.`);
  }

  /** Grants, optionally of one subject, newest first; revoked ones only when asked. */
  async listGrants(
    filter: { subjectKind?: PrincipalKind; subjectId?: string; includeRevoked?: boolean } = {},
  ): Promise<GrantInfo[]> {
    const rows = await this.prisma.grant.findMany({
      where: {
        ...(filter.subjectKind ? { subjectKind: filter.subjectKind } : {}),
        ...(filter.subjectId ? { subjectId: filter.subjectId } : {}),
        ...(filter.includeRevoked ? {} : { revokedAt: null }),
      },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toGrantInfo);
  }

  /** One grant; throws NOT_FOUND. */
  async getGrant(id: string): Promise<GrantInfo> {
    const row = isUuid(id) ? await this.prisma.grant.findUnique({ where: { id } }) : null;
    if (!row) throw new NotFoundError('NOT_FOUND', `No grant '${id}'.`);
    return toGrantInfo(row);
  }

  /** Revokes a grant at once (idempotent); the row stays for the record. */
  async revokeGrant(id: string): Promise<GrantInfo> {
    const grant = await this.getGrant(id);
    if (grant.revokedAt) return grant;
    const row = await this.changed(
      (tx) => tx.grant.update({ where: { id }, data: { revokedAt: new Date() } }),
      `grant:${id}`,
    );
    return toGrantInfo(row);
  }

  // ---- access requests -------------------------------------------------------------------------

  /** A user asks for a grant (for themselves or for one of their applications). */
  async requestAccess(input: {
    requesterId: string;
    applicationId?: string | null;
    resourceKind: ResourceKind;
    resourceName: string;
    action: Action;
    reason: string;
  }): Promise<AccessRequestInfo> {
    if (!ACTIONS.includes(input.action) || input.action === 'admin') {
      throw new InputError('action must be read, produce, register-schema or manage-catalog.');
    }
    if (!RESOURCE_KINDS.includes(input.resourceKind) || input.resourceKind === 'all') {
      throw new InputError('resourceKind must be domain, event-type or subject.');
    }
    if (input.reason.trim().length === 0) throw new InputError('Say why you need access (reason).');
    if (input.applicationId) await this.getApplication(input.applicationId);
    const row = await this.prisma.accessRequest.create({
      data: {
        requesterId: input.requesterId,
        applicationId: input.applicationId ?? null,
        resourceKind: input.resourceKind,
        resourceName: input.resourceName,
        action: input.action,
        reason: input.reason.trim(),
      },
    });
    return toRequest(row);
  }

  /** Access requests, newest first, optionally by status. */
  async listAccessRequests(status?: AccessRequestInfo['status']): Promise<AccessRequestInfo[]> {
    const rows = await this.prisma.accessRequest.findMany({
      where: status ? { status } : {},
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toRequest);
  }

  /** One access request; throws NOT_FOUND. */
  async getAccessRequest(id: string): Promise<AccessRequestInfo> {
    const row = isUuid(id) ? await this.prisma.accessRequest.findUnique({ where: { id } }) : null;
    if (!row) throw new NotFoundError('NOT_FOUND', `No access request '${id}'.`);
    return toRequest(row);
  }

  /**
   * Approves (creating the grant) or rejects a pending request; throws CONFLICT when it was
   * already decided. Who may decide is the caller's business (the owning team or an admin).
   */
  async decideAccessRequest(
    id: string,
    decision: {
      approve: boolean;
      decidedBy: string;
      note?: string | null;
      grant?: Partial<Pick<GrantInput, 'unmask' | 'rowFilter' | 'expiresAt'>>;
    },
  ): Promise<AccessRequestInfo> {
    const request = await this.getAccessRequest(id);
    if (request.status !== 'pending') {
      throw new ConflictError(`Access request ${id} was already ${request.status}.`);
    }
    let grantId: string | null = null;
    if (decision.approve) {
      const grant = await this.createGrant(
        {
          subjectKind: request.applicationId ? 'application' : 'user',
          subjectId: request.applicationId ?? request.requesterId,
          resourceKind: request.resourceKind,
          resourceName: request.resourceName,
          action: request.action,
          ...decision.grant,
        },
        decision.decidedBy,
      );
      grantId = grant.id;
    }
    const updated = await this.prisma.accessRequest.updateMany({
      where: { id, status: 'pending' },
      data: {
        status: decision.approve ? 'approved' : 'rejected',
        decidedBy: decision.decidedBy,
        decidedAt: new Date(),
        decisionNote: decision.note ?? null,
        grantId,
      },
    });
    if (updated.count === 0) {
      if (grantId) await this.revokeGrant(grantId);
      throw new ConflictError(`Access request ${id} was decided meanwhile.`);
    }
    return this.getAccessRequest(id);
  }
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** A claimed email, trimmed and lower-cased; null when absent or not an email. */
function normaliseEmail(value: string | null): string | null {
  const email = value?.trim().toLowerCase() ?? '';
  return email.length <= 320 && EMAIL.test(email) ? email : null;
}

function toGrant(row: {
  id: string;
  subjectKind: string;
  subjectId: string;
  resourceKind: string;
  resourceName: string;
  action: string;
  unmask: string[];
  rowFilter: string | null;
  expiresAt: Date | null;
}): Grant {
  return {
    id: row.id,
    subjectKind: row.subjectKind as PrincipalKind,
    subjectId: row.subjectId,
    resourceKind: row.resourceKind as ResourceKind,
    resourceName: row.resourceName,
    action: row.action as Action,
    unmask: row.unmask,
    rowFilter: row.rowFilter,
    expiresAt: row.expiresAt,
  };
}

function toGrantInfo(
  row: Parameters<typeof toGrant>[0] & { createdAt: Date; createdBy: string | null; revokedAt: Date | null },
): GrantInfo {
  return { ...toGrant(row), createdAt: row.createdAt, createdBy: row.createdBy, revokedAt: row.revokedAt };
}

function toKeyInfo(row: {
  id: string;
  name: string;
  applicationId: string | null;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}): ApiKeyInfo {
  return {
    keyId: row.id,
    name: row.name,
    applicationId: row.applicationId,
    userId: row.userId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

function toUser(row: {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  createdAt: Date;
  disabledAt: Date | null;
  teams: { teamId: string; role: string }[];
}): UserInfo {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    admin: row.admin,
    teams: row.teams.map((member) => ({ teamId: member.teamId, role: member.role })),
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
  };
}

function toRequest(row: {
  id: string;
  requesterId: string;
  applicationId: string | null;
  resourceKind: string;
  resourceName: string;
  action: string;
  reason: string;
  status: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  grantId: string | null;
  createdAt: Date;
}): AccessRequestInfo {
  return {
    ...row,
    resourceKind: row.resourceKind as ResourceKind,
    action: row.action as Action,
    status: row.status as AccessRequestInfo['status'],
  };
}
