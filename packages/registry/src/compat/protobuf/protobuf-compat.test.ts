import { describe, expect, it } from 'vitest';
import type { Incompatibility, ResolvedReference } from '../types';
import { compatibleProtobufChanges, protobufEngine, protobufRules, type ProtobufSchema } from './index';
import { scalarTypes } from './proto-model';

/**
 * Table-driven proof of the Protobuf compatibility rules. Every row names the rule it proves:
 * a rule id of `protobufRules` (the change must be reported, at the given path) or one of
 * Confluent's compatible difference types (`compatibleProtobufChanges`: the change must pass).
 * Rows read "data written with `writer` is read with `reader`", so a BACKWARD check of
 * old → new is `writer: old, reader: new`.
 */

/** Compatible changes Confluent has no difference type for (it reports nothing). */
type CompatibleChange =
  (typeof compatibleProtobufChanges)[number] | 'SCALAR_SAME_WIRE_GROUP' | 'SYNTAX_CHANGED' | 'NO_CHANGE';

interface Row {
  /** What the row proves. */
  rule: keyof typeof protobufRules | CompatibleChange;
  name: string;
  writer: string;
  reader: string;
  /** `[rule, path]` of every expected incompatibility, in order; empty = compatible. */
  expect: (readonly [keyof typeof protobufRules, string])[];
  writerReferences?: ResolvedReference[];
  readerReferences?: ResolvedReference[];
  /** A message to encode with the writer's type and decode with the reader's. */
  wire?: { type: string; value: Record<string, unknown>; read?: Record<string, unknown> };
}

function ref(name: string, schema: string, version = 1): ResolvedReference {
  return { name, subject: name.replace(/\.proto$/, ''), version, schemaType: 'PROTOBUF', schema };
}

const proto3 = (body: string, pkg = 'shop'): string => `syntax = "proto3";\npackage ${pkg};\n\n${body}\n`;
const proto2 = (body: string, pkg = 'shop'): string => `syntax = "proto2";\npackage ${pkg};\n\n${body}\n`;
/** A proto3 `shop.Order` with the given fields (and the helper types every row may use). */
const order3 = (fields: string, extra = ''): string =>
  proto3(
    `message Order {\n${fields}\n}\n\nmessage Money { int64 units = 1; string currency = 2; }\n\nenum Kind { KIND_UNSPECIFIED = 0; KIND_ONE = 1; }\n${extra}`,
  );
const order2 = (fields: string, extra = ''): string => proto2(`message Order {\n${fields}\n}\n${extra}`);

const cache = new Map<string, ProtobufSchema>();
function parse(text: string, references: readonly ResolvedReference[] = []): ProtobufSchema {
  const key = `${text}\u0000${JSON.stringify(references)}`;
  let schema = cache.get(key);
  if (!schema) {
    schema = protobufEngine.parse(text, references);
    cache.set(key, schema);
  }
  return schema;
}

function check(row: Row): Incompatibility[] {
  return protobufEngine.canRead(parse(row.reader, row.readerReferences), parse(row.writer, row.writerReferences));
}

// Plain values for comparing what was written with what was read: protobuf's wire-compatible
// types give the same number (bool as 0/1; 64-bit values are decoded as Numbers) or the same bytes.
function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, normalise(item)]),
    );
  }
  return value;
}

/** Encodes `value` with the writer's type and decodes it with the reader's. */
function roundTrip(
  writer: ProtobufSchema,
  reader: ProtobufSchema,
  typeName: string,
  value: Record<string, unknown>,
): unknown {
  const written = writer.root.lookupType(typeName);
  const error = written.verify(value);
  if (error) throw new Error(`wire value does not fit the writer: ${error}`);
  const bytes = written.encode(written.fromObject(value)).finish();
  const read = reader.root.lookupType(typeName);
  return normalise(read.toObject(read.decode(bytes), { longs: Number, enums: Number, oneofs: false }));
}

// ---------------------------------------------------------------------------------------------
// Generated rows: every scalar against every scalar, and singular/repeated for every scalar.
// ---------------------------------------------------------------------------------------------

