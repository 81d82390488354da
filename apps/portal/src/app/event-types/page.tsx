import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '../../components/empty-state';
import { EventTypeTable } from '../../components/event-type-table';
import { GatewayErrorPanel } from '../../components/gateway-error-panel';
import { getGateway, redirectIfSignedOut } from '../../lib/gateway';
import type { EventType } from '../../lib/gateway-client';
import { isGatewayError } from '../../lib/gateway-error';

export const metadata: Metadata = { title: 'All event types' };

/** Every event type the visitor may see, in one table (the home page searches instead). */
export default async function EventTypesPage() {
  let eventTypes: EventType[];
  try {
    eventTypes = await (await getGateway()).listEventTypes();
  } catch (error) {
    redirectIfSignedOut(error, '/event-types');
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <CatalogHeading />
        <GatewayErrorPanel error={error} context="The event catalog could not be loaded." />
      </>
    );
  }

  const sorted = eventTypes.toSorted((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <CatalogHeading count={sorted.length} />
      {sorted.length === 0 ? (
        <EmptyState title="No event types yet">
          <p>
            The catalog is empty, or holds nothing you may see. Register an event type with{' '}
            <code>PUT /v1/catalog/event-types/&#123;name&#125;</code> on the gateway and it will appear here.
          </p>
        </EmptyState>
      ) : (
        <EventTypeTable eventTypes={sorted} />
      )}
    </>
  );
}

function CatalogHeading({ count }: { count?: number }) {
  return (
    <header className="page-header">
      <h1 className="page-header__title">All event types</h1>
      <p className="page-header__lede">
        Every event type governed by Meshgate that you may see: who owns it, the topic it flows on, and the schema it
        must match. <Link href="/">Search the catalog</Link> to narrow it down.
      </p>
      {count ? <p className="page-header__meta">{count === 1 ? '1 event type' : `${count} event types`}</p> : null}
    </header>
  );
}
