import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser, type AsyncAPIDocumentInterface, type Diagnostic } from '@asyncapi/parser';
import { InputError, escapePointerToken, pointerOf } from '@meshgate/core';
import { parseDocument } from 'yaml';

/** What the parser takes as a document object. */
type MaybeAsyncApi = { asyncapi: string } & Record<string, unknown>;

/** One problem of an AsyncAPI document: where (a JSON pointer) and what. */
export interface AsyncApiProblem {
  path: string;
  message: string;
}

// One parser for the process: building Spectral's ruleset is the expensive part.
let parser: Parser | undefined;

/** The AsyncAPI parser with the schema parsers Meshgate uses (JSON Schema built in, Avro). */
function asyncApiParser(): Parser {
  parser ??= new Parser({ schemaParsers: [AvroSchemaParser()] });
  return parser;
}

/** Throws INVALID_ASYNCAPI_DOCUMENT listing the problems. */
export function invalidAsyncApi(message: string, problems: AsyncApiProblem[]): never {
  throw new InputError(message, { code: 'INVALID_ASYNCAPI_DOCUMENT', details: { problems } });
}

/** Parses YAML or JSON text (JSON is YAML) into a plain object; throws INVALID_ASYNCAPI_DOCUMENT. */
export function readAsyncApiText(text: string): Record<string, unknown> {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    invalidAsyncApi(
      'The body is not valid YAML or JSON.',
      document.errors.map((error) => ({
        path: '',
        message: `${error.message}${error.linePos ? ` (line ${error.linePos[0].line})` : ''}`,
      })),
    );
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidAsyncApi('An AsyncAPI document is an object.', [{ path: '', message: 'not an object' }]);
  }
  return value as Record<string, unknown>;
}

/**
 * Validates an AsyncAPI 2.6 or 3.0 document with the official parser (`@asyncapi/parser`:
 * the specification's JSON Schema, Spectral rules, payload schemas including Avro) and returns
 * its model. References must stay inside the document: the import never fetches a URL or
 * reads a file on the gateway's behalf. Throws INVALID_ASYNCAPI_DOCUMENT with every
 * error-severity diagnostic (path and message); warnings are not errors.
 */
export async function parseAsyncApi(input: string | Record<string, unknown>): Promise<AsyncAPIDocumentInterface> {
  const raw = typeof input === 'string' ? readAsyncApiText(input) : input;
  const version = raw.asyncapi;
  if (typeof version !== 'string' || !/^(2\.6|3\.0)\.\d+$/.test(version)) {
    invalidAsyncApi(`AsyncAPI ${String(version)} is not supported: send 2.6 or 3.0.`, [
      { path: '/asyncapi', message: `expected 2.6.x or 3.0.x, got ${JSON.stringify(version)}` },
    ]);
  }
  const external = externalReferences(raw);
  if (external.length > 0) {
    invalidAsyncApi(
      'References outside the document are not followed: inline what they point to.',
      external.map((ref) => ({ path: ref.path, message: `$ref ${ref.target} leaves the document` })),
    );
  }
  // The parser mutates what it is given (dereferencing, annotations): give it a copy.
  const { document, diagnostics } = await asyncApiParser().parse(structuredClone(raw) as MaybeAsyncApi);
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (!document || errors.length > 0) {
    invalidAsyncApi(
      `The AsyncAPI document is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}).`,
      errors.map(problemOf),
    );
  }
  return document;
}

/** Error-severity diagnostics of a document, as problems (for tests of generated documents). */
export async function asyncApiErrors(input: string | Record<string, unknown>): Promise<AsyncApiProblem[]> {
  const { diagnostics } = await asyncApiParser().parse(
    typeof input === 'string' ? input : (structuredClone(input) as MaybeAsyncApi),
  );
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map(problemOf);
}

function problemOf(diagnostic: Diagnostic): AsyncApiProblem {
  return { path: pointerOf(diagnostic.path), message: diagnostic.message };
}

function externalReferences(value: unknown, path = '', found: Array<{ path: string; target: string }> = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => externalReferences(item, `${path}/${i}`, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const at = `${path}/${escapePointerToken(key)}`;
      if (key === '$ref' && typeof child === 'string' && !child.startsWith('#'))
        found.push({ path: at, target: child });
      else externalReferences(child, at, found);
    }
  }
  return found;
}
