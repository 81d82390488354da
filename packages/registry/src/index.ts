export {
  SchemaRegistry,
  type SchemaType,
  type SubjectVersionView,
  type SchemaView,
  type RegisterSchemaInput,
} from './schema-registry';
export { ValidatorCache, compileJsonSchema, toValidationIssues, type ValidationIssue } from './validator-cache';
