import { stringify as stringifyYaml } from 'yaml';
import type { Domain } from '../domains';
import type { EventTypeWithLineage } from '../event-types';
import type { CatalogService } from '../services';

/** Schema format of registered JSON Schemas in AsyncAPI documents. */
export const JSON_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';
/** Schema format of registered Avro schemas in AsyncAPI documents. */
export const AVRO_SCHEMA_FORMAT = 'application/vnd.apache.avro;version=1.9.0';
/** Schema format of registered Protobuf schemas (carried in `x-meshgate.schema`, see the README). */
export const PROTOBUF_SCHEMA_FORMAT = 'application/vnd.google.protobuf;version=3';
/** Version of the Kafka bindings written. */
export const KAFKA_BINDING_VERSION = '0.5.0';

/** The schema an event type's messages carry: its subject's pinned or latest version. */
export interface ExportSchema {
  schemaType: 'JSON' | 'AVRO' | 'PROTOBUF';
  schema: string;
  version: number;
  id: number;
}

/** An event type as the export needs it: the catalog's entry, its declared parties and its schema. */
export interface ExportEventType extends Omit<EventTypeWithLineage, 'deadLetterTopic' | 'createdAt'> {
  schema: ExportSchema | undefined;
}

/** A domain as the export needs it. */
export type ExportDomain = Omit<Domain, 'createdAt' | 'updatedAt'>;

/** A service as the export needs it (`application`: the name of the policy application it is bound to). */
export type ExportService = Omit<CatalogService, 'produces' | 'consumes' | 'createdAt' | 'updatedAt'>;

/** What one export covers: visible event types, their domains, the services declared on them. */
export interface ExportCatalog {
  eventTypes: ExportEventType[];
  domains: ExportDomain[];
  services: ExportService[];
}

/** Where the described events can be reached, and where people read about them. */
export interface ExportOptions {
  /** The gateway's base URL as the caller reached it (`https://mesh.example:4000`). */
  gatewayUrl: string;
  /** Kafka bootstrap servers (`host:port`); without them only the gateway is a server. */
  kafkaBrokers?: readonly string[] | undefined;
  /** The developer portal's base URL, for `externalDocs`; without it there are none. */
  portalUrl?: string | undefined;
  /** The exported domain, when the export is one domain's. */
  domain?: string | undefined;
}

type Json = Record<string, unknown>;

/**
 * Builds an AsyncAPI 3.0.0 document of a catalog: one channel per event type (address = topic,
 * Kafka channel binding with topic and partitions), one message per channel with the subject's
 * schema as payload (JSON Schema draft-07 or Avro 1.9.0 schema format) and its Kafka binding
 * (key, where the schema id travels), a `send` operation per declared producer and a `receive`
 * operation per declared consumer, servers for the Kafka bootstrap servers and the gateway,
 * tags, descriptions and links to the portal. Catalog fields AsyncAPI has no place for ride in
 * `x-meshgate` extensions, so that importing the document back gives the same catalog.
 */
