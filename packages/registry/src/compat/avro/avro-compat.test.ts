import type { Type } from 'avsc';
import { describe, expect, it } from 'vitest';
import type { Incompatibility } from '../types';
import type { AvroRule } from './compatibility';
import { avroEngine, type AvroSchema } from './index';

// Each row names the rule it proves. `reader` reads data written with `writer`; `expect` is the
// list of rules canRead must report, in order (or COMPATIBLE). `reverse` asks the same of the
// swapped pair. Every row is also run against avsc itself: compatible rows encode sample data
// with the writer and decode it with the reader through avsc's resolver; incompatible rows must
// make avsc refuse to build a resolver — unless `avscReads` says why avsc (which ignores logical
// types and, with ignoreNamespaces, compares aliases loosely) accepts a pair Meshgate refuses.

type Expect = 'COMPATIBLE' | AvroRule[];

interface Case {
  name: string;
  reader: unknown;
  writer: unknown;
  expect: Expect;
  /** Expected path of each incompatibility (one string: of the first). */
  path?: string | string[];
  reverse?: Expect;
  reversePath?: string | string[];
  /** Text the first incompatibility's fix must contain. */
  fix?: string;
  /** Why avsc reads data Meshgate reports as incompatible. */
  avscReads?: string;
  /** The same, for the reverse row. */
  reverseAvscReads?: string;
}

const primitives = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
type Primitive = (typeof primitives)[number];

const promotesTo: Record<Primitive, Primitive[]> = {
  null: [],
  boolean: [],
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  double: [],
  bytes: ['string'],
  string: ['bytes'],
};
const reads = (reader: Primitive, writer: Primitive) => reader === writer || promotesTo[writer].includes(reader);

const record = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'record',
  name,
  namespace: 't',
  fields,
  ...extra,
});
const field = (name: string, type: unknown, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });
const order = (...fields: unknown[]) => record('Order', fields);
const enumOf = (name: string, symbols: string[], extra: Record<string, unknown> = {}) => ({
  type: 'enum',
  name,
  symbols,
  ...extra,
});
const fixedOf = (name: string, size: number, extra: Record<string, unknown> = {}) => ({
  type: 'fixed',
  name,
  size,
  ...extra,
});
const arrayOf = (items: unknown) => ({ type: 'array', items });
const mapOf = (values: unknown) => ({ type: 'map', values });
const logical = (type: string, logicalType: string, extra: Record<string, unknown> = {}) => ({
  type,
  logicalType,
  ...extra,
});
const decimal = (precision: number, scale: number) => logical('bytes', 'decimal', { precision, scale });
const linkedList = (valueType: unknown, extra: unknown[] = [], name = 'Node') =>
  record(name, [field('value', valueType), field('next', ['null', name], { default: null }), ...extra]);

// ---------------------------------------------------------------- generated rows: promotions

