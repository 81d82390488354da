import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isMeshgateError } from '@meshgate/core';
import type { CatalogDocument } from '../document';
import { buildAsyncApiDocument, type ExportCatalog, type ExportEventType } from './export-asyncapi';
import { asyncApiToCatalogDocument } from './import-asyncapi';
import { asyncApiErrors } from './parse-asyncapi';

const at = new Date('2026-11-20T10:00:00.000Z');

const orderCreatedSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'OrderCreated',
  type: 'object',
  required: ['orderId', 'total'],
  properties: {
    orderId: { type: 'string' },
    total: { type: 'number', minimum: 0 },
    items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
  },
};
const paymentSchema = {
  type: 'record',
  name: 'PaymentCaptured',
  namespace: 'payments',
  fields: [
    { name: 'paymentId', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'card', type: ['null', { type: 'record', name: 'Card', fields: [{ name: 'last4', type: 'string' }] }] },
  ],
};
const refundProto = 'syntax = "proto3";\nmessage RefundIssued {\n  string refund_id = 1;\n  int64 amount = 2;\n}\n';

function eventType(overrides: Partial<ExportEventType> & Pick<ExportEventType, 'name'>): ExportEventType {
  return {
    summary: `${overrides.name} happened.`,
    description: null,
    owner: 'team-orders',
    topic: overrides.name,
    subject: `${overrides.name}-value`,
    partitions: 3,
    valueFormat: 'json',
    domain: overrides.name.split('.')[0]!,
    version: '1.0.0',
    lifecycle: 'active',
    lifecycleNote: null,
    visibility: 'public',
    tags: [],
    schemaVersion: null,
    keyPath: null,
    examples: [],
    updatedAt: at,
    producers: [],
    consumers: [],
    schema: undefined,
    ...overrides,
  };
}

const catalog: ExportCatalog = {
  eventTypes: [
    eventType({
      name: 'orders.order-created',
      summary: 'A customer placed an order.',
      description: 'Emitted once the **total** is known.\n\nSee [the guide](https://docs.example/orders).',
      tags: ['checkout', 'core'],
      keyPath: '/orderId',
      version: '1.2.0',
      examples: [{ name: 'small order', summary: 'One item', payload: { orderId: 'o-1', total: 9.5 } }],
      producers: ['order-service'],
      consumers: ['billing-service'],
      schema: { schemaType: 'JSON', schema: JSON.stringify(orderCreatedSchema), version: 2, id: 7 },
      updatedAt: new Date('2026-11-21T08:30:00.000Z'),
    }),
    eventType({
      name: 'orders.order-drafted',
      lifecycle: 'draft',
      partitions: 1,
    }),
    eventType({
      name: 'payments.payment-captured',
      owner: 'team-payments',
      topic: 'payments.captured.v1',
      subject: 'payments.captured.v1-value',
      valueFormat: 'confluent',
      lifecycle: 'deprecated',
      lifecycleNote: 'Use payments.payment-settled from 2027.',
      visibility: 'private',
      schemaVersion: 1,
      consumers: ['billing-service'],
      schema: { schemaType: 'AVRO', schema: JSON.stringify(paymentSchema), version: 1, id: 3 },
    }),
    eventType({
      name: 'payments.refund-issued',
      owner: 'team-payments',
      schema: { schemaType: 'PROTOBUF', schema: refundProto, version: 1, id: 4 },
    }),
  ],
  domains: [
    {
      name: 'orders',
      displayName: 'Orders',
      summary: 'Order lifecycle',
      description: '# Orders\nEverything about orders.',
      ownerTeam: 'team-orders',
    },
    { name: 'payments', displayName: 'Payments', summary: '', description: null, ownerTeam: 'team-payments' },
  ],
  services: [
    {
      name: 'billing-service',
      displayName: 'Billing',
      summary: 'Sends invoices.',
      description: null,
      domain: null,
      ownerTeam: 'team-billing',
      application: null,
      repository: null,
    },
    {
      name: 'order-service',
      displayName: 'Order service',
      summary: '',
      description: 'Takes orders.',
      domain: 'orders',
      ownerTeam: 'team-orders',
      application: 'order-app',
      repository: 'https://git.example/order-service',
    },
  ],
};

