import { InputError, pointerOf } from '@meshgate/core';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { lifecycles } from './lifecycle';
import { TAG_PATTERN, visibilities } from './event-type-fields';

/**
 * A catalog as code (`catalog.yaml`): what `POST /v1/catalog/apply`, `meshgate catalog apply`
 * and the AsyncAPI importer hand to {@link applyCatalogDocument}. Every entry is the desired
 * state of one domain, service or event type; fields left out of an event type keep their
 * stored values where a PUT keeps them (see EventTypeInput).
 */
export interface CatalogDocument {
  apiVersion: 'meshgate/v1';
  domains?: CatalogDocumentDomain[];
  services?: CatalogDocumentService[];
  eventTypes?: CatalogDocumentEventType[];
}

/** A domain entry; `owner` is the owning team, `displayName` defaults to the name. */
export interface CatalogDocumentDomain {
  name: string;
  displayName?: string;
  summary?: string;
  /** Markdown. */
  description?: string | null;
  owner: string;
}

/** A service entry; `application` names the policy application it authenticates as. */
export interface CatalogDocumentService {
  name: string;
  displayName?: string;
  summary?: string;
  description?: string | null;
  domain?: string | null;
  owner: string;
  application?: string | null;
  repository?: string | null;
  produces?: string[];
  consumes?: string[];
}

/** A schema an event type brings along: registered under its subject when no live version holds it yet. */
export interface CatalogDocumentSchema {
  type: 'JSON' | 'AVRO' | 'PROTOBUF';
  /** A JSON Schema or Avro schema as an object, or any schema as text (Protobuf: text only). */
  definition: unknown;
  references?: { name: string; subject: string; version: number }[];
}

/** An event type entry; topic, subject and partitions default as in `PUT /v1/catalog/event-types/{name}`. */
export interface CatalogDocumentEventType {
  name: string;
  summary: string;
  description?: string | null;
  owner: string;
  version?: string;
  lifecycle?: (typeof lifecycles)[number];
  lifecycleNote?: string | null;
  visibility?: (typeof visibilities)[number];
  tags?: string[];
  topic?: string;
  subject?: string;
  partitions?: number;
  valueFormat?: 'json' | 'confluent';
  deadLetterTopic?: string | null;
  schemaVersion?: number | null;
  keyPath?: string | null;
  examples?: { name: string; summary?: string; payload: unknown }[];
  schema?: CatalogDocumentSchema;
}

const name = z.string().min(1).max(249);
const text = (max: number) => z.string().max(max);
const names = z.array(z.string().min(1).max(249)).max(1000);

const domainSchema = z
  .object({
    name: z.string().min(1).max(100),
    displayName: text(200).min(1).optional(),
    summary: text(500).optional(),
    description: text(100_000).nullable().optional(),
    owner: z.string().min(1).max(200),
  })
  .strict();

const serviceSchema = z
  .object({
    name: z.string().min(1).max(200),
    displayName: text(200).min(1).optional(),
    summary: text(500).optional(),
    description: text(100_000).nullable().optional(),
    domain: z.string().min(1).max(100).nullable().optional(),
    owner: z.string().min(1).max(200),
    application: z.string().min(1).max(200).nullable().optional(),
    repository: z.string().max(2000).nullable().optional(),
    produces: names.optional(),
    consumes: names.optional(),
  })
  .strict();

const schemaSchema = z
  .object({
    type: z.enum(['JSON', 'AVRO', 'PROTOBUF']),
    definition: z.unknown().refine((value) => value !== undefined && value !== null, 'a schema definition is required'),
    references: z
      .array(z.object({ name: z.string().min(1), subject: z.string().min(1), version: z.number().int() }).strict())
      .optional(),
  })
  .strict()
  .refine((schema) => schema.type !== 'PROTOBUF' || typeof schema.definition === 'string', {
    message: 'a Protobuf definition must be text (the .proto file)',
    path: ['definition'],
  });