export function buildAsyncApiDocument(catalog: ExportCatalog, options: ExportOptions): Json {
  const eventTypes = [...catalog.eventTypes].sort((a, b) => a.name.localeCompare(b.name));
  const domain = options.domain ? catalog.domains.find((d) => d.name === options.domain) : undefined;
  const portal = options.portalUrl?.replace(/\/+$/, '');
  const gateway = new URL(options.gatewayUrl);
  const kafkaServers = (options.kafkaBrokers ?? []).map((host, i) => [`kafka-${i + 1}`, host] as const);

  const servers: Json = {};
  for (const [id, host] of kafkaServers) {
    servers[id] = {
      host,
      protocol: 'kafka',
      description: 'Kafka bootstrap server. Values are framed as each channel’s message binding says.',
      bindings: {
        kafka: {
          schemaRegistryUrl: `${gateway.origin}/registry`,
          schemaRegistryVendor: 'confluent',
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
  }
  servers.meshgate = {
    host: gateway.host,
    protocol: gateway.protocol.replace(/:$/, ''),
    pathname: '/v1/events',
    title: 'Meshgate gateway',
    description: [
      'The governed front door: produce with `POST /v1/events/{eventType}` (validated against the schema),',
      'stream with Server-Sent Events or NDJSON at `GET /v1/events/{eventType}/stream` (resumable by cursor),',
      'fetch pages with `GET /v1/events/{eventType}`. Each channel names its paths in `x-meshgate`.',
    ].join(' '),
    security: [{ $ref: '#/components/securitySchemes/meshgate' }],
  };

  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const kafkaRefs = kafkaServers.map(([id]) => ({ $ref: `#/servers/${id}` }));
  for (const eventType of eventTypes) {
    const docs = portal ? { url: `${portal}/event-types/${encodeURIComponent(eventType.name)}` } : undefined;
    const tags = eventType.tags.map((name) => ({ name }));
    messages[eventType.name] = messageOf(eventType, tags, docs);
    channels[eventType.name] = compact({
      address: eventType.topic,
      title: titleOf(eventType),
      summary: eventType.summary,
      description: eventType.description ?? undefined,
      messages: { [eventType.name]: { $ref: `#/components/messages/${eventType.name}` } },
      servers: kafkaRefs.length > 0 ? [...kafkaRefs, { $ref: '#/servers/meshgate' }] : undefined,
      tags: tags.length > 0 ? tags : undefined,
      externalDocs: docs,
      bindings: {
        kafka: { topic: eventType.topic, partitions: eventType.partitions, bindingVersion: KAFKA_BINDING_VERSION },
      },
      'x-meshgate': compact({
        eventType: eventType.name,
        domain: eventType.domain,
        owner: eventType.owner,
        version: eventType.version,
        lifecycle: eventType.lifecycle,
        lifecycleNote: eventType.lifecycleNote ?? undefined,
        visibility: eventType.visibility,
        subject: eventType.subject,
        schemaVersion: eventType.schemaVersion ?? undefined,
        valueFormat: eventType.valueFormat,
        producePath: `/v1/events/${eventType.name}`,
        streamPath: `/v1/events/${eventType.name}/stream`,
      }),
    });
    const message = { $ref: `#/channels/${eventType.name}/messages/${eventType.name}` };
    const channel = { $ref: `#/channels/${eventType.name}` };
    for (const [role, services] of [
      ['send', eventType.producers],
      ['receive', eventType.consumers],
    ] as const) {
      for (const service of [...services].sort()) {
        const known = catalog.services.find((s) => s.name === service);
        operations[`${service}.${role}.${eventType.name}`] = {
          action: role,
          channel,
          title: `${known?.displayName ?? service} ${role === 'send' ? 'produces' : 'consumes'} ${eventType.name}`,
          summary: known?.summary || undefined,
          messages: [message],
          'x-meshgate': { service },
        };
      }
    }
  }

  const allTags = [...new Set(eventTypes.flatMap((e) => e.tags))].sort();
  const revision = eventTypes.reduce((latest, e) => (e.updatedAt > latest ? e.updatedAt : latest), new Date(0));
  return {
    asyncapi: '3.0.0',
    id: `urn:meshgate:catalog${options.domain ? `:${options.domain}` : ''}`,
    info: compact({
      title: domain ? `${domain.displayName} events` : options.domain ? `${options.domain} events` : 'Event catalog',
      // The newest change among the described entries: the same catalog exports the same version.
      version: revision.getTime() === 0 ? '0' : revision.toISOString(),
      description:
        domain?.description ||
        domain?.summary ||
        'Event types of the Meshgate catalog, with their topics, schemas, producers and consumers.',
      tags: allTags.length > 0 ? allTags.map((name) => ({ name })) : undefined,
      externalDocs: portal ? { url: portal, description: 'Developer portal' } : undefined,
    }),
    defaultContentType: 'application/json',
    servers,
    channels,
    operations,
    components: {
      messages,
      securitySchemes: {
        meshgate: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`mgk_…`) or a JWT; Confluent clients send the key as HTTP Basic.',
        },
      },
    },
    'x-meshgate': {
      domains: [...catalog.domains]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((d) =>
          compact({
            name: d.name,
            displayName: d.displayName,
            summary: d.summary || undefined,
            description: d.description ?? undefined,
            owner: d.ownerTeam,
          }),
        ),
      services: [...catalog.services]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) =>
          compact({
            name: s.name,
            displayName: s.displayName,
            summary: s.summary || undefined,
            description: s.description ?? undefined,
            domain: s.domain ?? undefined,
            owner: s.ownerTeam,
            application: s.application ?? undefined,
            repository: s.repository ?? undefined,
          }),
        ),
    },
  };
}

