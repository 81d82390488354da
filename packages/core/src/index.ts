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
export { encodeCursor, decodeCursor, advancePositions, type Positions } from './cursor';
