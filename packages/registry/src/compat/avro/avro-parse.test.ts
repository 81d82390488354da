import { MeshgateError } from '@meshgate/core';
import { describe, expect, it } from 'vitest';
import type { ResolvedReference } from '../types';
import { AvroSchema, avroEngine } from './index';

const text = (schema: unknown): string => (typeof schema === 'string' ? schema : JSON.stringify(schema));
const parse = (schema: unknown, references: ResolvedReference[] = []) => avroEngine.parse(text(schema), references);

function failure(schema: unknown, references: ResolvedReference[] = []): MeshgateError {
  try {
    parse(schema, references);
  } catch (error) {
    if (error instanceof MeshgateError) return error;
    throw error;
  }
  throw new Error(`expected ${text(schema)} to be rejected`);
}

const reference = (name: string, schema: unknown, version = 1, subject = name): ResolvedReference => ({
  name,
  subject,
  version,
  schemaType: 'AVRO',
  schema: text(schema),
});

const record = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'record',
  name,
  fields,
  ...extra,
});
const withField = (type: unknown, extra: Record<string, unknown> = {}) =>
  record('Order', [{ name: 'f', type, ...extra }], { namespace: 'com.acme' });

// [what it proves, schema, expected code, text the message must contain]
const rejected: [string, unknown, 'INVALID_SCHEMA' | 'INVALID_REFERENCE', string][] = [
  ['invalid JSON', '{"type": "record",', 'INVALID_SCHEMA', 'not valid JSON'],
  ['empty text', '', 'INVALID_SCHEMA', 'not valid JSON'],
  ['JSON null', 'null', 'INVALID_SCHEMA', 'must be a type name, an object or a union array'],
  ['a number', '42', 'INVALID_SCHEMA', 'must be a type name'],
  ['an object without type', {}, 'INVALID_SCHEMA', 'needs a "type"'],
  ['a non-string type', { type: 5 }, 'INVALID_SCHEMA', '"type" must be a string'],
  [
    'an object as type (Avro Java refuses it too)',
    { type: { type: 'int' } },
    'INVALID_SCHEMA',
    '"type" must be a string',
  ],
  ['an unknown primitive name', '"strng"', 'INVALID_REFERENCE', "Unknown type 'strng'"],
  ['a misspelt complex type', { type: 'recrod', name: 'A', fields: [] }, 'INVALID_REFERENCE', "Unknown type 'recrod'"],
  ['a record without a name', { type: 'record', fields: [] }, 'INVALID_SCHEMA', 'needs a "name"'],
  ['an invalid record name', record('1Order', []), 'INVALID_SCHEMA', "Invalid type name '1Order'"],
  ['an invalid namespace', record('Order', [], { namespace: 'com..acme' }), 'INVALID_SCHEMA', 'Invalid type name'],
  ['a non-string namespace', record('Order', [], { namespace: 7 }), 'INVALID_SCHEMA', '"namespace" must be a string'],
  ['a record named like a primitive', record('int', []), 'INVALID_SCHEMA', 'primitive'],
  ['fields that are not an array', { type: 'record', name: 'A', fields: {} }, 'INVALID_SCHEMA', 'needs "fields"'],
  ['a field that is not an object', record('A', ['x']), 'INVALID_SCHEMA', 'must be an object'],
  ['a field without a name', record('A', [{ type: 'int' }]), 'INVALID_SCHEMA', 'Invalid field name'],
  ['an invalid field name', record('A', [{ name: 'a-b', type: 'int' }]), 'INVALID_SCHEMA', 'Invalid field name "a-b"'],
  [
    'duplicate field names',
    record('A', [
      { name: 'x', type: 'int' },
      { name: 'x', type: 'string' },
    ]),
    'INVALID_SCHEMA',
    "two fields named 'x' (at /fields/1)",
  ],
  ['a field without a type', record('A', [{ name: 'x' }]), 'INVALID_SCHEMA', "Field 'x' of 'A' has no \"type\""],
  [
    'an invalid field order',
    record('A', [{ name: 'x', type: 'int', order: 'up' }]),
    'INVALID_SCHEMA',
    '"order" must be one of',
  ],
  ['an unknown field type', withField('strng'), 'INVALID_REFERENCE', "'com.acme.strng' or 'strng'"],
  ['an unknown full name', withField('org.other.Thing'), 'INVALID_REFERENCE', "Unknown type 'org.other.Thing'"],
  [
    'a type used before it is defined',
    record('A', [{ name: 'b', type: 'B' }]),
    'INVALID_REFERENCE',
    "Unknown type 'B'",
  ],
  ['an enum without symbols', withField({ type: 'enum', name: 'E' }), 'INVALID_SCHEMA', 'needs "symbols"'],
  ['an enum with no symbols', withField({ type: 'enum', name: 'E', symbols: [] }), 'INVALID_SCHEMA', 'non-empty'],
  [
    'an invalid enum symbol',
    withField({ type: 'enum', name: 'E', symbols: ['A-B'] }),
    'INVALID_SCHEMA',
    'Invalid symbol',
  ],
  [
    'a duplicate enum symbol',
    withField({ type: 'enum', name: 'E', symbols: ['A', 'A'] }),
    'INVALID_SCHEMA',
    "'A' twice",
  ],
  [
    'an enum default that is not a symbol',
    withField({ type: 'enum', name: 'E', symbols: ['A'], default: 'B' }),
    'INVALID_SCHEMA',
    'must be one of its symbols',
  ],
  ['a fixed without size', withField({ type: 'fixed', name: 'F' }), 'INVALID_SCHEMA', 'needs "size"'],
  ['a negative fixed size', withField({ type: 'fixed', name: 'F', size: -1 }), 'INVALID_SCHEMA', 'needs "size"'],
  ['a fractional fixed size', withField({ type: 'fixed', name: 'F', size: 1.5 }), 'INVALID_SCHEMA', 'needs "size"'],
  ['an array without items', withField({ type: 'array' }), 'INVALID_SCHEMA', 'needs "items"'],
  ['a map without values', withField({ type: 'map' }), 'INVALID_SCHEMA', 'needs "values"'],
  ['an empty union', withField([]), 'INVALID_SCHEMA', 'at least one branch'],
  ['a nested union', withField(['null', ['int']]), 'INVALID_SCHEMA', 'cannot directly contain another union'],
  ['a union with null twice', withField(['null', 'null']), 'INVALID_SCHEMA', "two 'null' branches"],
  [
    'a union with two arrays',
    withField([
      { type: 'array', items: 'int' },
      { type: 'array', items: 'long' },
    ]),
    'INVALID_SCHEMA',
    "two 'array' branches",
  ],
  [
    'a union with the same named type twice',
    withField([{ type: 'enum', name: 'E', symbols: ['A'] }, 'E']),
    'INVALID_SCHEMA',
    "two 'com.acme.E' branches",
  ],
  [
    'a type defined twice',
    record('A', [
      { name: 'x', type: { type: 'fixed', name: 'F', size: 1 } },
      { name: 'y', type: { type: 'fixed', name: 'F', size: 2 } },
    ]),
    'INVALID_SCHEMA',
    "Type 'F' is defined twice",
  ],
  ['aliases that are not an array', record('A', [], { aliases: 'B' }), 'INVALID_SCHEMA', '"aliases" must be an array'],
  ['an invalid alias', record('A', [], { aliases: ['b-c'] }), 'INVALID_SCHEMA', "Invalid alias 'b-c'"],
  ['a string default for int', withField('int', { default: 'a' }), 'INVALID_SCHEMA', "Invalid default for field 'f'"],
  ['a fractional default for int', withField('int', { default: 1.5 }), 'INVALID_SCHEMA', 'expected a 32-bit integer'],
  [
    'an int default out of range',
    withField('int', { default: 2147483648 }),
    'INVALID_SCHEMA',
    'expected a 32-bit integer',
  ],
  [
    'a long default JavaScript cannot keep',
    '{"type":"record","name":"A","fields":[{"name":"f","type":"long","default":9223372036854775807}]}',
    'INVALID_SCHEMA',
    'cannot be kept exactly',
  ],
  ['a string default for boolean', withField('boolean', { default: 'true' }), 'INVALID_SCHEMA', 'expected a boolean'],
  ['a string default for double', withField('double', { default: 'NaN' }), 'INVALID_SCHEMA', 'expected a number'],
  ['a non-null default for null', withField('null', { default: 0 }), 'INVALID_SCHEMA', 'expected null'],
  ['a number default for string', withField('string', { default: 1 }), 'INVALID_SCHEMA', 'expected a string'],
  [
    'a union default for a later branch',
    withField(['null', 'int'], { default: 1 }),
    'INVALID_SCHEMA',
    "a union's default must match its first branch",
  ],
  ['a bytes default beyond \\u00ff', withField('bytes', { default: '\u0100' }), 'INVALID_SCHEMA', 'code points 0-255'],
  [
    'a fixed default of the wrong length',
    withField({ type: 'fixed', name: 'F', size: 2 }, { default: 'abc' }),
    'INVALID_SCHEMA',
    'a string of 2 code points',
  ],
  [
    'an enum default that is not a symbol',
    withField({ type: 'enum', name: 'E', symbols: ['A'] }, { default: 'B' }),
    'INVALID_SCHEMA',
    'one of the symbols of com.acme.E',
  ],
  [
    'an array default with a bad item',
    withField({ type: 'array', items: 'int' }, { default: [1, 'x'] }),
    'INVALID_SCHEMA',
    'at [1]',
  ],
  [
    'a map default with a bad value',
    withField({ type: 'map', values: 'int' }, { default: { a: 'x' } }),
    'INVALID_SCHEMA',
    'at {"a"}',
  ],
  [
    'a record default missing a field without default',
    withField(record('Money', [{ name: 'amount', type: 'long' }]), { default: {} }),
    'INVALID_SCHEMA',
    "has no 'amount'",
  ],
  [
    'a nested record default with a bad value',
    withField(record('Money', [{ name: 'amount', type: 'long' }]), { default: { amount: 'ten' } }),
    'INVALID_SCHEMA',
    'at .amount',
  ],
];

