import type { AsyncAPIDocumentInterface, ChannelInterface, MessageInterface } from '@asyncapi/parser';
import type {
  CatalogDocument,
  CatalogDocumentDomain,
  CatalogDocumentEventType,
  CatalogDocumentService,
} from '../document';
import { TAG_PATTERN, visibilities } from '../event-type-fields';
import { valueFormats } from '../event-types';
import { lifecycles } from '../lifecycle';
import { AVRO_SCHEMA_FORMAT, PROTOBUF_SCHEMA_FORMAT, compact } from './export-asyncapi';
import { invalidAsyncApi, parseAsyncApi, type AsyncApiProblem } from './parse-asyncapi';

/** Options for {@link asyncApiToCatalogDocument}. */
export interface AsyncApiImportOptions {
  /**
   * Owner team of entries the document does not give one (`x-meshgate.owner` on a channel, on
   * the document's root or its `info`); without either, the import refuses those entries.
   */
  owner?: string | undefined;
}

type Json = Record<string, unknown>;

const NAME_CHARS = /[^A-Za-z0-9._-]+/g;

/**
 * Converts an AsyncAPI 2.6 or 3.0 document (text or object; validated by {@link parseAsyncApi})
 * into a CatalogDocument for `apply`:
 *
 * - one event type per channel (per message when a channel has several: `{channel}.{message}`),
 *   named by `x-meshgate.eventType`, else the Kafka binding's topic, the address or the channel
 *   id (characters Kafka does not allow in names become `.`); topic and partitions from the
 *   Kafka channel binding or the address; summary, description, tags and examples from the
 *   channel and its message; the payload as the schema (JSON Schema / AsyncAPI schema → JSON,
 *   Avro → AVRO, `x-meshgate.protobuf` → PROTOBUF);
 * - services: those listed in the root's `x-meshgate.services` (a Meshgate export), producing
 *   and consuming what their operations (`x-meshgate.service`) send and receive; otherwise the
 *   document's own application (named after `info.title`) when it has operations — 2.6
 *   `subscribe` and 3.0 `send` produce, 2.6 `publish` and 3.0 `receive` consume;
 * - domains from the root's `x-meshgate.domains`.
 *
 * Fields Meshgate has and AsyncAPI lacks (owner, version, lifecycle, visibility, subject,
 * pinned schema version, value format, key path) come from `x-meshgate` extensions, which the
 * export writes, so export → import gives back the same catalog. Throws
 * INVALID_ASYNCAPI_DOCUMENT listing every problem (unreadable or invalid document, unsupported
 * schema formats, missing owners, clashing names).
 */
