import { GraphQLError } from 'graphql';
import { isMeshgateError, type MeshgateError } from '@meshgate/core';
import { toMeshgateError } from '../http/errors';

/** Maps a Meshgate error onto a GraphQL error with `extensions.code` (the one place for GraphQL). */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const meshgateError: MeshgateError = isMeshgateError(error) ? error : toMeshgateError(error);
  return new GraphQLError(meshgateError.message, {
    extensions: {
      code: meshgateError.code,
      ...(meshgateError.details === undefined ? {} : { details: meshgateError.details }),
    },
  });
}