const eventTypeSchema = z
  .object({
    name,
    summary: z.string().min(1).max(500),
    description: text(100_000).nullable().optional(),
    owner: z.string().min(1).max(200),
    version: z.string().min(1).max(50).optional(),
    lifecycle: z.enum(lifecycles).optional(),
    lifecycleNote: text(2000).nullable().optional(),
    visibility: z.enum(visibilities).optional(),
    tags: z.array(z.string().regex(TAG_PATTERN, 'tags are 1–50 lower-case letters, digits or -')).max(32).optional(),
    topic: name.optional(),
    subject: z.string().min(1).max(255).optional(),
    partitions: z.number().int().min(1).max(1000).optional(),
    valueFormat: z.enum(['json', 'confluent']).optional(),
    deadLetterTopic: name.nullable().optional(),
    schemaVersion: z.number().int().min(1).nullable().optional(),
    keyPath: z.string().max(500).nullable().optional(),
    examples: z
      .array(
        z
          .object({
            name: z.string().min(1).max(200),
            summary: text(1000).optional(),
            payload: z.unknown().refine((value) => value !== undefined, 'an example needs a payload'),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    schema: schemaSchema.optional(),
  })
  .strict();

const documentSchema = z
  .object({
    apiVersion: z.literal('meshgate/v1', { error: "apiVersion must be 'meshgate/v1'" }),
    domains: z.array(domainSchema).optional(),
    services: z.array(serviceSchema).optional(),
    eventTypes: z.array(eventTypeSchema).optional(),
  })
  .strict();

/** One problem of a catalog document: a JSON pointer into it and what is wrong there. */
export interface DocumentIssue {
  path: string;
  message: string;
  /** 1-based line and column in the YAML/JSON text, when the document came as text. */
  line?: number;
  column?: number;
}

function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '/' : pointerOf(path);
}

function invalid(issues: DocumentIssue[]): InputError {
  const first = issues[0]!;
  const where = first.line !== undefined ? ` (line ${first.line})` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new InputError(`Invalid catalog document at ${first.path}${where}: ${first.message}${more}.`, {
    code: 'INVALID_CATALOG_DOCUMENT',
    details: { errors: issues },
  });
}

/** Entries of one section whose name repeats an earlier one. */
function duplicates(section: string, entries: readonly { name: string }[] | undefined): DocumentIssue[] {
  const seen = new Set<string>();
  const issues: DocumentIssue[] = [];
  (entries ?? []).forEach((entry, index) => {
    if (seen.has(entry.name)) {
      issues.push({ path: `/${section}/${index}/name`, message: `'${entry.name}' is listed twice in ${section}` });
    }
    seen.add(entry.name);
  });
  return issues;
}

/**
 * Parses and checks a catalog document given as YAML or JSON text, or as an already parsed
 * value: throws INVALID_CATALOG_DOCUMENT (400) with `details.errors` listing every problem as a
 * JSON pointer (plus the line and column when given text). Names and values are checked again,
 * with the same rules as the REST API, when the document is applied.
 */
export function parseCatalogDocument(input: string | unknown): CatalogDocument {
  let value: unknown = input;
  let locate: ((path: readonly PropertyKey[]) => { line: number; column: number } | undefined) | undefined;
  if (typeof input === 'string') {
    const parsed = parseDocument(input, { prettyErrors: false, uniqueKeys: true });
    if (parsed.errors.length > 0) {
      throw invalid(
        parsed.errors.map((error) => ({
          path: '/',
          message: `not valid YAML or JSON: ${error.message.split('\n')[0]}`,
          ...(error.linePos ? { line: error.linePos[0].line, column: error.linePos[0].col } : {}),
        })),
      );
    }
    value = parsed.toJS({ maxAliasCount: 100 });
    locate = (path) => {
      for (let depth = path.length; depth > 0; depth--) {
        const node = parsed.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number, number] } | undefined;
        if (node?.range) {
          const before = input.slice(0, node.range[0]).split('\n');
          return { line: before.length, column: before.at(-1)!.length + 1 };
        }
      }
      return undefined;
    };
  }
  const result = documentSchema.safeParse(value);
  if (!result.success) {
    throw invalid(
      result.error.issues.map((issue) => ({
        path: pointer(issue.path),
        message: issue.message,
        ...(locate?.(issue.path) ?? {}),
      })),
    );
  }
  const document = result.data as CatalogDocument;
  const issues = [
    ...duplicates('domains', document.domains),
    ...duplicates('services', document.services),
    ...duplicates('eventTypes', document.eventTypes),
  ];
  // Two schemas for one subject in one document would race each other inside the apply.
  const subjects = new Map<string, number>();
  (document.eventTypes ?? []).forEach((entry, index) => {
    if (!entry.schema) return;
    const subject = entry.subject ?? `${entry.topic ?? entry.name}-value`;
    if (subjects.has(subject)) {
      issues.push({
        path: `/eventTypes/${index}/schema`,
        message: `subject '${subject}' already gets a schema from eventTypes/${subjects.get(subject)}`,
      });
    }
    subjects.set(subject, index);
  });
  if (issues.length > 0) {
    const parts = (path: string) =>
      path
        .slice(1)
        .split('/')
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    throw invalid(issues.map((issue) => ({ ...issue, ...(locate?.(parts(issue.path)) ?? {}) })));
  }
  return document;
}

/** The schema text a document entry registers: objects as JSON, text as it is. */
export function schemaText(schema: CatalogDocumentSchema): string {
  return typeof schema.definition === 'string' ? schema.definition : JSON.stringify(schema.definition);
}
