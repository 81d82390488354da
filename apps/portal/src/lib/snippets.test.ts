import { describe, expect, it } from 'vitest';
import { eventTypeSnippets, shellQuote, wsUrl, type SnippetInput } from './snippets';

const input: SnippetInput = {
  eventType: 'orders.order-created',
  topic: 'orders.order-created',
  subject: 'orders.order-created-value',
  valueFormat: 'json',
  gatewayUrl: 'https://mesh.example.com',
  sample: { orderId: "o'1" },
  typedSubscription: null,
};

describe('eventTypeSnippets', () => {
  it('fills in the event type, the gateway URL and the sample, quoted for the shell', () => {
    const [produce, sse] = eventTypeSnippets(input);
    expect(produce!.code).toBe(
      [
        'curl -X POST https://mesh.example.com/v1/events/orders.order-created \\',
        '  -H "Authorization: Bearer $MESHGATE_TOKEN" \\',
        "  -H 'Content-Type: application/json' \\",
        `  -d '{"orderId":"o'\\''1"}'`,
      ].join('\n'),
    );
    expect(sse!.code).toContain('curl -N -H "Authorization: Bearer $MESHGATE_TOKEN"');
    expect(sse!.code).toContain('https://mesh.example.com/v1/events/orders.order-created/stream');
  });

  it('uses the typed subscription when the gateway has one, else the generic events field', () => {
    const generic = eventTypeSnippets(input)[2]!;
    expect(generic.title).toBe('GraphQL subscription');
    expect(generic.code).toContain('events(type: "orders.order-created", from: LATEST)');
    expect(generic.note).toContain('wss://mesh.example.com/graphql');
    const typed = eventTypeSnippets({
      ...input,
      typedSubscription: { field: 'orderCreated', document: 'subscription { orderCreated { cursor } }' },
    })[2]!;
    expect(typed.title).toBe('GraphQL subscription (typed field orderCreated)');
    expect(typed.code).toBe('subscription { orderCreated { cursor } }');
  });

  it('decodes Confluent wire format with the registry client, and plain JSON with JSON.parse', () => {
    const json = eventTypeSnippets(input)[3]!.code;
    expect(json).toContain("import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';");
    expect(json).toContain('host: "https://mesh.example.com/registry"');
    expect(json).toContain('topic: "orders.order-created"');
    expect(json).toContain('JSON.parse(message.value.toString())');
    const confluent = eventTypeSnippets({ ...input, valueFormat: 'confluent' })[3]!.code;
    expect(confluent).toContain('await registry.decode(message.value)');
  });
});

describe('shellQuote and wsUrl', () => {
  it('quotes for POSIX shells and maps http(s) to ws(s)', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(wsUrl('http://127.0.0.1:4000')).toBe('ws://127.0.0.1:4000/graphql');
    expect(wsUrl('https://mesh.example.com/gw')).toBe('wss://mesh.example.com/gw/graphql');
  });
});
