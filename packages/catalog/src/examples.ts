import { InputError, isMeshgateError } from '@meshgate/core';
import {
  compileJsonSchema,
  toValidationIssues,
  type SchemaReferenceInput,
  type SchemaRegistry,
  type ValidatorCache,
} from '@meshgate/registry';
import type { EventTypeExample } from './event-type-fields';

/** The schema examples are checked against: a registered version, or one a catalog document brings. */
export interface ExampleSchema {
  /** The registered schema id (compiled validators are cached by it); absent for a document's schema. */
  id?: number;
  version?: number;
  schemaType: string;
  schema: string;
  references: readonly SchemaReferenceInput[];
}

/** What example validation reads: the registry and its compiled-validator cache. */
export interface SchemaDeps {
  registry: SchemaRegistry;
  validators: ValidatorCache;
}

/**
 * The schema an event type's produce path validates against: the pinned version when there is
 * one, else the subject's latest; undefined when the subject has no schema yet. A pin naming a
 * version the subject does not have is INVALID_REQUEST.
 */
export async function resolveEventTypeSchema(
  registry: SchemaRegistry,
  subject: string,
  pinned: number | null,
): Promise<ExampleSchema | undefined> {
  try {
    const view = pinned === null ? await registry.latest(subject) : await registry.version(subject, pinned);
    return view;
  } catch (error) {
    if (!isMeshgateError(error) || error.status !== 404) throw error;
    if (pinned === null) return undefined;
    throw new InputError(
      `schemaVersion ${pinned} does not exist under subject '${subject}': register it first, or pin a live version.`,
      { cause: error, details: { subject, schemaVersion: pinned } },
    );
  }
}

/**
 * Checks every example payload against a JSON Schema; throws INVALID_EXAMPLE naming the first
 * failing example (`index`, `name`) and the JSON `pointer` of its first problem, with all of
 * that example's problems in `errors`. Examples of Avro and Protobuf subjects are not checked
 * (they are JSON renderings, which those schemas do not describe).
 */
export async function validateExamples(
  examples: readonly EventTypeExample[],
  schema: ExampleSchema | undefined,
  deps: SchemaDeps,
): Promise<void> {
  if (!schema || schema.schemaType !== 'JSON' || examples.length === 0) return;
  const references = schema.references.length > 0 ? await deps.registry.resolveReferences(schema.references) : [];
  const validate =
    schema.id !== undefined
      ? deps.validators.get(schema.id, schema.schema, references)
      : compileJsonSchema(schema.schema);
  examples.forEach((example, index) => {
    if (validate(example.payload)) return;
    const errors = toValidationIssues(validate.errors);
    const first = errors[0];
    throw new InputError(
      `Example ${index} ('${example.name}') does not match the schema${schema.version !== undefined ? ` (version ${schema.version})` : ''}: ${first ? `${first.path || '/'} ${first.message}` : 'invalid'}.`,
      {
        code: 'INVALID_EXAMPLE',
        details: { index, name: example.name, pointer: first?.path ?? '', errors },
      },
    );
  });
}