const wireGroups: readonly (readonly string[])[] = [
  ['int32', 'int64', 'uint32', 'uint64', 'bool', 'enum'],
  ['sint32', 'sint64'],
  ['string', 'bytes'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['float'],
  ['double'],
];
const sameGroup = (a: string, b: string): boolean => wireGroups.some((group) => group.includes(a) && group.includes(b));
const typeText = (type: string): string => (type === 'enum' ? 'Kind' : type);

function sampleValue(type: string): unknown {
  if (type === 'bool') return true;
  if (type === 'string') return 'hi';
  if (type === 'bytes') return Buffer.from('hi');
  return 1;
}

const scalarsAndEnum: readonly string[] = [...scalarTypes, 'enum'];

const scalarMatrix: Row[] = scalarsAndEnum.flatMap((from) =>
  scalarsAndEnum
    .filter((to) => to !== from)
    .map((to): Row => {
      const compatible = sameGroup(from, to);
      return {
        rule: compatible ? 'SCALAR_SAME_WIRE_GROUP' : 'FIELD_SCALAR_KIND_CHANGED',
        name: `${from} → ${to}`,
        writer: order3(`  ${typeText(from)} value = 1;`),
        reader: order3(`  ${typeText(to)} value = 1;`),
        expect: compatible ? [] : [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.value#1']],
        ...(compatible ? { wire: { type: 'shop.Order', value: { value: sampleValue(from) } } } : {}),
      };
    }),
);

const labelTransitions: readonly (readonly [string, string])[] = [
  ['', 'repeated '],
  ['repeated ', ''],
  ['optional ', 'repeated '],
  ['repeated ', 'optional '],
];

const labelMatrix: Row[] = scalarsAndEnum.flatMap((type) =>
  labelTransitions.map(([from, to]): Row => {
    const stringLike = type === 'string' || type === 'bytes';
    const singularValue = sampleValue(type);
    return {
      rule: stringLike ? 'FIELD_STRING_OR_BYTES_LABEL_CHANGED' : 'FIELD_NUMERIC_LABEL_CHANGED',
      name: `${from || 'implicit '}${type} → ${to || 'implicit '}${type}`,
      writer: order3(`  ${from}${typeText(type)} value = 1;`),
      reader: order3(`  ${to}${typeText(type)} value = 1;`),
      expect: stringLike ? [] : [['FIELD_NUMERIC_LABEL_CHANGED', 'shop.Order.value#1']],
      ...(stringLike
        ? {
            wire: from.startsWith('repeated')
              ? // A singular reader keeps the last element.
                {
                  type: 'shop.Order',
                  value: { value: [sampleValue(type), type === 'string' ? 'last' : Buffer.from('last')] },
                  read: { value: 'last' },
                }
              : { type: 'shop.Order', value: { value: singularValue }, read: { value: ['hi'] } },
          }
        : {}),
    };
  }),
);

// ---------------------------------------------------------------------------------------------
// Hand-written rows, grouped by topic.
// ---------------------------------------------------------------------------------------------

const customerV1 =
  'syntax = "proto3";\npackage customers;\n\nmessage Customer {\n  string id = 1;\n  string email = 2;\n}\n';
const customerIdChanged =
  'syntax = "proto3";\npackage customers;\n\nmessage Customer {\n  int64 id = 1;\n  string email = 2;\n}\n';
const customerFieldAdded =
  'syntax = "proto3";\npackage customers;\n\nmessage Customer {\n  string id = 1;\n  string email = 2;\n  string phone = 3;\n}\n';
const customerOtherPackage =
  'syntax = "proto3";\npackage crm;\n\nmessage Customer {\n  string id = 1;\n  string email = 2;\n}\n';
const customerOtherPackageChanged =
  'syntax = "proto3";\npackage crm;\n\nmessage Customer {\n  bool id = 1;\n  string email = 2;\n}\n';
const customerNested =
  'syntax = "proto3";\npackage customers;\n\nmessage Customer {\n  string id = 1;\n  Address address = 2;\n  message Address { string city = 1; }\n}\n';
const customerNestedChanged =
  'syntax = "proto3";\npackage customers;\n\nmessage Customer {\n  string id = 1;\n  Address address = 2;\n  message Address { int32 city = 1; }\n}\n';
const customerNestedRemoved =
  'syntax = "proto3";\npackage customers;\n\nmessage Customer {\n  string id = 1;\n  Place address = 2;\n  message Place { string city = 1; }\n}\n';
const orderWithCustomer = (type = 'customers.Customer', file = 'customer.proto'): string =>
  proto3(`import "${file}";\n\nmessage Order {\n  string id = 1;\n  ${type} customer = 2;\n}`);

const fieldRows: Row[] = [
  {
    rule: 'FIELD_ADDED',
    name: 'a field is added',
    writer: order3('  string id = 1;'),
    reader: order3('  string id = 1;\n  int64 total = 2;'),
    expect: [],
    wire: { type: 'shop.Order', value: { id: 'o-1' } },
  },
  {
    rule: 'FIELD_REMOVED',
    name: 'a field is removed',
    writer: order3('  string id = 1;\n  int64 total = 2;'),
    reader: order3('  string id = 1;'),
    expect: [],
    wire: { type: 'shop.Order', value: { id: 'o-1', total: 5 }, read: { id: 'o-1' } },
  },
  {
    rule: 'FIELD_REMOVED',
    name: 'a field is removed and its number and name reserved',
    writer: order3('  string id = 1;\n  int64 total = 2;'),
    reader: order3('  reserved 2;\n  reserved "total";\n  string id = 1;'),
    expect: [],
  },
  {
    rule: 'FIELD_REMOVED',
    name: 'a message field is removed',
    writer: order3('  string id = 1;\n  Money total = 2;'),
    reader: order3('  string id = 1;'),
    expect: [],
  },
  {
    rule: 'FIELD_REMOVED',
    name: 'a map field is removed',
    writer: order3('  string id = 1;\n  map<string, string> labels = 2;'),
    reader: order3('  string id = 1;'),
    expect: [],
  },
  {
    rule: 'FIELD_NAME_CHANGED',
    name: 'a field is renamed',
    writer: order3('  string id = 1;\n  int64 total = 2;'),
    reader: order3('  string id = 1;\n  int64 amount = 2;'),
    expect: [],
    wire: { type: 'shop.Order', value: { id: 'o-1', total: 5 }, read: { id: 'o-1', amount: 5 } },
  },
  {
    rule: 'FIELD_NAME_CHANGED',
    name: 'a removed number is reused by a new name with a wire-compatible type (Confluent: a rename)',
    writer: order3('  string id = 1;\n  int32 count = 2;'),
    reader: order3('  string id = 1;\n  int64 quantity = 2;'),
    expect: [],
  },
  {
    rule: 'FIELD_REMOVED',
    name: 'a field moves to a new number under the same name (its old data is dropped)',
    writer: order3('  string id = 1;'),
    reader: order3('  string id = 2;'),
    expect: [],
  },
  {
    rule: 'FIELD_NUMBER_REUSED',
    name: 'two fields swap numbers',
    writer: order3('  int64 total = 1;\n  int64 tax = 2;'),
    reader: order3('  int64 tax = 1;\n  int64 total = 2;'),
    expect: [
      ['FIELD_NUMBER_REUSED', 'shop.Order.tax#1'],
      ['FIELD_NUMBER_REUSED', 'shop.Order.total#2'],
    ],
  },
  {
    rule: 'FIELD_NUMBER_REUSED',
    name: 'a field is renumbered onto the number of a removed field',
    writer: order3('  string note = 1;\n  string comment = 2;'),
    reader: order3('  string comment = 1;'),
    expect: [['FIELD_NUMBER_REUSED', 'shop.Order.comment#1']],
  },
  {
    rule: 'FIELD_NUMBER_REUSED',
    name: "a new field takes a number while the old field's name moves",
    writer: order3('  string email = 1;'),
    reader: order3('  string phone = 1;\n  string email = 2;'),
    expect: [['FIELD_NUMBER_REUSED', 'shop.Order.phone#1']],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a removed number is reused with another name and an incompatible type',
    writer: order3('  string id = 1;\n  string note = 3;'),
    reader: order3('  string id = 1;\n  int32 quantity = 3;'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.quantity#3']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'a removed number is reused with a message type',
    writer: order3('  string id = 1;\n  int64 total = 3;'),
    reader: order3('  string id = 1;\n  Money price = 3;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.price#3']],
  },
  {
    rule: 'FIELD_ADDED',
    name: 'a field is added in a number the writer reserved',
    writer: order3('  reserved 2;\n  string id = 1;'),
    reader: order3('  string id = 1;\n  int32 count = 2;'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'an implicit proto3 field gains explicit presence (optional)',
    writer: order3('  int32 count = 1;'),
    reader: order3('  optional int32 count = 1;'),
    expect: [],
    wire: { type: 'shop.Order', value: { count: 3 } },
  },
  {
    rule: 'NO_CHANGE',
    name: 'a proto3 optional field loses explicit presence',
    writer: order3('  optional int32 count = 1;'),
    reader: order3('  int32 count = 1;'),
    expect: [],
    wire: { type: 'shop.Order', value: { count: 3 } },
  },
  {
    rule: 'NO_CHANGE',
    name: 'field options (deprecated, json_name) change',
    writer: order3('  int32 count = 1;'),
    reader: order3('  int32 count = 1 [deprecated = true, json_name = "n"];'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'the same schema written differently',
    writer: order3('  string id = 1;\n  Money total = 2;'),
    reader: order3('  .shop.Money total = 2;\n  string id = 1; // reordered, qualified'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a repeated message becomes singular (the reader merges the elements)',
    writer: order3('  repeated Money totals = 1;'),
    reader: order3('  Money totals = 1;'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a singular message becomes repeated',
    writer: order3('  Money total = 1;'),
    reader: order3('  repeated Money total = 1;'),
    expect: [],
    wire: {
      type: 'shop.Order',
      value: { total: { units: 5, currency: 'EUR' } },
      read: { total: [{ units: 5, currency: 'EUR' }] },
    },
  },
];

const kindRows: Row[] = [
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'scalar → message',
    writer: order3('  int64 total = 1;'),
    reader: order3('  Money total = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.total#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'message → scalar',
    writer: order3('  Money total = 1;'),
    reader: order3('  int64 total = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.total#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'message → bytes (Confluent reports it though an encoded message is valid bytes)',
    writer: order3('  Money total = 1;'),
    reader: order3('  bytes total = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.total#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'string → message',
    writer: order3('  string total = 1;'),
    reader: order3('  Money total = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.total#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'enum → message',
    writer: order3('  Kind kind = 1;'),
    reader: order3('  Money kind = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.kind#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'message → enum',
    writer: order3('  Money kind = 1;'),
    reader: order3('  Kind kind = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.kind#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'scalar → map',
    writer: order3('  string labels = 1;'),
    reader: order3('  map<string, string> labels = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.labels#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'map → repeated scalar',
    writer: order3('  map<string, string> labels = 1;'),
    reader: order3('  repeated string labels = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.labels#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'map → message',
    writer: order3('  map<string, int64> totals = 1;'),
    reader: order3('  Money totals = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.totals#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'map → its repeated entry message (Confluent keeps map and message apart)',
    writer: order3('  map<string, int64> totals = 1;'),
    reader: order3('  repeated TotalsEntry totals = 1;\n  message TotalsEntry { string key = 1; int64 value = 2; }'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.totals#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'repeated entry message → map',
    writer: order3('  repeated TotalsEntry totals = 1;\n  message TotalsEntry { string key = 1; int64 value = 2; }'),
    reader: order3('  map<string, int64> totals = 1;\n  message TotalsEntry { string key = 1; int64 value = 2; }'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.totals#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'proto2 group → message (groups are delimited by tags, not lengths)',
    writer: order2('  optional group Extra = 1 { optional string note = 2; }'),
    reader: order2('  optional Extra extra = 1;\n  message Extra { optional string note = 2; }'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.extra#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'well-known Timestamp → int64 seconds',
    writer: proto3(
      'import "google/protobuf/timestamp.proto";\n\nmessage Order {\n  google.protobuf.Timestamp at = 1;\n}',
    ),
    reader: proto3('message Order {\n  int64 at = 1;\n}'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.at#1']],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'google.protobuf.StringValue wrapper → string',
    writer: proto3(
      'import "google/protobuf/wrappers.proto";\n\nmessage Order {\n  google.protobuf.StringValue note = 1;\n}',
    ),
    reader: proto3('message Order {\n  string note = 1;\n}'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.note#1']],
  },
];

const namedTypeRows: Row[] = [
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a field points at another message of the same shape',
    writer: order3('  Money total = 1;', 'message Price { int64 units = 1; string currency = 2; }'),
    reader: order3('  Price total = 1;', 'message Price { int64 units = 1; string currency = 2; }'),
    expect: [['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.total#1']],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a map value points at another message',
    writer: order3('  map<string, Money> totals = 1;', 'message Price { int64 units = 1; }'),
    reader: order3('  map<string, Price> totals = 1;', 'message Price { int64 units = 1; }'),
    expect: [['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.totals#1']],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'well-known Timestamp → Duration',
    writer: proto3(
      'import "google/protobuf/timestamp.proto";\n\nmessage Order {\n  google.protobuf.Timestamp at = 1;\n}',
    ),
    reader: proto3(
      'import "google/protobuf/duration.proto";\n\nmessage Order {\n  google.protobuf.Duration at = 1;\n}',
    ),
    expect: [['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.at#1']],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'wrapper Int32Value → Int64Value (different messages, though alike on the wire)',
    writer: proto3(
      'import "google/protobuf/wrappers.proto";\n\nmessage Order {\n  google.protobuf.Int32Value count = 1;\n}',
    ),
    reader: proto3(
      'import "google/protobuf/wrappers.proto";\n\nmessage Order {\n  google.protobuf.Int64Value count = 1;\n}',
    ),
    expect: [['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.count#1']],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a nested type referenced by simple, partly and fully qualified names',
    writer: order3('  Item item = 1;\n  message Item { string sku = 1; }'),
    reader: order3('  .shop.Order.Item item = 1;\n  message Item { string sku = 1; }'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a map value type written relative and qualified',
    writer: order3('  map<string, Item> items = 1;\n  message Item { string sku = 1; }'),
    reader: order3('  map<string, Order.Item> items = 1;\n  message Item { string sku = 1; }'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a well-known type, unchanged',
    writer: proto3(
      'import "google/protobuf/timestamp.proto";\n\nmessage Order {\n  google.protobuf.Timestamp at = 1;\n}',
    ),
    reader: proto3(
      'import "google/protobuf/timestamp.proto";\n\nmessage Order {\n  .google.protobuf.Timestamp at = 1;\n  string id = 2;\n}',
    ),
    expect: [],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'an incompatible change inside a message type the field uses',
    writer: order3('  Item item = 1;\n  message Item { string sku = 1; }'),
    reader: order3('  Item item = 1;\n  message Item { int64 sku = 1; }'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.Item.sku#1']],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a recursive message, unchanged',
    writer: proto3('message Node {\n  string name = 1;\n  repeated Node children = 2;\n}'),
    reader: proto3('message Node {\n  string name = 1;\n  repeated Node children = 2;\n  int32 depth = 3;\n}'),
    expect: [],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a recursive message with an incompatible change',
    writer: proto3('message Node {\n  string name = 1;\n  repeated Node children = 2;\n}'),
    reader: proto3('message Node {\n  int32 name = 1;\n  repeated Node children = 2;\n}'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Node.name#1']],
  },
  {
    rule: 'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
    name: 'a recursive message switches string → bytes and adds a field',
    writer: proto3('message Node {\n  string name = 1;\n  repeated Node children = 2;\n}'),
    reader: proto3('message Node {\n  bytes name = 1;\n  repeated Node children = 2;\n  double weight = 3;\n}'),
    expect: [],
    wire: { type: 'shop.Node', value: { name: 'root', children: [{ name: 'leaf' }] } },
  },
];

const referenceRows: Row[] = [
  {
    rule: 'NO_CHANGE',
    name: 'a referenced message gains a field',
    writer: orderWithCustomer(),
    reader: orderWithCustomer(),
    writerReferences: [ref('customer.proto', customerV1)],
    readerReferences: [ref('customer.proto', customerFieldAdded, 2)],
    expect: [],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a referenced message changes incompatibly (reported inside it and at the field)',
    writer: orderWithCustomer(),
    reader: orderWithCustomer(),
    writerReferences: [ref('customer.proto', customerV1)],
    readerReferences: [ref('customer.proto', customerIdChanged, 2)],
    expect: [
      ['FIELD_SCALAR_KIND_CHANGED', 'customers.Customer.id#1'],
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.customer#2'],
    ],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a referenced message moves to another package under the same name (Confluent compares local names)',
    writer: orderWithCustomer(),
    reader: orderWithCustomer('crm.Customer', 'crm.proto'),
    writerReferences: [ref('customer.proto', customerV1)],
    readerReferences: [ref('crm.proto', customerOtherPackage)],
    expect: [],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a referenced message moves to another package and changes',
    writer: orderWithCustomer(),
    reader: orderWithCustomer('crm.Customer', 'crm.proto'),
    writerReferences: [ref('customer.proto', customerV1)],
    readerReferences: [ref('crm.proto', customerOtherPackageChanged)],
    expect: [
      ['FIELD_SCALAR_KIND_CHANGED', 'crm.Customer.id#1'],
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.customer#2'],
    ],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a nested message of a referenced message changes incompatibly',
    writer: orderWithCustomer(),
    reader: orderWithCustomer(),
    writerReferences: [ref('customer.proto', customerNested)],
    readerReferences: [ref('customer.proto', customerNestedChanged, 2)],
    expect: [
      ['FIELD_SCALAR_KIND_CHANGED', 'customers.Customer.Address.city#1'],
      ['FIELD_NAMED_TYPE_CHANGED', 'customers.Customer.address#2'],
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.customer#2'],
    ],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'a nested message of a referenced message is renamed',
    writer: orderWithCustomer(),
    reader: orderWithCustomer(),
    writerReferences: [ref('customer.proto', customerNested)],
    readerReferences: [ref('customer.proto', customerNestedRemoved, 2)],
    expect: [
      ['FIELD_NAMED_TYPE_CHANGED', 'customers.Customer.address#2'],
      ['MESSAGE_REMOVED', 'customers.Customer.Address'],
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.customer#2'],
    ],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: "a message moves from the schema into an import (the writer's file no longer declares it)",
    writer: proto3(
      'message Order {\n  Customer customer = 1;\n}\n\nmessage Customer {\n  string id = 1;\n  string email = 2;\n}',
      'customers',
    ),
    reader: proto3('import "customer.proto";\n\nmessage Order {\n  Customer customer = 1;\n}', 'customers'),
    readerReferences: [ref('customer.proto', customerV1)],
    expect: [['MESSAGE_REMOVED', 'customers.Customer']],
  },
  {
    rule: 'MESSAGE_ADDED',
    name: 'a message moves from an import into the schema',
    writer: proto3('import "customer.proto";\n\nmessage Order {\n  Customer customer = 1;\n}', 'customers'),
    reader: proto3(
      'message Order {\n  Customer customer = 1;\n}\n\nmessage Customer {\n  string id = 1;\n  string email = 2;\n}',
      'customers',
    ),
    writerReferences: [ref('customer.proto', customerV1)],
    expect: [],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a recursive referenced message changes incompatibly',
    writer: proto3('import "tree.proto";\n\nmessage Order {\n  tree.Node root = 1;\n}'),
    reader: proto3('import "tree.proto";\n\nmessage Order {\n  tree.Node root = 1;\n}'),
    writerReferences: [
      ref(
        'tree.proto',
        'syntax = "proto3";\npackage tree;\nmessage Node { string name = 1; repeated Node children = 2; }\n',
      ),
    ],
    readerReferences: [
      ref(
        'tree.proto',
        'syntax = "proto3";\npackage tree;\nmessage Node { int32 name = 1; repeated Node children = 2; }\n',
        2,
      ),
    ],
    expect: [
      ['FIELD_SCALAR_KIND_CHANGED', 'tree.Node.name#1'],
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.root#1'],
    ],
  },
  {
    rule: 'FIELD_NAMED_TYPE_CHANGED',
    name: 'a field switches to a referenced message of another name',
    writer: orderWithCustomer(),
    reader: proto3(
      'import "customer.proto";\n\nmessage Order {\n  string id = 1;\n  customers.Client customer = 2;\n}',
    ),
    writerReferences: [ref('customer.proto', customerV1)],
    readerReferences: [
      ref('customer.proto', 'syntax = "proto3";\npackage customers;\nmessage Client { string id = 1; }\n', 2),
    ],
    expect: [['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.customer#2']],
  },
];

const requiredRows: Row[] = [
  {
    rule: 'REQUIRED_FIELD_ADDED',
    name: 'a required field is added',
    writer: order2('  optional string id = 1;'),
    reader: order2('  optional string id = 1;\n  required int64 total = 2;'),
    expect: [['REQUIRED_FIELD_ADDED', 'shop.Order.total#2']],
  },
  {
    rule: 'REQUIRED_FIELD_ADDED',
    name: 'an optional field becomes required',
    writer: order2('  optional string id = 1;'),
    reader: order2('  required string id = 1;'),
    expect: [['REQUIRED_FIELD_ADDED', 'shop.Order.id#1']],
  },
  {
    rule: 'REQUIRED_FIELD_ADDED',
    name: 'a repeated string becomes required',
    writer: order2('  repeated string id = 1;'),
    reader: order2('  required string id = 1;'),
    expect: [['REQUIRED_FIELD_ADDED', 'shop.Order.id#1']],
  },
  {
    rule: 'REQUIRED_FIELD_ADDED',
    name: 'a required field is added inside a nested message',
    writer: order2('  optional Item item = 1;\n  message Item { optional string sku = 1; }'),
    reader: order2('  optional Item item = 1;\n  message Item { optional string sku = 1; required int32 qty = 2; }'),
    expect: [['REQUIRED_FIELD_ADDED', 'shop.Order.Item.qty#2']],
  },
  {
    rule: 'REQUIRED_FIELD_REMOVED',
    name: 'a required field is removed',
    writer: order2('  required string id = 1;\n  optional int64 total = 2;'),
    reader: order2('  optional int64 total = 2;'),
    expect: [['REQUIRED_FIELD_REMOVED', 'shop.Order.id#1']],
  },
  {
    rule: 'REQUIRED_FIELD_REMOVED',
    name: 'a required field becomes optional',
    writer: order2('  required string id = 1;'),
    reader: order2('  optional string id = 1;'),
    expect: [['REQUIRED_FIELD_REMOVED', 'shop.Order.id#1']],
  },
  {
    rule: 'REQUIRED_FIELD_REMOVED',
    name: 'a required number becomes repeated (two reasons at one field)',
    writer: order2('  required int32 count = 1;'),
    reader: order2('  repeated int32 count = 1;'),
    expect: [
      ['REQUIRED_FIELD_REMOVED', 'shop.Order.count#1'],
      ['FIELD_NUMERIC_LABEL_CHANGED', 'shop.Order.count#1'],
    ],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a required field stays required and is renamed',
    writer: order2('  required string id = 1;'),
    reader: order2('  required string order_id = 1;'),
    expect: [],
    wire: { type: 'shop.Order', value: { id: 'o-1' }, read: { order_id: 'o-1' } },
  },
  {
    rule: 'FIELD_ADDED',
    name: 'an optional proto2 field with a default is added',
    writer: order2('  required string id = 1;'),
    reader: order2('  required string id = 1;\n  optional int32 count = 2 [default = 1];'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a proto2 default value changes (defaults never travel on the wire)',
    writer: order2('  optional int32 count = 1 [default = 1];'),
    reader: order2('  optional int32 count = 1 [default = 2];'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'proto2 unpacked and packed repeated numbers (every parser accepts both)',
    writer: order2('  repeated int32 ids = 1;'),
    reader: order2('  repeated int32 ids = 1 [packed = true];'),
    expect: [],
    wire: { type: 'shop.Order', value: { ids: [1, 2, 3] } },
  },
];

const oneofRows: Row[] = [
  {
    rule: 'ONEOF_ADDED',
    name: 'one existing field moves into a new oneof',
    writer: order3('  string id = 1;\n  string card = 2;'),
    reader: order3('  string id = 1;\n  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    expect: [],
    wire: { type: 'shop.Order', value: { id: 'o-1', card: '4111' } },
  },
  {
    rule: 'ONEOF_ADDED',
    name: 'a proto3 optional field moves into a new oneof',
    writer: order3('  optional string card = 2;'),
    reader: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    expect: [],
  },
  {
    rule: 'ONEOF_ADDED',
    name: 'a new oneof with new fields only',
    writer: order3('  string id = 1;'),
    reader: order3('  string id = 1;\n  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    expect: [],
  },
  {
    rule: 'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
    name: 'two existing fields move into a new oneof',
    writer: order3('  string id = 1;\n  string card = 2;\n  string iban = 3;'),
    reader: order3('  string id = 1;\n  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    expect: [['MULTIPLE_FIELDS_MOVED_TO_ONEOF', 'shop.Order.payment']],
  },
  {
    rule: 'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
    name: 'two proto3 optional fields move into one oneof',
    writer: order3('  optional string card = 2;\n  optional string iban = 3;'),
    reader: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    expect: [['MULTIPLE_FIELDS_MOVED_TO_ONEOF', 'shop.Order.payment']],
  },
  {
    rule: 'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
    name: 'three fields move into a oneof with a new member',
    writer: order3('  string a = 1;\n  string b = 2;\n  string c = 3;'),
    reader: order3('  oneof choice {\n    string a = 1;\n    string b = 2;\n    string c = 3;\n    string d = 4;\n  }'),
    expect: [['MULTIPLE_FIELDS_MOVED_TO_ONEOF', 'shop.Order.choice']],
  },
  {
    rule: 'FIELD_MOVED_TO_EXISTING_ONEOF',
    name: 'a field moves into a oneof that already had members',
    writer: order3('  string wallet = 4;\n  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n    string wallet = 4;\n  }'),
    expect: [['FIELD_MOVED_TO_EXISTING_ONEOF', 'shop.Order.payment']],
  },
  {
    rule: 'ONEOF_FIELD_ADDED',
    name: 'a new field joins an existing oneof',
    writer: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n    string wallet = 4;\n  }'),
    expect: [],
    wire: { type: 'shop.Order', value: { iban: 'DE00' } },
  },
  {
    rule: 'ONEOF_FIELD_REMOVED',
    name: 'a member is removed from a oneof',
    writer: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  oneof payment {\n    string card = 2;\n  }'),
    expect: [['ONEOF_FIELD_REMOVED', 'shop.Order.iban#3']],
  },
  {
    rule: 'ONEOF_FIELD_REMOVED',
    name: 'a member moves out of a oneof that stays',
    writer: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  string iban = 3;\n  oneof payment {\n    string card = 2;\n  }'),
    expect: [['ONEOF_FIELD_REMOVED', 'shop.Order.iban#3']],
  },
  {
    rule: 'ONEOF_FIELD_REMOVED',
    name: 'a member moves to another existing oneof',
    writer: order3(
      '  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }\n  oneof contact {\n    string email = 5;\n  }',
    ),
    reader: order3(
      '  oneof payment {\n    string card = 2;\n  }\n  oneof contact {\n    string email = 5;\n    string iban = 3;\n  }',
    ),
    expect: [['ONEOF_FIELD_REMOVED', 'shop.Order.iban#3']],
  },
  {
    rule: 'ONEOF_REMOVED',
    name: 'a oneof is dissolved into separate fields',
    writer: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  string card = 2;\n  string iban = 3;'),
    expect: [],
    wire: { type: 'shop.Order', value: { card: '4111' } },
  },
  {
    rule: 'ONEOF_REMOVED',
    name: 'a oneof is removed with its fields',
    writer: order3('  string id = 1;\n  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  string id = 1;'),
    expect: [],
  },
  {
    rule: 'ONEOF_REMOVED',
    name: 'a oneof is renamed (removed and added)',
    writer: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  oneof method {\n    string card = 2;\n    string iban = 3;\n  }'),
    expect: [],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a oneof member changes type',
    writer: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    reader: order3('  oneof payment {\n    int64 card = 2;\n    string iban = 3;\n  }'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.card#2']],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a field changes type while its oneof is dissolved (Confluent does not compare it)',
    writer: order3('  oneof payment {\n    string card = 2;\n  }'),
    reader: order3('  int64 card = 2;'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.card#2']],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a field changes type while moving into a oneof',
    writer: order3('  string card = 2;'),
    reader: order3('  oneof payment {\n    bool card = 2;\n  }'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.card#2']],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a proto3 optional field stays optional (its synthetic oneof is not a oneof)',
    writer: order3('  optional string card = 2;'),
    reader: order3('  optional string card = 2;\n  optional string iban = 3;'),
    expect: [],
  },
];

const messageRows: Row[] = [
  {
    rule: 'MESSAGE_ADDED',
    name: 'a top-level message is added after the first',
    writer: proto3('message Order {\n  string id = 1;\n}'),
    reader: proto3('message Order {\n  string id = 1;\n}\n\nmessage Refund {\n  string id = 1;\n}'),
    expect: [],
  },
  {
    rule: 'MESSAGE_ADDED',
    name: 'a nested message is added',
    writer: proto3('message Order {\n  string id = 1;\n}'),
    reader: proto3('message Order {\n  string id = 1;\n  message Note { string text = 1; }\n}'),
    expect: [],
  },
  {
    rule: 'MESSAGE_MOVED',
    name: 'top-level messages are reordered',
    writer: proto3('message Order {\n  string id = 1;\n}\n\nmessage Refund {\n  string id = 1;\n}'),
    reader: proto3('message Refund {\n  string id = 1;\n}\n\nmessage Order {\n  string id = 1;\n}'),
    expect: [],
  },
  {
    rule: 'MESSAGE_MOVED',
    name: 'a new message is inserted before the first one',
    writer: proto3('message Order {\n  string id = 1;\n}'),
    reader: proto3('message Header {\n  string trace = 1;\n}\n\nmessage Order {\n  string id = 1;\n}'),
    expect: [],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'a top-level message is removed',
    writer: proto3('message Order {\n  string id = 1;\n}\n\nmessage Refund {\n  string id = 1;\n}'),
    reader: proto3('message Order {\n  string id = 1;\n}'),
    expect: [['MESSAGE_REMOVED', 'shop.Refund']],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'the first (event) message is renamed',
    writer: proto3('message Order {\n  string id = 1;\n  int64 total = 2;\n}'),
    reader: proto3('message PurchaseOrder {\n  string id = 1;\n  int64 total = 2;\n}'),
    expect: [['MESSAGE_REMOVED', 'shop.Order']],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'an unused nested message is removed',
    writer: proto3('message Order {\n  string id = 1;\n  message Note { string text = 1; }\n}'),
    reader: proto3('message Order {\n  string id = 1;\n}'),
    expect: [['MESSAGE_REMOVED', 'shop.Order.Note']],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'a nested message used by a field is renamed',
    writer: proto3('message Order {\n  repeated Item items = 1;\n  message Item { string sku = 1; }\n}'),
    reader: proto3('message Order {\n  repeated LineItem items = 1;\n  message LineItem { string sku = 1; }\n}'),
    expect: [
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.items#1'],
      ['MESSAGE_REMOVED', 'shop.Order.Item'],
    ],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'a nested message moves to the top level',
    writer: proto3('message Order {\n  repeated Item items = 1;\n  message Item { string sku = 1; }\n}'),
    reader: proto3('message Order {\n  repeated Item items = 1;\n}\n\nmessage Item {\n  string sku = 1;\n}'),
    expect: [
      ['FIELD_NAMED_TYPE_CHANGED', 'shop.Order.items#1'],
      ['MESSAGE_REMOVED', 'shop.Order.Item'],
    ],
  },
  {
    rule: 'MESSAGE_REMOVED',
    name: 'a deeply nested message is removed',
    writer: proto3('message A {\n  message B {\n    message C { int32 v = 1; }\n  }\n}'),
    reader: proto3('message A {\n  message B {}\n}'),
    expect: [['MESSAGE_REMOVED', 'shop.A.B.C']],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a field of a deeply nested message changes type',
    writer: proto3('message A {\n  message B {\n    message C { int32 v = 1; }\n  }\n}'),
    reader: proto3('message A {\n  message B {\n    message C { float v = 1; }\n  }\n}'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.A.B.C.v#1']],
  },
  {
    rule: 'PACKAGE_CHANGED',
    name: 'the package changes',
    writer: proto3('message Order {\n  string id = 1;\n}', 'shop'),
    reader: proto3('message Order {\n  string id = 1;\n}', 'shop.v2'),
    expect: [['PACKAGE_CHANGED', '.']],
  },
  {
    rule: 'PACKAGE_CHANGED',
    name: 'a package is added',
    writer: 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n}\n',
    reader: proto3('message Order {\n  string id = 1;\n}'),
    expect: [['PACKAGE_CHANGED', '.']],
  },
  {
    rule: 'PACKAGE_CHANGED',
    name: 'the package is dropped',
    writer: proto3('message Order {\n  string id = 1;\n}'),
    reader: 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n}\n',
    expect: [['PACKAGE_CHANGED', '.']],
  },
  {
    rule: 'PACKAGE_CHANGED',
    name: 'the package changes and a self-referencing field follows it (only the package is reported)',
    writer: proto3('message Order {\n  shop.Order.Item item = 1;\n  message Item { string sku = 1; }\n}', 'shop'),
    reader: proto3('message Order {\n  shop2.Order.Item item = 1;\n  message Item { string sku = 1; }\n}', 'shop2'),
    expect: [['PACKAGE_CHANGED', '.']],
  },
  {
    rule: 'SYNTAX_CHANGED',
    name: 'proto2 → proto3 with the same fields (the wire format is the same)',
    writer: proto2('message Order {\n  optional string id = 1;\n  repeated int32 ids = 2;\n}'),
    reader: proto3('message Order {\n  string id = 1;\n  repeated int32 ids = 2;\n}'),
    expect: [],
    wire: { type: 'shop.Order', value: { id: 'o-1', ids: [1, 2] } },
  },
  {
    rule: 'SYNTAX_CHANGED',
    name: 'proto3 → proto2',
    writer: proto3('message Order {\n  string id = 1;\n}'),
    reader: proto2('message Order {\n  optional string id = 1;\n}'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'options, services and comments change',
    writer: proto3(
      'option java_package = "a";\n\nmessage Order {\n  string id = 1;\n}\n\nservice S {\n  rpc Get(Order) returns (Order);\n}',
    ),
    reader: proto3(
      'option java_package = "b"; // moved\n\nmessage Order {\n  option deprecated = true;\n  string id = 1;\n}',
    ),
    expect: [],
  },
];

const enumRows: Row[] = [
  {
    rule: 'ENUM_ADDED',
    name: 'an enum is added',
    writer: proto3('message Order {\n  string id = 1;\n}'),
    reader: proto3('message Order {\n  string id = 1;\n}\n\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n}'),
    expect: [],
  },
  {
    rule: 'ENUM_REMOVED',
    name: 'an unused enum is removed',
    writer: proto3('message Order {\n  string id = 1;\n}\n\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n}'),
    reader: proto3('message Order {\n  string id = 1;\n}'),
    expect: [],
  },
  {
    rule: 'ENUM_REMOVED',
    name: 'an enum field becomes int32 and the enum is removed',
    writer: proto3(
      'message Order {\n  Status status = 1;\n}\n\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}',
    ),
    reader: proto3('message Order {\n  int32 status = 1;\n}'),
    expect: [],
    wire: { type: 'shop.Order', value: { status: 1 } },
  },
  {
    rule: 'ENUM_ADDED',
    name: 'an int32 field becomes an enum',
    writer: proto3('message Order {\n  int32 status = 1;\n}'),
    reader: proto3(
      'message Order {\n  Status status = 1;\n}\n\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}',
    ),
    expect: [],
    wire: { type: 'shop.Order', value: { status: 1 } },
  },
  {
    rule: 'ENUM_CONST_ADDED',
    name: 'an enum constant is added',
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n}\n\nmessage Order {\n  Status status = 1;\n}'),
    reader: proto3(
      'enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}\n\nmessage Order {\n  Status status = 1;\n}',
    ),
    expect: [],
  },
  {
    rule: 'ENUM_CONST_REMOVED',
    name: 'an enum constant is removed (proto3 keeps unknown numbers)',
    writer: proto3(
      'enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}\n\nmessage Order {\n  Status status = 1;\n}',
    ),
    reader: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n}\n\nmessage Order {\n  Status status = 1;\n}'),
    expect: [],
    wire: { type: 'shop.Order', value: { status: 1 } },
  },
  {
    rule: 'ENUM_CONST_REMOVED',
    name: 'an enum constant is removed and reserved',
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}'),
    reader: proto3('enum Status {\n  reserved 1;\n  reserved "STATUS_OPEN";\n  STATUS_UNSPECIFIED = 0;\n}'),
    expect: [],
  },
  {
    rule: 'ENUM_CONST_CHANGED',
    name: 'an enum constant is renamed',
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  OPEN = 1;\n}'),
    reader: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}'),
    expect: [],
  },
  {
    rule: 'ENUM_CONST_CHANGED',
    name: 'an enum constant gets an alias',
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  OPEN = 1;\n}'),
    reader: proto3(
      'enum Status {\n  option allow_alias = true;\n  STATUS_UNSPECIFIED = 0;\n  OPEN = 1;\n  STATUS_OPEN = 1;\n}',
    ),
    expect: [],
  },
  {
    rule: 'ENUM_CONST_CHANGED',
    name: 'an enum constant moves to an unused number',
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}'),
    reader: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 7;\n}'),
    expect: [],
  },
  {
    rule: 'ENUM_CONST_NUMBER_REUSED',
    name: 'two enum constants swap numbers',
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n  STATUS_CLOSED = 2;\n}'),
    reader: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_CLOSED = 1;\n  STATUS_OPEN = 2;\n}'),
    expect: [
      ['ENUM_CONST_NUMBER_REUSED', 'shop.Status.STATUS_CLOSED'],
      ['ENUM_CONST_NUMBER_REUSED', 'shop.Status.STATUS_OPEN'],
    ],
  },
  {
    rule: 'ENUM_CONST_NUMBER_REUSED',
    name: "a constant moves onto a removed constant's number",
    writer: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n  STATUS_CLOSED = 2;\n}'),
    reader: proto3('enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_CLOSED = 1;\n}'),
    expect: [['ENUM_CONST_NUMBER_REUSED', 'shop.Status.STATUS_CLOSED']],
  },
  {
    rule: 'ENUM_CONST_NUMBER_REUSED',
    name: 'nested enum constants swap numbers',
    writer: proto3('message Order {\n  enum Kind { KIND_UNSPECIFIED = 0; A = 1; B = 2; }\n}'),
    reader: proto3('message Order {\n  enum Kind { KIND_UNSPECIFIED = 0; B = 1; A = 2; }\n}'),
    expect: [
      ['ENUM_CONST_NUMBER_REUSED', 'shop.Order.Kind.B'],
      ['ENUM_CONST_NUMBER_REUSED', 'shop.Order.Kind.A'],
    ],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a field switches from one enum type to another (both varints)',
    writer: proto3('message Order {\n  Status status = 1;\n}\n\nenum Status { S0 = 0; }\n\nenum State { T0 = 0; }'),
    reader: proto3('message Order {\n  State status = 1;\n}\n\nenum Status { S0 = 0; }\n\nenum State { T0 = 0; }'),
    expect: [],
  },
  {
    rule: 'ENUM_REMOVED',
    name: 'a nested enum is removed',
    writer: proto3('message Order {\n  string id = 1;\n  enum Kind { KIND_UNSPECIFIED = 0; }\n}'),
    reader: proto3('message Order {\n  string id = 1;\n}'),
    expect: [],
  },
];

const mapRows: Row[] = [
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a map value changes to an incompatible scalar',
    writer: order3('  map<string, int32> counts = 1;'),
    reader: order3('  map<string, string> counts = 1;'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.counts#1']],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a map key changes to an incompatible scalar',
    writer: order3('  map<string, int32> counts = 1;'),
    reader: order3('  map<int32, int32> counts = 1;'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.counts#1']],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'map key and value both change (one issue each)',
    writer: order3('  map<string, int32> counts = 1;'),
    reader: order3('  map<sint32, double> counts = 1;'),
    expect: [
      ['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.counts#1'],
      ['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.counts#1'],
    ],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a map value widens int32 → int64',
    writer: order3('  map<string, int32> counts = 1;'),
    reader: order3('  map<string, int64> counts = 1;'),
    expect: [],
    wire: { type: 'shop.Order', value: { counts: { a: 1, b: 2 } } },
  },
  {
    rule: 'NO_CHANGE',
    name: 'a map key widens int32 → int64',
    writer: order3('  map<int32, string> names = 1;'),
    reader: order3('  map<int64, string> names = 1;'),
    expect: [],
  },
  {
    rule: 'NO_CHANGE',
    name: 'a map value switches between string and bytes',
    writer: order3('  map<string, string> labels = 1;'),
    reader: order3('  map<string, bytes> labels = 1;'),
    expect: [],
    wire: { type: 'shop.Order', value: { labels: { a: 'x' } } },
  },
  {
    rule: 'NO_CHANGE',
    name: 'a map value switches from int32 to an enum',
    writer: order3('  map<string, int32> kinds = 1;'),
    reader: order3('  map<string, Kind> kinds = 1;'),
    expect: [],
  },
  {
    rule: 'FIELD_KIND_CHANGED',
    name: 'a map value changes from scalar to message',
    writer: order3('  map<string, int64> totals = 1;'),
    reader: order3('  map<string, Money> totals = 1;'),
    expect: [['FIELD_KIND_CHANGED', 'shop.Order.totals#1']],
  },
  {
    rule: 'FIELD_NAME_CHANGED',
    name: 'a map field is renamed',
    writer: order3('  map<string, Money> totals = 1;'),
    reader: order3('  map<string, Money> amounts = 1;'),
    expect: [],
  },
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'a field of a map value message changes type',
    writer: order3('  map<string, Item> items = 1;\n  message Item { int32 qty = 1; }'),
    reader: order3('  map<string, Item> items = 1;\n  message Item { string qty = 1; }'),
    expect: [['FIELD_SCALAR_KIND_CHANGED', 'shop.Order.Item.qty#1']],
  },
];

// Several changes at once: one row pins the order of the whole report.
const combinedRows: Row[] = [
  {
    rule: 'FIELD_SCALAR_KIND_CHANGED',
    name: 'many changes at once, reported in a stable order',
    writer: proto2(`message Order {
  required string id = 1;
  optional int32 count = 2;
  optional string note = 3;
  optional string card = 4;
  optional string iban = 5;
  optional Item item = 6;
  message Item { optional string sku = 1; }
  message Unused { optional int32 x = 1; }
}

message Refund {
  optional string id = 1;
}

enum Status {
  OPEN = 1;
  CLOSED = 2;
}`),
    reader: proto2(
      `message Order {
  optional string id = 1;
  repeated int32 count = 2;
  optional int64 quantity = 3;
  oneof payment {
    string card = 4;
    string iban = 5;
  }
  optional Item item = 6;
  required string currency = 7;
  message Item { optional bool sku = 1; }
}

enum Status {
  CLOSED = 1;
  OPEN = 2;
}`,
      'shop.v2',
    ),
    expect: [
      ['PACKAGE_CHANGED', '.'],
      ['REQUIRED_FIELD_REMOVED', 'shop.v2.Order.id#1'],
      ['FIELD_NUMERIC_LABEL_CHANGED', 'shop.v2.Order.count#2'],
      ['FIELD_SCALAR_KIND_CHANGED', 'shop.v2.Order.quantity#3'],
      ['REQUIRED_FIELD_ADDED', 'shop.v2.Order.currency#7'],
      ['MULTIPLE_FIELDS_MOVED_TO_ONEOF', 'shop.v2.Order.payment'],
      ['FIELD_SCALAR_KIND_CHANGED', 'shop.v2.Order.Item.sku#1'],
      ['MESSAGE_REMOVED', 'shop.Order.Unused'],
      ['MESSAGE_REMOVED', 'shop.Refund'],
      ['ENUM_CONST_NUMBER_REUSED', 'shop.v2.Status.CLOSED'],
      ['ENUM_CONST_NUMBER_REUSED', 'shop.v2.Status.OPEN'],
    ],
  },
];

const handRows: Row[] = [
  ...fieldRows,
  ...kindRows,
  ...namedTypeRows,
  ...referenceRows,
  ...requiredRows,
  ...oneofRows,
  ...messageRows,
  ...enumRows,
  ...mapRows,
  ...combinedRows,
];
const allRows: Row[] = [...scalarMatrix, ...labelMatrix, ...handRows];

function title(row: Row): string {
  const verdict = row.expect.length === 0 ? 'compatible' : row.expect.map(([rule]) => rule).join(' + ');
  return `[${row.rule}] ${row.name} → ${verdict}`;
}

describe('protobuf compatibility: scalar type matrix', () => {
  it.each(scalarMatrix.map((row) => [title(row), row] as const))('%s', (_title, row) => {
    expect(check(row).map((issue) => [issue.rule, issue.path])).toEqual(row.expect);
  });
});

describe('protobuf compatibility: singular ↔ repeated matrix', () => {
  it.each(labelMatrix.map((row) => [title(row), row] as const))('%s', (_title, row) => {
    expect(check(row).map((issue) => [issue.rule, issue.path])).toEqual(row.expect);
  });
});

describe('protobuf compatibility: rules', () => {
  it.each(handRows.map((row) => [title(row), row] as const))('%s', (_title, row) => {
    expect(check(row).map((issue) => [issue.rule, issue.path])).toEqual(row.expect);
  });
});

describe('protobuf compatibility: every incompatibility explains itself', () => {
  const incompatible = allRows.filter((row) => row.expect.length > 0);
  it.each(incompatible.map((row) => [title(row), row] as const))('%s', (_title, row) => {
    for (const issue of check(row)) {
      expect(Object.keys(protobufRules)).toContain(issue.rule);
      expect(issue.path).not.toBe('');
      expect(issue.message.length).toBeGreaterThan(20);
      expect(issue.fix.length).toBeGreaterThan(20);
      expect(issue.old !== undefined || issue.new !== undefined).toBe(true);
    }
  });
});

describe('protobuf compatibility: compatible rows hold on the wire', () => {
  const wired = allRows.filter((row) => row.wire !== undefined && row.expect.length === 0);
  it.each(wired.map((row) => [title(row), row] as const))('%s', (_title, row) => {
    const wire = row.wire!;
    const read = roundTrip(
      parse(row.writer, row.writerReferences),
      parse(row.reader, row.readerReferences),
      wire.type,
      wire.value,
    );
    expect(read).toEqual(normalise(wire.read ?? wire.value));
  });
});

describe('protobuf compatibility: properties of the check', () => {
  it('covers every rule and every compatible change with at least one row', () => {
    const proved = new Set(allRows.map((row) => row.rule));
    for (const rule of [...Object.keys(protobufRules), ...compatibleProtobufChanges]) {
      expect(proved, rule).toContain(rule);
    }
  });

  it.each(allRows.map((row) => [title(row), row] as const))('every schema reads itself: %s', (_title, row) => {
    expect(
      protobufEngine.canRead(parse(row.writer, row.writerReferences), parse(row.writer, row.writerReferences)),
    ).toEqual([]);
    expect(
      protobufEngine.canRead(parse(row.reader, row.readerReferences), parse(row.reader, row.readerReferences)),
    ).toEqual([]);
  });

  it('is deterministic: the same answer from fresh parses', () => {
    for (const row of handRows) {
      const fresh = protobufEngine.canRead(
        protobufEngine.parse(row.reader, row.readerReferences ?? []),
        protobufEngine.parse(row.writer, row.writerReferences ?? []),
      );
      expect(fresh).toEqual(check(row));
    }
  });

  it('never throws across every pair of schemas in the table', () => {
    const schemas = handRows
      .slice(0, 40)
      .flatMap((row) => [parse(row.writer, row.writerReferences), parse(row.reader, row.readerReferences)]);
    for (const reader of schemas) {
      for (const writer of schemas) expect(() => protobufEngine.canRead(reader, writer)).not.toThrow();
    }
  });

  it('accepts a ParsedSchema copy that did not come from the engine (re-parsed from its text)', () => {
    const writer = parse(order3('  string id = 1;'));
    const reader = parse(order3('  int64 id = 1;'));
    const copy = { schemaType: reader.schemaType, text: reader.text, canonical: reader.canonical };
    expect(protobufEngine.canRead(copy as ProtobufSchema, writer).map((issue) => issue.rule)).toEqual([
      'FIELD_SCALAR_KIND_CHANGED',
    ]);
  });
});

describe('protobuf compatibility: the wording of fixes', () => {
  const first = (row: Pick<Row, 'writer' | 'reader'>): Incompatibility => {
    const [issue] = protobufEngine.canRead(parse(row.reader), parse(row.writer));
    if (!issue) throw new Error('expected an incompatibility');
    return issue;
  };

  it('suggests reserving a reused number', () => {
    const issue = first({ writer: order3('  string note = 3;'), reader: order3('  int32 quantity = 3;') });
    expect(issue.fix).toContain('reserved 3;');
    expect(issue.fix).toContain('reserved "note";');
    expect(issue.message).toContain("'note' in the writer's schema, 'quantity' in the reader's");
    expect(issue.old).toBe('string note = 3');
    expect(issue.new).toBe('int32 quantity = 3');
  });

  it('names the wire-compatible alternatives of a scalar', () => {
    const issue = first({ writer: order3('  int32 count = 1;'), reader: order3('  string count = 1;') });
    expect(issue.fix).toContain('int64/uint32/uint64/bool or an enum');
    expect(issue.fix).toContain('reserve number 1');
  });

  it('asks to keep the package', () => {
    const issue = first({ writer: proto3('message A {}', 'shop'), reader: proto3('message A {}', 'shop.v2') });
    expect(issue.fix).toContain("Keep the package 'shop'");
    expect(issue).toMatchObject({ old: 'shop', new: 'shop.v2' });
  });

  it('recognises a renamed message', () => {
    const issue = first({
      writer: proto3('message Order {\n  string id = 1;\n}'),
      reader: proto3('message PurchaseOrder {\n  string id = 1;\n}'),
    });
    expect(issue.fix).toContain("Keep the name 'Order': it looks renamed to 'PurchaseOrder'");
    expect(issue).toMatchObject({ old: 'shop.Order', new: 'shop.PurchaseOrder' });
  });

  it('lists the fields moved into a oneof', () => {
    const issue = first({
      writer: order3('  string card = 2;\n  string iban = 3;'),
      reader: order3('  oneof payment {\n    string card = 2;\n    string iban = 3;\n  }'),
    });
    expect(issue.message).toContain("'card' (#2), 'iban' (#3)");
    expect(issue.old).toEqual(['string card = 2', 'string iban = 3']);
    expect(issue.new).toEqual(['string card = 2 (in oneof payment)', 'string iban = 3 (in oneof payment)']);
  });

  it('explains swapped field numbers', () => {
    const issue = first({
      writer: order3('  int64 total = 1;\n  int64 tax = 2;'),
      reader: order3('  int64 tax = 1;\n  int64 total = 2;'),
    });
    expect(issue.message).toContain("values written as 'total' would be read as 'tax'");
    expect(issue.fix).toContain("keep 'total' at number 1");
  });

  it('proves the swap on the wire: the reader sees the tax as the total', () => {
    const writer = parse(order3('  int64 total = 1;\n  int64 tax = 2;'));
    const reader = parse(order3('  int64 tax = 1;\n  int64 total = 2;'));
    expect(roundTrip(writer, reader, 'shop.Order', { total: 100, tax: 19 })).toEqual({ tax: 100, total: 19 });
  });
});
