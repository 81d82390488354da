import { describe, expect, it } from 'vitest';
import { MeshgateError } from '@meshgate/core';
import type { ResolvedReference } from '../types';
import { ProtobufSchema, protobufEngine } from './index';

function ref(
  name: string,
  schema: string,
  schemaType: ResolvedReference['schemaType'] = 'PROTOBUF',
): ResolvedReference {
  return { name, subject: name.replace(/\.proto$/, ''), version: 1, schemaType, schema };
}

function parse(text: string, references: readonly ResolvedReference[] = []): ProtobufSchema {
  return protobufEngine.parse(text, references);
}

/** The MeshgateError a parse throws (fails the test when it does not throw one). */
function parseError(text: string, references: readonly ResolvedReference[] = []): MeshgateError {
  try {
    parse(text, references);
  } catch (error) {
    if (error instanceof MeshgateError) return error;
    throw new Error(`expected a MeshgateError, got ${String(error)}`);
  }
  throw new Error('expected the schema to be rejected');
}

const customer = `syntax = "proto3";
package customers;
message Customer {
  string id = 1;
  string email = 2;
}
`;

describe('protobuf parse: accepted schemas', () => {
  it('parses proto3 and exposes text, canonical and the resolved root', () => {
    const text = 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; int64 total = 2; }\n';
    const schema = parse(text);
    expect(schema).toBeInstanceOf(ProtobufSchema);
    expect(schema.schemaType).toBe('PROTOBUF');
    expect(schema.text).toBe(text);
    expect(schema.firstMessage).toBe('shop.Order');
    expect(schema.root.lookupType('shop.Order').fieldsArray.map((field) => field.name)).toEqual(['id', 'total']);
    expect([...schema.ownTypes]).toEqual(['shop.Order']);
  });

  it('keeps field names as written (keepCase), not camel-cased', () => {
    const schema = parse('syntax = "proto3"; message A { string first_name = 1; }');
    expect(schema.root.lookupType('A').fields['first_name']).toBeDefined();
    expect(schema.canonical).toContain('string first_name = 1;');
  });

  it('parses proto2 with required, optional, defaults, groups and extensions', () => {
    const schema = parse(`syntax = "proto2";
package legacy;
message Order {
  required string id = 1;
  optional int32 count = 2 [default = 5];
  repeated string tags = 3;
  optional group Extra = 4 { optional string note = 5; }
  extensions 100 to 199;
}
extend Order { optional string tracking = 100; }
`);
    expect(schema.file.syntax).toBe('proto2');
    const order = schema.types.get('legacy.Order');
    expect(order?.kind).toBe('message');
    if (order?.kind !== 'message') return;
    expect(order.fields.map((field) => [field.name, field.label])).toEqual([
      ['id', 'required'],
      ['count', 'optional'],
      ['tags', 'repeated'],
      ['extra', 'optional'],
    ]);
    expect(schema.file.extensions.map((extension) => [extension.extendee, extension.field.name])).toEqual([
      ['legacy.Order', 'tracking'],
    ]);
  });

  it('treats a file without a syntax statement as proto2', () => {
    expect(parse('message A { optional int32 a = 1; }').file.syntax).toBe('proto2');
  });

  it('accepts single-quoted syntax and comments before it', () => {
    expect(parse("// header\n/* block */\nsyntax = 'proto3';\nmessage A {}").file.syntax).toBe('proto3');
  });

  it('accepts an enum with aliases when allow_alias is set', () => {
    const schema = parse('syntax = "proto3"; enum E { option allow_alias = true; A = 0; B = 0; }');
    expect(schema.canonical).toContain('B = 0;');
  });

  it('accepts services (ignored by compatibility, kept in the canonical text)', () => {
    const schema = parse('syntax = "proto3"; message R {} service S { rpc Get (R) returns (stream R); }');
    expect(schema.canonical).toContain('rpc Get(.R) returns (stream .R);');
  });

  it.each([
    ['a field number at the top of the range', 'syntax = "proto3"; message A { int32 a = 536870911; }'],
    ['a field number just below the implementation block', 'syntax = "proto3"; message A { int32 a = 18999; }'],
    ['a field number just above the implementation block', 'syntax = "proto3"; message A { int32 a = 20000; }'],
    [
      'a reserved range that ends before a used number',
      'syntax = "proto3"; message A { reserved 2 to 4; int32 a = 5; }',
    ],
    ['negative enum values in proto2', 'syntax = "proto2"; enum E { NEG = -1; ZERO = 0; }'],
    ['a nested type referenced before it is declared', 'syntax = "proto3"; message A { B b = 1; message B {} }'],
    ['a type referenced with a leading dot', 'syntax = "proto3"; package p; message A { .p.B b = 1; } message B {}'],
    ['an empty message', 'syntax = "proto3"; message A {}'],
    ['a map with a message value', 'syntax = "proto3"; message A { map<string, B> m = 1; } message B {}'],
    ['proto3 optional fields', 'syntax = "proto3"; message A { optional string a = 1; optional int32 b = 2; }'],
    ['"__proto__" inside a string', 'syntax = "proto3"; message A { string a = 1 [json_name = "__proto__"]; }'],
    ['a byte-order mark and CRLF line ends', '\uFEFFsyntax = "proto3";\r\nmessage A {\r\n  int32 a = 1;\r\n}\r\n'],
    ['a field named syntax', 'syntax = "proto3"; message A { int32 syntax = 1; }'],
    ['an empty string option', 'syntax = "proto3"; option java_package = ""; message A {}'],
  ])('accepts %s', (_name, text) => {
    expect(() => parse(text)).not.toThrow();
  });
});

