export { jsonSchemaEngine } from './json-schema-engine';
export { isJsonParsedSchema, type JsonParsedSchema } from './parse-json-schema';
export type { Dialect } from './schema-documents';
