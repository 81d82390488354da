import { createHash } from 'node:crypto';
import { MeshgateError, NotFoundError, SYSTEM_ACTOR, type ChangeActor } from '@meshgate/core';
import { Prisma, type ChangeFeed, type PrismaClient } from '@meshgate/db';
import {
  checkCompatibility,
  engineFor,
  isCompatibilityLevel,
  type CompatibilityLevel,
  type ParsedSchema,
  type PreviousVersion,
  type ResolvedReference,
  type SchemaType,
  type VersionedIncompatibility,
} from './compat';
import { RegistryCache } from './registry-cache';

export type { SchemaType } from './compat';

/** A reference as clients send it: a name used inside the schema, resolved to a subject version. */
export interface SchemaReferenceInput {
  name: string;
  subject: string;
  /** A version number, or -1 for the latest. */
  version: number;
}

/** A registered schema version of a subject. */
export interface SubjectVersionView {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReferenceInput[];
  deleted: boolean;
}

/** A schema as stored under its global id. */
export interface SchemaView {
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReferenceInput[];
}

/** A request to register (or look up, or check) a schema. */
export interface RegisterSchemaInput {
  schema: string;
  schemaType?: string;
  references?: SchemaReferenceInput[];
  /** IMPORT mode only: keep this id. */
  id?: number;
  /** IMPORT mode only: keep this version. */
  version?: number;
}

/** Registry modes. */
export type RegistryMode = 'READWRITE' | 'READONLY' | 'IMPORT';

/** Compatibility configuration of the registry or of one subject. */
export interface RegistryConfigView {
  compatibilityLevel: CompatibilityLevel;
  normalize?: boolean;
  /** Meshgate extension: lenient JSON Schema compatibility. */
  jsonLenient?: boolean;
}

/** A configuration update (Confluent's PUT /config body, plus Meshgate's `jsonLenient`). */
export interface RegistryConfigInput {
  compatibility?: string;
  normalize?: boolean;
  jsonLenient?: boolean;
}

/** The verdict of a compatibility check. */
export interface CompatibilityResult {
  compatible: boolean;
  level: CompatibilityLevel;
  incompatibilities: VersionedIncompatibility[];
}

/**
 * A registration or deletion of schema versions, handed to {@link SchemaRegistryOptions.onChange}
 * inside the transaction that makes it, so a history row commits (or rolls back) with it.
 */
export interface SchemaChange {
  subject: string;
  action: 'registered' | 'deleted';
  actor: ChangeActor;
  /** Registered: null. Deleted: `{versions, permanent}` — what was deleted. */
  before: Record<string, unknown> | null;
  /** Registered: `{subject, version, id, schemaType}`. Deleted: null. */
  after: Record<string, unknown> | null;
}

/** Options of a write: who makes it (for the change history); default: Meshgate itself. */
export interface RegistryWriteOptions {
  actor?: ChangeActor;
}

/** Options for {@link SchemaRegistry}. */
export interface SchemaRegistryOptions {
  /**
   * Called inside the transaction of every registration of a new version and every deletion
   * (the catalog's change history writes its row here); when it throws, nothing is stored.
   */
  onChange?: (tx: Prisma.TransactionClient, change: SchemaChange) => Promise<void>;
  /** Tells other instances (and this one) that registry state changed. */
  changeFeed?: ChangeFeed;
  /** Largest accepted schema text in bytes; default 512 KiB. */
  maxSchemaBytes?: number;
  /** Level used when neither the subject nor the registry configured one; default BACKWARD. */
  defaultCompatibility?: CompatibilityLevel;
}

const GLOBAL = '';
const MODES: readonly RegistryMode[] = ['READWRITE', 'READONLY', 'IMPORT'];
const MAX_REFERENCE_DEPTH = 32;

type Tx = Prisma.TransactionClient;
type StoredConfig = Partial<RegistryConfigView>;
/** A parsed candidate with its pinned references and identity. */
interface Prepared {
  parsed: ParsedSchema;
  references: SchemaReferenceInput[];
  fingerprint: string;
}
const PREPARED_CACHE_SIZE = 512;
/** A registration checked and parsed outside the transaction, ready to store. */
interface RegistrationPlan {
  subject: string;
  input: RegisterSchemaInput;
  mode: RegistryMode;
  config: RegistryConfigView;
  prepared: Prepared;
  text: string;
  locks: string[];
}
type VersionRow = Prisma.SubjectVersionGetPayload<{ include: { schema: true } }>;

/**
 * The schema registry's domain: subjects, versions, globally numbered schemas, references,
 * compatibility configuration and modes, stored in PostgreSQL. Transports (the
 * Confluent-compatible REST API, GraphQL, the CLI) translate to and from it. Reads are cached
 * and the caches follow the change feed, so every instance sees a change within a second.
 */
