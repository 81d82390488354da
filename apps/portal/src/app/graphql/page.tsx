import type { Metadata } from 'next';
import { GraphQLExplorer } from '../../components/graphql-explorer';
import { getPublicGatewayUrl, requireMe } from '../../lib/gateway';
import { wsUrl } from '../../lib/snippets';

export const metadata: Metadata = { title: 'GraphQL explorer' };

export default async function GraphQLPage() {
  await requireMe('/graphql');
  const subscriptions = wsUrl(await getPublicGatewayUrl());
  return (
    <>
      <header className="page-header">
        <h1 className="page-header__title">GraphQL explorer</h1>
        <p className="page-header__lede">
          Run queries, mutations and subscriptions against Meshgate as yourself. The typed subscriptions (one per event
          type) are in the documentation explorer; subscriptions connect to <code>{subscriptions}</code>.
        </p>
      </header>
      <GraphQLExplorer wsUrl={subscriptions} />
    </>
  );
}
