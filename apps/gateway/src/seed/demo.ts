import type { Services } from '../runtime';

interface DemoEventType {
  name: string;
  summary: string;
  description: string;
  owner: string;
  schema: Record<string, unknown>;
}

/** Domains of the demo event types: the demo application may read and produce them. */
export const DEMO_DOMAINS = ['orders', 'payments'] as const;

/** The demo domain seeded on first start (MESHGATE_SEED_DEMO=false turns it off). */
export const demoEventTypes: DemoEventType[] = [
  {
    name: 'orders.order-created',
    summary: 'A customer placed an order.',
    description: 'Emitted by the order service once an order is accepted and its total is known.',
    owner: 'team-orders',
    schema: {
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
    },
  },
  {
    name: 'orders.order-shipped',
    summary: 'An order left the warehouse.',
    description: 'Emitted by fulfilment when the carrier picked up the parcel.',
    owner: 'team-fulfilment',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'OrderShipped',
      type: 'object',
      required: ['orderId', 'carrier', 'shippedAt'],
      properties: {
        orderId: { type: 'string' },
        carrier: { type: 'string' },
        trackingNumber: { type: 'string' },
        shippedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
  {
    name: 'payments.payment-captured',
    summary: 'A payment was captured for an order.',
    description: 'Emitted by the payment service after the provider confirmed the capture.',
    owner: 'team-payments',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'PaymentCaptured',
      type: 'object',
      required: ['paymentId', 'orderId', 'amount', 'currency'],
      properties: {
        paymentId: { type: 'string' },
        orderId: { type: 'string' },
        amount: { type: 'number', minimum: 0 },
        currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
        cardLast4: { type: 'string', pattern: '^[0-9]{4}$', 'x-meshgate-pii': true },
      },
    },
  },
];

/**
 * Seeds the demo event types and their schemas. Idempotent: an event type that already exists
 * is left as it is, so a user's edits survive restarts.
 */
export async function seedDemo(services: Services, partitions: number): Promise<number> {
  let created = 0;
  for (const demo of demoEventTypes) {
    const exists = await services.catalog.get(demo.name).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await services.eventLog.createTopic({ name: demo.name, partitions });
    const { eventType } = await services.catalog.put(demo.name, {
      summary: demo.summary,
      description: demo.description,
      owner: demo.owner,
      partitions,
    });
    await services.registry.register(eventType.subject, { schema: JSON.stringify(demo.schema), schemaType: 'JSON' });
    created++;
  }
  return created;
}