describe('protobuf parse: rejected schemas (INVALID_SCHEMA)', () => {
  it.each([
    ['a missing semicolon, with its line', 'syntax = "proto3";\nmessage A {\n  int32 a = 1\n}', /line 4/],
    ['a missing "="', 'syntax = "proto3";\nmessage A { int32 a 1; }', /'=' expected \(line 2\)/],
    ['an unterminated block', 'syntax = "proto3";\nmessage A { int32 a = 1;', /closing "}"/],
    ['an unterminated string', 'syntax = "proto3;\nmessage A {}', /illegal string/],
    ['an unterminated comment', 'syntax = "proto3";\n/* open\nmessage A {}', /illegal comment/],
    ['JSON instead of .proto', '{"type": "record", "name": "A"}', /illegal token '\{'/],
    ['Avro IDL-like text', 'record A { string a; }', /illegal token 'record'/],
    ['a label inside a oneof', 'syntax = "proto3"; message A { oneof o { repeated string m = 1; } }', /illegal/],
    ['required in proto3', 'syntax = "proto3"; message A { required int32 a = 1; }', /illegal token 'required'/],
    ['a float map key', 'syntax = "proto3"; message A { map<float, string> m = 1; }', /illegal type 'float'/],
    ['a negative field number', 'syntax = "proto3"; message A { int32 a = -1; }', /illegal id '-1'/],
    ['an unknown syntax', 'syntax = "proto4"; message A {}', /unknown syntax "proto4"/],
    ['an edition', 'edition = "2023"; message A {}', /edition "2023" is not supported/],
    [
      'a syntax statement after the package',
      'package p; syntax = "proto3"; message A {}',
      /must be the first statement/,
    ],
    [
      'a field named __proto__ (protobufjs would drop it)',
      'syntax = "proto3"; message A { int32 __proto__ = 1; }',
      /"__proto__" is not supported/,
    ],
    [
      'a duplicate field number',
      'syntax = "proto3"; message A { int32 a = 1; string b = 1; }',
      /field number 1 is used twice in message A/,
    ],
    [
      'a duplicate number between a field and a oneof member',
      'syntax = "proto3"; message A { int32 a = 1; oneof o { string b = 1; } }',
      /field number 1 is used twice/,
    ],
    [
      'a duplicate field name',
      'syntax = "proto3"; message A { int32 a = 1; string a = 2; }',
      /the name 'a' is declared twice in message A/,
    ],
    ['a duplicate message name', 'syntax = "proto3"; message A {} message A {}', /the name 'A' is declared twice/],
    [
      'a duplicate enum number without allow_alias',
      'syntax = "proto3"; enum E { A = 0; B = 0; }',
      /enum value number 0 is used twice in enum E/,
    ],
    ['field number 0', 'syntax = "proto3"; message A { int32 a = 0; }', /field numbers run from 1 to 536870911/],
    [
      'a field number above the maximum',
      'syntax = "proto3"; message A { int32 a = 536870912; }',
      /field numbers run from 1/,
    ],
    [
      'a field number in 19000-19999',
      'syntax = "proto3"; message A { int32 a = 19500; }',
      /reserved by Protocol Buffers/,
    ],
    [
      'a reserved number declared before the field',
      'syntax = "proto3"; message A { reserved 2; int32 b = 2; }',
      /uses number 2, which the message reserves/,
    ],
    [
      'a reserved number declared after the field',
      'syntax = "proto3"; message A { int32 b = 2; reserved 2; }',
      /uses number 2, which the message reserves/,
    ],
    [
      'the last number of a reserved range',
      'syntax = "proto3"; message A { reserved 2 to 5; int32 b = 5; }',
      /uses number 5/,
    ],
    [
      'a number inside "to max"',
      'syntax = "proto3"; message A { reserved 100 to max; int32 b = 1000; }',
      /number 1000.*reserve/,
    ],
    ['a reserved name', 'syntax = "proto3"; message A { reserved "old"; int32 old = 2; }', /name 'old'.*reserve/],
    [
      'a reserved range that ends before it starts',
      'syntax = "proto3"; message A { reserved 9 to 3; }',
      /ends before it starts/,
    ],
    ['a non-zero first enum value in proto3', 'syntax = "proto3"; enum E { ONE = 1; }', /proto3 requires it to be 0/],
    [
      'a reserved enum number',
      'syntax = "proto3"; enum E { reserved 1; A = 0; B = 1; }',
      /value B of enum E uses number 1/,
    ],
    [
      'a reserved enum name',
      'syntax = "proto3"; enum E { reserved "B"; A = 0; B = 1; }',
      /(name 'B'|value B).*reserve/,
    ],
    [
      'an explicit default in proto3',
      'syntax = "proto3"; message A { int32 a = 1 [default = 3]; }',
      /proto3 does not allow explicit defaults/,
    ],
    [
      'a group in proto3',
      'syntax = "proto3"; message A { repeated group G = 1 { int32 x = 2; } }',
      /illegal token|not allowed in proto3/,
    ],
    [
      'a nested reserved-number clash',
      'syntax = "proto3"; message A { message B { reserved 3; int32 c = 3; } }',
      /message A\.B/,
    ],
    [
      'an unknown field type',
      'syntax = "proto3";\npackage shop;\nmessage A { Foo a = 1; }',
      /unknown type 'Foo' in message shop\.A/,
    ],
    [
      'an unknown nested field type',
      'syntax = "proto3"; message A { message B { C c = 1; } }',
      /unknown type 'C' in message A\.B/,
    ],
    ['an unknown map value type', 'syntax = "proto3"; message A { map<string, Foo> m = 1; }', /unknown type 'Foo'/],
    ['an unknown rpc type', 'syntax = "proto3"; service S { rpc A (Req) returns (Res); }', /unknown type 'Req'/],
    [
      'an extend of an unknown message',
      'syntax = "proto2"; extend Foo { optional int32 x = 100; }',
      /unknown type 'Foo' in an extend block/,
    ],
    [
      'a well-known type used without its import',
      'syntax = "proto3"; message A { google.protobuf.Timestamp t = 1; }',
      /unknown type 'google\.protobuf\.Timestamp'/,
    ],
  ])('rejects %s', (_name, text, reason) => {
    const error = parseError(text);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.status).toBe(422);
    expect(error.message).toMatch(reason);
  });

  it('rejects a type declared both in the schema and in a reference', () => {
    const error = parseError('syntax = "proto3"; package customers; import "customer.proto"; message Customer {}', [
      ref('customer.proto', customer),
    ]);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toMatch(/the name 'Customer' is declared twice/);
  });
});