export class SchemaRegistry {
  private readonly cache = new RegistryCache();
  private readonly latestBySubject = this.cache.map<string, SubjectVersionView | null>();
  private readonly liveVersionsByNumber = this.cache.map<string, SubjectVersionView>();
  private readonly schemasById = this.cache.map<number, SchemaView | null>();
  private readonly configs = this.cache.map<string, StoredConfig | null>();
  private readonly modes = this.cache.map<string, RegistryMode | null>();
  /** Candidates parsed recently (CI re-checks unchanged schemas on every push); bounded. */
  private readonly prepared = this.cache.map<string, Prepared>();
  /** Parsed schemas by id: immutable, never cleared. */
  private readonly parsedById = new Map<number, ParsedSchema>();
  private readonly maxSchemaBytes: number;
  private readonly defaultCompatibility: CompatibilityLevel;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: SchemaRegistryOptions = {},
  ) {
    this.maxSchemaBytes = options.maxSchemaBytes ?? 512 * 1024;
    this.defaultCompatibility = options.defaultCompatibility ?? 'BACKWARD';
    if (options.changeFeed) this.cache.follow(options.changeFeed);
  }

  /** Stops following the change feed. */
  close(): void {
    this.cache.stop();
  }

  // ---------------------------------------------------------------- register, lookup, check

  /**
   * Registers a schema under a subject and returns its global id and version. Registering a
   * schema the subject already has returns the existing id and version. Checks compatibility
   * per the subject's level (not in IMPORT mode); nothing is stored on any failure.
   */
  async register(
    subject: string,
    input: RegisterSchemaInput,
    options: { normalize?: boolean } & RegistryWriteOptions = {},
  ): Promise<{ id: number; version: number }> {
    const plan = await this.planRegistration(subject, input, options);
    const result = await this.transaction(plan.locks, (tx) => this.registerIn(tx, plan, options.actor));
    if (result.changed) this.changedLocally(subject);
    return { id: result.id, version: result.version };
  }

  /**
   * {@link register} inside a caller's transaction (the catalog's all-or-nothing apply): takes
   * the same locks and runs the same checks there. `changed` says a new version was stored;
   * after the transaction commits, call {@link forgetCommitted} for each subject that changed.
   */
  async registerInTransaction(
    tx: Tx,
    subject: string,
    input: RegisterSchemaInput,
    options: { normalize?: boolean } & RegistryWriteOptions = {},
  ): Promise<{ id: number; version: number; changed: boolean }> {
    const plan = await this.planRegistration(subject, input, options);
    for (const key of [...new Set(plan.locks)].sort()) {
      await tx.$queryRawUnsafe('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))', key);
    }
    return this.registerIn(tx, plan, options.actor);
  }

  /** Drops this instance's caches after a caller's transaction that wrote through the registry committed. */
  forgetCommitted(subject: string): void {
    this.changedLocally(subject);
  }

  private async planRegistration(
    subject: string,
    input: RegisterSchemaInput,
    options: { normalize?: boolean },
  ): Promise<RegistrationPlan> {
    assertSubject(subject);
    const mode = await this.effectiveMode(subject);
    if (mode === 'READONLY') {
      throw new MeshgateError('OPERATION_NOT_PERMITTED', `Subject '${subject}' is in read-only mode.`);
    }
    if ((input.id !== undefined || input.version !== undefined) && mode !== 'IMPORT') {
      throw new MeshgateError(
        'OPERATION_NOT_PERMITTED',
        'A schema id or version can only be given when the registry or subject is in IMPORT mode.',
      );
    }
    const config = await this.effectiveConfig(subject);
    const normalize = options.normalize ?? config.normalize ?? false;
    const prepared = await this.prepare(input);
    const text = normalize ? prepared.parsed.canonical : input.schema;
    return {
      subject,
      input,
      mode,
      config,
      prepared,
      text,
      locks: [subjectLock(subject), `registry:schema:${prepared.fingerprint}`],
    };
  }

  private async registerIn(
    tx: Tx,
    plan: RegistrationPlan,
    actor: ChangeActor | undefined,
  ): Promise<{ id: number; version: number; changed: boolean }> {
    const { subject, input, mode, config, prepared, text } = plan;
    const live = await this.liveVersions(tx, subject);
    const same = live.find((row) => row.schema.fingerprint === prepared.fingerprint);
    if (same) return { id: same.schemaId, version: same.version, changed: false };

    if (mode !== 'IMPORT' && config.compatibilityLevel !== 'NONE') {
      const previous = await this.previousVersions(relevantVersions(config.compatibilityLevel, live));
      const incompatibilities = checkCompatibility(config.compatibilityLevel, prepared.parsed, previous, {
        lenient: config.jsonLenient ?? false,
      });
      if (incompatibilities.length > 0) throw incompatible(subject, config.compatibilityLevel, incompatibilities);
    }

    const schemaId = await this.storeSchema(tx, prepared, text, input.id);
    const maxVersion = await tx.subjectVersion.aggregate({ where: { subject }, _max: { version: true } });
    let version = (maxVersion._max.version ?? 0) + 1;
    if (input.version !== undefined) {
      const taken = await tx.subjectVersion.findUnique({
        where: { subject_version: { subject, version: input.version } },
      });
      if (taken) {
        throw new MeshgateError('ID_MISMATCH', `Version ${input.version} of '${subject}' already exists.`);
      }
      version = input.version;
    }
    await tx.subjectVersion.create({ data: { subject, version, schemaId } });
    await this.options.onChange?.(tx, {
      subject,
      action: 'registered',
      actor: actor ?? SYSTEM_ACTOR,
      before: null,
      after: { subject, version, id: schemaId, schemaType: prepared.parsed.schemaType },
    });
    await this.publish(tx, subject);
    return { id: schemaId, version, changed: true };
  }

  /** Finds the version of a subject that holds this schema (Confluent's POST /subjects/{subject}). */
  async lookup(
    subject: string,
    input: RegisterSchemaInput,
    options: { deleted?: boolean } = {},
  ): Promise<SubjectVersionView> {
    const prepared = await this.prepare(input);
    const rows = await this.prisma.subjectVersion.findMany({
      where: { subject, ...(options.deleted ? {} : { deleted: false }) },
      include: { schema: true },
      orderBy: { version: 'asc' },
    });
    if (rows.length === 0) throw subjectNotFound(subject);
    const match = rows.find((row) => row.schema.fingerprint === prepared.fingerprint);
    if (!match) throw new NotFoundError('SCHEMA_ID_NOT_FOUND', `Schema not found under subject '${subject}'.`);
    return toVersionView(match);
  }

  /**
   * Checks a candidate against a subject: against one version when `version` is given
   * (a number or 'latest'), else against the versions the subject's level names.
   */
  async check(subject: string, input: RegisterSchemaInput, version?: string | number): Promise<CompatibilityResult> {
    const config = await this.effectiveConfig(subject);
    const prepared = await this.prepare(input);
    let against: VersionRow[];
    let level = config.compatibilityLevel;
    if (version === undefined) {
      against = await this.liveVersions(this.prisma, subject);
    } else {
      const row = await this.versionRow(subject, version, false);
      against = [row];
      // One explicit version: the level's direction applies to it alone.
      level = level.replace('_TRANSITIVE', '') as CompatibilityLevel;
    }
    const previous = await this.previousVersions(relevantVersions(level, against));
    const incompatibilities = checkCompatibility(level, prepared.parsed, previous, {
      lenient: config.jsonLenient ?? false,
    });
    return { compatible: incompatibilities.length === 0, level: config.compatibilityLevel, incompatibilities };
  }

  /**
   * Compares two versions of a subject: the verdict of `to` read against `from` under the
   * subject's compatibility level (its direction, not its transitivity: two versions are
   * compared), with every incompatibility the engine finds. Both must be live versions.
   */
  async compareVersions(
    subject: string,
    from: string | number,
    to: string | number,
  ): Promise<{ from: SubjectVersionView; to: SubjectVersionView } & CompatibilityResult> {
    const [older, newer] = [await this.version(subject, from), await this.version(subject, to)];
    const config = await this.effectiveConfig(subject);
    const level = config.compatibilityLevel.replace('_TRANSITIVE', '') as CompatibilityLevel;
    const incompatibilities = checkCompatibility(
      level,
      await this.parsed(newer.id),
      [{ version: older.version, schema: await this.parsed(older.id) }],
      { lenient: config.jsonLenient ?? false },
    );
    return {
      from: older,
      to: newer,
      compatible: incompatibilities.length === 0,
      level: config.compatibilityLevel,
      incompatibilities,
    };
  }

  // ---------------------------------------------------------------- reads

  /** The latest live version of a subject (cached); SUBJECT_NOT_FOUND when it has none. */
  async latest(subject: string): Promise<SubjectVersionView> {
    const view = await this.latestOrUndefined(subject);
    if (!view) throw subjectNotFound(subject);
    return view;
  }

  /**
   * The latest live version of a subject (cached), or undefined when it has none (unknown, or
   * every version deleted): for callers to whom a subject without a schema is no error.
   */
  async latestOrUndefined(subject: string): Promise<SubjectVersionView | undefined> {
    const cached = this.latestBySubject.get(subject);
    if (cached !== undefined) return cached ?? undefined;
    const stamp = this.cache.stamp();
    const row = await this.prisma.subjectVersion.findFirst({
      where: { subject, deleted: false },
      orderBy: { version: 'desc' },
      include: { schema: true },
    });
    const view = row ? toVersionView(row) : null;
    if (this.cache.fresh(stamp)) this.latestBySubject.set(subject, view);
    return view ?? undefined;
  }

  /** One version (a positive integer, or "latest"/-1) of a subject. */
  async version(
    subject: string,
    version: string | number,
    options: { deleted?: boolean } = {},
  ): Promise<SubjectVersionView> {
    if (isLatest(version) && !options.deleted) return this.latest(subject);
    if (options.deleted) return toVersionView(await this.versionRow(subject, version, true));
    // Live versions by number are read on every produce pinned to a version and on every
    // reference resolution: cached, and dropped with the rest on any registry change.
    const key = `${subject}\u0000${version}`;
    const cached = this.liveVersionsByNumber.get(key);
    if (cached) return cached;
    const stamp = this.cache.stamp();
    const view = toVersionView(await this.versionRow(subject, version, false));
    if (this.cache.fresh(stamp)) this.liveVersionsByNumber.set(key, view);
    return view;
  }

  /** Version numbers of a subject, ascending (soft-deleted ones too with `deleted`). */
  async versions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    const rows = await this.prisma.subjectVersion.findMany({
      where: { subject, ...(options.deleted ? {} : { deleted: false }) },
      orderBy: { version: 'asc' },
      select: { version: true },
    });
    if (rows.length === 0) throw subjectNotFound(subject);
    return rows.map((r) => r.version);
  }

  /**
   * Every version of a subject, soft-deleted ones included, newest first, in one uncached
   * query (empty when the subject has none): for readers that keep their own snapshot.
   */
  async history(subject: string): Promise<SubjectVersionView[]> {
    const rows = await this.prisma.subjectVersion.findMany({
      where: { subject },
      orderBy: { version: 'desc' },
      include: { schema: true },
    });
    return rows.map(toVersionView);
  }

  /** Subjects, sorted; soft-deleted ones with `deleted`; filtered by prefix. */
  async subjects(options: { deleted?: boolean; prefix?: string } = {}): Promise<string[]> {
    const rows = await this.prisma.subjectVersion.findMany({
      where: {
        ...(options.deleted ? {} : { deleted: false }),
        ...(options.prefix ? { subject: { startsWith: options.prefix } } : {}),
      },
      distinct: ['subject'],
      select: { subject: true },
      orderBy: { subject: 'asc' },
    });
    return rows.map((r) => r.subject);
  }

  /** A schema by its global id (cached). */
  async schemaById(id: number): Promise<SchemaView> {
    const cached = this.schemasById.get(id);
    if (cached) return cached;
    if (cached === null) throw schemaNotFound();
    const stamp = this.cache.stamp();
    const row = Number.isSafeInteger(id) && id > 0 ? await this.prisma.schema.findUnique({ where: { id } }) : null;
    const view = row
      ? {
          id: row.id,
          schemaType: row.schemaType as SchemaType,
          schema: row.schema,
          references: toReferences(row.references),
        }
      : null;
    if (this.cache.fresh(stamp)) this.schemasById.set(id, view);
    if (!view) throw schemaNotFound();
    return view;
  }

  /** Subject versions that use a schema id. */
  async versionsOfSchema(
    id: number,
    options: { deleted?: boolean } = {},
  ): Promise<Array<{ subject: string; version: number }>> {
    await this.schemaById(id);
    const rows = await this.prisma.subjectVersion.findMany({
      where: { schemaId: id, ...(options.deleted ? {} : { deleted: false }) },
      orderBy: [{ subject: 'asc' }, { version: 'asc' }],
      select: { subject: true, version: true },
    });
    return rows;
  }

  /** Schemas across subjects (Confluent's GET /schemas). */
  async listSchemas(
    options: { subjectPrefix?: string; deleted?: boolean; latestOnly?: boolean; offset?: number; limit?: number } = {},
  ): Promise<SubjectVersionView[]> {
    const rows = await this.prisma.subjectVersion.findMany({
      where: {
        ...(options.deleted ? {} : { deleted: false }),
        ...(options.subjectPrefix ? { subject: { startsWith: options.subjectPrefix } } : {}),
      },
      include: { schema: true },
      orderBy: [{ subject: 'asc' }, { version: 'asc' }],
    });
    let views = rows.map(toVersionView);
    if (options.latestOnly) {
      const latest = new Map<string, SubjectVersionView>();
      for (const view of views) latest.set(view.subject, view);
      views = [...latest.values()];
    }
    const offset = Math.max(0, options.offset ?? 0);
    const limit = options.limit === undefined || options.limit < 0 ? undefined : options.limit;
    return views.slice(offset, limit === undefined ? undefined : offset + limit);
  }

  /** Ids of schemas that reference a subject version. */
  async referencedBy(subject: string, version: string | number): Promise<number[]> {
    const row = await this.versionRow(subject, version, false);
    const refs = await this.prisma.schemaReference.findMany({
      where: { subject, version: row.version },
      select: { schemaId: true },
      orderBy: { schemaId: 'asc' },
    });
    return [...new Set(refs.map((r) => r.schemaId))];
  }

  // ---------------------------------------------------------------- deletes

  /**
   * Deletes a subject: soft (versions hidden, kept) or, after a soft delete, permanently.
   * Returns the versions deleted. Refused while other schemas reference one of its versions.
   */
  async deleteSubject(
    subject: string,
    options: { permanent?: boolean } & RegistryWriteOptions = {},
  ): Promise<number[]> {
    const versions = await this.transaction([subjectLock(subject)], async (tx) => {
      await this.assertWritable(subject);
      const rows = await tx.subjectVersion.findMany({ where: { subject }, orderBy: { version: 'asc' } });
      if (rows.length === 0) throw subjectNotFound(subject);
      const live = rows.filter((r) => !r.deleted);
      if (options.permanent) {
        if (live.length > 0) {
          throw new NotFoundError(
            'SUBJECT_NOT_SOFT_DELETED',
            `Subject '${subject}' was not deleted first before being permanently deleted.`,
          );
        }
      } else if (live.length === 0) {
        throw new NotFoundError(
          'SUBJECT_SOFT_DELETED',
          `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently.`,
        );
      }
      const targets = options.permanent ? rows : live;
      await this.assertNotReferenced(
        tx,
        subject,
        targets.map((r) => r.version),
      );
      if (options.permanent) {
        await tx.subjectVersion.deleteMany({ where: { subject } });
        await tx.registryConfig.deleteMany({ where: { scope: subject } });
        await tx.registryMode.deleteMany({ where: { scope: subject } });
        await this.deleteOrphanSchemas(
          tx,
          targets.map((r) => r.schemaId),
        );
      } else {
        await tx.subjectVersion.updateMany({ where: { subject, deleted: false }, data: { deleted: true } });
      }
      await this.options.onChange?.(tx, {
        subject,
        action: 'deleted',
        actor: options.actor ?? SYSTEM_ACTOR,
        before: { subject, versions: targets.map((r) => r.version), permanent: options.permanent ?? false },
        after: null,
      });
      await this.publish(tx, subject);
      return targets.map((r) => r.version);
    });
    this.changedLocally(subject);
    return versions;
  }

  /** Deletes one version: soft, or permanently after a soft delete. Returns the version number. */
  async deleteVersion(
    subject: string,
    version: string | number,
    options: { permanent?: boolean } & RegistryWriteOptions = {},
  ): Promise<number> {
    const deleted = await this.transaction([subjectLock(subject)], async (tx) => {
      await this.assertWritable(subject);
      // An explicit version number is looked up among soft-deleted ones too, so a second soft
      // delete answers 40406 rather than "not found"; 'latest' means the latest live version.
      const row = await this.versionRow(subject, version, (options.permanent ?? false) || !isLatest(version), tx);
      if (options.permanent) {
        if (!row.deleted) {
          throw new NotFoundError(
            'VERSION_NOT_SOFT_DELETED',
            `Subject '${subject}' Version ${row.version} was not deleted first before being permanently deleted.`,
          );
        }
      } else if (row.deleted) {
        throw new NotFoundError(
          'VERSION_SOFT_DELETED',
          `Subject '${subject}' Version ${row.version} was soft deleted.`,
        );
      }
      await this.assertNotReferenced(tx, subject, [row.version]);
      if (options.permanent) {
        await tx.subjectVersion.delete({ where: { subject_version: { subject, version: row.version } } });
        await this.deleteOrphanSchemas(tx, [row.schemaId]);
      } else {
        await tx.subjectVersion.update({
          where: { subject_version: { subject, version: row.version } },
          data: { deleted: true },
        });
      }
      await this.options.onChange?.(tx, {
        subject,
        action: 'deleted',
        actor: options.actor ?? SYSTEM_ACTOR,
        before: { subject, versions: [row.version], permanent: options.permanent ?? false },
        after: null,
      });
      await this.publish(tx, subject);
      return row.version;
    });
    this.changedLocally(subject);
    return deleted;
  }

  // ---------------------------------------------------------------- config and mode

  /**
   * The compatibility configuration of a subject (or the registry, with no subject). A subject
   * without its own configuration answers 40408 unless `defaultToGlobal`.
   */
  async getConfig(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<RegistryConfigView> {
    const global = await this.storedConfig(GLOBAL);
    const globalView: RegistryConfigView = {
      ...global,
      compatibilityLevel: global?.compatibilityLevel ?? this.defaultCompatibility,
    };
    if (subject === undefined) return globalView;
    const own = await this.storedConfig(subject);
    if (own) return { ...own, compatibilityLevel: own.compatibilityLevel ?? globalView.compatibilityLevel };
    if (options.defaultToGlobal) return globalView;
    throw new NotFoundError(
      'SUBJECT_CONFIG_NOT_FOUND',
      `Subject '${subject}' does not have subject-level compatibility configured.`,
    );
  }

  /** Sets the compatibility configuration of a subject or the registry. */
  async setConfig(subject: string | undefined, input: RegistryConfigInput): Promise<RegistryConfigView> {
    if (subject !== undefined) assertSubject(subject);
    if (input.compatibility !== undefined && !isCompatibilityLevel(input.compatibility)) {
      throw new MeshgateError(
        'INVALID_COMPATIBILITY_LEVEL',
        `Invalid compatibility level '${String(input.compatibility)}'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.`,
      );
    }
    const scope = subject ?? GLOBAL;
    const data = {
      ...(input.compatibility !== undefined ? { compatibilityLevel: input.compatibility } : {}),
      ...(input.normalize !== undefined ? { normalize: input.normalize } : {}),
      ...(input.jsonLenient !== undefined ? { jsonLenient: input.jsonLenient } : {}),
    };
    await this.transaction([subjectLock(subject)], async (tx) => {
      await tx.registryConfig.upsert({ where: { scope }, create: { scope, ...data }, update: data });
      await this.publish(tx, subject);
    });
    this.changedLocally(subject);
    return this.getConfig(subject, { defaultToGlobal: true });
  }

  /** Removes a subject's own configuration (or resets the registry's); returns what it was. */
  async deleteConfig(subject?: string): Promise<RegistryConfigView> {
    const previous = await this.getConfig(subject);
    await this.transaction([subjectLock(subject)], async (tx) => {
      await tx.registryConfig.deleteMany({ where: { scope: subject ?? GLOBAL } });
      await this.publish(tx, subject);
    });
    this.changedLocally(subject);
    return previous;
  }

  /** The mode of a subject (or the registry). A subject without one answers 40409 unless `defaultToGlobal`. */
  async getMode(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<RegistryMode> {
    if (subject === undefined) return (await this.storedMode(GLOBAL)) ?? 'READWRITE';
    const own = await this.storedMode(subject);
    if (own) return own;
    if (options.defaultToGlobal) return this.getMode();
    throw new NotFoundError(
      'SUBJECT_MODE_NOT_FOUND',
      `Subject '${subject}' does not have subject-level mode configured.`,
    );
  }

  /** Sets the mode. IMPORT needs an empty registry (or subject) unless `force`. */
  async setMode(subject: string | undefined, mode: string, options: { force?: boolean } = {}): Promise<RegistryMode> {
    if (subject !== undefined) assertSubject(subject);
    if (!MODES.includes(mode as RegistryMode)) {
      throw new MeshgateError('INVALID_MODE', `Invalid mode '${mode}'. Valid values are READWRITE, READONLY, IMPORT.`);
    }
    const scope = subject ?? GLOBAL;
    await this.transaction([subjectLock(subject)], async (tx) => {
      if (mode === 'IMPORT' && !options.force) {
        const existing = await tx.subjectVersion.count({ where: subject === undefined ? {} : { subject } });
        if (existing > 0) {
          throw new MeshgateError(
            'OPERATION_NOT_PERMITTED',
            `Cannot switch ${subject === undefined ? 'the registry' : `subject '${subject}'`} to IMPORT mode while it holds schemas; pass force=true to do it anyway.`,
          );
        }
      }
      await tx.registryMode.upsert({ where: { scope }, create: { scope, mode }, update: { mode } });
      await this.publish(tx, subject);
    });
    this.changedLocally(subject);
    return mode as RegistryMode;
  }

  /** Removes a subject's own mode; returns what it was. */
  async deleteMode(subject: string): Promise<RegistryMode> {
    const previous = await this.getMode(subject);
    await this.transaction([subjectLock(subject)], async (tx) => {
      await tx.registryMode.deleteMany({ where: { scope: subject } });
      await this.publish(tx, subject);
    });
    this.changedLocally(subject);
    return previous;
  }

  /** Parses a stored schema by id (cached forever: a schema id's content never changes). */
  async parsed(id: number): Promise<ParsedSchema> {
    const cached = this.parsedById.get(id);
    if (cached) return cached;
    const view = await this.schemaById(id);
    const parsed = engineFor(view.schemaType).parse(view.schema, await this.resolveReferences(view.references));
    this.parsedById.set(id, parsed);
    return parsed;
  }

  // ---------------------------------------------------------------- internals

  private async prepare(input: RegisterSchemaInput): Promise<Prepared> {
    if (typeof input.schema !== 'string' || input.schema.length === 0) {
      throw new MeshgateError('INVALID_SCHEMA', 'Invalid schema: the schema text is empty.');
    }
    const bytes = Buffer.byteLength(input.schema, 'utf8');
    if (bytes > this.maxSchemaBytes) {
      throw new MeshgateError(
        'SCHEMA_TOO_LARGE',
        `The schema is ${bytes} bytes; the limit is ${this.maxSchemaBytes} bytes (MESHGATE_MAX_SCHEMA_BYTES). Split it with references.`,
      );
    }
    const schemaType = (input.schemaType ?? 'AVRO').toUpperCase();
    const engine = engineFor(schemaType);
    const stamp = this.cache.stamp();
    const references = await this.pinReferences(normaliseReferences(input.references ?? []));
    const key = createHash('sha256')
      .update(`${schemaType}\n${JSON.stringify(references)}\n${input.schema}`)
      .digest('hex');
    const cached = this.prepared.get(key);
    if (cached) return cached;
    const parsed = engine.parse(input.schema, await this.resolveReferences(references));
    const fingerprint = createHash('sha256')
      .update(`${parsed.schemaType}\n${parsed.canonical}\n${JSON.stringify(references)}`)
      .digest('hex');
    const prepared: Prepared = { parsed, references, fingerprint };
    if (this.prepared.size >= PREPARED_CACHE_SIZE) {
      const oldest = this.prepared.keys().next();
      if (!oldest.done) this.prepared.delete(oldest.value);
    }
    if (this.cache.fresh(stamp)) this.prepared.set(key, prepared);
    return prepared;
  }

  /** Replaces version -1 (latest) in references by the actual version, and checks each exists. */
  private async pinReferences(references: SchemaReferenceInput[]): Promise<SchemaReferenceInput[]> {
    const pinned: SchemaReferenceInput[] = [];
    for (const ref of references) {
      try {
        const view = await this.version(ref.subject, ref.version === -1 ? 'latest' : ref.version);
        pinned.push({ name: ref.name, subject: ref.subject, version: view.version });
      } catch (error) {
        if (error instanceof MeshgateError && error.status === 404) {
          throw new MeshgateError(
            'INVALID_REFERENCE',
            `Invalid schema: reference '${ref.name}' points at subject '${ref.subject}' version ${ref.version}, which does not exist. Register it first.`,
            { cause: error },
          );
        }
        throw error;
      }
    }
    return pinned;
  }

  /** Resolves references transitively, dependencies first; refuses cycles. */
  async resolveReferences(references: readonly SchemaReferenceInput[]): Promise<ResolvedReference[]> {
    const resolved = new Map<string, ResolvedReference>();
    const visit = async (refs: readonly SchemaReferenceInput[], path: string[]): Promise<void> => {
      for (const ref of refs) {
        const key = `${ref.subject}@${ref.version}`;
        if (path.includes(key)) {
          throw new MeshgateError(
            'INVALID_REFERENCE',
            `Invalid schema: circular reference ${[...path, key].join(' → ')}.`,
          );
        }
        if (path.length >= MAX_REFERENCE_DEPTH) {
          throw new MeshgateError(
            'INVALID_REFERENCE',
            `Invalid schema: references nest deeper than ${MAX_REFERENCE_DEPTH}.`,
          );
        }
        if (resolved.has(ref.name)) continue;
        const view = await this.version(ref.subject, ref.version);
        await visit(view.references, [...path, key]);
        resolved.set(ref.name, {
          name: ref.name,
          subject: ref.subject,
          version: view.version,
          schemaType: view.schemaType,
          schema: view.schema,
        });
      }
    };
    await visit(references, []);
    return [...resolved.values()];
  }

  private async storeSchema(tx: Tx, prepared: Prepared, text: string, importId: number | undefined): Promise<number> {
    const existing = await tx.schema.findUnique({ where: { fingerprint: prepared.fingerprint } });
    if (existing) {
      if (importId !== undefined && importId !== existing.id) {
        throw new MeshgateError('ID_MISMATCH', `This schema already has id ${existing.id}, not ${importId}.`);
      }
      return existing.id;
    }
    if (importId !== undefined) {
      const taken = await tx.schema.findUnique({ where: { id: importId } });
      if (taken) throw new MeshgateError('ID_MISMATCH', `Schema id ${importId} is already used by another schema.`);
    }
    const created = await tx.schema.create({
      data: {
        ...(importId !== undefined ? { id: importId } : {}),
        schemaType: prepared.parsed.schemaType,
        schema: text,
        fingerprint: prepared.fingerprint,
        references: prepared.references as unknown as Prisma.InputJsonValue,
        referencing: {
          create: prepared.references.map((r) => ({ name: r.name, subject: r.subject, version: r.version })),
        },
      },
    });
    if (importId !== undefined) {
      // Keep the id sequence ahead of imported ids so they are never handed out again.
      await tx.$queryRawUnsafe(
        `SELECT setval(pg_get_serial_sequence('registry_schemas', 'id'), GREATEST((SELECT MAX(id) FROM registry_schemas), 1))`,
      );
    }
    return created.id;
  }

  private async previousVersions(rows: readonly VersionRow[]): Promise<PreviousVersion[]> {
    const previous: PreviousVersion[] = [];
    for (const row of rows) previous.push({ version: row.version, schema: await this.parsed(row.schemaId) });
    return previous;
  }

  private liveVersions(client: Tx | PrismaClient, subject: string): Promise<VersionRow[]> {
    return client.subjectVersion.findMany({
      where: { subject, deleted: false },
      include: { schema: true },
      orderBy: { version: 'asc' },
    });
  }

  private async versionRow(
    subject: string,
    version: string | number,
    includeDeleted: boolean,
    client: Tx | PrismaClient = this.prisma,
  ): Promise<VersionRow> {
    if (isLatest(version)) {
      const row = await client.subjectVersion.findFirst({
        where: { subject, ...(includeDeleted ? {} : { deleted: false }) },
        orderBy: { version: 'desc' },
        include: { schema: true },
      });
      if (!row) throw subjectNotFound(subject);
      return row;
    }
    const number = parseVersion(version);
    const row = await client.subjectVersion.findUnique({
      where: { subject_version: { subject, version: number } },
      include: { schema: true },
    });
    if (!row || (row.deleted && !includeDeleted)) {
      const any = await client.subjectVersion.findFirst({
        where: { subject, ...(includeDeleted ? {} : { deleted: false }) },
      });
      if (!any) throw subjectNotFound(subject);
      throw new NotFoundError('VERSION_NOT_FOUND', `Version ${number} not found.`);
    }
    return row;
  }

  private async assertNotReferenced(tx: Tx, subject: string, versions: number[]): Promise<void> {
    const refs = await tx.schemaReference.findMany({
      where: { subject, version: { in: versions } },
      select: { schemaId: true, version: true },
    });
    if (refs.length === 0) return;
    const ids = [...new Set(refs.map((r) => r.schemaId))].join(', ');
    throw new MeshgateError(
      'REFERENCE_EXISTS',
      `One or more references exist to the schema {subject=${subject}, versions=${[...new Set(refs.map((r) => r.version))].join(', ')}}: schema ids ${ids}. Delete those first.`,
    );
  }

  private async assertWritable(subject: string): Promise<void> {
    if ((await this.effectiveMode(subject)) === 'READONLY') {
      throw new MeshgateError('OPERATION_NOT_PERMITTED', `Subject '${subject}' is in read-only mode.`);
    }
  }

  private async deleteOrphanSchemas(tx: Tx, schemaIds: number[]): Promise<void> {
    for (const id of new Set(schemaIds)) {
      const users = await tx.subjectVersion.count({ where: { schemaId: id } });
      if (users === 0) await tx.schema.delete({ where: { id } });
    }
  }

  /** The configuration that applies to a subject: its own settings over the registry's, over the defaults. */
  async effectiveConfig(subject: string): Promise<RegistryConfigView> {
    const own = await this.storedConfig(subject);
    const global = await this.storedConfig(GLOBAL);
    const normalize = own?.normalize ?? global?.normalize;
    const jsonLenient = own?.jsonLenient ?? global?.jsonLenient;
    return {
      compatibilityLevel: own?.compatibilityLevel ?? global?.compatibilityLevel ?? this.defaultCompatibility,
      ...(normalize !== undefined ? { normalize } : {}),
      ...(jsonLenient !== undefined ? { jsonLenient } : {}),
    };
  }

  private async effectiveMode(subject: string): Promise<RegistryMode> {
    return (await this.storedMode(subject)) ?? (await this.storedMode(GLOBAL)) ?? 'READWRITE';
  }

  private async storedConfig(scope: string): Promise<StoredConfig | null> {
    if (this.configs.has(scope)) return this.configs.get(scope) ?? null;
    const stamp = this.cache.stamp();
    const row = await this.prisma.registryConfig.findUnique({ where: { scope } });
    const stored: StoredConfig | null = row
      ? {
          ...(row.compatibilityLevel ? { compatibilityLevel: row.compatibilityLevel as CompatibilityLevel } : {}),
          ...(row.normalize !== null ? { normalize: row.normalize } : {}),
          ...(row.jsonLenient !== null ? { jsonLenient: row.jsonLenient } : {}),
        }
      : null;
    if (this.cache.fresh(stamp)) this.configs.set(scope, stored);
    return stored;
  }

  private async storedMode(scope: string): Promise<RegistryMode | null> {
    if (this.modes.has(scope)) return this.modes.get(scope) ?? null;
    const stamp = this.cache.stamp();
    const row = await this.prisma.registryMode.findUnique({ where: { scope } });
    const mode = (row?.mode as RegistryMode | undefined) ?? null;
    if (this.cache.fresh(stamp)) this.modes.set(scope, mode);
    return mode;
  }

  /**
   * Runs a transaction holding transaction-scoped advisory locks on `locks` (taken in sorted
   * order, so two writers never deadlock): writers of the same subject, or of the same schema,
   * take turns, while unrelated writes run in parallel. A unique-key race that slips past the
   * locks (e.g. the same new schema under two subjects) is retried.
   */
  private async transaction<T>(locks: readonly string[], work: (tx: Tx) => Promise<T>): Promise<T> {
    const keys = [...new Set(locks)].sort();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.prisma.$transaction(
          async (tx) => {
            for (const key of keys) {
              await tx.$queryRawUnsafe('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))', key);
            }
            return work(tx);
          },
          { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, maxWait: 10_000, timeout: 30_000 },
        );
      } catch (error) {
        if (attempt < 5 && isRetriableConflict(error)) {
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
          continue;
        }
        throw error;
      }
    }
  }

  private async publish(tx: Tx, subject: string | undefined): Promise<void> {
    await this.options.changeFeed?.publish(
      { query: (text, values) => tx.$queryRawUnsafe(text, ...(values ?? [])) },
      { topic: 'registry', ...(subject !== undefined ? { key: subject } : {}) },
    );
  }

  private changedLocally(subject: string | undefined): void {
    this.cache.clear();
    this.options.changeFeed?.emitLocal({ topic: 'registry', ...(subject !== undefined ? { key: subject } : {}) });
  }
}

