import { createHash } from 'node:crypto';
import { InputError, MeshgateError, NotFoundError } from '@meshgate/core';
import { Prisma, type PrismaClient } from '@meshgate/db';
import { compileJsonSchema } from './validator-cache';

/** Schema types the registry knows. Only JSON is accepted until Avro and Protobuf land. */
export type SchemaType = 'JSON' | 'AVRO' | 'PROTOBUF';

/** A registered schema version of a subject. */
export interface SubjectVersionView {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  schema: string;
}

/** A schema as stored under its global id. */
export interface SchemaView {
  id: number;
  schemaType: SchemaType;
  schema: string;
}

/** A request to register a schema under a subject. */
export interface RegisterSchemaInput {
  schema: string;
  schemaType?: SchemaType;
}

/** Canonical text used for identity: the same JSON schema written with other spacing gets the same id. */
function canonicalJson(text: string): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sort((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return JSON.stringify(sort(JSON.parse(text)));
}

/**
 * The schema registry's domain: subjects, versions and globally numbered schemas, stored in
 * PostgreSQL. Transports (the Confluent-compatible REST API, GraphQL) translate to and from it.
 */
export class SchemaRegistry {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Registers a schema under a subject and returns its global id. Registering a schema the
   * subject already has returns the existing id without a new version (as Confluent does).
   */
  async register(subject: string, input: RegisterSchemaInput): Promise<{ id: number; version: number }> {
    const schemaType = input.schemaType ?? 'JSON';
    if (schemaType !== 'JSON') {
      throw new MeshgateError('UNSUPPORTED_SCHEMA_TYPE', `Schema type ${schemaType} is not supported yet; use JSON.`);
    }
    validateSubjectName(subject);
    compileJsonSchema(input.schema);
    const canonical = canonicalJson(input.schema);
    const fingerprint = createHash('sha256').update(`${schemaType}\n${canonical}`).digest('hex');

    // Serializable with a retry: two registrations racing for the next version number must not both win.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.prisma.$transaction(
          async (tx) => {
            const schema =
              (await tx.schema.findUnique({ where: { fingerprint } })) ??
              (await tx.schema.create({ data: { schemaType, schema: input.schema, fingerprint } }));
            const existing = await tx.subjectVersion.findFirst({
              where: { subject, schemaId: schema.id, deleted: false },
            });
            if (existing) return { id: schema.id, version: existing.version };
            const last = await tx.subjectVersion.findFirst({ where: { subject }, orderBy: { version: 'desc' } });
            const version = (last?.version ?? 0) + 1;
            await tx.subjectVersion.create({ data: { subject, version, schemaId: schema.id } });
            return { id: schema.id, version };
          },
          { isolationLevel: Prisma.TransactionIsolationLevel.Serializable },
        );
      } catch (error) {
        if (attempt < 5 && isRetriableConflict(error)) continue;
        throw error;
      }
    }
  }

  /** The latest live version of a subject. */
  async latest(subject: string): Promise<SubjectVersionView> {
    const row = await this.prisma.subjectVersion.findFirst({
      where: { subject, deleted: false },
      orderBy: { version: 'desc' },
      include: { schema: true },
    });
    if (!row) throw new NotFoundError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
    return toView(row);
  }

  /** One version (a positive integer, or "latest"/-1) of a subject. */
  async version(subject: string, version: string | number): Promise<SubjectVersionView> {
    if (version === 'latest' || version === -1 || version === '-1') return this.latest(subject);
    const number = typeof version === 'number' ? version : /^\d+$/.test(version) ? Number(version) : NaN;
    if (!Number.isSafeInteger(number) || number < 1) {
      throw new MeshgateError(
        'INVALID_VERSION',
        `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      );
    }
    const row = await this.prisma.subjectVersion.findUnique({
      where: { subject_version: { subject, version: number } },
      include: { schema: true },
    });
    if (!row || row.deleted) {
      const any = await this.prisma.subjectVersion.findFirst({ where: { subject, deleted: false } });
      if (!any) throw new NotFoundError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
      throw new NotFoundError('VERSION_NOT_FOUND', `Version ${number} not found.`);
    }
    return toView(row);
  }

  /** Live version numbers of a subject, ascending. */
  async versions(subject: string): Promise<number[]> {
    const rows = await this.prisma.subjectVersion.findMany({
      where: { subject, deleted: false },
      orderBy: { version: 'asc' },
      select: { version: true },
    });
    if (rows.length === 0) throw new NotFoundError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
    return rows.map((r) => r.version);
  }

  /** Subjects with at least one live version, sorted. */
  async subjects(): Promise<string[]> {
    const rows = await this.prisma.subjectVersion.findMany({
      where: { deleted: false },
      distinct: ['subject'],
      select: { subject: true },
      orderBy: { subject: 'asc' },
    });
    return rows.map((r) => r.subject);
  }

  /** A schema by its global id. */
  async schemaById(id: number): Promise<SchemaView> {
    const row = await this.prisma.schema.findUnique({ where: { id } });
    if (!row) throw new NotFoundError('SCHEMA_ID_NOT_FOUND', 'Schema not found');
    return { id: row.id, schemaType: row.schemaType as SchemaType, schema: row.schema };
  }
}

function toView(row: {
  subject: string;
  version: number;
  schemaId: number;
  schema: { schemaType: string; schema: string };
}): SubjectVersionView {
  return {
    subject: row.subject,
    version: row.version,
    id: row.schemaId,
    schemaType: row.schema.schemaType as SchemaType,
    schema: row.schema.schema,
  };
}

function validateSubjectName(subject: string): void {
  if (subject.length === 0 || subject.length > 255 || [...subject].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new InputError('A subject name must be 1–255 printable characters.');
  }
}

function isRetriableConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === 'P2034' || error.code === 'P2002';
  return false;
}
