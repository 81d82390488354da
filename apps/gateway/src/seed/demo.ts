import { readFileSync } from 'node:fs';
import { isMeshgateError, SYSTEM_ACTOR } from '@meshgate/core';
import { parseCatalogDocument, type CatalogDocument } from '@meshgate/catalog';
import type { Services } from '../runtime';
import { applyToCatalog } from '../services/catalog-commands';

/** Domains of the demo catalog: the demo application may read and produce them. */
export const DEMO_DOMAINS = ['orders', 'payments', 'shipping'] as const;

/** Teams owning the demo entries, created when missing (so portal users can join them). */
export const DEMO_TEAMS: Record<string, string> = {
  'team-orders': 'Orders',
  'team-payments': 'Payments',
  'team-fulfilment': 'Fulfilment',
  'team-risk': 'Risk',
  'team-data': 'Data',
};

/** Version 1 of orders.order-created's schema: the demo document brings version 2 (wider enums). */
const ORDER_CREATED_V1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'OrderCreated',
  type: 'object',
  required: ['orderId', 'customerId', 'total', 'currency', 'items'],
  properties: {
    orderId: { type: 'string', description: 'Order identifier.' },
    customerId: { type: 'string' },
    total: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
    region: { type: 'string', enum: ['EU', 'US', 'APAC'] },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['sku', 'quantity'],
        properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
      },
    },
  },
};

/** Earlier schema versions registered before the document's own, for subjects that have none yet. */
const SCHEMA_HISTORY: Record<string, unknown[]> = { 'orders.order-created-value': [ORDER_CREATED_V1] };

/** The demo catalog (demo-catalog.yaml), with the topics' partition count. */
export function demoCatalog(partitions: number): CatalogDocument {
  const document = parseCatalogDocument(readFileSync(new URL('./demo-catalog.yaml', import.meta.url), 'utf8'));
  return {
    ...document,
    eventTypes: (document.eventTypes ?? []).map((entry) => ({ ...entry, partitions })),
  };
}

/**
 * Seeds the demo catalog: applies the entries of demo-catalog.yaml that do not exist yet (so
 * a user's edits, and entries seeded by earlier versions, are left as they are), creating
 * their topics and registering their schemas — orders.order-created with two versions. Also
 * creates the demo teams. Returns how many entries it created.
 */
export async function seedDemo(services: Services, partitions: number): Promise<number> {
  const full = demoCatalog(partitions);
  const [domains, eventTypes, catalogServices, applications] = await Promise.all([
    services.domains.list(),
    services.catalog.list(),
    services.catalogServices.list(),
    services.access.store.listApplications(),
  ]);
  const has = (names: { name: string }[]) => {
    const set = new Set(names.map((item) => item.name));
    return (entry: { name: string }) => !set.has(entry.name);
  };
  const apps = new Set(applications.map((app) => app.name));
  const document: CatalogDocument = {
    apiVersion: 'meshgate/v1',
    domains: (full.domains ?? []).filter(has(domains)),
    eventTypes: (full.eventTypes ?? []).filter(has(eventTypes)),
    services: (full.services ?? [])
      .filter(has(catalogServices))
      .map((entry) => (entry.application && !apps.has(entry.application) ? { ...entry, application: null } : entry)),
  };
  const missing = document.domains!.length + document.eventTypes!.length + document.services!.length;
  if (missing === 0) return 0;

  const teams = new Set((await services.access.store.listTeams()).map((team) => team.id));
  for (const [id, displayName] of Object.entries(DEMO_TEAMS)) {
    if (teams.has(id)) continue;
    await services.access.store.createTeam(id, displayName).catch((error: unknown) => {
      if (!(isMeshgateError(error) && error.code === 'CONFLICT')) throw error;
    });
  }
  for (const entry of document.eventTypes!) {
    const subject = entry.subject ?? `${entry.topic ?? entry.name}-value`;
    const history = SCHEMA_HISTORY[subject];
    if (!history || (await services.registry.history(subject)).length > 0) continue;
    for (const schema of history) {
      await services.registry.register(subject, { schemaType: 'JSON', schema: JSON.stringify(schema) });
    }
  }
  const result = await applyToCatalog(services, document, { actor: SYSTEM_ACTOR });
  return result.changes.filter((change) => change.action === 'create' && change.kind !== 'schema').length;
}