/** The versions a level compares with: none, the latest, or (transitive) all, oldest first. */
function relevantVersions<T>(level: CompatibilityLevel, versions: readonly T[]): readonly T[] {
  if (level === 'NONE') return [];
  return level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
}

function toVersionView(row: VersionRow): SubjectVersionView {
  return {
    subject: row.subject,
    version: row.version,
    id: row.schemaId,
    schemaType: row.schema.schemaType as SchemaType,
    schema: row.schema.schema,
    references: toReferences(row.schema.references),
    deleted: row.deleted,
  };
}

function toReferences(value: Prisma.JsonValue): SchemaReferenceInput[] {
  return Array.isArray(value) ? (value as unknown as SchemaReferenceInput[]) : [];
}

function normaliseReferences(references: SchemaReferenceInput[]): SchemaReferenceInput[] {
  const seen = new Set<string>();
  for (const ref of references) {
    if (typeof ref?.name !== 'string' || ref.name === '' || typeof ref.subject !== 'string' || ref.subject === '') {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        'Invalid schema: every reference needs a name, a subject and a version.',
      );
    }
    if (!Number.isInteger(ref.version) || (ref.version < 1 && ref.version !== -1)) {
      throw new MeshgateError(
        'INVALID_REFERENCE',
        `Invalid schema: reference '${ref.name}' has version ${String(ref.version)}; use a version number or -1 for the latest.`,
      );
    }
    if (seen.has(ref.name))
      throw new MeshgateError('INVALID_REFERENCE', `Invalid schema: reference '${ref.name}' is listed twice.`);
    seen.add(ref.name);
  }
  return [...references]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => ({ name: r.name, subject: r.subject, version: r.version }));
}