// Deprecated and retired entries say so in their title (their note is in x-meshgate.lifecycleNote).
function titleOf(eventType: ExportEventType): string {
  return eventType.lifecycle === 'deprecated' || eventType.lifecycle === 'retired'
    ? `${eventType.name} (${eventType.lifecycle})`
    : eventType.name;
}

function messageOf(eventType: ExportEventType, tags: Json[], docs: Json | undefined): Json {
  const schema = eventType.schema;
  let payload: Json | undefined;
  let contentType = 'application/json';
  let protobuf: string | undefined;
  if (schema?.schemaType === 'AVRO') {
    payload = { schemaFormat: AVRO_SCHEMA_FORMAT, schema: JSON.parse(schema.schema) as unknown };
    contentType = 'application/vnd.apache.avro+binary';
  } else if (schema?.schemaType === 'PROTOBUF') {
    // The AsyncAPI parser knows Protobuf only with a plugin; the definition rides in x-meshgate.
    protobuf = schema.schema;
    contentType = 'application/x-protobuf';
  } else if (schema) {
    payload = { schemaFormat: JSON_SCHEMA_FORMAT, schema: JSON.parse(schema.schema) as unknown };
  }
  const confluent = eventType.valueFormat === 'confluent';
  const examples = Array.isArray(eventType.examples)
    ? (eventType.examples as Array<{ name?: unknown; summary?: unknown; payload?: unknown }>).map((example) =>
        compact({
          name: typeof example.name === 'string' ? example.name : undefined,
          summary: typeof example.summary === 'string' ? example.summary : undefined,
          payload: example.payload,
        }),
      )
    : [];
  return compact({
    name: eventType.name,
    title: eventType.name,
    summary: eventType.summary,
    description: eventType.description ?? undefined,
    contentType,
    headers: {
      type: 'object',
      properties: {
        'meshgate-event-type': { type: 'string', const: eventType.name },
        'meshgate-schema-id': { type: 'string', description: 'Global id of the schema the value was validated with.' },
        'meshgate-schema-version': { type: 'string', description: 'Version of that schema under the subject.' },
      },
    },
    payload,
    tags: tags.length > 0 ? tags : undefined,
    externalDocs: docs,
    examples: examples.length > 0 ? examples : undefined,
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description: eventType.keyPath
            ? `The payload's value at ${eventType.keyPath} unless the producer gives a key.`
            : 'The key the producer gives (Meshgate-Key); none otherwise.',
        },
        schemaIdLocation: confluent ? 'payload' : 'header',
        ...(confluent ? { schemaIdPayloadEncoding: 'confluent' } : {}),
        schemaLookupStrategy: 'TopicNameStrategy',
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    'x-meshgate': compact({
      keyPath: eventType.keyPath ?? undefined,
      schema: schema
        ? { subject: eventType.subject, version: schema.version, id: schema.id, type: schema.schemaType }
        : undefined,
      protobuf,
    }),
  });
}

/** The object without its undefined members (YAML and JSON output stay clean). */
/** The object without its undefined fields (YAML and JSON alike then leave them out). */
export function compact<T extends Json>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

/** Media types of the two document formats. */
export const asyncApiMediaTypes = { yaml: 'application/yaml', json: 'application/json' } as const;

/** An AsyncAPI (or catalog) document as YAML or as indented JSON text. */
export function serializeDocument(document: unknown, format: 'yaml' | 'json'): string {
  return format === 'json'
    ? `${JSON.stringify(document, null, 2)}\n`
    : stringifyYaml(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