describe('parse: rejected schemas', () => {
  it.each(rejected)('rejects %s', (_what, schema, code, reason) => {
    const error = failure(schema);
    expect(error.code).toBe(code);
    expect(error.status).toBe(422);
    expect(error.message).toContain(reason);
    expect(error.message).toMatch(/^Invalid Avro schema/);
  });
});

const accepted: [string, unknown][] = [
  ...(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const).map(
    (name): [string, unknown] => [`the primitive "${name}" as a JSON string`, `"${name}"`],
  ),
  ['a primitive as an object', { type: 'int' }],
  ['a union at the root', ['null', 'string']],
  ['an array at the root', { type: 'array', items: 'string' }],
  ['a map at the root', { type: 'map', values: 'long' }],
  ['an enum at the root', { type: 'enum', name: 'E', symbols: ['A'], default: 'A' }],
  ['a fixed at the root', { type: 'fixed', name: 'F', size: 0 }],
  ['an error type', { type: 'error', name: 'Oops', fields: [{ name: 'message', type: 'string' }] }],
  [
    'a recursive record',
    record('Node', [
      { name: 'value', type: 'long' },
      { name: 'next', type: ['null', 'Node'], default: null },
    ]),
  ],
  [
    'a record default that uses the record itself',
    record('Node', [
      { name: 'next', type: ['null', 'Node'], default: null },
      { name: 'first', type: ['null', 'Node'], default: null },
    ]),
  ],
  [
    '{"type": "Name"} as a reference (Avro Java accepts it)',
    record('A', [{ name: 'a', type: ['null', { type: 'A' }] }]),
  ],
  [
    'an invalid logical type (ignored, as the specification says)',
    { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 5 },
  ],
  ['an unknown logical type', { type: 'string', logicalType: 'country-code' }],
  ['custom properties', record('A', [{ name: 'a', type: 'int', 'x-pii': true }], { 'x-owner': 'team' })],
  ['an int default at the bounds', withField('int', { default: -2147483648 })],
  ['a bytes default of code points 0-255', withField('bytes', { default: '\u0000\u00ff' })],
  [
    'an enum with "default": null (Avro Java reads it as no default)',
    { type: 'enum', name: 'E', symbols: ['A'], default: null },
  ],
  ['an enum field default', withField({ type: 'enum', name: 'E', symbols: ['A', 'B'] }, { default: 'B' })],
  [
    'a record default using inner defaults',
    withField(
      record('Money', [
        { name: 'amount', type: 'long' },
        { name: 'currency', type: 'string', default: 'EUR' },
      ]),
      { default: { amount: 1 } },
    ),
  ],
  [
    'the specification example of names and namespaces',
    {
      type: 'record',
      name: 'Example',
      fields: [
        { name: 'inheritNull', type: { type: 'enum', name: 'Simple', symbols: ['a', 'b'] } },
        { name: 'explicitNamespace', type: { type: 'fixed', name: 'Simple', namespace: 'explicit', size: 12 } },
        {
          name: 'fullName',
          type: {
            type: 'record',
            name: 'a.full.Name',
            namespace: 'ignored',
            fields: [{ name: 'inheritNamespace', type: { type: 'enum', name: 'Understanding', symbols: ['d', 'e'] } }],
          },
        },
        { name: 'again', type: 'a.full.Understanding' },
      ],
    },
  ],
  [
    'a null-namespace type referenced from a namespace (Avro Java falls back to the null namespace)',
    record(
      'B',
      [
        { name: 'e', type: { type: 'enum', name: 'E', namespace: '', symbols: ['A'] } },
        { name: 'f', type: 'E' },
        { name: 'g', type: '.E' },
      ],
      { namespace: 'x.y' },
    ),
  ],
];