describe('protobuf parse: references and imports', () => {
  const order = `syntax = "proto3";
package shop;
import "customer.proto";
message Order {
  string id = 1;
  customers.Customer customer = 2;
}
`;

  it('resolves an import to the reference with that name', () => {
    const schema = parse(order, [ref('customer.proto', customer)]);
    const field = schema.root.lookupType('shop.Order').fields['customer'];
    expect(field?.resolvedType?.fullName).toBe('.customers.Customer');
    expect([...schema.ownTypes]).toEqual(['shop.Order']);
    expect(schema.types.has('customers.Customer')).toBe(true);
    expect(schema.canonical).toContain('.customers.Customer customer = 2;');
  });

  it('rejects an import that is not among the references, naming it (INVALID_REFERENCE)', () => {
    const error = parseError(order);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('import "customer.proto"');
    expect(error.message).toContain('add a reference named "customer.proto"');
  });

  it('does not read the file system for a missing import', () => {
    const error = parseError('syntax = "proto3"; import "package.json"; message A {}');
    expect(error.code).toBe('INVALID_REFERENCE');
  });

  it('resolves transitive imports, whatever order the references come in', () => {
    const address = 'syntax = "proto3"; package customers; message Address { string city = 1; }';
    const customerWithAddress = `syntax = "proto3";
package customers;
import "address.proto";
message Customer { string id = 1; Address address = 2; }
`;
    for (const references of [
      [ref('address.proto', address), ref('customer.proto', customerWithAddress)],
      [ref('customer.proto', customerWithAddress), ref('address.proto', address)],
    ]) {
      const schema = parse(order, references);
      expect(schema.types.get('customers.Address')?.kind).toBe('message');
    }
  });

  it('names the reference whose import is missing', () => {
    const customerWithAddress = 'syntax = "proto3"; package customers; import "address.proto"; message Customer {}';
    const error = parseError(order, [ref('customer.proto', customerWithAddress)]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('import "address.proto" (imported by reference "customer.proto")');
  });

  it('rejects circular imports', () => {
    const a = 'syntax = "proto3"; package a; import "b.proto"; message A {}';
    const b = 'syntax = "proto3"; package b; import "a.proto"; message B {}';
    const error = parseError('syntax = "proto3"; import "a.proto"; message M {}', [
      ref('a.proto', a),
      ref('b.proto', b),
    ]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toMatch(/circular import: "a.proto" imports "b.proto" imports "a.proto"/);
  });

  it('rejects a reference that is not Protobuf', () => {
    const error = parseError(order, [ref('customer.proto', '{"type":"string"}', 'AVRO')]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toMatch(/is a AVRO schema/);
  });

  it('rejects a reference that does not parse, naming it and the line', () => {
    const error = parseError(order, [
      ref('customer.proto', 'syntax = "proto3";\nmessage Customer {\n  string id = 1\n}'),
    ]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toMatch(
      /reference "customer.proto" \(subject customer, version 1\) is not a valid \.proto file/,
    );
    expect(error.message).toMatch(/line 4/);
  });

  it('rejects references that declare the same type', () => {
    const twin = 'syntax = "proto3"; package customers; message Customer {}';
    const error = parseError('syntax = "proto3"; import "customer.proto"; import "twin.proto"; message M {}', [
      ref('customer.proto', customer),
      ref('twin.proto', twin),
    ]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toMatch(/conflicts with another file/);
  });

  it('ignores references the schema does not import (even broken ones)', () => {
    expect(() => parse('syntax = "proto3"; message A {}', [ref('unused.proto', 'not a proto file')])).not.toThrow();
  });

  it('does not make types of an unimported reference visible', () => {
    const error = parseError('syntax = "proto3"; message A { customers.Customer c = 1; }', [
      ref('customer.proto', customer),
    ]);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toMatch(/unknown type 'customers\.Customer'/);
  });

  it('accepts weak imports and an import listed twice', () => {
    const schema = parse(
      'syntax = "proto3"; import weak "customer.proto"; import "customer.proto"; message A { customers.Customer c = 1; }',
      [ref('customer.proto', customer)],
    );
    expect(schema.file.imports).toEqual([{ path: 'customer.proto', weak: true }]);
  });

  it('lets a registered reference replace a bundled well-known file', () => {
    const timestamp = `syntax = "proto3";
package google.protobuf;
option java_package = "com.google.protobuf";
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
`;
    const schema = parse(
      'syntax = "proto3"; import "google/protobuf/timestamp.proto"; message A { google.protobuf.Timestamp at = 1; }',
      [ref('google/protobuf/timestamp.proto', timestamp)],
    );
    expect(schema.types.get('google.protobuf.Timestamp')?.kind).toBe('message');
  });
});

describe('protobuf parse: well-known types without references', () => {
  it.each([
    ['google/protobuf/timestamp.proto', 'google.protobuf.Timestamp'],
    ['google/protobuf/duration.proto', 'google.protobuf.Duration'],
    ['google/protobuf/any.proto', 'google.protobuf.Any'],
    ['google/protobuf/empty.proto', 'google.protobuf.Empty'],
    ['google/protobuf/struct.proto', 'google.protobuf.Struct'],
    ['google/protobuf/struct.proto', 'google.protobuf.Value'],
    ['google/protobuf/wrappers.proto', 'google.protobuf.StringValue'],
    ['google/protobuf/wrappers.proto', 'google.protobuf.Int64Value'],
    ['google/protobuf/field_mask.proto', 'google.protobuf.FieldMask'],
    ['google/protobuf/descriptor.proto', 'google.protobuf.FileDescriptorProto'],
    ['google/protobuf/type.proto', 'google.protobuf.Type'],
    ['google/protobuf/api.proto', 'google.protobuf.Api'],
    ['google/protobuf/source_context.proto', 'google.protobuf.SourceContext'],
  ])('imports %s for %s', (path, typeName) => {
    const schema = parse(`syntax = "proto3";\nimport "${path}";\nmessage A { ${typeName} value = 1; }`);
    const field = schema.root.lookupType('A').fields['value'];
    expect(field?.resolvedType?.fullName).toBe(`.${typeName}`);
  });

  it('imports several well-known files together', () => {
    const schema = parse(`syntax = "proto3";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/api.proto";
import "google/protobuf/type.proto";
message A { google.protobuf.Timestamp at = 1; google.protobuf.Duration ttl = 2; google.protobuf.Api api = 3; }
`);
    expect(schema.types.get('google.protobuf.Any')?.kind).toBe('message');
  });

  it('supports custom options declared against descriptor.proto', () => {
    const options = `syntax = "proto2";
package meta;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions {
  optional string pii = 50001;
  optional Level level = 50002;
}
enum Level { LOW = 0; HIGH = 1; }
`;
    const schema = parse(
      'syntax = "proto3"; import "meta.proto"; message A { string email = 1 [(meta.pii) = "email", (meta.level) = HIGH]; }',
      [ref('meta.proto', options)],
    );
    expect(schema.canonical).toContain('string email = 1 [(meta.level) = HIGH, (meta.pii) = "email"];');
  });
});

describe('protobuf parse: canonical form', () => {
  it('writes a complete schema in the documented canonical layout', () => {
    const schema = parse(
      `// An order.
syntax = "proto3";
package shop;
option java_package = "com.shop";
option go_package = "example.com/shop";
import "google/protobuf/timestamp.proto";

message Order {
  reserved 9, 7, 8, 20 to max;
  reserved "legacy";
  map<string, Item> items = 5;
  string id = 1;
  oneof payment { string iban = 4; string card = 3; }
  google.protobuf.Timestamp placed_at = 2;
  Status status = 6;
  message Item { string sku = 1; int32 qty = 2 [deprecated = true]; }
}
enum Status { STATUS_UNSPECIFIED = 0; STATUS_OPEN = 1; }
`,
    );
    expect(schema.canonical).toBe(`syntax = "proto3";
package shop;

import "google/protobuf/timestamp.proto";

option go_package = "example.com/shop";
option java_package = "com.shop";

message Order {
  reserved 7 to 9, 20 to max;
  reserved "legacy";
  string id = 1;
  .google.protobuf.Timestamp placed_at = 2;
  oneof payment {
    string card = 3;
    string iban = 4;
  }
  map<string, .shop.Order.Item> items = 5;
  .shop.Status status = 6;
  message Item {
    string sku = 1;
    int32 qty = 2 [deprecated = true];
  }
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_OPEN = 1;
}
`);
  });

  // Each pair is the same schema written two ways; the comment says what is folded.
  it.each([
    [
      'whitespace, comments and empty statements',
      'syntax = "proto3"; message A { int32 a = 1; }',
      '// c\nsyntax   =   "proto3" ;\n\n/* x */ message A {\n\tint32 a=1; // y\n}\n',
    ],
    [
      'quote style',
      "syntax = 'proto3'; import 'google/protobuf/empty.proto'; message A {}",
      'syntax = "proto3"; import "google/protobuf/empty.proto"; message A {}',
    ],
    [
      'field declaration order',
      'syntax = "proto3"; message A { int32 a = 1; string b = 2; }',
      'syntax = "proto3"; message A { string b = 2; int32 a = 1; }',
    ],
    [
      'oneof member order and oneof position',
      'syntax = "proto3"; message A { int32 a = 1; oneof o { string x = 2; string y = 3; } }',
      'syntax = "proto3"; message A { oneof o { string y = 3; string x = 2; } int32 a = 1; }',
    ],
    [
      'relative and fully qualified type names',
      'syntax = "proto3"; package p; message A { B b = 1; A.C c = 2; message C {} } message B {}',
      'syntax = "proto3"; package p; message A { .p.B b = 1; .p.A.C c = 2; message C {} } message B {}',
    ],
    [
      'option order',
      'syntax = "proto3"; option java_package = "x"; option java_multiple_files = true; message A {}',
      'syntax = "proto3"; option java_multiple_files = true; option java_package = "x"; message A {}',
    ],
    [
      'field option order',
      'syntax = "proto3"; message A { int32 a = 1 [deprecated = true, json_name = "x"]; }',
      'syntax = "proto3"; message A { int32 a = 1 [json_name = "x", deprecated = true]; }',
    ],
    [
      'import order',
      'syntax = "proto3"; import "google/protobuf/empty.proto"; import "google/protobuf/any.proto"; message A {}',
      'syntax = "proto3"; import "google/protobuf/any.proto"; import "google/protobuf/empty.proto"; message A {}',
    ],
    [
      'reserved ranges and names',
      'syntax = "proto3"; message A { reserved 3, 1, 2, 10 to 12; reserved "b", "a"; }',
      'syntax = "proto3"; message A { reserved 1 to 3; reserved 10 to 12; reserved "a"; reserved "b"; }',
    ],
    [
      'hex and octal numbers',
      'syntax = "proto3"; message A { int32 a = 0x10; int32 b = 010; }',
      'syntax = "proto3"; message A { int32 a = 16; int32 b = 8; }',
    ],
    [
      '[packed = true] in proto3',
      'syntax = "proto3"; message A { repeated int32 a = 1 [packed = true]; }',
      'syntax = "proto3"; message A { repeated int32 a = 1; }',
    ],
    [
      '[packed = false] in proto2',
      'syntax = "proto2"; message A { repeated int32 a = 1 [packed = false]; }',
      'syntax = "proto2"; message A { repeated int32 a = 1; }',
    ],
    [
      'a missing syntax statement (proto2)',
      'message A { optional int32 a = 1; }',
      'syntax = "proto2"; message A { optional int32 a = 1; }',
    ],
    [
      'adjacent string literals',
      'syntax = "proto3"; option java_package = "com." "shop"; message A {}',
      'syntax = "proto3"; option java_package = "com.shop"; message A {}',
    ],
    [
      'aggregate option values and dotted option names',
      'syntax = "proto3"; import "o.proto"; message A { int32 a = 1 [(o.rule) = { min: 1 max: 5 }]; }',
      'syntax = "proto3"; import "o.proto"; message A { int32 a = 1 [(o.rule).max = 5, (o.rule).min = 1]; }',
    ],
    [
      'rpc order in a service',
      'syntax = "proto3"; message R {} service S { rpc B (R) returns (R); rpc A (R) returns (R); }',
      'syntax = "proto3"; message R {} service S { rpc A (R) returns (R); rpc B (R) returns (R); }',
    ],
  ])('folds %s', (_what, first, second) => {
    const options = ref(
      'o.proto',
      'syntax = "proto2"; package o; import "google/protobuf/descriptor.proto"; message Rule { optional int32 min = 1; optional int32 max = 2; } extend google.protobuf.FieldOptions { optional Rule rule = 50000; }',
    );
    expect(parse(first, [options]).canonical).toBe(parse(second, [options]).canonical);
  });

  // Each pair differs in something that matters, so the canonical texts must differ.
  it.each([
    ['a field name', 'syntax = "proto3"; message A { int32 a = 1; }', 'syntax = "proto3"; message A { int32 b = 1; }'],
    [
      'a field number',
      'syntax = "proto3"; message A { int32 a = 1; }',
      'syntax = "proto3"; message A { int32 a = 2; }',
    ],
    ['a field type', 'syntax = "proto3"; message A { int32 a = 1; }', 'syntax = "proto3"; message A { int64 a = 1; }'],
    [
      'proto3 optional (presence)',
      'syntax = "proto3"; message A { int32 a = 1; }',
      'syntax = "proto3"; message A { optional int32 a = 1; }',
    ],
    [
      'repeated',
      'syntax = "proto3"; message A { int32 a = 1; }',
      'syntax = "proto3"; message A { repeated int32 a = 1; }',
    ],
    [
      '[packed = false] in proto3',
      'syntax = "proto3"; message A { repeated int32 a = 1; }',
      'syntax = "proto3"; message A { repeated int32 a = 1 [packed = false]; }',
    ],
    [
      'the syntax',
      'syntax = "proto2"; message A { optional int32 a = 1; }',
      'syntax = "proto3"; message A { optional int32 a = 1; }',
    ],
    ['the package', 'syntax = "proto3"; package a; message A {}', 'syntax = "proto3"; package b; message A {}'],
    [
      'message order (Confluent message indexes)',
      'syntax = "proto3"; message A {} message B {}',
      'syntax = "proto3"; message B {} message A {}',
    ],
    [
      'enum value order (the default)',
      'syntax = "proto2"; enum E { A = 1; B = 2; }',
      'syntax = "proto2"; enum E { B = 2; A = 1; }',
    ],
    [
      'oneof membership',
      'syntax = "proto3"; message A { oneof o { int32 a = 1; } }',
      'syntax = "proto3"; message A { int32 a = 1; }',
    ],
    [
      'a reserved number',
      'syntax = "proto3"; message A { reserved 2; }',
      'syntax = "proto3"; message A { reserved 3; }',
    ],
    [
      'an option value',
      'syntax = "proto3"; option java_package = "a"; message A {}',
      'syntax = "proto3"; option java_package = "b"; message A {}',
    ],
  ])('keeps %s', (_what, first, second) => {
    expect(parse(first).canonical).not.toBe(parse(second).canonical);
  });

  it.each([
    'syntax = "proto3"; package shop; message A { map<string, B> m = 1; oneof o { string x = 2; B y = 3; } } message B { repeated bytes b = 1; }',
    'syntax = "proto2"; package legacy; message A { required string id = 1 [default = "x\\"y"]; optional group G = 2 { optional int32 v = 3; } extensions 100 to max; } extend A { optional int64 e = 100; }',
    'syntax = "proto2"; message A { optional double d = 1 [default = inf]; optional float f = 2 [default = -1.5]; optional E e = 3 [default = B]; enum E { A = 0; B = 1; } }',
    'syntax = "proto3"; option optimize_for = SPEED; message A { string s = 1 [json_name = "S", deprecated = true]; } service S { rpc Get (A) returns (A) { option deprecated = true; } }',
    'syntax = "proto3"; enum E { option allow_alias = true; reserved 5 to 9; reserved "X"; A = 0; B = 1 [deprecated = true]; C = 1; }',
    'syntax = "proto3"; package a.b.c; message Outer { message Middle { message Inner { int32 v = 1; } Inner inner = 1; } Middle.Inner deep = 1; }',
  ])('is a valid .proto file that parses back to itself: %s', (text) => {
    const canonical = parse(text).canonical;
    expect(parse(canonical).canonical).toBe(canonical);
  });

  it('keeps a JSON copy of the schema small (the protobufjs Root stays private)', () => {
    const schema = parse('syntax = "proto3"; import "google/protobuf/descriptor.proto"; message A {}');
    expect(Object.keys(JSON.parse(JSON.stringify(schema)) as object).sort()).toEqual([
      'canonical',
      'schemaType',
      'text',
    ]);
  });
});
