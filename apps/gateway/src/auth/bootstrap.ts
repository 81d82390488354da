import { randomBytes } from 'node:crypto';
import { isMeshgateError } from '@meshgate/core';
import { apiKeyFromToken, type PolicyStore } from '@meshgate/policy';
import type { Logger } from '../logger';

/** What a fresh instance sets up for its first users (see the README's "Access" section). */
export interface BootstrapOptions {
  /** Becomes an administrator API key (application `meshgate-bootstrap`); kept across restarts. */
  bootstrapToken?: string | undefined;
  /** The first administrator account, created when there are no users; default admin@meshgate.local. */
  adminEmail?: string;
  /** Its password; default: a random one, printed once. */
  adminPassword?: string | undefined;
  /** Create the demo application (read and produce on the demo domains) with a key printed once. */
  demo: boolean;
  /** Domains the demo application may read and produce. */
  demoDomains?: string[];
  logger: Logger;
  /** Where credentials are printed once (the terminal); never the log. */
  print: (text: string) => void;
}

/**
 * Sets up access on a fresh instance: the first administrator account, the operator's
 * bootstrap token as an admin API key, and (with the demo) an application with a key, so a
 * first user can try everything. Idempotent: restarts change nothing and print nothing again.
 */
export async function bootstrapAccess(store: PolicyStore, options: BootstrapOptions): Promise<void> {
  const lines: string[] = [];
  if (!(await store.hasUsers())) {
    const email = options.adminEmail ?? 'admin@meshgate.local';
    const password = options.adminPassword ?? randomBytes(15).toString('base64url');
    // Several instances may start together on a fresh database: whoever loses the race skips.
    const created = await store.createUser({ email, name: 'Administrator', password, admin: true }).then(
      () => true,
      (error: unknown) => (isConflict(error) ? false : Promise.reject(error)),
    );
    if (created)
      lines.push(
        `Administrator account: ${email}`,
        options.adminPassword ? '  password: (from MESHGATE_ADMIN_PASSWORD)' : `  password: ${password}`,
      );
  }
  if (options.bootstrapToken) {
    const key = apiKeyFromToken(options.bootstrapToken);
    const app = await ensureApplication(store, 'meshgate-bootstrap', 'Administrator key from MESHGATE_BOOTSTRAP_TOKEN');
    if (
      !(await store.listGrants({ subjectKind: 'application', subjectId: app.id })).some((g) => g.action === 'admin')
    ) {
      await store.createGrant(
        { subjectKind: 'application', subjectId: app.id, resourceKind: 'all', action: 'admin' },
        'bootstrap',
      );
    }
    if (
      await store.importApiKey({
        keyId: key.keyId,
        secretHash: key.secretHash,
        applicationId: app.id,
        name: 'bootstrap token',
      })
    ) {
      options.logger.info({ keyId: key.keyId }, 'MESHGATE_BOOTSTRAP_TOKEN is an administrator API key');
    }
  }
  if (options.demo) {
    const existing = await store.getApplication('demo-app').catch(() => undefined);
    // (Two instances starting the demo together on a fresh database is not a supported setup.)
    if (!existing) {
      const app = await ensureApplication(store, 'demo-app', 'Demo application created by the embedded default');
      for (const domain of options.demoDomains ?? []) {
        for (const action of ['read', 'produce'] as const) {
          await store.createGrant(
            {
              subjectKind: 'application',
              subjectId: app.id,
              resourceKind: 'domain',
              resourceName: domain,
              action,
              unmask: ['pii'],
            },
            'bootstrap',
          );
        }
      }
      const key = await store.issueApiKey({ applicationId: app.id, name: 'demo', createdBy: 'bootstrap' });
      lines.push(
        `Demo application key (read + produce on ${(options.demoDomains ?? []).join(', ') || 'nothing yet'}):`,
        `  Authorization: Bearer ${key.token}`,
      );
    }
  }
  if (lines.length > 0) {
    options.print(
      ['', 'Meshgate credentials (shown once — keep them now):', ...lines.map((line) => `  ${line}`), ''].join('\n'),
    );
  }
}

async function ensureApplication(store: PolicyStore, name: string, description: string) {
  const existing = await store.getApplication(name).catch(() => undefined);
  if (existing) return existing;
  try {
    return await store.createApplication({ name, description });
  } catch (error) {
    if (isConflict(error)) return store.getApplication(name); // another instance made it meanwhile
    throw error;
  }
}

/** A lost creation race: our CONFLICT, or PostgreSQL's unique violation (P2002 through Prisma). */
function isConflict(error: unknown): boolean {
  if (isMeshgateError(error) && error.code === 'CONFLICT') return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'P2002' || code === '23505';
}
