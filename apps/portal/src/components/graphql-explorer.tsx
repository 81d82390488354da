'use client';

import dynamic from 'next/dynamic';

/**
 * The GraphQL explorer, loaded in the browser only: GraphiQL's editor (Monaco) needs `window`
 * and web workers, so it is never rendered on the server.
 */
export const GraphQLExplorer = dynamic(() => import('./graphiql-app').then((module) => module.GraphiQLApp), {
  ssr: false,
  loading: () => (
    <p className="muted" role="status">
      Loading the GraphQL explorer…
    </p>
  ),
});
