import type { ChangeFeed } from '@meshgate/db';
import type { Tx } from './change-history';

/**
 * Tells every instance (through the change feed, delivered at commit) that a catalog entry
 * changed, so their caches drop it. `key` names the entry, e.g. `orders.order-created`,
 * `domain:orders`, `service:order-service`.
 */
export async function publishCatalogChange(feed: ChangeFeed | undefined, tx: Tx, key: string): Promise<void> {
  await feed?.publish(
    { query: (text, values) => tx.$queryRawUnsafe(text, ...(values ?? [])) },
    { topic: 'catalog', key },
  );
}