const options = {
  gatewayUrl: 'https://mesh.example:4000',
  kafkaBrokers: ['kafka-a.example:9092', 'kafka-b.example:9092'],
  portalUrl: 'https://portal.example/',
};

/** What the catalog above is as a CatalogDocument. */
const expectedDocument: CatalogDocument = {
  apiVersion: 'meshgate/v1',
  domains: [
    {
      name: 'orders',
      displayName: 'Orders',
      summary: 'Order lifecycle',
      description: '# Orders\nEverything about orders.',
      owner: 'team-orders',
    },
    { name: 'payments', displayName: 'Payments', owner: 'team-payments' },
  ],
  services: [
    {
      name: 'billing-service',
      displayName: 'Billing',
      summary: 'Sends invoices.',
      owner: 'team-billing',
      produces: [],
      consumes: ['orders.order-created', 'payments.payment-captured'],
    },
    {
      name: 'order-service',
      displayName: 'Order service',
      description: 'Takes orders.',
      domain: 'orders',
      owner: 'team-orders',
      application: 'order-app',
      repository: 'https://git.example/order-service',
      produces: ['orders.order-created'],
      consumes: [],
    },
  ],
  eventTypes: [
    {
      name: 'orders.order-created',
      summary: 'A customer placed an order.',
      description: 'Emitted once the **total** is known.\n\nSee [the guide](https://docs.example/orders).',
      owner: 'team-orders',
      version: '1.2.0',
      lifecycle: 'active',
      visibility: 'public',
      tags: ['checkout', 'core'],
      topic: 'orders.order-created',
      subject: 'orders.order-created-value',
      partitions: 3,
      valueFormat: 'json',
      keyPath: '/orderId',
      examples: [{ name: 'small order', summary: 'One item', payload: { orderId: 'o-1', total: 9.5 } }],
      schema: { type: 'JSON', definition: orderCreatedSchema },
    },
    {
      name: 'orders.order-drafted',
      summary: 'orders.order-drafted happened.',
      owner: 'team-orders',
      version: '1.0.0',
      lifecycle: 'draft',
      visibility: 'public',
      topic: 'orders.order-drafted',
      subject: 'orders.order-drafted-value',
      partitions: 1,
      valueFormat: 'json',
    },
    {
      name: 'payments.payment-captured',
      summary: 'payments.payment-captured happened.',
      owner: 'team-payments',
      version: '1.0.0',
      lifecycle: 'deprecated',
      lifecycleNote: 'Use payments.payment-settled from 2027.',
      visibility: 'private',
      topic: 'payments.captured.v1',
      subject: 'payments.captured.v1-value',
      partitions: 3,
      valueFormat: 'confluent',
      schemaVersion: 1,
      schema: { type: 'AVRO', definition: paymentSchema },
    },
    {
      name: 'payments.refund-issued',
      summary: 'payments.refund-issued happened.',
      owner: 'team-payments',
      version: '1.0.0',
      lifecycle: 'active',
      visibility: 'public',
      topic: 'payments.refund-issued',
      subject: 'payments.refund-issued-value',
      partitions: 3,
      valueFormat: 'json',
      schema: { type: 'PROTOBUF', definition: refundProto },
    },
  ],
};

/** What applying a CatalogDocument to an empty catalog gives (schema ids and dates kept from `like`). */
function applied(document: CatalogDocument, like: ExportCatalog): ExportCatalog {
  const services = document.services ?? [];
  return {
    eventTypes: (document.eventTypes ?? []).map((entry) => {
      const before = like.eventTypes.find((e) => e.name === entry.name)!;
      return eventType({
        ...entry,
        description: entry.description ?? null,
        domain: entry.name.split('.')[0]!,
        lifecycleNote: entry.lifecycleNote ?? null,
        tags: entry.tags ?? [],
        schemaVersion: entry.schemaVersion ?? null,
        keyPath: entry.keyPath ?? null,
        examples: entry.examples ?? [],
        updatedAt: before.updatedAt,
        producers: services.filter((s) => s.produces?.includes(entry.name)).map((s) => s.name),
        consumers: services.filter((s) => s.consumes?.includes(entry.name)).map((s) => s.name),
        schema: entry.schema && {
          schemaType: entry.schema.type,
          schema:
            typeof entry.schema.definition === 'string'
              ? entry.schema.definition
              : JSON.stringify(entry.schema.definition),
          version: before.schema!.version,
          id: before.schema!.id,
        },
      } as ExportEventType);
    }),
    domains: (document.domains ?? []).map((d) => ({
      name: d.name,
      displayName: d.displayName ?? d.name,
      summary: d.summary ?? '',
      description: d.description ?? null,
      ownerTeam: d.owner,
    })),
    services: services.map((s) => ({
      name: s.name,
      displayName: s.displayName ?? s.name,
      summary: s.summary ?? '',
      description: s.description ?? null,
      domain: s.domain ?? null,
      ownerTeam: s.owner,
      application: s.application ?? null,
      repository: s.repository ?? null,
    })),
  };
}