describe('parse: accepted schemas', () => {
  it.each(accepted)('accepts %s, and its canonical form parses to itself', (_what, schema) => {
    const parsed = parse(schema);
    expect(parsed).toBeInstanceOf(AvroSchema);
    expect(parsed.schemaType).toBe('AVRO');
    expect(parsed.text).toBe(text(schema));
    const again = parse(parsed.canonical);
    expect(again.canonical).toBe(parsed.canonical);
    expect(avroEngine.canRead(again, parsed)).toEqual([]);
    expect(avroEngine.canRead(parsed, again)).toEqual([]);
  });

  it('gives the avsc type for data work', () => {
    const parsed = parse(withField(['null', 'string'], { default: null }));
    expect(parsed.type.isValid({ f: 'x' })).toBe(true);
    expect(parsed.type.isValid({ f: 1 })).toBe(false);
  });

  it('serialises to its three contract fields, even for recursive schemas', () => {
    const parsed = parse(record('Node', [{ name: 'next', type: ['null', 'Node'], default: null }]));
    expect(Object.keys(JSON.parse(JSON.stringify(parsed)) as object).sort()).toEqual([
      'canonical',
      'schemaType',
      'text',
    ]);
  });

  it('resolves names as the specification says', () => {
    const spec = accepted.find(([what]) => what.startsWith('the specification example'))![1];
    const canonical = parse(spec).canonical;
    expect(canonical).toContain('"name":"Example"');
    expect(canonical).toContain('"name":"explicit.Simple"');
    expect(canonical).toContain('"name":"a.full.Name"');
    expect(canonical).toContain('"name":"a.full.Understanding"');
    expect(canonical).not.toContain('ignored');
  });
});

