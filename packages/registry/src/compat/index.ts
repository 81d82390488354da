export type {
  CompatibilityLevel,
  CompatibilityOptions,
  Incompatibility,
  ParsedSchema,
  ResolvedReference,
  SchemaEngine,
  SchemaType,
} from './types';
export {
  checkCompatibility,
  compatibilityLevels,
  describeIncompatibility,
  engineFor,
  isCompatibilityLevel,
  parseSchema,
  type PreviousVersion,
  type VersionedIncompatibility,
} from './check';
export { jsonSchemaEngine } from './json';
export { avroEngine } from './avro';
export { protobufEngine } from './protobuf';
