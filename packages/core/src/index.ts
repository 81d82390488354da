export { errorCodes, type ErrorCode } from './error-codes';
export {
  MeshgateError,
  InputError,
  NotFoundError,
  ConflictError,
  UnavailableError,
  isMeshgateError,
  type MeshgateErrorOptions,
} from './errors';
export { encodeCursor, encodePartitionCursor, decodeCursor, advancePositions, type Positions } from './cursor';
export {
  parseFilter,
  filterFromJson,
  filterToJson,
  compileFilter,
  andFilters,
  formatFilter,
  filterJsonSchema,
  FILTER_LIMITS,
  type FilterNode,
  type FilterInput,
  type FilterJson,
  type FilterPredicate,
  type FilterField,
  type FilterScalar,
} from './filter';
export { SYSTEM_ACTOR, type ChangeActor } from './change-actor';
export { isUuid } from './uuid';
export { escapePointerToken, unescapePointerToken, unescapeFragmentToken, pointerOf } from './json-pointer';
