import type { GraphQLResult } from './gateway-client';

/**
 * The typed GraphQL subscription the gateway generates for an event type, found by
 * introspection (its field name depends on every other event type, so only the gateway knows
 * it), and a ready-to-run document selecting the payload's fields.
 */
export interface TypedSubscription {
  /** The subscription field, e.g. `orderCreated`. */
  field: string;
  /** A complete `subscription { … }` document. */
  document: string;
}

/** How deep the document selects into nested objects (delivery → data → nested object). */
const MAX_DEPTH = 4;
/** Most types introspected for one document. */
const MAX_TYPES = 40;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A type reference as introspection returns it (wrappers down to a named type). */
export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

/** The fields of one object type, as introspection returns them. */
export interface IntrospectedType {
  name: string;
  kind: string;
  fields: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] | null;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';

const SUBSCRIPTION_FIELDS = `query MeshgateSubscriptionFields {
  __schema { subscriptionType { fields { name description type { ${TYPE_REF} } } } }
}`;

/** Runs a GraphQL operation against the gateway (the portal's client, acting as the visitor). */
export type RunGraphQL = (query: string) => Promise<GraphQLResult>;

/**
 * Finds the typed subscription of `eventType` (the gateway describes each as "Events of
 * `name`, …") and builds a document selecting every leaf of its delivery type. Answers null when
 * the schema has none (no JSON Schema registered yet, or a schema the gateway could not type).
 */
export async function findTypedSubscription(run: RunGraphQL, eventType: string): Promise<TypedSubscription | null> {
  const listed = await run(SUBSCRIPTION_FIELDS);
  const fields = readSubscriptionFields(listed);
  const marker = `Events of \`${eventType}\`,`;
  const field = fields.find((candidate) => candidate.description?.includes(marker));
  if (!field) return null;
  const rootType = namedType(field.type);
  if (!rootType) return null;

  const types = new Map<string, IntrospectedType>();
  let wanted = [rootType];
  for (let depth = 0; depth < MAX_DEPTH && wanted.length > 0 && types.size < MAX_TYPES; depth += 1) {
    const batch = wanted.filter((name) => GRAPHQL_NAME.test(name) && !types.has(name)).slice(0, MAX_TYPES - types.size);
    if (batch.length === 0) break;
    const query = `query MeshgateTypes {\n${batch
      .map(
        (name, index) =>
          `  t${index}: __type(name: "${name}") { name kind fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } }`,
      )
      .join('\n')}\n}`;
    const answer = await run(query);
    const next: string[] = [];
    batch.forEach((_name, index) => {
      const type = answer.data?.[`t${index}`] as IntrospectedType | null | undefined;
      if (!type) return;
      types.set(type.name, type);
      for (const child of type.fields ?? []) {
        const childType = unwrap(child.type);
        if (childType.kind === 'OBJECT' && childType.name && !types.has(childType.name)) next.push(childType.name);
      }
    });
    wanted = next;
  }
  const selection = selectionSet(rootType, types, 1);
  if (!selection) return null;
  return { field: field.name, document: `subscription {\n  ${field.name}(from: LATEST) ${selection}\n}` };
}

/**
 * The selection set of an object type, indented for `depth`: every field without required
 * arguments whose type is a scalar or enum, and nested objects while there is depth left.
 * Empty string when nothing can be selected.
 */
export function selectionSet(typeName: string, types: ReadonlyMap<string, IntrospectedType>, depth: number): string {
  const type = types.get(typeName);
  if (!type?.fields) return '';
  const indent = '  '.repeat(depth + 1);
  const lines: string[] = [];
  for (const field of type.fields) {
    if (field.args.some((arg) => arg.type.kind === 'NON_NULL')) continue;
    const target = unwrap(field.type);
    if (target.kind === 'SCALAR' || target.kind === 'ENUM') {
      lines.push(`${indent}${field.name}`);
    } else if (target.kind === 'OBJECT' && target.name && depth < MAX_DEPTH) {
      const nested = selectionSet(target.name, types, depth + 1);
      if (nested) lines.push(`${indent}${field.name} ${nested}`);
    }
  }
  if (lines.length === 0) return '';
  return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
}

function unwrap(type: TypeRef): TypeRef {
  let current = type;
  while ((current.kind === 'NON_NULL' || current.kind === 'LIST') && current.ofType) current = current.ofType;
  return current;
}

function namedType(type: TypeRef): string | null {
  const named = unwrap(type);
  return named.kind === 'OBJECT' ? named.name : null;
}

function readSubscriptionFields(result: GraphQLResult): { name: string; description: string | null; type: TypeRef }[] {
  const schema = result.data?.__schema as
    { subscriptionType: { fields: { name: string; description: string | null; type: TypeRef }[] } | null } | undefined;
  return schema?.subscriptionType?.fields ?? [];
}