function primitiveRows(): Case[] {
  const rows: Case[] = [];
  for (const reader of primitives) {
    for (const writer of primitives) {
      const ok = reads(reader, writer);
      const rule: Expect = ok ? 'COMPATIBLE' : ['TYPE_MISMATCH'];
      const verb = ok ? (reader === writer ? 'same type' : 'promotion') : 'TYPE_MISMATCH';
      rows.push({ name: `${verb}: ${writer} read as ${reader} (root)`, reader, writer, expect: rule, path: '$' });
      rows.push({
        name: `${verb}: ${writer} read as ${reader} (record field)`,
        reader: order(field('f', reader)),
        writer: order(field('f', writer)),
        expect: rule,
        path: 't.Order.f',
      });
      rows.push({
        name: `${verb}: ${writer} read as ${reader} (array items)`,
        reader: arrayOf(reader),
        writer: arrayOf(writer),
        expect: rule,
        path: '$[]',
      });
      rows.push({
        name: `${verb}: ${writer} read as ${reader} (map values)`,
        reader: mapOf(reader),
        writer: mapOf(writer),
        expect: rule,
        path: '${}',
      });
      if (reader !== 'null') {
        rows.push({
          name: `${ok || writer === 'null' ? 'union branch reads' : 'MISSING_UNION_BRANCH'}: ${writer} read as ["null", ${reader}]`,
          reader: ['null', reader],
          writer,
          expect: ok || writer === 'null' ? 'COMPATIBLE' : ['MISSING_UNION_BRANCH'],
          path: '$',
        });
      }
      if (writer !== 'null' && reader !== 'null') {
        rows.push({
          name: `TYPE_MISMATCH on ${ok ? 'the null branch' : 'both branches'}: ["null", ${writer}] read as ${reader}`,
          reader,
          writer: ['null', writer],
          expect: ok ? ['TYPE_MISMATCH'] : ['TYPE_MISMATCH', 'TYPE_MISMATCH'],
          path: ok ? ['$<null>'] : ['$<null>', `$<${writer}>`],
          fix: 'Add "null"',
        });
        rows.push({
          name: `${ok ? 'union to union' : 'MISSING_UNION_BRANCH'}: ["null", ${writer}] read as ["null", ${reader}]`,
          reader: ['null', reader],
          writer: ['null', writer],
          expect: ok ? 'COMPATIBLE' : ['MISSING_UNION_BRANCH'],
          path: `$<${writer}>`,
        });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------- hand-written rows, by rule

const recordRows: Case[] = [
  {
    name: 'identical records are compatible',
    reader: order(field('id', 'string'), field('total', 'double')),
    writer: order(field('id', 'string'), field('total', 'double')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE: field added without a default; removing it is compatible',
    reader: order(field('id', 'string'), field('note', 'string')),
    writer: order(field('id', 'string')),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.note',
    fix: "Give field 'note' a default",
    reverse: 'COMPATIBLE',
  },
  {
    name: 'field added with a default is compatible both ways',
    reader: order(field('id', 'string'), field('note', 'string', { default: '' })),
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'optional field added with null default is compatible',
    reader: order(field('id', 'string'), field('note', ['null', 'string'], { default: null })),
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  ...(
    [
      ['boolean', true],
      ['int', 0],
      ['long', 42],
      ['float', 1.5],
      ['double', -2.25],
      ['bytes', '\u00ff\u0000'],
      ['string', 'n/a'],
      [enumOf('Color', ['RED', 'GREEN']), 'GREEN'],
      [fixedOf('Hash', 2), 'ab'],
      [arrayOf('int'), [1, 2]],
      [mapOf('long'), { a: 1 }],
      [record('Money', [field('amount', 'long'), field('currency', 'string', { default: 'EUR' })]), { amount: 0 }],
      [['null', 'string'], null],
      [['string', 'null'], 'x'],
      [logical('long', 'timestamp-millis'), 0],
    ] as const
  ).map(([type, value]): Case => ({
    name: `reader default fills a missing field of type ${JSON.stringify(type).slice(0, 40)}`,
    reader: order(field('id', 'string'), field('extra', type, { default: value })),
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  })),
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE: a record-typed field suggests a nullable union',
    reader: order(field('id', 'string'), field('customer', record('Customer', [field('email', 'string')]))),
    writer: order(field('id', 'string')),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.customer',
    fix: '"default": null',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE: a union with null later suggests moving null first',
    reader: order(field('id', 'string'), field('note', ['string', 'null'])),
    writer: order(field('id', 'string')),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    fix: 'move "null" first in its union and use "default": null',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE: a union of records suggests a value of its first branch',
    reader: order(field('id', 'string'), field('payer', [record('Person', [field('n', 'string')]), 'string'])),
    writer: order(field('id', 'string')),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    fix: 'a value of its first branch',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE: an enum default is not a field default (Avro Java agrees)',
    reader: order(field('id', 'string'), field('color', enumOf('Color', ['RED', 'OTHER'], { default: 'OTHER' }))),
    writer: order(field('id', 'string')),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.color',
  },
  {
    name: 'fields matched by name, whatever their order',
    reader: order(field('b', 'int'), field('a', 'string')),
    writer: order(field('a', 'string'), field('b', 'int')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'TYPE_MISMATCH: a field type changed, even with a default (defaults only fill missing fields)',
    reader: order(field('qty', 'string', { default: '0' })),
    writer: order(field('qty', 'int')),
    expect: ['TYPE_MISMATCH'],
    path: 't.Order.qty',
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'several problems come in reader field order',
    reader: order(field('a', 'int'), field('b', 'string'), field('c', 'long')),
    writer: order(field('c', 'string'), field('a', 'long')),
    expect: ['TYPE_MISMATCH', 'READER_FIELD_MISSING_DEFAULT_VALUE', 'TYPE_MISMATCH'],
    path: ['t.Order.a', 't.Order.b', 't.Order.c'],
  },
  {
    name: 'an empty record reads anything of its name; the reverse lacks defaults',
    reader: order(),
    writer: order(field('a', 'int'), field('b', arrayOf('string'))),
    expect: 'COMPATIBLE',
    reverse: ['READER_FIELD_MISSING_DEFAULT_VALUE', 'READER_FIELD_MISSING_DEFAULT_VALUE'],
    reversePath: ['t.Order.a', 't.Order.b'],
  },
  {
    name: 'an error type reads a record of the same name (avsc and Avro Java agree)',
    reader: { ...order(field('a', 'int')), type: 'error' },
    writer: order(field('a', 'int')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'TYPE_MISMATCH: record vs string',
    reader: order(field('a', 'int')),
    writer: 'string',
    expect: ['TYPE_MISMATCH'],
    path: 't.Order',
    reverse: ['TYPE_MISMATCH'],
    reversePath: '$',
  },
  {
    name: 'TYPE_MISMATCH: record vs map',
    reader: order(field('a', 'int')),
    writer: mapOf('int'),
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE in a nested record',
    reader: order(field('customer', record('Customer', [field('email', 'string'), field('name', 'string')]))),
    writer: order(field('customer', record('Customer', [field('email', 'string')]))),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.customer.name',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'TYPE_MISMATCH inside records in an array',
    reader: order(field('items', arrayOf(record('Item', [field('sku', 'int')])))),
    writer: order(field('items', arrayOf(record('Item', [field('sku', 'string')])))),
    expect: ['TYPE_MISMATCH'],
    path: 't.Order.items[].sku',
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE inside records in a map',
    reader: order(field('lines', mapOf(record('Line', [field('x', 'int'), field('y', 'int')])))),
    writer: order(field('lines', mapOf(record('Line', [field('x', 'int')])))),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.lines{}.y',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'a type used twice is reported at both places',
    reader: order(
      field('billing', record('Address', [field('street', 'string'), field('zip', 'string')])),
      field('shipping', 'Address'),
    ),
    writer: order(field('billing', record('Address', [field('street', 'string')])), field('shipping', 'Address')),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE', 'READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: ['t.Order.billing.zip', 't.Order.shipping.zip'],
  },
  {
    name: 'field made optional (int → ["null","int"]) reads old data; the reverse cannot read null',
    reader: order(field('qty', ['null', 'int'], { default: null })),
    writer: order(field('qty', 'int')),
    expect: 'COMPATIBLE',
    reverse: ['TYPE_MISMATCH'],
    reversePath: 't.Order.qty<null>',
  },
];

const aliasRows: Case[] = [
  {
    name: 'NAME_MISMATCH: record renamed without an alias',
    reader: record('Purchase', [field('id', 'string')]),
    writer: order(field('id', 'string')),
    expect: ['NAME_MISMATCH'],
    path: 't.Purchase',
    fix: 'add "t.Order" to the aliases of t.Purchase',
    reverse: ['NAME_MISMATCH'],
  },
  {
    name: 'record renamed with the old full name as a reader alias',
    reader: record('Purchase', [field('id', 'string')], { aliases: ['t.Order'] }),
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
    reverse: ['NAME_MISMATCH'],
  },
  {
    name: 'record renamed with a relative alias (qualified with the namespace)',
    reader: record('Purchase', [field('id', 'string')], { aliases: ['Order'] }),
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
  },
  {
    name: 'NAME_MISMATCH: aliases on the writer are not used',
    reader: order(field('id', 'string')),
    writer: record('Purchase', [field('id', 'string')], { aliases: ['t.Order'] }),
    expect: ['NAME_MISMATCH'],
  },
  {
    name: 'namespace change alone is compatible (names compare unqualified, as Avro Java does)',
    reader: { ...order(field('id', 'string')), namespace: 'com.acme' },
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'alias in another namespace matches the writer full name',
    reader: { ...record('Purchase', [field('id', 'string')]), namespace: 'a', aliases: ['b.Order'] },
    writer: { ...order(field('id', 'string')), namespace: 'b' },
    expect: 'COMPATIBLE',
  },
  {
    name: 'NAME_MISMATCH: a relative alias names the reader namespace, not the writer one',
    reader: { ...record('Purchase', [field('id', 'string')]), namespace: 'a', aliases: ['Order'] },
    writer: { ...order(field('id', 'string')), namespace: 'b' },
    expect: ['NAME_MISMATCH'],
    avscReads: 'avsc with ignoreNamespaces compares aliases by short name',
  },
  {
    name: 'field renamed with the old name as a reader alias',
    reader: order(field('orderId', 'string', { aliases: ['id'] })),
    writer: order(field('id', 'string')),
    expect: 'COMPATIBLE',
    reverse: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    reversePath: 't.Order.id',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE: a rename with the alias on the writer only, fix says where to put it',
    reader: order(field('id', 'string')),
    writer: order(field('orderId', 'string', { aliases: ['id'] })),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.id',
    fix: '"aliases": ["orderId"]',
  },
  {
    name: 'field renamed with alias and a type promotion',
    reader: order(field('count', 'long', { aliases: ['qty'] })),
    writer: order(field('qty', 'int')),
    expect: 'COMPATIBLE',
  },
  {
    name: 'TYPE_MISMATCH through a field alias is reported at the reader field',
    reader: order(field('count', 'int', { aliases: ['qty'] })),
    writer: order(field('qty', 'string')),
    expect: ['TYPE_MISMATCH'],
    path: 't.Order.count',
  },
  {
    name: 'AMBIGUOUS_FIELD_ALIAS: a reader field whose name and alias both exist in the writer',
    reader: order(field('a', 'int', { aliases: ['b'] })),
    writer: order(field('a', 'int'), field('b', 'int')),
    expect: ['AMBIGUOUS_FIELD_ALIAS'],
    path: 't.Order.a',
    fix: "Remove alias 'b'",
  },
  {
    name: 'NAME_MISMATCH: enum renamed without alias; with alias it reads',
    reader: order(field('c', enumOf('Colour', ['RED']))),
    writer: order(field('c', enumOf('Color', ['RED']))),
    expect: ['NAME_MISMATCH'],
    path: 't.Order.c',
    reverse: ['NAME_MISMATCH'],
  },
  {
    name: 'enum renamed with an alias',
    reader: order(field('c', enumOf('Colour', ['RED'], { aliases: ['Color'] }))),
    writer: order(field('c', enumOf('Color', ['RED']))),
    expect: 'COMPATIBLE',
  },
  {
    name: 'NAME_MISMATCH: fixed renamed without alias',
    reader: order(field('h', fixedOf('Digest', 16))),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: ['NAME_MISMATCH'],
    path: 't.Order.h',
    reverse: ['NAME_MISMATCH'],
  },
  {
    name: 'fixed renamed with an alias',
    reader: order(field('h', fixedOf('Digest', 16, { aliases: ['Hash'] }))),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: 'COMPATIBLE',
  },
  {
    name: 'NAME_MISMATCH is reported with the field problems of the renamed record',
    reader: record('Purchase', [field('id', 'string'), field('total', 'double')]),
    writer: order(field('id', 'string')),
    expect: ['NAME_MISMATCH', 'READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: ['t.Purchase', 't.Purchase.total'],
  },
];

const status = (symbols: string[], extra: Record<string, unknown> = {}) =>
  order(field('status', enumOf('Status', symbols, extra)));

const enumRows: Case[] = [
  {
    name: 'identical enums',
    reader: status(['NEW', 'PAID']),
    writer: status(['NEW', 'PAID']),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'MISSING_ENUM_SYMBOLS: symbol added by the writer (removed from the reader)',
    reader: status(['NEW', 'PAID']),
    writer: status(['NEW', 'PAID', 'SHIPPED']),
    expect: ['MISSING_ENUM_SYMBOLS'],
    path: 't.Order.status',
    fix: "Keep symbol 'SHIPPED'",
    reverse: 'COMPATIBLE',
  },
  {
    name: 'reader enum default absorbs unknown symbols',
    reader: status(['NEW', 'PAID', 'UNKNOWN'], { default: 'UNKNOWN' }),
    writer: status(['NEW', 'PAID', 'SHIPPED', 'CANCELLED']),
    expect: 'COMPATIBLE',
    reverse: ['MISSING_ENUM_SYMBOLS'],
  },
  {
    name: 'MISSING_ENUM_SYMBOLS: a writer-side enum default does not help the reader',
    reader: status(['NEW']),
    writer: status(['NEW', 'PAID'], { default: 'NEW' }),
    expect: ['MISSING_ENUM_SYMBOLS'],
  },
  {
    name: 'MISSING_ENUM_SYMBOLS: several symbols are one problem',
    reader: status(['NEW']),
    writer: status(['NEW', 'PAID', 'SHIPPED']),
    expect: ['MISSING_ENUM_SYMBOLS'],
    fix: "'PAID', 'SHIPPED'",
  },
  {
    name: 'symbol order may change (symbols resolve by name)',
    reader: status(['PAID', 'NEW']),
    writer: status(['NEW', 'PAID']),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'NAME_MISMATCH then MISSING_ENUM_SYMBOLS for a renamed, narrowed enum',
    reader: order(field('status', enumOf('State', ['NEW']))),
    writer: status(['NEW', 'PAID']),
    expect: ['NAME_MISMATCH', 'MISSING_ENUM_SYMBOLS'],
  },
  {
    name: 'MISSING_ENUM_SYMBOLS in array items',
    reader: order(field('tags', arrayOf(enumOf('Tag', ['A'])))),
    writer: order(field('tags', arrayOf(enumOf('Tag', ['A', 'B'])))),
    expect: ['MISSING_ENUM_SYMBOLS'],
    path: 't.Order.tags[]',
  },
  {
    name: 'TYPE_MISMATCH: enum ↔ string (Avro has no enum/string promotion)',
    reader: order(field('status', 'string')),
    writer: status(['NEW']),
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'MISSING_ENUM_SYMBOLS: through a nullable union',
    reader: order(field('status', ['null', enumOf('Status', ['NEW'])], { default: null })),
    writer: order(field('status', ['null', enumOf('Status', ['NEW', 'PAID'])], { default: null })),
    expect: ['MISSING_ENUM_SYMBOLS'],
    path: 't.Order.status<Status>',
  },
];

const fixedRows: Case[] = [
  {
    name: 'identical fixed',
    reader: order(field('h', fixedOf('Hash', 16))),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: 'COMPATIBLE',
  },
  {
    name: 'FIXED_SIZE_MISMATCH: size changed',
    reader: order(field('h', fixedOf('Hash', 32))),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: ['FIXED_SIZE_MISMATCH'],
    path: 't.Order.h',
    fix: 'Keep the size 16',
    reverse: ['FIXED_SIZE_MISMATCH'],
  },
  {
    name: 'NAME_MISMATCH and FIXED_SIZE_MISMATCH together',
    reader: order(field('h', fixedOf('Digest', 32))),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: ['NAME_MISMATCH', 'FIXED_SIZE_MISMATCH'],
  },
  {
    name: 'TYPE_MISMATCH: fixed ↔ bytes',
    reader: order(field('h', 'bytes')),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'TYPE_MISMATCH: fixed ↔ string',
    reader: order(field('h', 'string')),
    writer: order(field('h', fixedOf('Hash', 16))),
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'FIXED_SIZE_MISMATCH in a map',
    reader: mapOf(fixedOf('Hash', 8)),
    writer: mapOf(fixedOf('Hash', 4)),
    expect: ['FIXED_SIZE_MISMATCH'],
    path: '${}',
  },
];

const collectionRows: Case[] = [
  {
    name: 'TYPE_MISMATCH: array ↔ map',
    reader: arrayOf('int'),
    writer: mapOf('int'),
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'TYPE_MISMATCH: array ↔ its item type',
    reader: arrayOf('int'),
    writer: 'int',
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'promotion in nested arrays',
    reader: arrayOf(arrayOf('double')),
    writer: arrayOf(arrayOf('int')),
    expect: 'COMPATIBLE',
    reverse: ['TYPE_MISMATCH'],
    reversePath: '$[][]',
  },
  {
    name: 'TYPE_MISMATCH in arrays inside map values',
    reader: mapOf(arrayOf('int')),
    writer: mapOf(arrayOf('string')),
    expect: ['TYPE_MISMATCH'],
    path: '${}[]',
  },
  {
    name: 'array of a union gaining a branch reads old data',
    reader: arrayOf(['null', 'int', 'string']),
    writer: arrayOf(['null', 'int']),
    expect: 'COMPATIBLE',
    reverse: ['MISSING_UNION_BRANCH'],
    reversePath: '$[]<string>',
  },
  {
    name: 'map of records: field added with default',
    reader: mapOf(record('Line', [field('x', 'int'), field('y', 'int', { default: 0 })])),
    writer: mapOf(record('Line', [field('x', 'int')])),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
];

const customer = (fields: unknown[] = [field('email', 'string')]) => record('Customer', fields);

const unionRows: Case[] = [
  {
    name: 'writer union a subset of the reader union',
    reader: ['null', 'int', 'string'],
    writer: ['null', 'string'],
    expect: 'COMPATIBLE',
    reverse: ['MISSING_UNION_BRANCH'],
    reversePath: '$<int>',
  },
  {
    name: 'union branches may be reordered',
    reader: ['string', 'null', 'int'],
    writer: ['null', 'int', 'string'],
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'MISSING_UNION_BRANCH: reader union lacks the writer type',
    reader: ['null', 'int'],
    writer: 'string',
    expect: ['MISSING_UNION_BRANCH'],
    path: '$',
    reverse: ['TYPE_MISMATCH', 'TYPE_MISMATCH'],
    reversePath: ['$<null>', '$<int>'],
  },
  {
    name: 'MISSING_UNION_BRANCH: "Add null to the union" when null is written',
    reader: ['int', 'string'],
    writer: ['null', 'int'],
    expect: ['MISSING_UNION_BRANCH'],
    path: '$<null>',
    fix: 'Add "null" to the union.',
  },
  {
    name: 'MISSING_UNION_BRANCH: non-union null written into a union without null',
    reader: ['int', 'string'],
    writer: 'null',
    expect: ['MISSING_UNION_BRANCH'],
    fix: 'Add "null" to the union.',
  },
  {
    name: 'TYPE_MISMATCH: null written, array read; the fix spells the union in words',
    reader: arrayOf('int'),
    writer: ['null', arrayOf('int')],
    expect: ['TYPE_MISMATCH'],
    path: '$<null>',
    fix: '["null", <its current array type>]',
  },
  {
    name: 'MISSING_UNION_BRANCH: an array written into a union without arrays',
    reader: ['null', 'string'],
    writer: arrayOf('string'),
    expect: ['MISSING_UNION_BRANCH'],
    fix: 'Add an array branch (array<string>) to the reader',
  },
  {
    name: 'MISSING_UNION_BRANCH: a primitive written into a union is named as JSON',
    reader: ['null', 'string'],
    writer: 'boolean',
    expect: ['MISSING_UNION_BRANCH'],
    fix: 'Add "boolean" to the reader\'s union',
  },
  {
    name: 'non-union reader reads every writer branch by promotion',
    reader: 'double',
    writer: ['int', 'long', 'float'],
    expect: 'COMPATIBLE',
    reverse: ['MISSING_UNION_BRANCH'],
  },
  {
    name: 'TYPE_MISMATCH on the one writer branch the reader cannot read',
    reader: 'double',
    writer: ['int', 'string'],
    expect: ['TYPE_MISMATCH'],
    path: '$<string>',
  },
  {
    name: 'TYPE_MISMATCH: null removed from a field type (fix: add "null")',
    reader: order(field('customer', customer())),
    writer: order(field('customer', ['null', customer()], { default: null })),
    expect: ['TYPE_MISMATCH'],
    path: 't.Order.customer<null>',
    fix: 'Add "null"',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE inside a nullable record (named by the writer branch)',
    reader: order(
      field('customer', ['null', customer([field('email', 'string'), field('name', 'string')])], { default: null }),
    ),
    writer: order(field('customer', ['null', customer()], { default: null })),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.customer<Customer>.name',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'a reader union explains through the branch of the same name (more precise than MISSING_UNION_BRANCH)',
    reader: order(
      field('customer', ['null', customer([field('email', 'string'), field('name', 'string')])], { default: null }),
    ),
    writer: order(field('customer', customer())),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Order.customer<Customer>.name',
  },
  {
    name: 'NAME_MISMATCH through the only record branch of a reader union',
    reader: ['null', record('Client', [field('email', 'string')])],
    writer: customer(),
    expect: ['NAME_MISMATCH'],
    path: '$<Client>',
  },
  {
    name: 'MISSING_UNION_BRANCH: two record branches, neither named like the writer',
    reader: [record('A', [field('x', 'int')]), record('B', [field('x', 'int')])],
    writer: record('C', [field('x', 'int')]),
    expect: ['MISSING_UNION_BRANCH'],
    path: '$',
  },
  {
    name: 'events-per-topic union: a new event type is a MISSING_UNION_BRANCH for old readers',
    reader: [record('Placed', [field('id', 'string')]), record('Paid', [field('id', 'string')])],
    writer: [
      record('Placed', [field('id', 'string')]),
      record('Paid', [field('id', 'string')]),
      record('Shipped', [field('id', 'string')]),
    ],
    expect: ['MISSING_UNION_BRANCH'],
    path: '$<Shipped>',
    fix: 'Add "t.Shipped" to the reader\'s union',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'union branch picked by reader alias',
    reader: ['null', record('Client', [field('email', 'string')], { aliases: ['Customer'] })],
    writer: ['null', customer()],
    expect: 'COMPATIBLE',
  },
  {
    name: 'a promotable branch reads a non-union writer',
    reader: ['null', 'long'],
    writer: 'int',
    expect: 'COMPATIBLE',
    reverse: ['TYPE_MISMATCH', 'TYPE_MISMATCH'],
  },
  {
    name: 'string ↔ bytes inside unions',
    reader: ['null', 'bytes'],
    writer: ['null', 'string'],
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'branches with the same short name are labelled by full name',
    reader: [{ ...record('Id', [field('v', 'int')]), namespace: 'a' }],
    writer: [
      { ...record('Id', [field('v', 'int')]), namespace: 'a' },
      { ...record('Id', [field('v', 'string')]), namespace: 'b' },
    ],
    expect: ['TYPE_MISMATCH'],
    path: '$<b.Id>.v',
  },
  {
    name: 'a record with a union of arrays and maps',
    reader: order(field('v', ['null', arrayOf('long'), mapOf('double')], { default: null })),
    writer: order(field('v', ['null', arrayOf('int'), mapOf('float')], { default: null })),
    expect: 'COMPATIBLE',
    reverse: ['TYPE_MISMATCH', 'TYPE_MISMATCH'],
    reversePath: ['t.Order.v<array>[]', 't.Order.v<map>{}'],
  },
];

const recursiveRows: Case[] = [
  {
    name: 'recursive linked list, identical',
    reader: linkedList('long'),
    writer: linkedList('long'),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'recursive linked list with a promoted value type',
    reader: linkedList('long'),
    writer: linkedList('int'),
    expect: 'COMPATIBLE',
    reverse: ['TYPE_MISMATCH'],
    reversePath: 't.Node.value',
  },
  {
    name: 'READER_FIELD_MISSING_DEFAULT_VALUE in a recursive record is reported once',
    reader: linkedList('long', [field('label', 'string')]),
    writer: linkedList('long'),
    expect: ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    path: 't.Node.label',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'recursive record renamed with an alias',
    reader: { ...linkedList('long', [], 'Link'), aliases: ['Node'] },
    writer: linkedList('long'),
    expect: 'COMPATIBLE',
  },
  {
    name: 'tree: children array of the record itself',
    reader: record('Tree', [
      field('label', 'string'),
      field('children', arrayOf('Tree')),
      field('size', 'long', { default: 0 }),
    ]),
    writer: record('Tree', [field('label', 'string'), field('children', arrayOf('Tree'))]),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'mutually recursive records (A → B → A)',
    reader: record('A', [
      field('b', ['null', record('B', [field('a', ['null', 'A'], { default: null }), field('n', 'double')])], {
        default: null,
      }),
    ]),
    writer: record('A', [
      field('b', ['null', record('B', [field('a', ['null', 'A'], { default: null }), field('n', 'int')])], {
        default: null,
      }),
    ]),
    expect: 'COMPATIBLE',
    reverse: ['TYPE_MISMATCH'],
    reversePath: 't.A.b<B>.n',
  },
];

const logicalRows: Case[] = [
  {
    name: 'adding a logical type to plain data is compatible (long → timestamp-millis)',
    reader: order(field('at', logical('long', 'timestamp-millis'))),
    writer: order(field('at', 'long')),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH: timestamp-millis → timestamp-micros',
    reader: order(field('at', logical('long', 'timestamp-micros'))),
    writer: order(field('at', logical('long', 'timestamp-millis'))),
    expect: ['LOGICAL_TYPE_MISMATCH'],
    path: 't.Order.at',
    fix: 'Keep timestamp-millis',
    reverse: ['LOGICAL_TYPE_MISMATCH'],
    avscReads: 'avsc and Avro Java ignore logical types when resolving',
    reverseAvscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH: timestamp-millis → local-timestamp-millis',
    reader: logical('long', 'local-timestamp-millis'),
    writer: logical('long', 'timestamp-millis'),
    expect: ['LOGICAL_TYPE_MISMATCH'],
    avscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH: decimal scale changed',
    reader: order(field('price', decimal(10, 3))),
    writer: order(field('price', decimal(10, 2))),
    expect: ['LOGICAL_TYPE_MISMATCH'],
    reverse: ['LOGICAL_TYPE_MISMATCH'],
    avscReads: 'logical types are ignored by avsc',
    reverseAvscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'decimal precision may grow; LOGICAL_TYPE_MISMATCH when it shrinks',
    reader: decimal(12, 2),
    writer: decimal(10, 2),
    expect: 'COMPATIBLE',
    reverse: ['LOGICAL_TYPE_MISMATCH'],
    reverseAvscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH: decimal scale on fixed',
    reader: fixedOf('Money', 8, { logicalType: 'decimal', precision: 10, scale: 4 }),
    writer: fixedOf('Money', 8, { logicalType: 'decimal', precision: 10, scale: 2 }),
    expect: ['LOGICAL_TYPE_MISMATCH'],
    path: 'Money',
    avscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'TYPE_MISMATCH: decimal on bytes vs decimal on fixed',
    reader: decimal(10, 2),
    writer: fixedOf('Money', 8, { logicalType: 'decimal', precision: 10, scale: 2 }),
    expect: ['TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH: date (int) promoted to timestamp-millis (long)',
    reader: logical('long', 'timestamp-millis'),
    writer: logical('int', 'date'),
    expect: ['LOGICAL_TYPE_MISMATCH'],
    reverse: ['TYPE_MISMATCH'],
    avscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH: time-millis (int) promoted to time-micros (long)',
    reader: logical('long', 'time-micros'),
    writer: logical('int', 'time-millis'),
    expect: ['LOGICAL_TYPE_MISMATCH'],
    avscReads: 'logical types are ignored by avsc',
  },
  {
    name: 'date promoted to plain long is compatible',
    reader: 'long',
    writer: logical('int', 'date'),
    expect: 'COMPATIBLE',
  },
  {
    name: 'uuid ↔ string is compatible',
    reader: logical('string', 'uuid'),
    writer: 'string',
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'an invalid decimal (scale > precision) is ignored, as the specification says',
    reader: logical('bytes', 'decimal', { precision: 2, scale: 5 }),
    writer: decimal(10, 2),
    expect: 'COMPATIBLE',
    reverse: 'COMPATIBLE',
  },
  {
    name: 'unknown logical types are ignored',
    reader: logical('string', 'country-code'),
    writer: logical('string', 'iso-3166'),
    expect: 'COMPATIBLE',
  },
  {
    name: 'a logical type on the wrong underlying type is ignored (date on long)',
    reader: logical('long', 'date'),
    writer: logical('long', 'timestamp-millis'),
    expect: 'COMPATIBLE',
  },
  {
    name: 'LOGICAL_TYPE_MISMATCH inside a nullable union',
    reader: ['null', logical('long', 'timestamp-micros')],
    writer: ['null', logical('long', 'timestamp-millis')],
    expect: ['LOGICAL_TYPE_MISMATCH'],
    path: '$<long>',
    avscReads: 'logical types are ignored by avsc',
  },
];

const handWritten = [
  ...recordRows,
  ...aliasRows,
  ...enumRows,
  ...fixedRows,
  ...collectionRows,
  ...unionRows,
  ...recursiveRows,
  ...logicalRows,
];

/** The rows as run: each hand-written row and, where asked, its reverse. */
function expand(rows: readonly Case[]): Case[] {
  return rows.flatMap((row) => {
    if (row.reverse === undefined) return [row];
    const reverse: Case = {
      name: `${row.name} [reverse]`,
      reader: row.writer,
      writer: row.reader,
      expect: row.reverse,
      path: row.reversePath,
      avscReads: row.reverseAvscReads,
    };
    return [row, reverse];
  });
}

const allRows = [...primitiveRows(), ...expand(handWritten)];

// ---------------------------------------------------------------- avsc cross-check

/** Deterministic sample values of an avsc type; `variant` picks union branches and enum symbols. */
function sample(type: Type, variant: number, depth = 0): unknown {
  const any = type as unknown as {
    typeName: string;
    fields: { name: string; type: Type }[];
    types: Type[];
    symbols: string[];
    size: number;
    itemsType: Type;
    valuesType: Type;
    branchName: string;
  };
  switch (any.typeName) {
    case 'null':
      return null;
    case 'boolean':
      return variant % 2 === 0;
    case 'int':
      return 7 + variant;
    case 'long':
      return 9_000_000 + variant;
    case 'float':
      return 1.5;
    case 'double':
      return 2.25;
    case 'bytes':
      return Buffer.from([1, 2, variant]);
    case 'string':
      return `s${variant}`;
    case 'enum':
      return any.symbols[variant % any.symbols.length];
    case 'fixed':
      return Buffer.alloc(any.size, variant);
    case 'array':
      return depth > 3
        ? []
        : [sample(any.itemsType, variant, depth + 1), sample(any.itemsType, variant + 1, depth + 1)];
    case 'map':
      return depth > 3 ? {} : { k: sample(any.valuesType, variant, depth + 1) };
    case 'record':
    case 'error': {
      const value: Record<string, unknown> = {};
      for (const each of any.fields) value[each.name] = sample(each.type, variant, depth + 1);
      return value;
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      // Deep down, prefer null so recursive types end.
      const nullIndex = any.types.findIndex(
        (branch) => (branch as unknown as { typeName: string }).typeName === 'null',
      );
      const index = depth > 3 && nullIndex !== -1 ? nullIndex : variant % any.types.length;
      const branch = any.types[index]!;
      const value = sample(branch, variant, depth + 1);
      if (any.typeName === 'union:unwrapped' || value === null) return value;
      return { [(branch as unknown as { branchName: string }).branchName]: value };
    }
    default:
      throw new Error(`no sample for ${any.typeName}`);
  }
}

function avscReadsAll(reader: AvroSchema, writer: AvroSchema): void {
  const resolver = reader.type.createResolver(writer.type, { ignoreNamespaces: true });
  for (let variant = 0; variant < 4; variant++) {
    const value = sample(writer.type, variant);
    const decoded: unknown = reader.type.fromBuffer(writer.type.toBuffer(value), resolver);
    expect(reader.type.isValid(decoded)).toBe(true);
  }
}

// ---------------------------------------------------------------- the table

const parse = (schema: unknown): AvroSchema => avroEngine.parse(JSON.stringify(schema), []);

function check(row: Case): Incompatibility[] {
  return avroEngine.canRead(parse(row.reader), parse(row.writer));
}

describe('Avro compatibility table', () => {
  it('has hundreds of rows, each naming what it proves', () => {
    expect(allRows.length).toBeGreaterThan(400);
    const names = allRows.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(allRows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const reader = parse(row.reader);
    const writer = parse(row.writer);
    const issues = avroEngine.canRead(reader, writer);

    if (row.expect === 'COMPATIBLE') {
      expect(issues).toEqual([]);
      avscReadsAll(reader, writer);
      return;
    }

    expect(issues.map((issue) => issue.rule)).toEqual(row.expect);
    for (const issue of issues) {
      expect(issue.path).not.toBe('');
      expect(issue.message).not.toBe('');
      expect(issue.fix).not.toBe('');
      expect(issue.message).toMatch(/\.$/);
    }
    if (typeof row.path === 'string') expect(issues[0]?.path).toBe(row.path);
    if (Array.isArray(row.path)) expect(issues.map((issue) => issue.path)).toEqual(row.path);
    if (row.fix !== undefined) expect(issues[0]?.fix).toContain(row.fix);

    // Deterministic: the same answer again, in the same order.
    expect(avroEngine.canRead(reader, writer)).toEqual(issues);

    if (row.avscReads === undefined) {
      expect(() => reader.type.createResolver(writer.type, { ignoreNamespaces: true })).toThrow();
    } else {
      avscReadsAll(reader, writer);
    }
  });
});

describe('Avro incompatibility details', () => {
  it('gives path, rule, message, old, new and fix for a missing default', () => {
    const issues = check({
      name: 'detail',
      reader: order(field('id', 'string'), field('note', 'string')),
      writer: order(field('id', 'string')),
      expect: [],
    });
    expect(issues).toEqual([
      {
        path: 't.Order.note',
        rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        message:
          "Field 'note' of t.Order has no default in the reader's schema, and data written with the writer's schema does not have it.",
        new: 'string',
        fix: `Give field 'note' a default (for example "default": ""), or keep writing field 'note'.`,
      },
    ]);
  });

  it('shows writer and reader values as old and new', () => {
    const [size] = check({
      name: 'detail',
      reader: order(field('h', fixedOf('Hash', 32))),
      writer: order(field('h', fixedOf('Hash', 16))),
      expect: [],
    });
    expect(size).toMatchObject({ rule: 'FIXED_SIZE_MISMATCH', old: 16, new: 32 });

    const [symbols] = check({ name: 'detail', reader: status(['NEW']), writer: status(['NEW', 'PAID']), expect: [] });
    expect(symbols).toMatchObject({ old: ['NEW', 'PAID'], new: ['NEW'] });

    const [mismatch] = check({
      name: 'detail',
      reader: logical('long', 'timestamp-micros'),
      writer: 'string',
      expect: [],
    });
    expect(mismatch).toMatchObject({ rule: 'TYPE_MISMATCH', old: 'string', new: 'long (timestamp-micros)', path: '$' });

    const [name] = check({
      name: 'detail',
      reader: record('Purchase', [field('id', 'string')]),
      writer: order(field('id', 'string')),
      expect: [],
    });
    expect(name).toMatchObject({ old: 't.Order', new: 't.Purchase' });
  });

  it('suggests an enum default in the fix for missing symbols', () => {
    const [issue] = check({ name: 'detail', reader: status(['NEW']), writer: status(['NEW', 'PAID']), expect: [] });
    expect(issue?.fix).toBe(
      `Keep symbol 'PAID' in t.Status, or give the reader's enum a default (for example "default": "NEW") so unknown symbols read as it.`,
    );
  });

  it('keeps writer branch order for several union problems', () => {
    const issues = check({
      name: 'detail',
      reader: 'long',
      writer: ['null', 'int', 'string', 'boolean'],
      expect: [],
    });
    expect(issues.map((issue) => issue.path)).toEqual(['$<null>', '$<string>', '$<boolean>']);
  });

  it('accepts ParsedSchema objects that did not come from this engine (re-parses their text)', () => {
    const reader = parse(order(field('id', 'string'), field('n', 'int')));
    const writer = parse(order(field('id', 'string')));
    const copies = [{ ...reader }, { ...writer }];
    expect(avroEngine.canRead(copies[0] as AvroSchema, copies[1] as AvroSchema).map((issue) => issue.rule)).toEqual([
      'READER_FIELD_MISSING_DEFAULT_VALUE',
    ]);
  });

  it('checks types shared through many paths without blowing up', () => {
    // Level i has two fields of level i+1: 2^24 paths to the bottom, 25 record pairs to compare.
    const levels = 24;
    const build = (bottom: unknown[]) => {
      let type: unknown = record('L0', bottom);
      for (let level = 1; level <= levels; level++) {
        type = record(`L${level}`, [field('left', type), field('right', `L${level - 1}`)]);
      }
      return type;
    };
    const started = performance.now();
    const issues = check({
      name: 'dag',
      reader: build([field('x', 'int'), field('y', 'int')]),
      writer: build([field('x', 'int')]),
      expect: [],
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.length).toBeLessThanOrEqual(200);
    expect(issues.every((issue) => issue.rule === 'READER_FIELD_MISSING_DEFAULT_VALUE')).toBe(true);
    expect(issues[0]?.path).toBe(`t.L${levels}${'.left'.repeat(levels)}.y`);
  });
});