async function problemsOf(
  promise: Promise<unknown>,
): Promise<{ code: string; problems: Array<{ path: string; message: string }> }> {
  try {
    await promise;
  } catch (error) {
    if (!isMeshgateError(error)) throw error;
    return {
      code: error.code,
      problems: (error.details as { problems: Array<{ path: string; message: string }> }).problems,
    };
  }
  throw new Error('expected the import to fail');
}

describe('AsyncAPI export', () => {
  const exported = buildAsyncApiDocument(catalog, options);

  it('is a valid AsyncAPI 3.0 document for @asyncapi/parser (no error diagnostics), as JSON and as YAML', async () => {
    expect(await asyncApiErrors(exported)).toEqual([]);
    expect(await asyncApiErrors(stringify(exported))).toEqual([]);
    expect(await asyncApiErrors(JSON.stringify(exported))).toEqual([]);
  });

  it('describes servers, channels with Kafka bindings, operations per declared producer and consumer, messages', () => {
    expect(exported).toMatchObject({
      asyncapi: '3.0.0',
      info: {
        title: 'Event catalog',
        version: '2026-11-21T08:30:00.000Z',
        externalDocs: { url: 'https://portal.example' },
      },
      servers: {
        'kafka-1': {
          host: 'kafka-a.example:9092',
          protocol: 'kafka',
          bindings: { kafka: { schemaRegistryUrl: 'https://mesh.example:4000/registry' } },
        },
        'kafka-2': { host: 'kafka-b.example:9092', protocol: 'kafka' },
        meshgate: { host: 'mesh.example:4000', protocol: 'https', pathname: '/v1/events' },
      },
      channels: {
        'payments.payment-captured': {
          address: 'payments.captured.v1',
          bindings: { kafka: { topic: 'payments.captured.v1', partitions: 3 } },
          externalDocs: { url: 'https://portal.example/event-types/payments.payment-captured' },
        },
      },
      operations: {
        'order-service.send.orders.order-created': {
          action: 'send',
          channel: { $ref: '#/channels/orders.order-created' },
        },
        'billing-service.receive.orders.order-created': { action: 'receive' },
        'billing-service.receive.payments.payment-captured': { action: 'receive' },
      },
      components: {
        messages: {
          'orders.order-created': {
            payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: orderCreatedSchema },
            tags: [{ name: 'checkout' }, { name: 'core' }],
            bindings: { kafka: { schemaIdLocation: 'header' } },
          },
          'payments.payment-captured': {
            payload: { schemaFormat: 'application/vnd.apache.avro;version=1.9.0', schema: paymentSchema },
            bindings: { kafka: { schemaIdLocation: 'payload', schemaIdPayloadEncoding: 'confluent' } },
          },
        },
      },
    });
    expect(Object.keys(exported.operations as object)).toHaveLength(3);
  });

  it('imports back into the same catalog, and a second export equals the first', async () => {
    const imported = await asyncApiToCatalogDocument(stringify(exported));
    expect(imported).toEqual(expectedDocument);
    const again = buildAsyncApiDocument(applied(imported, catalog), options);
    expect(again).toEqual(exported);
    expect(await asyncApiToCatalogDocument(again)).toEqual(imported);
  });
});