describe('parse: references', () => {
  const address = (extra: unknown[] = []) =>
    record('Address', [{ name: 'street', type: 'string' }, { name: 'zip', type: 'string' }, ...extra], {
      namespace: 'com.acme',
    });
  const customer = record(
    'Customer',
    [
      { name: 'email', type: 'string' },
      { name: 'address', type: 'Address' },
    ],
    { namespace: 'com.acme' },
  );

  it('resolves a reference named by the full type name', () => {
    const parsed = parse(customer, [reference('com.acme.Address', address())]);
    expect(parsed.canonical).toContain('"type":"com.acme.Address"');
    // The referenced type is named, never inlined: the registry keeps references apart.
    expect(parsed.canonical).not.toContain('street');
  });

  it('resolves a reference named by a file name, through the types it defines', () => {
    expect(() => parse(customer, [reference('address.avsc', address())])).not.toThrow();
  });

  it('resolves transitive references given dependencies first', () => {
    const order = record('Order', [{ name: 'customer', type: 'com.acme.Customer' }], { namespace: 'shop' });
    const parsed = parse(order, [reference('com.acme.Address', address()), reference('com.acme.Customer', customer)]);
    expect(parsed.type.isValid({ customer: { email: 'a@b.c', address: { street: 's', zip: 'z' } } })).toBe(true);
  });

  it('reports a missing reference as INVALID_REFERENCE naming the type', () => {
    const error = failure(customer);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain("'com.acme.Address'");
    expect(error.message).toContain('/fields/1/type');
  });

  it('reports a reference that is not valid JSON, naming it', () => {
    const error = failure(customer, [reference('com.acme.Address', '{', 3, 'addresses')]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain("reference 'com.acme.Address' (subject 'addresses' version 3)");
    expect(error.message).toContain('not valid JSON');
  });

  it('reports a reference that is not a valid Avro schema', () => {
    const error = failure(customer, [reference('com.acme.Address', record('Address', [{ name: 'x', type: 'nope' }]))]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain("Unknown type 'nope'");
  });

  it('refuses a reference of another schema type', () => {
    const error = failure(customer, [{ ...reference('com.acme.Address', address()), schemaType: 'JSON' }]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('JSON schema');
  });

  it('refuses a reference that redefines a type of an earlier reference', () => {
    const error = failure(customer, [reference('a', address()), reference('b', address())]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain("already defined by reference 'a'");
  });

  it('refuses a schema that redefines a referenced type', () => {
    const error = failure(address(), [reference('com.acme.Address', address())]);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toContain("already defined by reference 'com.acme.Address'");
  });

  it('checks compatibility through referenced types', () => {
    const reader = parse(customer, [reference('com.acme.Address', address([{ name: 'country', type: 'string' }]), 2)]);
    const writer = parse(customer, [reference('com.acme.Address', address(), 1)]);
    expect(avroEngine.canRead(reader, writer)).toMatchObject([
      { path: 'com.acme.Customer.address.country', rule: 'READER_FIELD_MISSING_DEFAULT_VALUE' },
    ]);
    expect(avroEngine.canRead(writer, reader)).toEqual([]);
  });

  it('parses a schema that is only a referenced type name', () => {
    const parsed = parse('"com.acme.Address"', [reference('com.acme.Address', address())]);
    expect(parsed.canonical).toBe('"com.acme.Address"');
  });
});

describe('canonical form', () => {
  const canonical = (schema: unknown, references: ResolvedReference[] = []) => parse(schema, references).canonical;

  it('is compact JSON with Avro keys first, full names and no namespace', () => {
    expect(
      canonical(`{
        "namespace": "com.acme", "name": "Order", "type": "record", "doc": "An order.",
        "fields": [
          {"type": {"type": "string"}, "name": "id"},
          {"name": "status", "type": {"symbols": ["NEW"], "name": "Status", "type": "enum", "default": "NEW"}},
          {"name": "again", "type": "Status", "order": "ascending", "default": "NEW"}
        ]
      }`),
    ).toBe(
      '{"type":"record","name":"com.acme.Order","doc":"An order.","fields":[' +
        '{"name":"id","type":"string"},' +
        '{"name":"status","type":{"type":"enum","name":"com.acme.Status","symbols":["NEW"],"default":"NEW"}},' +
        '{"name":"again","type":"com.acme.Status","default":"NEW"}]}',
    );
  });

  const same: [string, unknown, unknown][] = [
    ['whitespace', '{"type":"array","items":"int"}', '{ "type" : "array",\n  "items" : "int" }'],
    ['key order', { type: 'map', values: 'long' }, { values: 'long', type: 'map' }],
    ['a primitive as object or string', { type: 'string' }, '"string"'],
    ['a nested primitive object', withField({ type: 'int' }), withField('int')],
    ['namespace attribute vs full name', record('Order', [], { namespace: 'com.acme' }), record('com.acme.Order', [])],
    [
      'short vs full references',
      record(
        'Order',
        [
          { name: 'a', type: { type: 'fixed', name: 'F', size: 1 } },
          { name: 'b', type: 'F' },
        ],
        { namespace: 'n' },
      ),
      record('n.Order', [
        { name: 'a', type: { type: 'fixed', name: 'n.F', size: 1 } },
        { name: 'b', type: 'n.F' },
      ]),
    ],
    [
      '{"type": "Name"} vs "Name"',
      record('A', [{ name: 'a', type: ['null', { type: 'A' }] }]),
      record('A', [{ name: 'a', type: ['null', 'A'] }]),
    ],
    [
      'relative vs full aliases, in any order',
      record('Order', [], { namespace: 'n', aliases: ['Old', 'x.Older'] }),
      record('Order', [], { namespace: 'n', aliases: ['x.Older', 'n.Old'] }),
    ],
    ['field alias order', withField('int', { aliases: ['b', 'a'] }), withField('int', { aliases: ['a', 'b'] })],
    ['the default order "ascending"', withField('int', { order: 'ascending' }), withField('int')],
    [
      'key order inside defaults',
      withField({ type: 'map', values: 'int' }, { default: { b: 2, a: 1 } }),
      withField({ type: 'map', values: 'int' }, { default: { a: 1, b: 2 } }),
    ],
    [
      'JSON escapes',
      '{"type":"enum","name":"E","symbols":["A"],"doc":"caf\\u00e9"}',
      '{"type":"enum","name":"E","symbols":["A"],"doc":"café"}',
    ],
    ['number spelling', withField('double', { default: 1.0 }), withField('double', { default: 1 })],
    [
      'custom attribute key order',
      { type: 'string', b: 1, a: { d: 1, c: 2 } },
      { a: { c: 2, d: 1 }, type: 'string', b: 1 },
    ],
  ];

  it.each(same)('folds %s', (_what, left, right) => {
    expect(canonical(left)).toBe(canonical(right));
  });

  const different: [string, unknown, unknown][] = [
    [
      'doc (kept for identity, unlike Parsing Canonical Form)',
      record('A', [], { doc: 'one' }),
      record('A', [], { doc: 'two' }),
    ],
    ['field doc', withField('int', { doc: 'one' }), withField('int', { doc: 'two' })],
    ['a default', withField('int', { default: 1 }), withField('int', { default: 2 })],
    ['a default vs none', withField('int', { default: 1 }), withField('int')],
    ['aliases', record('A', [], { aliases: ['B'] }), record('A', [])],
    [
      'field order',
      record('A', [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int' },
      ]),
      record('A', [
        { name: 'b', type: 'int' },
        { name: 'a', type: 'int' },
      ]),
    ],
    ['"order": "descending"', withField('int', { order: 'descending' }), withField('int')],
    ['a logical type', { type: 'long', logicalType: 'timestamp-millis' }, '"long"'],
    [
      'decimal parameters',
      { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 },
      { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 3 },
    ],
    ['a custom property', record('A', [], { 'x-owner': 'a' }), record('A', [])],
    ['the namespace', record('A', [], { namespace: 'a' }), record('A', [], { namespace: 'b' })],
    [
      'enum symbol order',
      { type: 'enum', name: 'E', symbols: ['A', 'B'] },
      { type: 'enum', name: 'E', symbols: ['B', 'A'] },
    ],
    ['union branch order', ['null', 'int'], ['int', 'null']],
    ['record vs error', record('A', []), { ...record('A', []), type: 'error' }],
  ];

  it.each(different)('keeps %s', (_what, left, right) => {
    expect(canonical(left)).not.toBe(canonical(right));
  });

  it('keeps a null-namespace type nested in a namespace distinct and re-parseable', () => {
    const schema = accepted.find(([what]) => what.startsWith('a null-namespace type'))![1];
    expect(canonical(schema)).toBe(
      '{"type":"record","name":"x.y.B","fields":[' +
        '{"name":"e","type":{"type":"enum","name":"E","namespace":"","symbols":["A"]}},' +
        '{"name":"f","type":".E"},{"name":"g","type":".E"}]}',
    );
  });
});