export async function asyncApiToCatalogDocument(
  input: string | Record<string, unknown>,
  options: AsyncApiImportOptions = {},
): Promise<CatalogDocument> {
  const document = await parseAsyncApi(input);
  const root = document.json() as Json;
  const rootExtension = objectOr(root['x-meshgate']);
  const info = objectOr(root.info);
  const defaultOwner =
    stringOr(rootExtension.owner) ?? stringOr(objectOr(info['x-meshgate']).owner) ?? options.owner ?? undefined;
  const problems: AsyncApiProblem[] = [];
  const eventTypes: CatalogDocumentEventType[] = [];
  const byChannel = new Map<string, string[]>();

  for (const channel of document.channels()) {
    const messages = channel.messages().all();
    const names: string[] = [];
    for (const [index, message] of (messages.length > 0 ? messages : [undefined]).entries()) {
      const eventType = eventTypeOf(channel, message, messages.length, defaultOwner, problems, index);
      if (!eventType) continue;
      if (eventTypes.some((e) => e.name === eventType.name)) {
        problems.push({ path: channel.jsonPath(), message: `two channels map to the event type '${eventType.name}'` });
        continue;
      }
      eventTypes.push(eventType);
      names.push(eventType.name);
    }
    byChannel.set(channel.id(), names);
  }

  const services = servicesOf(document, rootExtension, info, byChannel, defaultOwner, problems);
  const domains = domainsOf(rootExtension, problems);
  if (problems.length > 0) {
    invalidAsyncApi(
      `The AsyncAPI document cannot be imported (${problems.length} problem${problems.length === 1 ? '' : 's'}).`,
      problems,
    );
  }
  return {
    apiVersion: 'meshgate/v1',
    domains,
    services,
    eventTypes: eventTypes.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function eventTypeOf(
  channel: ChannelInterface,
  message: MessageInterface | undefined,
  messageCount: number,
  defaultOwner: string | undefined,
  problems: AsyncApiProblem[],
  index: number,
): CatalogDocumentEventType | undefined {
  const raw = channel.json() as Json;
  const extension = objectOr(raw['x-meshgate']);
  const messageRaw = (message?.json() ?? {}) as Json;
  const messageExtension = objectOr(messageRaw['x-meshgate']);
  const kafka = objectOr(channel.bindings().get('kafka')?.value());
  const address = channel.address() ?? undefined;
  const literalAddress = address && !address.includes('{') ? address : undefined;
  const base = stringOr(extension.eventType) ?? stringOr(kafka.topic) ?? literalAddress ?? channel.id();
  const suffix = messageCount > 1 ? `.${message?.name() ?? message?.id() ?? String(index + 1)}` : '';
  const name = nameOf(messageCount > 1 ? `${base}${suffix}` : base);
  if (!name) {
    problems.push({ path: channel.jsonPath(), message: `no usable event type name in '${base}${suffix}'` });
    return undefined;
  }
  const owner = stringOr(extension.owner) ?? defaultOwner;
  if (!owner) {
    problems.push({
      path: channel.jsonPath(),
      message: `no owner for '${name}': set x-meshgate.owner (channel or root) or pass owner=`,
    });
  }
  const topicCandidate = stringOr(kafka.topic) ?? literalAddress;
  const topic = topicCandidate && nameOf(topicCandidate) === topicCandidate ? topicCandidate : name;
  const description = stringOr(raw.description) ?? message?.description() ?? undefined;
  const summary =
    stringOr(raw.summary) ??
    message?.summary() ??
    message?.title() ??
    stringOr(raw.title) ??
    firstLine(description) ??
    name;
  const tags = [
    ...new Set(
      [
        ...tagNames(raw.tags),
        ...(message
          ? message
              .tags()
              .all()
              .map((t) => t.name())
          : []),
      ]
        .map(tagOf)
        .filter((t): t is string => t !== undefined),
    ),
  ];
  const schema = message ? schemaOf(message, messageExtension, problems) : undefined;
  const valueFormat =
    stringOr(extension.valueFormat) ??
    (objectOr(message?.bindings().get('kafka')?.value()).schemaIdLocation === 'payload' ? 'confluent' : undefined);
  const examples = message
    ? message
        .examples()
        .all()
        .flatMap((example, i) =>
          example.hasPayload()
            ? [
                compact({
                  name: example.name() ?? `example ${i + 1}`,
                  summary: example.summary(),
                  payload: clean(example.payload(), problems, example.jsonPath()),
                }) as { name: string; summary?: string; payload: unknown },
              ]
            : [],
        )
    : [];
  return compact({
    name,
    summary: summary.slice(0, 500),
    description,
    owner: owner ?? '',
    version: stringOr(extension.version),
    lifecycle: oneOf(extension.lifecycle, lifecycles, 'lifecycle', channel.jsonPath(), problems),
    lifecycleNote: stringOr(extension.lifecycleNote),
    visibility: oneOf(extension.visibility, visibilities, 'visibility', channel.jsonPath(), problems),
    tags: tags.length > 0 ? tags : undefined,
    topic,
    subject: stringOr(extension.subject),
    partitions: typeof kafka.partitions === 'number' ? kafka.partitions : undefined,
    valueFormat: oneOf(valueFormat, valueFormats, 'valueFormat', channel.jsonPath(), problems),
    schemaVersion: typeof extension.schemaVersion === 'number' ? extension.schemaVersion : undefined,
    keyPath: stringOr(messageExtension.keyPath),
    examples: examples.length > 0 ? examples : undefined,
    schema,
  }) as CatalogDocumentEventType;
}

/** The message's payload as a registrable schema; unsupported formats are problems. */
function schemaOf(
  message: MessageInterface,
  extension: Json,
  problems: AsyncApiProblem[],
): CatalogDocumentEventType['schema'] {
  const protobuf = stringOr(extension.protobuf);
  if (protobuf) return { type: 'PROTOBUF', definition: protobuf };
  const raw = message.json() as Json;
  if (raw.payload === undefined) return undefined;
  const format = (message.schemaFormat() ?? '').toLowerCase().replace(/\s+/g, '');
  // The Avro schema parser converts payloads to JSON Schema and keeps the original beside them:
  // on the message (2.x) or on the multi-format schema object {schemaFormat, schema} (3.0).
  const original = raw['x-parser-original-payload'] ?? objectOr(raw.payload)['x-parser-original-payload'];
  let payload: unknown = original ?? raw.payload;
  if (original === undefined && isMultiFormat(payload)) payload = payload.schema;
  if (format.startsWith('application/vnd.apache.avro')) {
    return { type: 'AVRO', definition: clean(payload, problems, message.jsonPath('payload')) };
  }
  if (format.startsWith(PROTOBUF_SCHEMA_FORMAT.split(';')[0]!)) {
    return { type: 'PROTOBUF', definition: payload };
  }
  if (format === '' || format.startsWith('application/vnd.aai.asyncapi') || format.startsWith('application/schema')) {
    return { type: 'JSON', definition: clean(payload, problems, message.jsonPath('payload')) };
  }
  problems.push({
    path: message.jsonPath('payload'),
    message: `schema format '${message.schemaFormat()}' is not supported: use JSON Schema, the AsyncAPI schema or Avro (${AVRO_SCHEMA_FORMAT})`,
  });
  return undefined;
}

function isMultiFormat(value: unknown): value is { schemaFormat: string; schema: unknown } {
  return typeof value === 'object' && value !== null && 'schemaFormat' in value && 'schema' in value;
}

function servicesOf(
  document: AsyncAPIDocumentInterface,
  rootExtension: Json,
  info: Json,
  byChannel: Map<string, string[]>,
  defaultOwner: string | undefined,
  problems: AsyncApiProblem[],
): CatalogDocumentService[] {
  const declared = Array.isArray(rootExtension.services) ? (rootExtension.services as unknown[]) : undefined;
  const uses = new Map<string, { produces: Set<string>; consumes: Set<string> }>();
  const useOf = (service: string) => {
    let use = uses.get(service);
    if (!use) uses.set(service, (use = { produces: new Set(), consumes: new Set() }));
    return use;
  };
  const application = declared ? undefined : nameOf(slug(stringOr(info.title) ?? ''));
  for (const operation of document.operations()) {
    const service = declared ? stringOr(objectOr(operation.json()['x-meshgate']).service) : application;
    if (!service) continue;
    for (const channel of operation.channels()) {
      for (const eventType of byChannel.get(channel.id()) ?? []) {
        (operation.isSend() ? useOf(service).produces : useOf(service).consumes).add(eventType);
      }
    }
  }
  const entries: CatalogDocumentService[] = [];
  if (declared) {
    for (const [i, item] of declared.entries()) {
      const service = objectOr(item);
      const name = stringOr(service.name);
      const owner = stringOr(service.owner) ?? defaultOwner;
      if (!name || !owner) {
        problems.push({ path: `/x-meshgate/services/${i}`, message: 'a service needs a name and an owner' });
        continue;
      }
      entries.push(serviceEntry(name, service, owner, uses.get(name)));
    }
  } else if (application && uses.size > 0) {
    if (!defaultOwner) {
      problems.push({ path: '/info', message: `no owner for the service '${application}': pass owner=` });
    } else {
      entries.push(
        serviceEntry(
          application,
          { displayName: stringOr(info.title), summary: firstLine(stringOr(info.description)) },
          defaultOwner,
          uses.get(application),
        ),
      );
    }
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

function serviceEntry(
  name: string,
  fields: Json,
  owner: string,
  use: { produces: Set<string>; consumes: Set<string> } | undefined,
): CatalogDocumentService {
  return compact({
    name,
    displayName: stringOr(fields.displayName) ?? name,
    summary: stringOr(fields.summary),
    description: stringOr(fields.description),
    domain: stringOr(fields.domain),
    owner,
    application: stringOr(fields.application),
    repository: stringOr(fields.repository),
    produces: [...(use?.produces ?? [])].sort(),
    consumes: [...(use?.consumes ?? [])].sort(),
  }) as CatalogDocumentService;
}

function domainsOf(rootExtension: Json, problems: AsyncApiProblem[]): CatalogDocumentDomain[] {
  if (!Array.isArray(rootExtension.domains)) return [];
  const domains: CatalogDocumentDomain[] = [];
  for (const [i, item] of (rootExtension.domains as unknown[]).entries()) {
    const domain = objectOr(item);
    const name = stringOr(domain.name);
    const owner = stringOr(domain.owner);
    if (!name || !owner) {
      problems.push({ path: `/x-meshgate/domains/${i}`, message: 'a domain needs a name and an owner' });
      continue;
    }
    domains.push(
      compact({
        name,
        displayName: stringOr(domain.displayName) ?? name,
        summary: stringOr(domain.summary),
        description: stringOr(domain.description),
        owner,
      }) as CatalogDocumentDomain,
    );
  }
  return domains.sort((a, b) => a.name.localeCompare(b.name));
}

/** A legal event type or topic name from free text (runs of other characters become `.`), or undefined. */
function nameOf(text: string): string | undefined {
  const name = text
    .replace(NAME_CHARS, '.')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 249);
  return name === '' ? undefined : name;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function tagOf(text: string): string | undefined {
  const tag = slug(text).slice(0, 50);
  return TAG_PATTERN.test(tag) ? tag : undefined;
}

function tagNames(value: unknown): string[] {
  return Array.isArray(value)
    ? value.flatMap((tag) => {
        const name = objectOr(tag).name;
        return typeof name === 'string' ? [name] : [];
      })
    : [];
}

function firstLine(text: string | undefined): string | undefined {
  const line = text
    ?.split('\n')
    .map((l) => l.replace(/^#+\s*/, '').trim())
    .find(Boolean);
  return line || undefined;
}

/** An `x-meshgate` value that must be one of `allowed`: undefined when absent, a problem when anything else. */
function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  path: string,
  problems: AsyncApiProblem[],
): T | undefined {
  const text = stringOr(value);
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  problems.push({ path, message: `x-meshgate.${field} '${text}' is not one of ${allowed.join(', ')}` });
  return undefined;
}

function objectOr(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * A plain copy of a dereferenced value without the parser's `x-parser-*` annotations; a
 * circular schema (a `$ref` to an ancestor) cannot be registered as one document: a problem.
 */
function clean(value: unknown, problems: AsyncApiProblem[], path: string, seen = new Set<unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) {
    problems.push({ path, message: 'circular schema references cannot be imported; inline them' });
    return {};
  }
  seen.add(value);
  const copy = Array.isArray(value)
    ? value.map((item) => clean(item, problems, path, seen))
    : Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !key.startsWith('x-parser-'))
          .map(([key, item]) => [key, clean(item, problems, path, seen)]),
      );
  seen.delete(value);
  return copy;
}
