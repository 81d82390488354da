'use client';

import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/webpack';
import 'graphiql/style.css';
import { useMemo } from 'react';

const DEFAULT_QUERY = `# Meshgate's GraphQL API, as you:
# your grants, masking and row filters apply.

query EventTypes {
  eventTypes {
    name
    summary
    owner
  }
}

# Live events of a type you may read:
# subscription Live {
#   events(type: "orders.order-created") {
#     cursor
#     time
#     data
#   }
# }
`;

/**
 * GraphiQL against the gateway, authenticated as the signed-in person: HTTP operations go to the
 * portal's `/api/graphql` (which adds the session), subscriptions to the gateway's graphql-ws
 * endpoint `wsUrl` (the browser sends the session cookie with the handshake).
 */
export function GraphiQLApp({ wsUrl }: { wsUrl: string }) {
  const fetcher = useMemo(() => createGraphiQLFetcher({ url: '/api/graphql', subscriptionUrl: wsUrl }), [wsUrl]);
  return (
    <div className="graphiql-frame">
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
    </div>
  );
}
