import path from 'node:path';
import { z } from 'zod';
import { parseBrowserOrigins } from './auth/browser-origin';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/**
 * The gateway's configuration, read from the environment in this one module (see the README's
 * configuration table). Everything else receives a typed options object.
 */
const envSchema = z.object({
  MESHGATE_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  MESHGATE_HOST: z.string().min(1).default('127.0.0.1'),
  MESHGATE_DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z.string().url().optional(),
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean)
        : undefined,
    ),
  KAFKA_CLIENT_ID: z.string().default('meshgate'),
  MESHGATE_BODY_LIMIT: z.coerce.number().int().positive().default(2_097_152),
  MESHGATE_MAX_SCHEMA_BYTES: z.coerce.number().int().positive().default(524_288),
  MESHGATE_SEED_DEMO: bool.default(true),
  MESHGATE_DEFAULT_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  MESHGATE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MESHGATE_SSE_HEARTBEAT_MS: z.coerce.number().int().positive().default(15_000),
  MESHGATE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  MESHGATE_MAX_BATCH_EVENTS: z.coerce.number().int().min(1).max(100_000).default(1000),
  MESHGATE_IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
  // Unset: 1 on a machine with more than one CPU, else 0.
  MESHGATE_PRODUCE_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  MESHGATE_SUBSCRIBER_BUFFER: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  // Appended to topic names, so it may only hold Kafka's topic characters.
  MESHGATE_DEAD_LETTER_SUFFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,40}$/, "use 1–40 letters, digits, '.', '_' or '-'")
    .default('.dlq'),
  // Off on instances that should only serve traffic (another instance dead-letters).
  MESHGATE_DEAD_LETTER_WORKER: bool.default(true),
  // How long the worker lets its own produce run before passing over it unread (0: reads all).
  MESHGATE_DEAD_LETTER_REST_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** On first start: becomes an administrator API key (any 16+ URL-safe characters, or an mgk_ key). */
  MESHGATE_BOOTSTRAP_TOKEN: z.string().min(16).max(512).optional(),
  MESHGATE_ADMIN_EMAIL: z.string().email().default('admin@meshgate.local'),
  /** The first administrator's password; default: random, printed once. */
  MESHGATE_ADMIN_PASSWORD: z.string().min(12).optional(),
  MESHGATE_PUBLIC_METRICS: bool.default(true),
  MESHGATE_PUBLIC_CATALOG: bool.default(false),
  MESHGATE_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(43_200),
  MESHGATE_SECURE_COOKIES: bool.default(false),
  /** Origins of pages (the portal) that may open graphql-ws sockets with the session cookie, besides the gateway's own host. */
  MESHGATE_PORTAL_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseBrowserOrigins(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  MESHGATE_JWT_JWKS_URL: z.string().min(1).optional(),
  MESHGATE_JWT_ISSUER: z.string().min(1).optional(),
  MESHGATE_JWT_AUDIENCE: z.string().min(1).optional(),
  MESHGATE_JWT_SUBJECT_CLAIM: z.string().min(1).default('sub'),
  MESHGATE_JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  /** OIDC sign-in for portal users: issuer, client id and secret go together. */
  MESHGATE_OIDC_ISSUER: z
    .string()
    .url()
    .refine((value) => {
      if (!URL.canParse(value)) return true; // .url() says so
      const url = new URL(value);
      return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    }, 'use https (http only on localhost)')
    .optional(),
  MESHGATE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  MESHGATE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  MESHGATE_OIDC_SCOPES: z
    .string()
    .refine((value) => value.trim().split(/\s+/).includes('openid'), 'must include openid')
    .default('openid email profile'),
  MESHGATE_OIDC_TEAMS_CLAIM: z.string().min(1).optional(),
  MESHGATE_OIDC_NAME: z.string().min(1).max(100).optional(),
  /** Observed lineage counters are written this often. */
  MESHGATE_LINEAGE_FLUSH_MS: z.coerce.number().int().min(100).max(300_000).default(5000),
  /** Off on instances that should not send webhook deliveries (the others share them). */
  MESHGATE_WEBHOOK_DISPATCHER: bool.default(true),
  MESHGATE_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  MESHGATE_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(5000),
  MESHGATE_WEBHOOK_MAX_BACKOFF_MS: z.coerce.number().int().min(1).default(3_600_000),
  MESHGATE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** The developer portal's base URL, linked from AsyncAPI exports (`externalDocs`). */
  MESHGATE_PORTAL_URL: z
    .string()
    .url()
    .refine((value) => /^https?:/.test(value), 'must be an http(s) URL')
    .optional(),
});

/** Validated gateway configuration. */
export type GatewayEnv = z.output<typeof envSchema>;

/** Reads and validates the environment; exits with a readable message when it is wrong. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const jwt = [parsed.data.MESHGATE_JWT_JWKS_URL, parsed.data.MESHGATE_JWT_ISSUER, parsed.data.MESHGATE_JWT_AUDIENCE];
  if (jwt.some(Boolean) && !jwt.every(Boolean)) {
    throw new Error(
      'Invalid configuration:\n  MESHGATE_JWT_JWKS_URL, MESHGATE_JWT_ISSUER and MESHGATE_JWT_AUDIENCE go together: set all three or none.',
    );
  }
  const oidc = [
    parsed.data.MESHGATE_OIDC_ISSUER,
    parsed.data.MESHGATE_OIDC_CLIENT_ID,
    parsed.data.MESHGATE_OIDC_CLIENT_SECRET,
  ];
  const oidcExtras = parsed.data.MESHGATE_OIDC_TEAMS_CLAIM || parsed.data.MESHGATE_OIDC_NAME;
  if ((oidc.some(Boolean) || oidcExtras) && !oidc.every(Boolean)) {
    throw new Error(
      'Invalid configuration:\n  MESHGATE_OIDC_ISSUER, MESHGATE_OIDC_CLIENT_ID and MESHGATE_OIDC_CLIENT_SECRET go together: set all three or none (MESHGATE_OIDC_TEAMS_CLAIM and MESHGATE_OIDC_NAME need them).',
    );
  }
  return { ...parsed.data, MESHGATE_DATA_DIR: path.resolve(parsed.data.MESHGATE_DATA_DIR) };
}
