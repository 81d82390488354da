/**
 * Copy-paste snippets for one event type, filled in with its name, topic and subject, a sample
 * event and the gateway URL browsers and scripts use. Every snippet takes the API key from the
 * environment (`MESHGATE_TOKEN`), never from the page.
 */

/** What the snippets are about. */
export interface SnippetInput {
  eventType: string;
  topic: string;
  subject: string;
  /** `json` or `confluent`: how values are written on the topic. */
  valueFormat: string;
  /** The gateway's public base URL, no trailing slash. */
  gatewayUrl: string;
  /** The event to produce in the example. */
  sample: unknown;
  /** The typed subscription document, when the gateway has one for this event type. */
  typedSubscription: { field: string; document: string } | null;
}

/** One titled snippet. */
export interface Snippet {
  id: 'curl-produce' | 'curl-sse' | 'graphql-subscription' | 'kafkajs-consumer';
  title: string;
  language: 'shell' | 'graphql' | 'javascript';
  code: string;
  /** A sentence of context shown under the title. */
  note: string;
}

const AUTH = '-H "Authorization: Bearer $MESHGATE_TOKEN"';

/** Single-quotes `text` for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The four snippets, in the order the page shows them. */
export function eventTypeSnippets(input: SnippetInput): Snippet[] {
  const events = `${input.gatewayUrl}/v1/events/${encodeURIComponent(input.eventType)}`;
  const graphql = input.typedSubscription;
  return [
    {
      id: 'curl-produce',
      title: 'Produce an event (curl)',
      language: 'shell',
      note: 'Validated against the latest schema; 202 with the event’s cursor, or 400 naming every invalid field.',
      code: [
        `curl -X POST ${events} \\`,
        `  ${AUTH} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d ${shellQuote(JSON.stringify(input.sample))}`,
      ].join('\n'),
    },
    {
      id: 'curl-sse',
      title: 'Stream events (Server-Sent Events with curl)',
      language: 'shell',
      note: 'Add ?from=earliest to replay; give the last id back as Last-Event-ID to resume with no loss.',
      code: [`curl -N ${AUTH} \\`, `  ${events}/stream`].join('\n'),
    },
    {
      id: 'graphql-subscription',
      title: graphql ? `GraphQL subscription (typed field ${graphql.field})` : 'GraphQL subscription',
      language: 'graphql',
      note: `Over graphql-ws at ${wsUrl(input.gatewayUrl)} (subprotocol graphql-transport-ws); send connectionParams { authorization: "Bearer <token>" }.`,
      code:
        graphql?.document ??
        [
          'subscription {',
          `  events(type: ${JSON.stringify(input.eventType)}, from: LATEST) {`,
          '    cursor',
          '    time',
          '    data',
          '  }',
          '}',
        ].join('\n'),
    },
    {
      id: 'kafkajs-consumer',
      title: 'Consume from Kafka (kafkajs + schema registry)',
      language: 'javascript',
      note: 'Reads the topic directly: needs access to the Kafka cluster (KAFKA_BROKERS) besides a Meshgate key for the registry.',
      code: kafkajsConsumer(input),
    },
  ];
}

/** The graphql-ws URL of a gateway base URL (`http` → `ws`, `https` → `wss`, plus `/graphql`). */
export function wsUrl(gatewayUrl: string): string {
  return `${gatewayUrl.replace(/^http/, 'ws')}/graphql`;
}

function kafkajsConsumer(input: SnippetInput): string {
  const decode =
    input.valueFormat === 'confluent'
      ? [
          '    // Confluent wire format (magic byte, schema id, JSON): decode() fetches the schema',
          '    // from Meshgate’s registry by id.',
          '    const event = await registry.decode(message.value);',
        ]
      : [
          '    // Values are plain JSON; the schema id is in the meshgate-schema-id header',
          '    // (registry.getSchema(id) fetches that schema from Meshgate’s registry).',
          '    const event = JSON.parse(message.value.toString());',
        ];
  const group = `my-app.${input.topic}`.replace(/[^A-Za-z0-9._-]/g, '-');
  return [
    "import { Kafka } from 'kafkajs';",
    "import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';",
    '',
    '// A Meshgate API key is {keyId}.{secret}; Confluent clients send it as HTTP Basic.',
    "const [keyId, secret] = process.env.MESHGATE_TOKEN.split('.');",
    'const registry = new SchemaRegistry({',
    `  host: ${JSON.stringify(`${input.gatewayUrl}/registry`)},`,
    '  auth: { username: keyId, password: secret },',
    '});',
    '',
    "const kafka = new Kafka({ clientId: 'my-app', brokers: process.env.KAFKA_BROKERS.split(',') });",
    `const consumer = kafka.consumer({ groupId: ${JSON.stringify(group)} });`,
    'await consumer.connect();',
    `await consumer.subscribe({ topic: ${JSON.stringify(input.topic)}, fromBeginning: false });`,
    'await consumer.run({',
    '  eachMessage: async ({ message }) => {',
    ...decode,
    `    console.log(${JSON.stringify(input.eventType)}, event);`,
    '  },',
    '});',
    '',
    `// Latest schema of the subject: await registry.getLatestSchemaId(${JSON.stringify(input.subject)})`,
  ].join('\n');
}
