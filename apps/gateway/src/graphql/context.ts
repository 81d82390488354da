import type { Principal } from '@meshgate/policy';

/**
 * The GraphQL context of every operation, over HTTP (Apollo) and WebSocket (graphql-ws): the
 * authenticated caller (absent only when a route is public) and its address for audit entries.
 */
export interface GraphQLContext {
  principal?: Principal | undefined;
  sourceIp?: string | undefined;
}

/** The caller, or throws: every GraphQL operation is authenticated. */
export function principalOfContext(context: GraphQLContext | undefined): Principal {
  if (!context?.principal) throw new Error('a GraphQL operation ran without an authenticated caller');
  return context.principal;
}
