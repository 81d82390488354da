import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { InputError, MeshgateError } from '@meshgate/core';
import type { ResolvedReference } from './compat/types';

/** One reason an event failed validation: where (JSON pointer) and why. */
export interface ValidationIssue {
  /** JSON pointer into the event, e.g. `/items/0/sku` ("" for the root). */
  path: string;
  /** ajv's keyword that failed, e.g. `required`, `type`. */
  rule: string;
  message: string;
}

type Dialect = 'draft-07' | '2019-09' | '2020-12';

function dialectOf(schema: unknown): Dialect {
  const id = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  if (typeof id !== 'string') return 'draft-07';
  if (id.includes('2020-12')) return '2020-12';
  if (id.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

function createAjv(dialect: Dialect): Ajv {
  const options = { allErrors: true, strict: false, validateFormats: true } as const;
  const ajv =
    dialect === '2020-12' ? new Ajv2020(options) : dialect === '2019-09' ? new Ajv2019(options) : new Ajv(options);
  addFormats.default(ajv);
  // Meshgate's own annotations (e.g. x-meshgate-pii) are allowed in schemas.
  ajv.addVocabulary(['x-meshgate-pii']);
  return ajv;
}

/** Turns ajv errors into Meshgate issues with a JSON pointer naming the offending field. */
export function toValidationIssues(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((error) => {
    let path = error.instancePath;
    if (error.keyword === 'required') {
      path = `${path}/${String((error.params as { missingProperty: string }).missingProperty)}`;
    } else if (error.keyword === 'additionalProperties') {
      path = `${path}/${String((error.params as { additionalProperty: string }).additionalProperty)}`;
    }
    return { path, rule: error.keyword, message: error.message ?? 'is invalid' };
  });
}

/**
 * Compiles JSON Schemas once per schema id and keeps the validators, so the produce path
 * never compiles. Each draft gets its own ajv instance, chosen by `$schema`.
 */
export class ValidatorCache {
  private readonly validators = new Map<number, ValidateFunction>();
  private readonly ajvs = new Map<Dialect, Ajv>();

  /** True when the validator of a schema id is compiled (so its references need not be resolved). */
  has(schemaId: number): boolean {
    return this.validators.has(schemaId);
  }

  /**
   * Compiles (or fetches) the validator for a schema id. Throws INVALID_SCHEMA if it does not
   * compile. A schema with references gets an ajv instance of its own holding them.
   */
  get(schemaId: number, schemaText: string, references: readonly ResolvedReference[] = []): ValidateFunction {
    const cached = this.validators.get(schemaId);
    if (cached) return cached;
    const validate =
      references.length === 0
        ? compileJsonSchema(schemaText, (dialect) => this.ajvFor(dialect))
        : compileJsonSchema(schemaText, (dialect) => {
            const ajv = createAjv(dialect);
            for (const ref of references) {
              if (ref.schemaType === 'JSON') ajv.addSchema(JSON.parse(ref.schema) as object, ref.name);
            }
            return ajv;
          });
    this.validators.set(schemaId, validate);
    return validate;
  }

  /** Validates an event; throws EVENT_VALIDATION_FAILED with every issue when it does not match. */
  validate(schemaId: number, schemaText: string, event: unknown, references: readonly ResolvedReference[] = []): void {
    const validate = this.get(schemaId, schemaText, references);
    if (!validate(event)) {
      const issues = toValidationIssues(validate.errors);
      throw new InputError(`The event does not match schema ${schemaId}: ${issues.length} problem(s).`, {
        code: 'EVENT_VALIDATION_FAILED',
        details: { schemaId, errors: issues },
      });
    }
  }

  private ajvFor(dialect: Dialect): Ajv {
    let ajv = this.ajvs.get(dialect);
    if (!ajv) {
      ajv = createAjv(dialect);
      this.ajvs.set(dialect, ajv);
    }
    return ajv;
  }
}

/** Parses and compiles a JSON Schema text; throws INVALID_SCHEMA with the parser's reason. */
export function compileJsonSchema(schemaText: string, ajvFor: (dialect: Dialect) => Ajv = createAjv): ValidateFunction {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch (error) {
    throw new MeshgateError('INVALID_SCHEMA', `Invalid schema: not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if ((typeof schema !== 'object' || schema === null || Array.isArray(schema)) && typeof schema !== 'boolean') {
    throw new MeshgateError('INVALID_SCHEMA', 'Invalid schema: a JSON Schema must be an object or a boolean.');
  }
  try {
    // A fresh compile per id: ajv would reject two schemas with the same $id in one instance.
    const ajv = ajvFor(dialectOf(schema));
    const copy = typeof schema === 'object' ? { ...(schema as object) } : schema;
    if (typeof copy === 'object' && copy !== null) delete (copy as { $id?: unknown }).$id;
    return ajv.compile(copy as object);
  } catch (error) {
    throw new MeshgateError('INVALID_SCHEMA', `Invalid schema: ${(error as Error).message}`, { cause: error });
  }
}