/** The advisory lock key of a subject (the registry-wide scope when undefined). */
function subjectLock(subject: string | undefined): string {
  return subject === undefined ? 'registry:global' : `registry:subject:${subject}`;
}

function isLatest(version: string | number): boolean {
  return version === 'latest' || version === -1 || version === '-1';
}

function parseVersion(version: string | number): number {
  const number = typeof version === 'number' ? version : /^\d{1,10}$/.test(version) ? Number(version) : NaN;
  if (!Number.isSafeInteger(number) || number < 1 || number > 2 ** 31 - 1) {
    throw new MeshgateError(
      'INVALID_VERSION',
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    );
  }
  return number;
}

function assertSubject(subject: string): void {
  if (
    subject.length === 0 ||
    subject.length > 255 ||
    [...subject].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    throw new MeshgateError(
      'INVALID_SUBJECT',
      'A subject name must be 1–255 characters without control characters (for example orders.created-value).',
    );
  }
}

function subjectNotFound(subject: string): NotFoundError {
  return new NotFoundError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
}

function schemaNotFound(): NotFoundError {
  return new NotFoundError('SCHEMA_ID_NOT_FOUND', 'Schema not found');
}

function incompatible(subject: string, level: CompatibilityLevel, issues: VersionedIncompatibility[]): MeshgateError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new MeshgateError(
    'INCOMPATIBLE_SCHEMA',
    `Schema being registered is incompatible with an earlier schema for subject "${subject}" under ${level}: ${first.message} at ${first.path}${first.version !== undefined ? ` (version ${first.version})` : ''}${more}. Fix: ${first.fix}`,
    { details: { incompatibilities: issues } },
  );
}

function isRetriableConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === 'P2034' || error.code === 'P2002';
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code;
  return code === '40001' || code === '40P01';
}