describe('AsyncAPI import', () => {
  it('converts a 2.6 document (operations from the application’s point of view, Avro payload, tags, examples)', async () => {
    const document = `
asyncapi: 2.6.0
info:
  title: Account Service
  version: 1.4.0
  description: |
    Manages user accounts.
    Second line.
servers:
  production:
    url: broker.example:9092
    protocol: kafka
channels:
  user/signedup:
    description: A user created an account.
    bindings:
      kafka:
        partitions: 6
    subscribe:
      operationId: emitSignup
      message:
        name: UserSignedUp
        summary: A user signed up.
        tags: [{ name: Onboarding }, { name: "PII data" }]
        schemaFormat: application/vnd.apache.avro;version=1.9.0
        payload:
          type: record
          name: UserSignedUp
          fields:
            - { name: userId, type: string }
            - { name: email, type: string }
        examples:
          - payload: { userId: u-1, email: a@example.com }
  billing.invoice-paid:
    publish:
      operationId: onInvoicePaid
      message:
        $ref: '#/components/messages/InvoicePaid'
components:
  messages:
    InvoicePaid:
      title: Invoice paid
      payload:
        type: object
        properties:
          invoiceId: { type: string }
          amount: { $ref: '#/components/schemas/Money' }
  schemas:
    Money:
      type: object
      properties:
        value: { type: number }
        currency: { type: string }
`;
    expect(await asyncApiToCatalogDocument(document, { owner: 'team-accounts' })).toEqual({
      apiVersion: 'meshgate/v1',
      domains: [],
      services: [
        {
          name: 'account-service',
          displayName: 'Account Service',
          summary: 'Manages user accounts.',
          owner: 'team-accounts',
          produces: ['user.signedup'],
          consumes: ['billing.invoice-paid'],
        },
      ],
      eventTypes: [
        {
          name: 'billing.invoice-paid',
          summary: 'Invoice paid',
          owner: 'team-accounts',
          topic: 'billing.invoice-paid',
          schema: {
            type: 'JSON',
            definition: {
              type: 'object',
              properties: {
                invoiceId: { type: 'string' },
                amount: { type: 'object', properties: { value: { type: 'number' }, currency: { type: 'string' } } },
              },
            },
          },
        },
        {
          name: 'user.signedup',
          summary: 'A user signed up.',
          description: 'A user created an account.',
          owner: 'team-accounts',
          tags: ['onboarding', 'pii-data'],
          topic: 'user.signedup',
          partitions: 6,
          examples: [{ name: 'example 1', payload: { userId: 'u-1', email: 'a@example.com' } }],
          schema: {
            type: 'AVRO',
            definition: {
              type: 'record',
              name: 'UserSignedUp',
              fields: [
                { name: 'userId', type: 'string' },
                { name: 'email', type: 'string' },
              ],
            },
          },
        },
      ],
    });
  });

  it('converts a 3.0 document (channels by id and address, several messages, send and receive operations)', async () => {
    const document = {
      asyncapi: '3.0.0',
      info: { title: 'Shipping', version: '2.0.0', 'x-meshgate': { owner: 'team-shipping' } },
      channels: {
        parcelEvents: {
          address: 'shipping.parcels',
          title: 'Parcel events',
          tags: [{ name: 'logistics' }],
          bindings: { kafka: { partitions: 12 } },
          messages: {
            parcelShipped: {
              name: 'shipped',
              summary: 'A parcel left.',
              contentType: 'application/json',
              payload: {
                schemaFormat: 'application/schema+json;version=draft-07',
                schema: { type: 'object', properties: { parcelId: { type: 'string' } } },
              },
            },
            parcelDelivered: {
              name: 'delivered',
              summary: 'A parcel arrived.',
              payload: { type: 'object', properties: { parcelId: { type: 'string' }, signedBy: { type: 'string' } } },
            },
          },
        },
        returns: {
          address: 'shipping/returns/{region}',
          description: '## Returns\nA customer sent something back.',
          parameters: { region: { description: 'EU or US' } },
          messages: { returned: { payload: { type: 'object' } } },
          'x-meshgate': { eventType: 'shipping.return-received', owner: 'team-returns', lifecycle: 'draft' },
        },
      },
      operations: {
        shipParcel: { action: 'send', channel: { $ref: '#/channels/parcelEvents' } },
        onReturn: { action: 'receive', channel: { $ref: '#/channels/returns' } },
      },
    };
    expect(await asyncApiToCatalogDocument(document)).toEqual({
      apiVersion: 'meshgate/v1',
      domains: [],
      services: [
        {
          name: 'shipping',
          displayName: 'Shipping',
          owner: 'team-shipping',
          produces: ['shipping.parcels.delivered', 'shipping.parcels.shipped'],
          consumes: ['shipping.return-received'],
        },
      ],
      eventTypes: [
        {
          name: 'shipping.parcels.delivered',
          summary: 'A parcel arrived.',
          owner: 'team-shipping',
          tags: ['logistics'],
          topic: 'shipping.parcels',
          partitions: 12,
          schema: {
            type: 'JSON',
            definition: { type: 'object', properties: { parcelId: { type: 'string' }, signedBy: { type: 'string' } } },
          },
        },
        {
          name: 'shipping.parcels.shipped',
          summary: 'A parcel left.',
          owner: 'team-shipping',
          tags: ['logistics'],
          topic: 'shipping.parcels',
          partitions: 12,
          schema: { type: 'JSON', definition: { type: 'object', properties: { parcelId: { type: 'string' } } } },
        },
        {
          name: 'shipping.return-received',
          summary: 'Returns',
          description: '## Returns\nA customer sent something back.',
          owner: 'team-returns',
          lifecycle: 'draft',
          topic: 'shipping.return-received',
          schema: { type: 'JSON', definition: { type: 'object' } },
        },
      ],
    });
  });

  it('refuses what it cannot import, naming every problem (INVALID_ASYNCAPI_DOCUMENT)', async () => {
    const minimal = (extra: Record<string, unknown>) => ({
      asyncapi: '3.0.0',
      info: { title: 'T', version: '1' },
      ...extra,
    });
    const external = await problemsOf(
      asyncApiToCatalogDocument(minimal({ channels: { a: { $ref: 'https://evil.example/a.yaml' } } }), { owner: 't' }),
    );
    expect(external).toEqual({
      code: 'INVALID_ASYNCAPI_DOCUMENT',
      problems: [{ path: '/channels/a/$ref', message: '$ref https://evil.example/a.yaml leaves the document' }],
    });
    const invalid = await problemsOf(asyncApiToCatalogDocument({ asyncapi: '3.0.0', info: { title: 'T' } }));
    expect(invalid.problems).toEqual([expect.objectContaining({ path: '/info' })]);
    const old = await problemsOf(
      asyncApiToCatalogDocument('asyncapi: 2.0.0\ninfo: {title: T, version: "1"}\nchannels: {}'),
    );
    expect(old.problems[0]).toMatchObject({ path: '/asyncapi' });
    const yaml = await problemsOf(asyncApiToCatalogDocument('asyncapi: 3.0.0\ninfo: [unclosed'));
    expect(yaml.code).toBe('INVALID_ASYNCAPI_DOCUMENT');
    const unowned = await problemsOf(
      asyncApiToCatalogDocument(
        minimal({ channels: { 'a.b': { address: 'a.b', messages: { m: { payload: { type: 'string' } } } } } }),
      ),
    );
    expect(unowned.problems).toEqual([{ path: '/channels/a.b', message: expect.stringContaining('no owner') }]);
    // Meshgate fields with a fixed set of values: anything else is named, not dropped.
    const badValues = await problemsOf(
      asyncApiToCatalogDocument(
        minimal({
          channels: {
            'a.b': {
              address: 'a.b',
              'x-meshgate': { lifecycle: 'sunset', visibility: 'secret', valueFormat: 'xml' },
              messages: { m: { payload: { type: 'string' } } },
            },
          },
        }),
        { owner: 't' },
      ),
    );
    expect(badValues.problems).toEqual([
      {
        path: '/channels/a.b',
        message: "x-meshgate.lifecycle 'sunset' is not one of draft, active, deprecated, retired",
      },
      { path: '/channels/a.b', message: "x-meshgate.visibility 'secret' is not one of public, private" },
      { path: '/channels/a.b', message: "x-meshgate.valueFormat 'xml' is not one of json, confluent" },
    ]);
    const openapi = await problemsOf(
      asyncApiToCatalogDocument(
        minimal({
          channels: {
            'a.b': {
              messages: {
                m: {
                  payload: { schemaFormat: 'application/vnd.oai.openapi;version=3.0.0', schema: { type: 'string' } },
                },
              },
            },
          },
        }),
        { owner: 't' },
      ),
    );
    expect(openapi.code).toBe('INVALID_ASYNCAPI_DOCUMENT');
  });
});
