import { describe, expect, it } from 'vitest';
import type { Incompatibility, ResolvedReference } from '../types';
import { jsonSchemaEngine } from './index';

/**
 * Table-driven compatibility cases. Each row is one schema change: `writer` is the schema data was
 * written with, `reader` the schema reading it (BACKWARD: reader = new, writer = old). `rule` names
 * the Confluent difference type (or Meshgate rule) the row proves; for an incompatible row it must
 * be among the reported rules, and every reported issue must carry a path and a fix.
 */
interface Row {
  rule: string;
  writer: unknown;
  reader: unknown;
  compatible: boolean;
  /** Expected path of the issue with `rule` (incompatible rows). */
  path?: string;
  lenient?: boolean;
  /** Run for these drafts; default: all three when the row uses no draft-specific keyword. */
  drafts?: readonly Draft[];
  writerRefs?: ResolvedReference[];
  readerRefs?: ResolvedReference[];
  note?: string;
}

type Draft = 'draft-07' | '2019-09' | '2020-12';
const ALL_DRAFTS: readonly Draft[] = ['draft-07', '2019-09', '2020-12'];
const META: Record<Draft, string> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

// Small builders keep the rows readable.
const str = (extra: object = {}) => ({ type: 'string', ...extra });
const int = (extra: object = {}) => ({ type: 'integer', ...extra });
const num = (extra: object = {}) => ({ type: 'number', ...extra });
const obj = (properties: object, extra: object = {}) => ({ type: 'object', properties, ...extra });
const closed = (properties: object, extra: object = {}) => obj(properties, { additionalProperties: false, ...extra });
const arr = (items: unknown, extra: object = {}) => ({ type: 'array', items, ...extra });

function reference(name: string, schema: unknown, version = 1): ResolvedReference {
  return { name, subject: name.replace(/\.json$/, ''), version, schemaType: 'JSON', schema: JSON.stringify(schema) };
}

const contentModel: Row[] = [
  // Open content model (additionalProperties absent or true).
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: int() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: true }),
    reader: obj({ a: str(), b: int() }, { additionalProperties: true }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: int() }),
    compatible: true,
    lenient: true,
    note: 'lenient mode allows it',
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({}),
    reader: obj({ b: str(), c: str() }),
    compatible: true,
    lenient: true,
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: { type: 'object' },
    reader: obj({ b: str() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ o: obj({ a: str() }) }),
    reader: obj({ o: obj({ a: str(), b: str() }) }),
    compatible: false,
    path: '#/properties/o/properties/b',
  },
  {
    rule: 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: {} }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: true }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: { description: 'free form', 'x-meshgate-pii': true } }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: str() }, { required: ['b'] }),
    compatible: false,
    path: '#/required/0',
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: str() }, { required: ['b'] }),
    compatible: false,
    lenient: true,
    path: '#/required/0',
    note: 'lenient does not cover required properties',
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { required: ['a'] }),
    reader: obj({ a: str(), b: {} }, { required: ['a', 'b'] }),
    compatible: false,
    path: '#/required/1',
  },
  {
    rule: 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: str({ default: 'x' }) }, { required: ['b'] }),
    compatible: false,
    path: '#/required/0',
  },
  {
    rule: 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }),
    reader: obj({ a: str(), b: str({ default: 'x' }) }, { required: ['b'] }),
    compatible: true,
    lenient: true,
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
    writer: obj({ a: str(), b: int() }),
    reader: obj({ a: str() }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
    writer: obj({ a: str(), b: int() }, { required: ['b'] }),
    reader: obj({ a: str() }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
    writer: closed({ a: str(), b: int() }),
    reader: obj({ a: str() }),
    compatible: true,
  },
  // Closed content model (additionalProperties: false).
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: closed({ a: str() }),
    reader: closed({ a: str(), b: int() }),
    compatible: true,
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: closed({ a: str() }),
    reader: obj({ a: str(), b: int() }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: closed({ a: str() }),
    reader: closed({ a: str(), b: int() }, { required: ['b'] }),
    compatible: false,
    path: '#/required/0',
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: closed({ a: str() }),
    reader: closed({ a: str(), b: int() }, { required: ['b'] }),
    compatible: false,
    lenient: true,
    path: '#/required/0',
  },
  {
    rule: 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: closed({ a: str() }),
    reader: closed({ a: str(), b: int({ default: 0 }) }, { required: ['b'] }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: closed({ a: str(), b: int() }),
    reader: closed({ a: str() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: obj({ a: str(), b: int() }),
    reader: closed({ a: str() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: closed({ a: str(), b: int() }),
    reader: closed({ a: str() }),
    compatible: false,
    lenient: true,
    path: '#/properties/b',
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: obj({ o: closed({ a: str(), b: str() }) }),
    reader: obj({ o: closed({ a: str() }) }),
    compatible: false,
    path: '#/properties/o/properties/b',
  },
  {
    rule: 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: closed({ a: str(), b: false }),
    reader: closed({ a: str() }),
    compatible: true,
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: closed({ a: str(), b: false }),
    reader: closed({ a: str(), b: int() }),
    compatible: true,
    note: 'old data never held b',
  },
  // Partially open content model (additionalProperties: schema, patternProperties).
  {
    rule: 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str(), b: str() }, { additionalProperties: str() }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: int() }),
    reader: obj({ a: str(), b: num() }, { additionalProperties: int() }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str(), b: int() }, { additionalProperties: str() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str(), b: str({ maxLength: 3 }) }, { additionalProperties: str() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str(), b: int() }, { additionalProperties: str() }),
    compatible: false,
    lenient: true,
    path: '#/properties/b',
    note: 'lenient only relaxes open models',
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str(), b: str() }, { additionalProperties: str(), required: ['b'] }),
    compatible: false,
    path: '#/required/0',
  },
  {
    rule: 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({}, { patternProperties: { '^x-': str() }, additionalProperties: false }),
    reader: obj({ 'x-id': str() }, { patternProperties: { '^x-': str() }, additionalProperties: false }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({}, { patternProperties: { '^x-': str() }, additionalProperties: false }),
    reader: obj({ 'x-id': int() }, { patternProperties: { '^x-': str() }, additionalProperties: false }),
    compatible: false,
    path: '#/properties/x-id',
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: obj({}, { patternProperties: { '^x-': str() }, additionalProperties: false }),
    reader: obj({ id: int() }, { patternProperties: { '^x-': str() }, additionalProperties: false }),
    compatible: true,
    note: 'id matches no pattern, so old data never held it',
  },
  {
    rule: 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str(), b: str() }, { additionalProperties: str() }),
    reader: obj({ a: str() }, { additionalProperties: str() }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str(), b: int() }, { additionalProperties: false }),
    reader: obj({ a: str() }, { additionalProperties: num() }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: obj({ a: str(), b: int() }, { additionalProperties: str() }),
    reader: obj({ a: str() }, { additionalProperties: str() }),
    compatible: false,
    path: '#/properties/b',
  },
  {
    rule: 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: closed({ 'x-a': str() }, { patternProperties: { '^x-': str() } }),
    reader: closed({}, { patternProperties: { '^x-': str() } }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    writer: closed({ 'x-a': str() }, { patternProperties: { '^x-': str() } }),
    reader: closed({}, { patternProperties: { '^x-': int() } }),
    compatible: false,
    path: '#/properties/x-a',
  },
  {
    rule: 'TYPE_CHANGED',
    writer: closed({ 'x-a': str() }, { patternProperties: { '^x-': str() } }),
    reader: closed({ 'x-a': str() }, { patternProperties: { '^x-': int() } }),
    compatible: false,
    path: '#/patternProperties/^x-/type',
    note: 'patterns apply to declared names too',
  },
  {
    rule: 'TYPE_CHANGED',
    writer: closed({}, { patternProperties: { '^x-': str() } }),
    reader: closed({}, { patternProperties: { '^x-': int() } }),
    compatible: false,
    path: '#/patternProperties/^x-/type',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_REMOVED',
    writer: closed({}, { patternProperties: { '^x-': str() } }),
    reader: closed({}),
    compatible: false,
    path: '#/additionalProperties',
  },
  {
    rule: 'PATTERN_PROPERTIES_EXTENDED',
    writer: closed({}, { patternProperties: { '^x-': str() } }),
    reader: closed({}, { patternProperties: { '^x-': str(), '^y-': int() } }),
    compatible: true,
    note: 'a new pattern on a closed model',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_NARROWED',
    writer: obj({ a: str() }),
    reader: obj({ a: str() }, { patternProperties: { '^x-': str() } }),
    compatible: false,
    path: '#/patternProperties/^x-',
  },
  // additionalProperties itself.
  {
    rule: 'ADDITIONAL_PROPERTIES_REMOVED',
    writer: obj({ a: str() }),
    reader: closed({ a: str() }),
    compatible: false,
    path: '#/additionalProperties',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_REMOVED',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: closed({ a: str() }),
    compatible: false,
    path: '#/additionalProperties',
  },
  { rule: 'ADDITIONAL_PROPERTIES_ADDED', writer: closed({ a: str() }), reader: obj({ a: str() }), compatible: true },
  {
    rule: 'ADDITIONAL_PROPERTIES_ADDED',
    writer: closed({ a: str() }),
    reader: obj({ a: str() }, { additionalProperties: int() }),
    compatible: true,
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_NARROWED',
    writer: obj({ a: str() }),
    reader: obj({ a: str() }, { additionalProperties: str() }),
    compatible: false,
    path: '#/additionalProperties',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_NARROWED',
    writer: obj({ a: str() }, { additionalProperties: true }),
    reader: obj({ a: str() }, { additionalProperties: str() }),
    compatible: false,
    path: '#/additionalProperties',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_EXTENDED',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str() }),
    compatible: true,
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_EXTENDED',
    writer: obj({ a: str() }, { additionalProperties: str() }),
    reader: obj({ a: str() }, { additionalProperties: { type: ['string', 'null'] } }),
    compatible: true,
  },
  {
    rule: 'TYPE_NARROWED',
    writer: obj({ a: str() }, { additionalProperties: { type: ['string', 'null'] } }),
    reader: obj({ a: str() }, { additionalProperties: str() }),
    compatible: false,
    path: '#/additionalProperties/type',
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: { type: 'object', additionalProperties: str() },
    reader: { type: 'object', additionalProperties: str({ maxLength: 5 }) },
    compatible: false,
    path: '#/additionalProperties/maxLength',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_ADDED',
    writer: obj({ a: str() }, { additionalProperties: true }),
    reader: obj({ a: str() }),
    compatible: true,
  },
];

contentModel.push(
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    writer: obj({}, { patternProperties: { '^x-': str() } }),
    reader: obj({ id: int() }, { patternProperties: { '^x-': str() } }),
    compatible: false,
    path: '#/properties/id',
    note: 'Meshgate: patternProperties alone leave other names open (Confluent treats the model as closed)',
  },
  {
    rule: 'SUM_TYPE_EXTENDED',
    writer: obj({ note: str() }),
    reader: obj({ note: { anyOf: [str(), { type: 'null' }] } }),
    compatible: true,
  },
  {
    rule: 'TYPE_NARROWED',
    writer: obj({ note: { anyOf: [str(), { type: 'null' }] } }),
    reader: obj({ note: str() }),
    compatible: false,
    path: '#/properties/note/type',
  },
  {
    rule: 'DRAFT_CHANGED',
    writer: str({ maxLength: 3 }),
    reader: { $schema: META['2020-12'], ...str({ maxLength: 3 }) },
    compatible: true,
    drafts: ['draft-07'],
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
    writer: { definitions: { C: str({ default: 'EUR' }) }, ...obj({ c: { $ref: '#/definitions/C' } }) },
    reader: {
      definitions: { C: str({ default: 'EUR' }) },
      ...obj({ c: { $ref: '#/definitions/C' } }, { required: ['c'] }),
    },
    compatible: true,
    drafts: ['draft-07'],
    note: 'the default may sit behind a $ref',
  },
  {
    rule: 'ENUM_ADMITS_NOTHING',
    writer: { allOf: [{ enum: ['a'] }, { enum: ['b'] }] },
    reader: int(),
    compatible: true,
    note: 'no old data can exist',
  },
);

const unevaluated: Row[] = [
  {
    rule: 'UNEVALUATED_PROPERTIES_REMOVED',
    writer: obj({ a: str() }),
    reader: obj({ a: str() }, { unevaluatedProperties: false }),
    compatible: false,
    path: '#/unevaluatedProperties',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'UNEVALUATED_PROPERTIES_NARROWED',
    writer: obj({ a: str() }),
    reader: obj({ a: str() }, { unevaluatedProperties: str() }),
    compatible: false,
    path: '#/unevaluatedProperties',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'UNEVALUATED_PROPERTIES_ADDED',
    writer: obj({ a: str() }, { unevaluatedProperties: false }),
    reader: obj({ a: str() }),
    compatible: true,
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: { type: 'object', allOf: [{ properties: { a: str() } }], unevaluatedProperties: false },
    reader: {
      type: 'object',
      allOf: [{ properties: { a: str() } }],
      properties: { b: int() },
      unevaluatedProperties: false,
    },
    compatible: true,
    drafts: ['2019-09', '2020-12'],
    note: 'unevaluatedProperties closes a model composed with allOf',
  },
  {
    rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: {
      type: 'object',
      allOf: [{ properties: { a: str() } }],
      properties: { b: int() },
      unevaluatedProperties: false,
    },
    reader: { type: 'object', allOf: [{ properties: { a: str() } }], unevaluatedProperties: false },
    compatible: false,
    path: '#/properties/b',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'UNEVALUATED_PROPERTIES_IGNORED_IN_DRAFT_07',
    writer: obj({ a: str() }),
    reader: obj({ a: str() }, { unevaluatedProperties: false }),
    compatible: true,
    drafts: ['draft-07'],
    note: 'ajv does not evaluate it in draft-07',
  },
];

const required: Row[] = [
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: obj({ a: str() }),
    reader: obj({ a: str() }, { required: ['a'] }),
    compatible: false,
    path: '#/required/0',
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: obj({ a: str(), b: str() }, { required: ['a'] }),
    reader: obj({ a: str(), b: str() }, { required: ['a', 'b'] }),
    compatible: false,
    path: '#/required/1',
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: closed({ a: str() }),
    reader: closed({ a: str() }, { required: ['a'] }),
    compatible: false,
    path: '#/required/0',
    lenient: true,
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: obj({ o: obj({ a: str() }) }),
    reader: obj({ o: obj({ a: str() }, { required: ['a'] }) }),
    compatible: false,
    path: '#/properties/o/required/0',
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
    writer: obj({ a: str() }),
    reader: obj({ a: str({ default: '' }) }, { required: ['a'] }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
    writer: obj({ n: int() }),
    reader: obj({ n: int({ default: 0 }) }, { required: ['n'] }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_REMOVED',
    writer: obj({ a: str() }, { required: ['a'] }),
    reader: obj({ a: str() }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_REMOVED',
    writer: obj({ a: str(), b: str() }, { required: ['a', 'b'] }),
    reader: obj({ a: str(), b: str() }, { required: ['b'] }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_REORDERED',
    writer: obj({ a: str(), b: str() }, { required: ['a', 'b'] }),
    reader: obj({ a: str(), b: str() }, { required: ['b', 'a'] }),
    compatible: true,
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: { type: 'object', allOf: [obj({ a: str() })] },
    reader: { type: 'object', allOf: [obj({ a: str() })], required: ['a'] },
    compatible: false,
    path: '#/required/0',
  },
  {
    rule: 'REQUIRED_ALREADY_GUARANTEED',
    writer: { type: 'object', allOf: [obj({ a: str() }, { required: ['a'] })] },
    reader: obj({ a: str() }, { required: ['a'] }),
    compatible: true,
    note: 'required in an allOf member counts',
  },
];

const types: Row[] = [
  { rule: 'TYPE_NARROWED', writer: num(), reader: int(), compatible: false, path: '#/type' },
  { rule: 'TYPE_EXTENDED', writer: int(), reader: num(), compatible: true },
  {
    rule: 'TYPE_EXTENDED',
    writer: num({ multipleOf: 1 }),
    reader: int(),
    compatible: true,
    note: 'a number that is a multiple of 1 is an integer',
  },
  { rule: 'TYPE_NARROWED', writer: { type: ['string', 'null'] }, reader: str(), compatible: false, path: '#/type' },
  { rule: 'TYPE_EXTENDED', writer: str(), reader: { type: ['string', 'null'] }, compatible: true },
  { rule: 'TYPE_EXTENDED', writer: { type: 'boolean' }, reader: { type: ['boolean', 'string'] }, compatible: true },
  {
    rule: 'TYPE_EXTENDED',
    writer: { type: ['integer', 'string'] },
    reader: { type: ['number', 'string', 'null'] },
    compatible: true,
  },
  {
    rule: 'TYPE_NARROWED',
    writer: { type: ['integer', 'string'] },
    reader: { type: ['string'] },
    compatible: false,
    path: '#/type',
  },
  { rule: 'TYPE_CHANGED', writer: str(), reader: int(), compatible: false, path: '#/type' },
  { rule: 'TYPE_CHANGED', writer: str(), reader: { type: ['integer', 'boolean'] }, compatible: false, path: '#/type' },
  { rule: 'TYPE_CHANGED', writer: { type: 'null' }, reader: str(), compatible: false, path: '#/type' },
  { rule: 'TYPE_CHANGED', writer: obj({ a: str() }), reader: arr(str()), compatible: false, path: '#/type' },
  {
    rule: 'TYPE_CHANGED',
    writer: obj({ total: num() }),
    reader: obj({ total: str() }),
    compatible: false,
    path: '#/properties/total/type',
  },
  {
    rule: 'TYPE_NARROWED',
    writer: obj({ total: num() }),
    reader: obj({ total: int() }),
    compatible: false,
    path: '#/properties/total/type',
  },
  { rule: 'TYPE_NARROWED', writer: {}, reader: str(), compatible: false, path: '#/type' },
  { rule: 'TYPE_NARROWED', writer: true, reader: str(), compatible: false, path: '#/type' },
  {
    rule: 'TYPE_NARROWED',
    writer: obj({ a: {} }),
    reader: obj({ a: str() }),
    compatible: false,
    path: '#/properties/a/type',
  },
  { rule: 'TYPE_EXTENDED', writer: str(), reader: {}, compatible: true },
  { rule: 'TYPE_EXTENDED', writer: str(), reader: true, compatible: true },
  { rule: 'TYPE_EXTENDED', writer: obj({ a: str() }), reader: obj({ a: {} }), compatible: true },
  {
    rule: 'TYPE_CHANGED',
    writer: obj({ a: str() }),
    reader: obj({ a: false }),
    compatible: false,
    path: '#/properties/a',
  },
  {
    rule: 'SCHEMA_WAS_FALSE',
    writer: obj({ a: false }),
    reader: obj({ a: int() }),
    compatible: true,
    note: 'old data never held a',
  },
  { rule: 'SCHEMA_WAS_FALSE', writer: false, reader: str(), compatible: true },
  {
    rule: 'TYPE_IMPLIED',
    writer: { properties: { a: str() } },
    reader: obj({ a: str() }),
    compatible: true,
    note: 'Confluent treats a schema with only object keywords as an object schema',
  },
  { rule: 'TYPE_IMPLIED', writer: { maxLength: 3 }, reader: str({ maxLength: 3 }), compatible: true },
  {
    rule: 'TYPE_NARROWED',
    writer: { properties: { a: str() }, minLength: 2 },
    reader: obj({ a: str() }),
    compatible: false,
    path: '#/type',
    note: 'keywords of two types: no implied type',
  },
  {
    rule: 'STRING_KEYWORDS_IGNORED_FOR_INTEGERS',
    writer: int(),
    reader: int({ maxLength: 3, pattern: '^a' }),
    compatible: true,
  },
  { rule: 'NUMBER_KEYWORDS_IGNORED_FOR_STRINGS', writer: str(), reader: str({ maximum: 3 }), compatible: true },
  { rule: 'TYPE_SPELLING', writer: { type: ['string'] }, reader: str(), compatible: true },
];

const enums: Row[] = [
  { rule: 'ENUM_ARRAY_EXTENDED', writer: { enum: ['a', 'b'] }, reader: { enum: ['a', 'b', 'c'] }, compatible: true },
  {
    rule: 'ENUM_ARRAY_EXTENDED',
    writer: str({ enum: ['a', 'b'] }),
    reader: str({ enum: ['c', 'b', 'a'] }),
    compatible: true,
  },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: { enum: ['a', 'b', 'c'] },
    reader: { enum: ['a', 'b'] },
    compatible: false,
    path: '#/enum',
  },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: str({ enum: ['a', 'b', 'c'] }),
    reader: str({ enum: ['a', 'b'] }),
    compatible: false,
    path: '#/enum',
    lenient: true,
  },
  {
    rule: 'ENUM_ARRAY_CHANGED',
    writer: { enum: ['a', 'b'] },
    reader: { enum: ['a', 'c'] },
    compatible: false,
    path: '#/enum',
  },
  { rule: 'ENUM_ARRAY_NARROWED', writer: str(), reader: str({ enum: ['a', 'b'] }), compatible: false, path: '#/enum' },
  { rule: 'ENUM_ARRAY_CHANGED', writer: str(), reader: { enum: [1, 2] }, compatible: false, path: '#/enum' },
  { rule: 'ENUM_ARRAY_REMOVED', writer: str({ enum: ['a', 'b'] }), reader: str(), compatible: true },
  { rule: 'ENUM_ARRAY_EXTENDED', writer: { enum: [1, 2] }, reader: { enum: [1, 2, 3] }, compatible: true },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: { enum: [1, 2, 3] },
    reader: { enum: [1, 3] },
    compatible: false,
    path: '#/enum',
  },
  {
    rule: 'ENUM_ARRAY_EXTENDED',
    writer: { enum: [{ x: 1 }] },
    reader: { enum: [{ x: 1 }, { x: 2 }] },
    compatible: true,
  },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: { enum: [{ x: 1 }, { x: 2 }] },
    reader: { enum: [{ x: 1 }] },
    compatible: false,
    path: '#/enum',
  },
  { rule: 'ENUM_ARRAY_EXTENDED', writer: { enum: ['a', null] }, reader: { enum: [null, 'a', 'b'] }, compatible: true },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: { type: 'boolean' },
    reader: { enum: [true] },
    compatible: false,
    path: '#/enum',
  },
  { rule: 'ENUM_ARRAY_EXTENDED', writer: { type: 'null' }, reader: { const: null }, compatible: true },
  { rule: 'ENUM_ARRAY_CHANGED', writer: { const: 'a' }, reader: { const: 'b' }, compatible: false, path: '#/const' },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: { enum: ['a', 'b'] },
    reader: { const: 'a' },
    compatible: false,
    path: '#/const',
  },
  { rule: 'ENUM_ARRAY_EXTENDED', writer: { const: 'a' }, reader: { enum: ['a', 'b'] }, compatible: true },
  { rule: 'ENUM_ARRAY_EXTENDED', writer: { const: 'a' }, reader: str(), compatible: true },
  { rule: 'ENUM_ARRAY_NARROWED', writer: str(), reader: { const: 'a' }, compatible: false, path: '#/const' },
  {
    rule: 'ENUM_VALUES_CHECKED',
    writer: str({ enum: ['a', 'bb'] }),
    reader: str({ maxLength: 2 }),
    compatible: true,
    note: 'every old value still fits',
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: str({ enum: ['a', 'bb'] }),
    reader: str({ maxLength: 1 }),
    compatible: false,
    path: '#/maxLength',
  },
  {
    rule: 'MINIMUM_ADDED',
    writer: { enum: [1, 2] },
    reader: int({ minimum: 2 }),
    compatible: false,
    path: '#/minimum',
  },
  { rule: 'ENUM_VALUES_CHECKED', writer: { enum: [1, 2] }, reader: int({ minimum: 1 }), compatible: true },
  {
    rule: 'PATTERN_ADDED',
    writer: { enum: ['EUR', 'usd'] },
    reader: str({ pattern: '^[A-Z]{3}$' }),
    compatible: false,
    path: '#/pattern',
  },
  {
    rule: 'ENUM_VALUES_CHECKED',
    writer: { enum: ['EUR', 'USD'] },
    reader: str({ pattern: '^[A-Z]{3}$' }),
    compatible: true,
  },
  { rule: 'TYPE_NARROWED', writer: { enum: ['a', 1] }, reader: str(), compatible: false, path: '#/type' },
  {
    rule: 'ENUM_ARRAY_NARROWED',
    writer: obj({ status: { enum: ['NEW', 'PAID', 'SHIPPED'] } }),
    reader: obj({ status: { enum: ['NEW', 'PAID'] } }),
    compatible: false,
    path: '#/properties/status/enum',
  },
];

const strings: Row[] = [
  { rule: 'MAX_LENGTH_ADDED', writer: str(), reader: str({ maxLength: 10 }), compatible: false, path: '#/maxLength' },
  { rule: 'MAX_LENGTH_REMOVED', writer: str({ maxLength: 10 }), reader: str(), compatible: true },
  { rule: 'MAX_LENGTH_INCREASED', writer: str({ maxLength: 10 }), reader: str({ maxLength: 20 }), compatible: true },
  {
    rule: 'MAX_LENGTH_DECREASED',
    writer: str({ maxLength: 20 }),
    reader: str({ maxLength: 10 }),
    compatible: false,
    path: '#/maxLength',
  },
  {
    rule: 'MAX_LENGTH_DECREASED',
    writer: obj({ name: str({ maxLength: 20 }) }),
    reader: obj({ name: str({ maxLength: 10 }) }),
    compatible: false,
    path: '#/properties/name/maxLength',
  },
  { rule: 'MIN_LENGTH_ADDED', writer: str(), reader: str({ minLength: 1 }), compatible: false, path: '#/minLength' },
  {
    rule: 'MIN_LENGTH_ADDED',
    writer: str(),
    reader: str({ minLength: 0 }),
    compatible: true,
    note: 'minLength 0 constrains nothing',
  },
  { rule: 'MIN_LENGTH_REMOVED', writer: str({ minLength: 3 }), reader: str(), compatible: true },
  { rule: 'MIN_LENGTH_DECREASED', writer: str({ minLength: 3 }), reader: str({ minLength: 1 }), compatible: true },
  {
    rule: 'MIN_LENGTH_INCREASED',
    writer: str({ minLength: 1 }),
    reader: str({ minLength: 3 }),
    compatible: false,
    path: '#/minLength',
  },
  { rule: 'PATTERN_ADDED', writer: str(), reader: str({ pattern: '^[a-z]+$' }), compatible: false, path: '#/pattern' },
  {
    rule: 'PATTERN_ADDED',
    writer: str(),
    reader: str({ pattern: '.*' }),
    compatible: true,
    note: 'a pattern matching everything',
  },
  { rule: 'PATTERN_REMOVED', writer: str({ pattern: '^[a-z]+$' }), reader: str(), compatible: true },
  {
    rule: 'PATTERN_CHANGED',
    writer: str({ pattern: '^[a-z]+$' }),
    reader: str({ pattern: '^[a-z0-9]+$' }),
    compatible: false,
    path: '#/pattern',
    note: 'regular languages are not compared: any change is reported, like Confluent',
  },
  {
    rule: 'PATTERN_UNCHANGED',
    writer: str({ pattern: '^[a-z]+$' }),
    reader: str({ pattern: '^[a-z]+$' }),
    compatible: true,
  },
  { rule: 'FORMAT_ADDED', writer: str(), reader: str({ format: 'date-time' }), compatible: false, path: '#/format' },
  { rule: 'FORMAT_ADDED', writer: str(), reader: str({ format: 'email' }), compatible: false, path: '#/format' },
  { rule: 'FORMAT_REMOVED', writer: str({ format: 'date-time' }), reader: str(), compatible: true },
  {
    rule: 'FORMAT_CHANGED',
    writer: str({ format: 'email' }),
    reader: str({ format: 'uri' }),
    compatible: false,
    path: '#/format',
  },
  {
    rule: 'FORMAT_EXTENDED',
    writer: str({ format: 'date-time' }),
    reader: str({ format: 'iso-date-time' }),
    compatible: true,
  },
  {
    rule: 'FORMAT_EXTENDED',
    writer: str({ format: 'uri' }),
    reader: str({ format: 'uri-reference' }),
    compatible: true,
  },
  {
    rule: 'FORMAT_CHANGED',
    writer: str({ format: 'uri-reference' }),
    reader: str({ format: 'uri' }),
    compatible: false,
    path: '#/format',
  },
  {
    rule: 'FORMAT_UNKNOWN_IGNORED',
    writer: str(),
    reader: str({ format: 'x-order-number' }),
    compatible: true,
    note: 'ajv ignores formats it does not know',
  },
  { rule: 'FORMAT_ADDED', writer: int(), reader: int({ format: 'int32' }), compatible: false, path: '#/format' },
  {
    rule: 'FORMAT_UNCHANGED',
    writer: str({ format: 'uuid' }),
    reader: str({ format: 'uuid', description: 'id' }),
    compatible: true,
  },
];

const numbers: Row[] = [
  { rule: 'MAXIMUM_ADDED', writer: num(), reader: num({ maximum: 100 }), compatible: false, path: '#/maximum' },
  { rule: 'MAXIMUM_REMOVED', writer: num({ maximum: 100 }), reader: num(), compatible: true },
  { rule: 'MAXIMUM_INCREASED', writer: num({ maximum: 100 }), reader: num({ maximum: 200 }), compatible: true },
  {
    rule: 'MAXIMUM_DECREASED',
    writer: num({ maximum: 200 }),
    reader: num({ maximum: 100 }),
    compatible: false,
    path: '#/maximum',
  },
  { rule: 'MINIMUM_ADDED', writer: int(), reader: int({ minimum: 0 }), compatible: false, path: '#/minimum' },
  { rule: 'MINIMUM_REMOVED', writer: int({ minimum: 0 }), reader: int(), compatible: true },
  { rule: 'MINIMUM_DECREASED', writer: int({ minimum: 5 }), reader: int({ minimum: 0 }), compatible: true },
  {
    rule: 'MINIMUM_INCREASED',
    writer: int({ minimum: 0 }),
    reader: int({ minimum: 5 }),
    compatible: false,
    path: '#/minimum',
  },
  {
    rule: 'EXCLUSIVE_MAXIMUM_ADDED',
    writer: num(),
    reader: num({ exclusiveMaximum: 10 }),
    compatible: false,
    path: '#/exclusiveMaximum',
  },
  { rule: 'EXCLUSIVE_MAXIMUM_REMOVED', writer: num({ exclusiveMaximum: 10 }), reader: num(), compatible: true },
  {
    rule: 'EXCLUSIVE_MAXIMUM_INCREASED',
    writer: num({ exclusiveMaximum: 10 }),
    reader: num({ exclusiveMaximum: 20 }),
    compatible: true,
  },
  {
    rule: 'EXCLUSIVE_MAXIMUM_DECREASED',
    writer: num({ exclusiveMaximum: 20 }),
    reader: num({ exclusiveMaximum: 10 }),
    compatible: false,
    path: '#/exclusiveMaximum',
  },
  {
    rule: 'EXCLUSIVE_MINIMUM_ADDED',
    writer: num(),
    reader: num({ exclusiveMinimum: 0 }),
    compatible: false,
    path: '#/exclusiveMinimum',
  },
  { rule: 'EXCLUSIVE_MINIMUM_REMOVED', writer: num({ exclusiveMinimum: 0 }), reader: num(), compatible: true },
  {
    rule: 'EXCLUSIVE_MINIMUM_DECREASED',
    writer: num({ exclusiveMinimum: 5 }),
    reader: num({ exclusiveMinimum: 0 }),
    compatible: true,
  },
  {
    rule: 'EXCLUSIVE_MINIMUM_INCREASED',
    writer: num({ exclusiveMinimum: 0 }),
    reader: num({ exclusiveMinimum: 5 }),
    compatible: false,
    path: '#/exclusiveMinimum',
  },
  { rule: 'MAXIMUM_EQUIVALENT', writer: num({ maximum: 10 }), reader: num({ exclusiveMaximum: 11 }), compatible: true },
  {
    rule: 'EXCLUSIVE_MAXIMUM_ADDED',
    writer: num({ maximum: 10 }),
    reader: num({ exclusiveMaximum: 10 }),
    compatible: false,
    path: '#/exclusiveMaximum',
  },
  { rule: 'MAXIMUM_EQUIVALENT', writer: num({ exclusiveMaximum: 10 }), reader: num({ maximum: 10 }), compatible: true },
  { rule: 'MAXIMUM_EQUIVALENT', writer: int({ maximum: 9 }), reader: int({ exclusiveMaximum: 10 }), compatible: true },
  {
    rule: 'MAXIMUM_EQUIVALENT',
    writer: int({ exclusiveMaximum: 10 }),
    reader: int({ maximum: 9 }),
    compatible: true,
    note: 'integers below 10 are at most 9',
  },
  {
    rule: 'MAXIMUM_DECREASED',
    writer: num({ exclusiveMaximum: 10, maximum: 10 }),
    reader: num({ maximum: 9 }),
    compatible: false,
    path: '#/maximum',
  },
  { rule: 'MINIMUM_EQUIVALENT', writer: int({ exclusiveMinimum: 0 }), reader: int({ minimum: 1 }), compatible: true },
  {
    rule: 'MINIMUM_INCREASED',
    writer: num({ exclusiveMinimum: 0, minimum: 0 }),
    reader: num({ minimum: 1 }),
    compatible: false,
    path: '#/minimum',
  },
  {
    rule: 'MULTIPLE_OF_ADDED',
    writer: num(),
    reader: num({ multipleOf: 0.01 }),
    compatible: false,
    path: '#/multipleOf',
  },
  { rule: 'MULTIPLE_OF_REMOVED', writer: num({ multipleOf: 0.01 }), reader: num(), compatible: true },
  { rule: 'MULTIPLE_OF_REDUCED', writer: int({ multipleOf: 10 }), reader: int({ multipleOf: 5 }), compatible: true },
  {
    rule: 'MULTIPLE_OF_REDUCED',
    writer: num({ multipleOf: 0.1 }),
    reader: num({ multipleOf: 0.05 }),
    compatible: true,
  },
  {
    rule: 'MULTIPLE_OF_EXPANDED',
    writer: int({ multipleOf: 5 }),
    reader: int({ multipleOf: 10 }),
    compatible: false,
    path: '#/multipleOf',
  },
  {
    rule: 'MULTIPLE_OF_CHANGED',
    writer: int({ multipleOf: 4 }),
    reader: int({ multipleOf: 6 }),
    compatible: false,
    path: '#/multipleOf',
  },
  {
    rule: 'MULTIPLE_OF_REDUCED',
    writer: int(),
    reader: int({ multipleOf: 1 }),
    compatible: true,
    note: 'every integer is a multiple of 1',
  },
  {
    rule: 'MAXIMUM_DECREASED',
    writer: obj({ qty: int({ maximum: 100 }) }),
    reader: obj({ qty: int({ maximum: 10 }) }),
    compatible: false,
    path: '#/properties/qty/maximum',
  },
];

const arrays: Row[] = [
  { rule: 'TYPE_CHANGED', writer: arr(str()), reader: arr(int()), compatible: false, path: '#/items/type' },
  { rule: 'TYPE_EXTENDED', writer: arr(int()), reader: arr(num()), compatible: true },
  {
    rule: 'TYPE_NARROWED',
    writer: { type: 'array' },
    reader: arr(str()),
    compatible: false,
    path: '#/items/type',
    note: 'an items schema added to an unconstrained array',
  },
  { rule: 'SCHEMA_REMOVED', writer: arr(str()), reader: { type: 'array' }, compatible: true },
  {
    rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    writer: arr(closed({ a: str(), b: str() })),
    reader: arr(closed({ a: str() })),
    compatible: false,
    path: '#/items/properties/b',
  },
  {
    rule: 'MAX_ITEMS_ADDED',
    writer: arr(str()),
    reader: arr(str(), { maxItems: 10 }),
    compatible: false,
    path: '#/maxItems',
  },
  { rule: 'MAX_ITEMS_REMOVED', writer: arr(str(), { maxItems: 10 }), reader: arr(str()), compatible: true },
  {
    rule: 'MAX_ITEMS_INCREASED',
    writer: arr(str(), { maxItems: 10 }),
    reader: arr(str(), { maxItems: 20 }),
    compatible: true,
  },
  {
    rule: 'MAX_ITEMS_DECREASED',
    writer: arr(str(), { maxItems: 20 }),
    reader: arr(str(), { maxItems: 10 }),
    compatible: false,
    path: '#/maxItems',
  },
  {
    rule: 'MIN_ITEMS_ADDED',
    writer: arr(str()),
    reader: arr(str(), { minItems: 1 }),
    compatible: false,
    path: '#/minItems',
  },
  { rule: 'MIN_ITEMS_REMOVED', writer: arr(str(), { minItems: 1 }), reader: arr(str()), compatible: true },
  {
    rule: 'MIN_ITEMS_DECREASED',
    writer: arr(str(), { minItems: 3 }),
    reader: arr(str(), { minItems: 1 }),
    compatible: true,
  },
  {
    rule: 'MIN_ITEMS_INCREASED',
    writer: arr(str(), { minItems: 1 }),
    reader: arr(str(), { minItems: 3 }),
    compatible: false,
    path: '#/minItems',
  },
  {
    rule: 'UNIQUE_ITEMS_ADDED',
    writer: arr(str()),
    reader: arr(str(), { uniqueItems: true }),
    compatible: false,
    path: '#/uniqueItems',
  },
  {
    rule: 'UNIQUE_ITEMS_ADDED',
    writer: arr(str(), { maxItems: 1 }),
    reader: arr(str(), { maxItems: 1, uniqueItems: true }),
    compatible: true,
    note: 'one item is always unique',
  },
  { rule: 'UNIQUE_ITEMS_REMOVED', writer: arr(str(), { uniqueItems: true }), reader: arr(str()), compatible: true },
  { rule: 'UNIQUE_ITEMS_UNCHANGED', writer: arr(str(), { uniqueItems: false }), reader: arr(str()), compatible: true },
  {
    rule: 'CONTAINS_ADDED',
    writer: arr(str()),
    reader: arr(str(), { contains: { const: 'x' } }),
    compatible: false,
    path: '#/contains',
  },
  { rule: 'CONTAINS_REMOVED', writer: arr(str(), { contains: { const: 'x' } }), reader: arr(str()), compatible: true },
  {
    rule: 'CONTAINS_UNCHANGED',
    writer: arr(str(), { contains: { const: 'x' } }),
    reader: arr(str(), { contains: { const: 'x' } }),
    compatible: true,
  },
  {
    rule: 'CONTAINS_CHANGED',
    writer: arr(str(), { contains: { const: 'x' } }),
    reader: arr(str(), { contains: { const: 'y' } }),
    compatible: false,
    path: '#/contains',
  },
  {
    rule: 'CONTAINS_IMPLIED',
    writer: arr(str(), { minItems: 1 }),
    reader: arr(str(), { contains: str() }),
    compatible: true,
    note: 'every item matches and there is at least one',
  },
  {
    rule: 'MIN_CONTAINS_INCREASED',
    writer: arr(str(), { contains: { const: 'x' } }),
    reader: arr(str(), { contains: { const: 'x' }, minContains: 2 }),
    compatible: false,
    path: '#/minContains',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'MIN_CONTAINS_DECREASED',
    writer: arr(str(), { contains: { const: 'x' }, minContains: 2 }),
    reader: arr(str(), { contains: { const: 'x' } }),
    compatible: true,
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'MAX_CONTAINS_ADDED',
    writer: arr(str(), { contains: { const: 'x' } }),
    reader: arr(str(), { contains: { const: 'x' }, maxContains: 1 }),
    compatible: false,
    path: '#/maxContains',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'MAX_CONTAINS_INCREASED',
    writer: arr(str(), { contains: { const: 'x' }, maxContains: 1 }),
    reader: arr(str(), { contains: { const: 'x' }, maxContains: 3 }),
    compatible: true,
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'MAX_CONTAINS_DECREASED',
    writer: arr(str(), { contains: { const: 'x' }, maxContains: 3 }),
    reader: arr(str(), { contains: { const: 'x' }, maxContains: 1 }),
    compatible: false,
    path: '#/maxContains',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'ADDITIONAL_ITEMS_REMOVED',
    writer: { type: 'array' },
    reader: { type: 'array', items: false },
    compatible: false,
    path: '#/items',
  },
  {
    rule: 'UNEVALUATED_ITEMS_REMOVED',
    writer: { type: 'array' },
    reader: { type: 'array', unevaluatedItems: false },
    compatible: false,
    path: '#/unevaluatedItems',
    drafts: ['2019-09', '2020-12'],
  },
];

/** Tuple rows in the draft-07/2019-09 spelling (`items` array + `additionalItems`). */
const tuple07 = (items: unknown[], additionalItems?: unknown, extra: object = {}) => ({
  type: 'array',
  items,
  ...(additionalItems === undefined ? {} : { additionalItems }),
  ...extra,
});
/** The same tuple in the 2020-12 spelling (`prefixItems` + `items`). */
const tuple2020 = (items: unknown[], rest?: unknown, extra: object = {}) => ({
  type: 'array',
  prefixItems: items,
  ...(rest === undefined ? {} : { items: rest }),
  ...extra,
});

function tupleRows(
  tuple: (items: unknown[], rest?: unknown, extra?: object) => object,
  itemsKeyword: string,
  restKeyword: string,
  drafts: readonly Draft[],
): Row[] {
  const rows: Row[] = [
    {
      rule: 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
      writer: tuple([str()], false),
      reader: tuple([str(), int()], false),
      compatible: true,
    },
    {
      rule: 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      writer: tuple([str(), int()], false),
      reader: tuple([str()], false),
      compatible: false,
      path: `#/${itemsKeyword}/1`,
    },
    {
      rule: 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      writer: tuple([str(), false], false),
      reader: tuple([str()], false),
      compatible: true,
    },
    {
      rule: 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
      writer: tuple([str()]),
      reader: tuple([str(), int()]),
      compatible: false,
      path: `#/${itemsKeyword}/1`,
    },
    {
      rule: 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
      writer: tuple([str()]),
      reader: tuple([str(), int()]),
      compatible: false,
      lenient: true,
      path: `#/${itemsKeyword}/1`,
    },
    {
      rule: 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
      writer: tuple([str()]),
      reader: tuple([str(), {}]),
      compatible: true,
    },
    {
      rule: 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
      writer: tuple([str(), int()]),
      reader: tuple([str()]),
      compatible: true,
    },
    {
      rule: 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      writer: tuple([str()], int()),
      reader: tuple([str(), num()], int()),
      compatible: true,
    },
    {
      rule: 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      writer: tuple([str()], int()),
      reader: tuple([str(), str()], int()),
      compatible: false,
      path: `#/${itemsKeyword}/1`,
    },
    {
      rule: 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      writer: tuple([str(), int()], int()),
      reader: tuple([str()], int()),
      compatible: true,
    },
    {
      rule: 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      writer: tuple([str(), str()], int()),
      reader: tuple([str()], int()),
      compatible: false,
      path: `#/${itemsKeyword}/1`,
    },
    {
      rule: 'ADDITIONAL_ITEMS_REMOVED',
      writer: tuple([str()]),
      reader: tuple([str()], false),
      compatible: false,
      path: `#/${restKeyword}`,
    },
    {
      rule: 'ADDITIONAL_ITEMS_REMOVED',
      writer: tuple([str()], int()),
      reader: tuple([str()], false),
      compatible: false,
      path: `#/${restKeyword}`,
    },
    { rule: 'ADDITIONAL_ITEMS_ADDED', writer: tuple([str()], false), reader: tuple([str()]), compatible: true },
    {
      rule: 'ADDITIONAL_ITEMS_NARROWED',
      writer: tuple([str()]),
      reader: tuple([str()], int()),
      compatible: false,
      path: `#/${restKeyword}`,
    },
    { rule: 'ADDITIONAL_ITEMS_EXTENDED', writer: tuple([str()], int()), reader: tuple([str()]), compatible: true },
    {
      rule: 'ADDITIONAL_ITEMS_EXTENDED',
      writer: tuple([str()], int()),
      reader: tuple([str()], num()),
      compatible: true,
    },
    {
      rule: 'TYPE_CHANGED',
      writer: tuple([str()], int()),
      reader: tuple([str()], str()),
      compatible: false,
      path: `#/${restKeyword}/type`,
    },
    {
      rule: 'TYPE_CHANGED',
      writer: tuple([str(), int()], false),
      reader: tuple([str(), str()], false),
      compatible: false,
      path: `#/${itemsKeyword}/1/type`,
    },
    {
      rule: 'MAX_ITEMS_IMPLIED',
      writer: tuple([str(), int()], false),
      reader: tuple([str(), int()], false, { maxItems: 2 }),
      compatible: true,
      note: 'a closed tuple of two has at most two items',
    },
    {
      rule: 'MAX_ITEMS_ADDED',
      writer: tuple([str(), int()]),
      reader: tuple([str(), int()], undefined, { maxItems: 2 }),
      compatible: false,
      path: '#/maxItems',
    },
    {
      rule: 'ITEM_ADDED_BEYOND_MAX_ITEMS',
      writer: tuple([str()], undefined, { maxItems: 1 }),
      reader: tuple([str(), int()]),
      compatible: true,
      note: 'old arrays never reach position 1',
    },
  ];
  return rows.map((row) => ({ ...row, drafts, rule: row.rule }));
}

const tuples: Row[] = [
  ...tupleRows(tuple07, 'items', 'additionalItems', ['draft-07', '2019-09']),
  ...tupleRows(tuple2020, 'prefixItems', 'items', ['2020-12']),
  {
    rule: 'TYPE_CHANGED',
    writer: tuple07([str(), int()], false),
    reader: arr(str()),
    compatible: false,
    path: '#/items/type',
    drafts: ['draft-07'],
    note: 'a list reading an old tuple reports the item schema’s own reason',
  },
  {
    rule: 'TUPLE_AS_LIST',
    writer: tuple07([str(), str()], false),
    reader: arr(str()),
    compatible: true,
    drafts: ['draft-07'],
  },
  {
    rule: 'TUPLE_ACROSS_DRAFTS',
    writer: tuple07([str(), int()], false),
    reader: tuple2020([str(), int()], false, { $schema: META['2020-12'] }),
    compatible: true,
    drafts: ['draft-07'],
    note: 'the reader is 2020-12, the writer draft-07',
  },
];

const variant = (kind: string, properties: object, extra: object = {}) =>
  closed({ kind: { const: kind }, ...properties }, { required: ['kind'], ...extra });

const combined: Row[] = [
  {
    rule: 'SUM_TYPE_EXTENDED',
    writer: { oneOf: [str(), int()] },
    reader: { oneOf: [str(), int(), { type: 'boolean' }] },
    compatible: true,
  },
  {
    rule: 'SUM_TYPE_EXTENDED',
    writer: { anyOf: [str(), int()] },
    reader: { anyOf: [str(), int(), { type: 'null' }] },
    compatible: true,
  },
  { rule: 'SUM_TYPE_EXTENDED', writer: str(), reader: { oneOf: [str(), { type: 'null' }] }, compatible: true },
  { rule: 'SUM_TYPE_EXTENDED', writer: str(), reader: { anyOf: [int(), str()] }, compatible: true },
  {
    rule: 'SUM_TYPE_NARROWED',
    writer: { oneOf: [str(), int(), { type: 'boolean' }] },
    reader: { oneOf: [str(), int()] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'SUM_TYPE_NARROWED',
    writer: { anyOf: [str(), int(), { type: 'null' }] },
    reader: { anyOf: [str(), int()] },
    compatible: false,
    path: '#/anyOf',
  },
  {
    rule: 'SUM_TYPE_NARROWED',
    writer: { anyOf: [str(), int()] },
    reader: { anyOf: [str()] },
    compatible: false,
    path: '#/anyOf',
  },
  { rule: 'PRODUCT_OF_SINGLETON_SUM', writer: { anyOf: [str()] }, reader: str(), compatible: true },
  { rule: 'SUM_OF_SINGLETON', writer: str(), reader: { oneOf: [str()] }, compatible: true },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: str(),
    reader: { oneOf: [str({ maxLength: 3 })] },
    compatible: false,
    path: '#/oneOf/0/maxLength',
    note: 'a single alternative explains itself',
  },
  {
    rule: 'COMBINED_TYPE_SUBSCHEMAS_CHANGED',
    writer: { oneOf: [str(), int()] },
    reader: { oneOf: [str(), { type: 'boolean' }] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: { oneOf: [str(), int()] },
    reader: { oneOf: [str({ maxLength: 3 }), int()] },
    compatible: false,
    path: '#/oneOf/0/maxLength',
    note: 'the closest alternative explains the change',
  },
  {
    rule: 'TYPE_CHANGED',
    writer: str(),
    reader: { oneOf: [int(), { type: 'boolean' }] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'SUM_TYPE_REORDERED',
    writer: { oneOf: [str(), int()] },
    reader: { oneOf: [int(), str()] },
    compatible: true,
  },
  {
    rule: 'COMBINED_TYPE_EXTENDED',
    writer: { oneOf: [str(), int()] },
    reader: { anyOf: [str(), int()] },
    compatible: true,
  },
  {
    rule: 'COMBINED_TYPE_EXTENDED',
    writer: { allOf: [obj({ a: str() }), obj({ b: str() })] },
    reader: { anyOf: [obj({ a: str() }), obj({ b: str() })] },
    compatible: true,
  },
  {
    rule: 'COMBINED_TYPE_CHANGED',
    writer: { anyOf: [str(), str({ maxLength: 3 })] },
    reader: { oneOf: [str(), str({ maxLength: 3 })] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'COMBINED_TYPE_EXTENDED',
    writer: { anyOf: [str(), int()] },
    reader: { oneOf: [str(), int()] },
    compatible: true,
    note: 'Meshgate: the alternatives cannot overlap (different types)',
  },
  {
    rule: 'COMBINED_TYPE_CHANGED',
    writer: { anyOf: [obj({ a: str() }, { required: ['a'] }), obj({ b: str() }, { required: ['b'] })] },
    reader: { allOf: [obj({ a: str() }, { required: ['a'] }), obj({ b: str() }, { required: ['b'] })] },
    compatible: false,
    path: '#/allOf',
  },
  {
    rule: 'ONE_OF_BRANCHES_OVERLAP',
    writer: int(),
    reader: { oneOf: [num(), int()] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'ONE_OF_BRANCHES_OVERLAP',
    writer: { allOf: [obj({ a: str() }), obj({ b: str() })] },
    reader: { oneOf: [obj({ a: str() }), obj({ b: str() })] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'PRODUCT_TYPE_EXTENDED',
    writer: { allOf: [obj({ a: str() })] },
    reader: { allOf: [obj({ a: str() }), { required: ['a'] }] },
    compatible: false,
    path: '#/allOf/1',
  },
  {
    rule: 'PRODUCT_TYPE_EXTENDED',
    writer: obj({ a: str() }),
    reader: { ...obj({ a: str() }), allOf: [{ properties: { a: str({ maxLength: 3 }) } }] },
    compatible: false,
    path: '#/allOf/0',
  },
  {
    rule: 'PRODUCT_TYPE_NARROWED',
    writer: { allOf: [obj({ a: str() }), { required: ['a'] }] },
    reader: { allOf: [obj({ a: str() })] },
    compatible: true,
  },
  {
    rule: 'PRODUCT_TYPE_UNCHANGED',
    writer: { allOf: [obj({ a: str() }), { required: ['a'] }] },
    reader: { allOf: [{ required: ['a'] }, obj({ a: str() })] },
    compatible: true,
  },
  {
    rule: 'PRODUCT_TYPE_EXTENDED',
    writer: { allOf: [obj({ a: str() }), { required: ['a'] }] },
    reader: { allOf: [obj({ a: str() }), { required: ['a'] }, { required: ['b'] }] },
    compatible: false,
    path: '#/allOf/2',
  },
  {
    rule: 'MAX_LENGTH_DECREASED',
    writer: { allOf: [obj({ a: str({ maxLength: 9 }) })] },
    reader: { allOf: [obj({ a: str({ maxLength: 3 }) })] },
    compatible: false,
    path: '#/allOf/0/properties/a/maxLength',
  },
  {
    rule: 'PRODUCT_TYPE_FLATTENED',
    writer: { allOf: [obj({ a: str() }), obj({ b: int() })] },
    reader: obj({ a: str(), b: int() }),
    compatible: true,
    note: 'constraints spread over allOf are seen together',
  },
  {
    rule: 'PRODUCT_TYPE_FLATTENED',
    writer: obj({ a: str(), b: int() }, { required: ['a', 'b'] }),
    reader: { allOf: [obj({ a: str() }, { required: ['a'] }), obj({ b: int() }, { required: ['b'] })] },
    compatible: true,
  },
  {
    rule: 'SUM_TYPE_SPLIT_BY_TYPE',
    writer: { type: ['string', 'null'] },
    reader: { oneOf: [str(), { type: 'null' }] },
    compatible: true,
  },
  {
    rule: 'SUM_TYPE_SPLIT_BY_TYPE',
    writer: { oneOf: [str(), { type: 'null' }] },
    reader: { type: ['string', 'null'] },
    compatible: true,
  },
  {
    rule: 'TYPE_NARROWED',
    writer: { oneOf: [str(), { type: 'null' }] },
    reader: str(),
    compatible: false,
    path: '#/type',
  },
  {
    rule: 'SUM_TYPE_SPLIT_BY_TYPE',
    writer: { oneOf: [str({ maxLength: 5 }), { type: 'null' }] },
    reader: { type: ['string', 'null'], maxLength: 10 },
    compatible: true,
  },
  {
    rule: 'SUM_TYPE_EXTENDED',
    writer: { oneOf: [variant('card', { last4: str() }), variant('cash', {})] },
    reader: { oneOf: [variant('card', { last4: str() }), variant('cash', {}), variant('voucher', { code: str() })] },
    compatible: true,
    note: 'discriminated union gains a variant',
  },
  {
    rule: 'SUM_TYPE_NARROWED',
    writer: { oneOf: [variant('card', { last4: str() }), variant('cash', {})] },
    reader: { oneOf: [variant('card', { last4: str() })] },
    compatible: false,
    path: '#/oneOf',
  },
  {
    rule: 'TYPE_CHANGED',
    writer: { oneOf: [variant('card', { last4: str() }), variant('cash', {})] },
    reader: { oneOf: [variant('card', { last4: int() }), variant('cash', {})] },
    compatible: false,
    path: '#/oneOf/0/properties/last4/type',
  },
  {
    rule: 'COMBINED_TYPE_EXTENDED',
    writer: { anyOf: [variant('card', { last4: str() }), variant('cash', {})] },
    reader: { oneOf: [variant('card', { last4: str() }), variant('cash', {})] },
    compatible: true,
    note: 'a const discriminator makes the alternatives exclusive',
  },
  {
    rule: 'NOT_TYPE_NARROWED',
    writer: { not: { type: ['string', 'integer'] } },
    reader: { not: str() },
    compatible: true,
  },
  {
    rule: 'NOT_TYPE_EXTENDED',
    writer: { not: str() },
    reader: { not: { type: ['string', 'integer'] } },
    compatible: false,
    path: '#/not',
  },
  { rule: 'NOT_TYPE_EXTENDED', writer: str(), reader: str({ not: { const: 'x' } }), compatible: false, path: '#/not' },
  {
    rule: 'NOT_TYPE_DISJOINT',
    writer: str(),
    reader: str({ not: { type: 'null' } }),
    compatible: true,
    note: 'old data can never match the excluded schema',
  },
  { rule: 'NOT_TYPE_DISJOINT', writer: { enum: ['a', 'b'] }, reader: { not: { const: 'c' } }, compatible: true },
  { rule: 'NOT_TYPE_EXTENDED', writer: str(), reader: { not: {} }, compatible: false, path: '#/not' },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: obj({ country: str(), zip: str() }),
    reader: {
      ...obj({ country: str(), zip: str() }),
      if: { properties: { country: { const: 'US' } } },
      then: { required: ['zip'] },
    },
    compatible: false,
    path: '#/then/required/0',
    note: 'a new conditional requirement',
  },
  {
    rule: 'CONDITIONAL_UNCHANGED',
    writer: {
      ...obj({ country: str(), zip: str() }),
      if: { properties: { country: { const: 'US' } } },
      then: { required: ['zip'] },
    },
    reader: {
      ...obj({ country: str(), zip: str() }),
      if: { properties: { country: { const: 'US' } } },
      then: { required: ['zip'] },
    },
    compatible: true,
  },
  {
    rule: 'CONDITIONAL_NEVER_APPLIES',
    writer: obj({ kind: { const: 'b' }, zip: str() }, { required: ['kind'] }),
    reader: {
      ...obj({ kind: { const: 'b' }, zip: str() }, { required: ['kind'] }),
      if: { properties: { kind: { const: 'a' } } },
      then: { required: ['zip'] },
    },
    compatible: true,
    note: 'old data never matches the condition',
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: obj({ a: str() }),
    reader: { ...obj({ a: str() }), if: { required: ['a'] }, else: { properties: { a: str({ maxLength: 1 }) } } },
    compatible: false,
    path: '#/else/properties/a/maxLength',
  },
];

const dependencies: Row[] = [
  {
    rule: 'DEPENDENCY_ARRAY_ADDED',
    writer: obj({ card: str(), cvv: str() }),
    reader: obj({ card: str(), cvv: str() }, { dependencies: { card: ['cvv'] } }),
    compatible: false,
    path: '#/dependencies/card',
  },
  {
    rule: 'DEPENDENCY_ARRAY_REMOVED',
    writer: obj({ card: str(), cvv: str() }, { dependencies: { card: ['cvv'] } }),
    reader: obj({ card: str(), cvv: str() }),
    compatible: true,
  },
  {
    rule: 'DEPENDENCY_ARRAY_EXTENDED',
    writer: obj({ a: str(), b: str(), c: str() }, { dependencies: { a: ['b'] } }),
    reader: obj({ a: str(), b: str(), c: str() }, { dependencies: { a: ['b', 'c'] } }),
    compatible: false,
    path: '#/dependencies/a',
  },
  {
    rule: 'DEPENDENCY_ARRAY_NARROWED',
    writer: obj({ a: str(), b: str(), c: str() }, { dependencies: { a: ['b', 'c'] } }),
    reader: obj({ a: str(), b: str(), c: str() }, { dependencies: { a: ['b'] } }),
    compatible: true,
  },
  {
    rule: 'DEPENDENCY_ARRAY_CHANGED',
    writer: obj({ a: str(), b: str(), c: str() }, { dependencies: { a: ['b'] } }),
    reader: obj({ a: str(), b: str(), c: str() }, { dependencies: { a: ['c'] } }),
    compatible: false,
    path: '#/dependencies/a',
  },
  {
    rule: 'DEPENDENCY_ARRAY_ADDED',
    writer: obj({ a: str(), b: str() }, { required: ['b'] }),
    reader: obj({ a: str(), b: str() }, { required: ['b'], dependencies: { a: ['b'] } }),
    compatible: true,
    note: 'b is always present already',
  },
  {
    rule: 'DEPENDENCY_ARRAY_ADDED',
    writer: closed({ b: str() }),
    reader: closed({ b: str() }, { dependencies: { a: ['b'] } }),
    compatible: true,
    note: 'a never occurs in old data',
  },
  {
    rule: 'DEPENDENCY_ARRAY_ADDED',
    writer: obj({ card: str(), cvv: str() }),
    reader: obj({ card: str(), cvv: str() }, { dependentRequired: { card: ['cvv'] } }),
    compatible: false,
    path: '#/dependentRequired/card',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'DEPENDENCY_ARRAY_REMOVED',
    writer: obj({ card: str(), cvv: str() }, { dependentRequired: { card: ['cvv'] } }),
    reader: obj({ card: str(), cvv: str() }),
    compatible: true,
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'DEPENDENCY_ARRAY_UNCHANGED',
    writer: obj({ a: str(), b: str() }, { dependencies: { a: ['b'] } }),
    reader: obj({ a: str(), b: str() }, { dependentRequired: { a: ['b'] } }),
    compatible: true,
    drafts: ['2019-09', '2020-12'],
    note: 'the old and new spelling mean the same',
  },
  {
    rule: 'DEPENDENCY_SCHEMA_ADDED',
    writer: obj({ a: str(), b: str() }),
    reader: obj({ a: str(), b: str() }, { dependencies: { a: { required: ['b'] } } }),
    compatible: false,
    path: '#/dependencies/a',
  },
  {
    rule: 'DEPENDENCY_SCHEMA_REMOVED',
    writer: obj({ a: str(), b: str() }, { dependencies: { a: { required: ['b'] } } }),
    reader: obj({ a: str(), b: str() }),
    compatible: true,
  },
  {
    rule: 'DEPENDENCY_SCHEMA_ADDED',
    writer: obj({ a: str(), b: str() }),
    reader: obj({ a: str(), b: str() }, { dependentSchemas: { a: { required: ['b'] } } }),
    compatible: false,
    path: '#/dependentSchemas/a',
    drafts: ['2019-09', '2020-12'],
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: obj({ a: str(), b: str() }, { dependencies: { a: { properties: { b: str() } } } }),
    reader: obj({ a: str(), b: str() }, { dependencies: { a: { properties: { b: str() }, required: ['b'] } } }),
    compatible: false,
    path: '#/dependencies/a/required/0',
  },
  {
    rule: 'MAX_PROPERTIES_ADDED',
    writer: { type: 'object' },
    reader: { type: 'object', maxProperties: 5 },
    compatible: false,
    path: '#/maxProperties',
  },
  {
    rule: 'MAX_PROPERTIES_REMOVED',
    writer: { type: 'object', maxProperties: 5 },
    reader: { type: 'object' },
    compatible: true,
  },
  {
    rule: 'MAX_PROPERTIES_INCREASED',
    writer: { type: 'object', maxProperties: 5 },
    reader: { type: 'object', maxProperties: 9 },
    compatible: true,
  },
  {
    rule: 'MAX_PROPERTIES_DECREASED',
    writer: { type: 'object', maxProperties: 9 },
    reader: { type: 'object', maxProperties: 5 },
    compatible: false,
    path: '#/maxProperties',
  },
  {
    rule: 'MAX_PROPERTIES_IMPLIED',
    writer: closed({ a: str(), b: str() }),
    reader: closed({ a: str(), b: str() }, { maxProperties: 2 }),
    compatible: true,
  },
  {
    rule: 'MIN_PROPERTIES_ADDED',
    writer: { type: 'object' },
    reader: { type: 'object', minProperties: 1 },
    compatible: false,
    path: '#/minProperties',
  },
  {
    rule: 'MIN_PROPERTIES_IMPLIED',
    writer: obj({ a: str() }, { required: ['a'] }),
    reader: obj({ a: str() }, { required: ['a'], minProperties: 1 }),
    compatible: true,
  },
  {
    rule: 'MIN_PROPERTIES_INCREASED',
    writer: { type: 'object', minProperties: 1 },
    reader: { type: 'object', minProperties: 2 },
    compatible: false,
    path: '#/minProperties',
  },
  {
    rule: 'MIN_PROPERTIES_DECREASED',
    writer: { type: 'object', minProperties: 2 },
    reader: { type: 'object', minProperties: 1 },
    compatible: true,
  },
  {
    rule: 'PROPERTY_NAMES_NARROWED',
    writer: { type: 'object' },
    reader: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } },
    compatible: false,
    path: '#/propertyNames',
  },
  {
    rule: 'PROPERTY_NAMES_NARROWED',
    writer: closed({ ok: str(), Bad: str() }),
    reader: closed({ ok: str(), Bad: str() }, { propertyNames: { pattern: '^[a-z]+$' } }),
    compatible: false,
    path: '#/propertyNames',
  },
  {
    rule: 'PROPERTY_NAMES_CHECKED',
    writer: closed({ ok: str(), fine: str() }),
    reader: closed({ ok: str(), fine: str() }, { propertyNames: { pattern: '^[a-z]+$' } }),
    compatible: true,
  },
  {
    rule: 'PROPERTY_NAMES_EXTENDED',
    writer: { type: 'object', propertyNames: { maxLength: 3 } },
    reader: { type: 'object', propertyNames: { maxLength: 5 } },
    compatible: true,
  },
  {
    rule: 'MAX_LENGTH_DECREASED',
    writer: { type: 'object', propertyNames: { maxLength: 5 } },
    reader: { type: 'object', propertyNames: { maxLength: 3 } },
    compatible: false,
    path: '#/propertyNames/maxLength',
  },
];

const annotations: Row[] = [
  {
    rule: 'DEFAULT_CHANGED',
    writer: obj({ a: str({ default: 'x' }) }),
    reader: obj({ a: str({ default: 'y' }) }),
    compatible: true,
  },
  {
    rule: 'DESCRIPTION_CHANGED',
    writer: obj({ a: str({ description: 'old' }) }),
    reader: obj({ a: str({ description: 'new' }) }),
    compatible: true,
  },
  {
    rule: 'TITLE_CHANGED',
    writer: { ...obj({ a: str() }), title: 'Old' },
    reader: { ...obj({ a: str() }), title: 'New' },
    compatible: true,
  },
  {
    rule: 'ID_CHANGED',
    writer: { ...obj({ a: str() }), $id: 'https://example.com/a.json' },
    reader: { ...obj({ a: str() }), $id: 'https://example.com/b.json' },
    compatible: true,
  },
  {
    rule: 'ANNOTATION_ADDED',
    writer: obj({ email: str() }),
    reader: obj({ email: str({ 'x-meshgate-pii': true, examples: ['a@b.c'], deprecated: true }) }),
    compatible: true,
  },
  {
    rule: 'KEY_ORDER_CHANGED',
    writer: { type: 'object', required: ['a'], properties: { a: str(), b: int() } },
    reader: { properties: { b: int(), a: str() }, required: ['a'], type: 'object' },
    compatible: true,
  },
  { rule: 'COMMENT_CHANGED', writer: obj({ a: str({ $comment: 'x' }) }), reader: obj({ a: str() }), compatible: true },
];

const addressV1 = { type: 'object', properties: { street: str(), zip: str() }, required: ['street'] };
const references: Row[] = [
  {
    rule: 'TYPE_CHANGED',
    writer: { definitions: { Money: num() }, ...obj({ total: { $ref: '#/definitions/Money' } }) },
    reader: { definitions: { Money: str() }, ...obj({ total: { $ref: '#/definitions/Money' } }) },
    compatible: false,
    path: '#/definitions/Money/type',
    note: 'the path is where the reader must be fixed',
    drafts: ['draft-07'],
  },
  {
    rule: 'TYPE_CHANGED',
    writer: { $defs: { Money: num() }, ...obj({ total: { $ref: '#/$defs/Money' } }) },
    reader: { $defs: { Money: str() }, ...obj({ total: { $ref: '#/$defs/Money' } }) },
    compatible: false,
    path: '#/$defs/Money/type',
  },
  {
    rule: 'REF_INLINED',
    writer: { $defs: { Money: num() }, ...obj({ total: { $ref: '#/$defs/Money' } }) },
    reader: obj({ total: num() }),
    compatible: true,
  },
  {
    rule: 'REF_EXTRACTED',
    writer: obj({ total: num() }),
    reader: { $defs: { Money: num() }, ...obj({ total: { $ref: '#/$defs/Money' } }) },
    compatible: true,
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: obj({ a: str() }),
    reader: { $defs: { S: str() }, ...obj({ a: { $ref: '#/$defs/S', maxLength: 3 } }) },
    compatible: false,
    path: '#/properties/a/maxLength',
    note: '$ref siblings apply (ajv evaluates them in every draft)',
  },
  {
    rule: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: obj({ address: { $ref: 'address.json' } }),
    reader: obj({ address: { $ref: 'address.json' } }),
    writerRefs: [reference('address.json', { ...addressV1, additionalProperties: false })],
    readerRefs: [
      reference(
        'address.json',
        {
          ...addressV1,
          additionalProperties: false,
          properties: { ...addressV1.properties, country: str() },
          required: ['street', 'country'],
        },
        2,
      ),
    ],
    compatible: false,
    path: 'address.json#/required/1',
  },
  {
    rule: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    writer: obj({ address: { $ref: 'address.json' } }),
    reader: obj({ address: { $ref: 'address.json' } }),
    writerRefs: [reference('address.json', { ...addressV1, additionalProperties: false })],
    readerRefs: [
      reference(
        'address.json',
        { ...addressV1, additionalProperties: false, properties: { ...addressV1.properties, country: str() } },
        2,
      ),
    ],
    compatible: true,
  },
  {
    rule: 'TYPE_CHANGED',
    writer: obj({ zip: { $ref: 'common.json#/definitions/Zip' } }),
    reader: obj({ zip: { $ref: 'common.json#/definitions/Zip' } }),
    writerRefs: [reference('common.json', { definitions: { Zip: str() } })],
    readerRefs: [reference('common.json', { definitions: { Zip: int() } }, 2)],
    compatible: false,
    path: 'common.json#/definitions/Zip/type',
  },
  {
    rule: 'REFERENCE_INLINED',
    writer: obj({ address: { $ref: 'address.json' } }),
    reader: obj({ address: addressV1 }),
    writerRefs: [reference('address.json', addressV1)],
    compatible: true,
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: obj({ address: addressV1 }),
    reader: obj({ address: { $ref: 'address.json' } }),
    readerRefs: [
      reference('address.json', { ...addressV1, properties: { ...addressV1.properties, zip: str({ maxLength: 5 }) } }),
    ],
    compatible: false,
    path: 'address.json#/properties/zip/maxLength',
  },
  {
    rule: 'ADDITIONAL_PROPERTIES_REMOVED',
    writer: obj({ c: { $ref: 'https://schemas.example.com/customer.json' } }),
    reader: obj({ c: { $ref: 'https://schemas.example.com/customer.json' } }),
    writerRefs: [reference('https://schemas.example.com/customer.json', obj({ id: str() }))],
    readerRefs: [
      reference(
        'https://schemas.example.com/customer.json',
        obj({ id: str(), name: str() }, { additionalProperties: false }),
        2,
      ),
    ],
    compatible: false,
    note: 'a reference named by absolute URL',
    path: 'https://schemas.example.com/customer.json#/additionalProperties',
  },
  {
    rule: 'MIN_LENGTH_ADDED',
    note: 'a reference by $anchor',
    writer: { $defs: { Id: { $anchor: 'id', type: 'string' } }, ...obj({ id: { $ref: '#id' } }) },
    reader: { $defs: { Id: { $anchor: 'id', type: 'string', minLength: 1 } }, ...obj({ id: { $ref: '#id' } }) },
    compatible: false,
    path: '#/$defs/Id/minLength',
    drafts: ['2019-09', '2020-12'],
  },
];

/** A linked list and a tree: recursive through $ref, compared without looping. */
const list = (value: unknown) => ({
  $defs: { Node: obj({ value, next: { $ref: '#/$defs/Node' } }) },
  $ref: '#/$defs/Node',
});
const tree = (value: unknown, extra: object = {}) => ({
  $defs: { Tree: obj({ value, children: arr({ $ref: '#/$defs/Tree' }) }, extra) },
  $ref: '#/$defs/Tree',
});
const recursion: Row[] = [
  { rule: 'RECURSIVE_UNCHANGED', writer: list(str()), reader: list(str()), compatible: true },
  { rule: 'RECURSIVE_UNCHANGED', writer: tree(int()), reader: tree(int()), compatible: true },
  { rule: 'TYPE_EXTENDED', writer: list(int()), reader: list(num()), compatible: true },
  {
    rule: 'TYPE_NARROWED',
    writer: list(num()),
    reader: list(int()),
    compatible: false,
    path: '#/$defs/Node/properties/value/type',
  },
  {
    rule: 'REQUIRED_ATTRIBUTE_ADDED',
    writer: tree(str()),
    reader: tree(str(), { required: ['value'] }),
    compatible: false,
    path: '#/$defs/Tree/required/0',
  },
  {
    rule: 'RECURSIVE_SELF_REFERENCE',
    writer: { ...obj({ name: str(), parent: { $ref: '#' } }) },
    reader: { ...obj({ name: str(), parent: { $ref: '#' } }) },
    compatible: true,
  },
  {
    rule: 'MAX_LENGTH_ADDED',
    writer: { ...obj({ name: str(), parent: { $ref: '#' } }) },
    reader: { ...obj({ name: str({ maxLength: 9 }), parent: { $ref: '#' } }) },
    compatible: false,
    path: '#/properties/name/maxLength',
  },
  {
    rule: 'MUTUAL_RECURSION',
    writer: {
      $defs: { A: obj({ b: { $ref: '#/$defs/B' } }), B: obj({ a: { $ref: '#/$defs/A' }, n: int() }) },
      $ref: '#/$defs/A',
    },
    reader: {
      $defs: { A: obj({ b: { $ref: '#/$defs/B' } }), B: obj({ a: { $ref: '#/$defs/A' }, n: num() }) },
      $ref: '#/$defs/A',
    },
    compatible: true,
  },
  {
    rule: 'TYPE_CHANGED',
    writer: {
      $defs: { A: obj({ b: { $ref: '#/$defs/B' } }), B: obj({ a: { $ref: '#/$defs/A' }, n: int() }) },
      $ref: '#/$defs/A',
    },
    reader: {
      $defs: { A: obj({ b: { $ref: '#/$defs/B' } }), B: obj({ a: { $ref: '#/$defs/A' }, n: str() }) },
      $ref: '#/$defs/A',
    },
    compatible: false,
    path: '#/$defs/B/properties/n/type',
  },
  {
    rule: 'RECURSIVE_UNION',
    writer: {
      $defs: { E: { oneOf: [int(), obj({ op: str(), args: arr({ $ref: '#/$defs/E' }) }, { required: ['op'] })] } },
      $ref: '#/$defs/E',
    },
    reader: {
      $defs: {
        E: { oneOf: [int(), str(), obj({ op: str(), args: arr({ $ref: '#/$defs/E' }) }, { required: ['op'] })] },
      },
      $ref: '#/$defs/E',
    },
    compatible: true,
  },
];

const allRows: { group: string; rows: Row[] }[] = [
  { group: 'content models', rows: contentModel },
  { group: 'unevaluatedProperties', rows: unevaluated },
  { group: 'required', rows: required },
  { group: 'types', rows: types },
  { group: 'enum and const', rows: enums },
  { group: 'strings', rows: strings },
  { group: 'numbers', rows: numbers },
  { group: 'arrays', rows: arrays },
  { group: 'tuples', rows: tuples },
  { group: 'combined schemas', rows: combined },
  { group: 'dependencies and object counts', rows: dependencies },
  { group: 'annotations', rows: annotations },
  { group: 'references', rows: references },
  { group: 'recursion', rows: recursion },
];

/** Puts the draft's `$schema` on a schema (boolean schemas stay as they are). */
function inDraft(schema: unknown, draft: Draft): unknown {
  if (typeof schema !== 'object' || schema === null || '$schema' in schema) return schema;
  return { $schema: META[draft], ...schema };
}

/** 2020-12 only: rewrite `definitions` to `$defs` is not needed — ajv keeps both — but `items` arrays must not appear there. */
function draftsOf(row: Row): readonly Draft[] {
  return row.drafts ?? ALL_DRAFTS;
}

function compare(row: Row, draft: Draft): Incompatibility[] {
  const writer = jsonSchemaEngine.parse(JSON.stringify(inDraft(row.writer, draft)), row.writerRefs ?? []);
  const reader = jsonSchemaEngine.parse(JSON.stringify(inDraft(row.reader, draft)), row.readerRefs ?? []);
  return jsonSchemaEngine.canRead(reader, writer, { lenient: row.lenient ?? false });
}

for (const { group, rows } of allRows) {
  describe(`JSON Schema compatibility: ${group}`, () => {
    const cases = rows.flatMap((row) => draftsOf(row).map((draft) => ({ row, draft })));
    it.each(cases)('$row.rule ($draft) $row.note', ({ row, draft }) => {
      const issues = compare(row, draft);
      const mode = row.lenient ? 'lenient' : 'strict';
      if (row.compatible) {
        expect(issues, `${row.rule} should be compatible (${mode})`).toEqual([]);
        return;
      }
      expect(issues.length, `${row.rule} should be incompatible (${mode})`).toBeGreaterThan(0);
      expect(issues.map((i) => i.rule)).toContain(row.rule);
      for (const issue of issues) {
        expect(issue.path).toMatch(/#/);
        expect(issue.fix.length).toBeGreaterThan(0);
        expect(issue.message.length).toBeGreaterThan(0);
        expect(issue.rule).toMatch(/^[A-Z][A-Z0-9_]+$/);
      }
      if (row.path) {
        expect(issues.filter((i) => i.rule === row.rule).map((i) => i.path)).toContain(row.path);
      }
    });
  });
}

describe('JSON Schema compatibility: results', () => {
  const parse = (schema: unknown, refs: ResolvedReference[] = []) =>
    jsonSchemaEngine.parse(JSON.stringify(schema), refs);

  it('explains an incompatibility with path, rule, old, new and fix', () => {
    const issues = jsonSchemaEngine.canRead(parse(obj({ total: int() })), parse(obj({ total: num() })));
    expect(issues).toEqual([
      {
        path: '#/properties/total/type',
        rule: 'TYPE_NARROWED',
        message:
          'The new schema allows integer here, but old data may hold non-integer numbers (the old schema allowed number).',
        old: 'number',
        new: 'integer',
        fix: 'Keep accepting non-integer numbers: set "type" to "number".',
      },
    ]);
  });

  it('reports every reason, sorted by path then rule', () => {
    const writer = parse(closed({ a: str(), b: num(), c: str() }));
    const reader = parse(closed({ a: str({ maxLength: 3 }), b: int() }, { required: ['a'] }));
    const issues = jsonSchemaEngine.canRead(reader, writer);
    expect(issues.map((i) => `${i.path} ${i.rule}`)).toEqual([
      '#/properties/a/maxLength MAX_LENGTH_ADDED',
      '#/properties/b/type TYPE_NARROWED',
      '#/properties/c PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      '#/required/0 REQUIRED_ATTRIBUTE_ADDED',
    ]);
  });

  it('is deterministic', () => {
    const writer = parse({ oneOf: [obj({ a: str() }), obj({ b: int() }), arr(str())] });
    const reader = parse({ anyOf: [obj({ a: int() }), arr(int())] });
    const first = jsonSchemaEngine.canRead(reader, writer);
    expect(first.length).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect(jsonSchemaEngine.canRead(reader, writer)).toEqual(first);
  });

  it('finds nothing between a schema and itself, even a recursive one with references', () => {
    const refs = [reference('common.json', { definitions: { Zip: str() } })];
    const schema = parse({ ...tree(obj({ zip: { $ref: 'common.json#/definitions/Zip' } })) }, refs);
    expect(jsonSchemaEngine.canRead(schema, schema)).toEqual([]);
  });

  it('compares both directions independently (FULL = both empty)', () => {
    const v1 = parse(closed({ a: str() }));
    const v2 = parse(closed({ a: str(), b: str() }));
    expect(jsonSchemaEngine.canRead(v2, v1)).toEqual([]); // BACKWARD: new reads old
    expect(jsonSchemaEngine.canRead(v1, v2).map((i) => i.rule)).toEqual(['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL']); // FORWARD
  });

  it('reports every place a change shows in a large nested schema', () => {
    // 2^6 string leaves reached through nested anyOf: each is its own location in the reader.
    let writer: unknown = str();
    let reader: unknown = str({ maxLength: 1 });
    for (let i = 0; i < 6; i++) {
      writer = obj({ [`p${i}`]: { anyOf: [writer, int(), { type: 'null' }] }, [`q${i}`]: { anyOf: [writer, int()] } });
      reader = obj({ [`p${i}`]: { anyOf: [reader, int(), { type: 'null' }] }, [`q${i}`]: { anyOf: [reader, num()] } });
    }
    const issues = jsonSchemaEngine.canRead(parse(reader), parse(writer));
    expect(issues).toHaveLength(64);
    expect(new Set(issues.map((i) => i.rule))).toEqual(new Set(['MAX_LENGTH_ADDED']));
  });

  it('never throws: a comparison too deep to finish is reported as such', () => {
    let writer: unknown = str();
    let reader: unknown = int();
    for (let i = 0; i < 200; i++) {
      writer = obj({ next: writer });
      reader = obj({ next: reader });
    }
    const issues = jsonSchemaEngine.canRead(parse(reader), parse(writer));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '#', rule: 'COMPARISON_LIMIT_REACHED' });
    expect(issues[0]!.fix.length).toBeGreaterThan(0);
  });

  it('stays exact when a writer has too many alternatives to split them all', () => {
    // 3^6 = 729 combinations: more than the engine splits. Unchanged alternatives must not be reported.
    const alternatives = (n: number) =>
      Array.from({ length: n }, (_, k) => ({
        oneOf: [{ required: [`a${k}`] }, { required: [`b${k}`] }, { required: [`c${k}`] }],
      }));
    const writer = parse({ type: 'object', allOf: alternatives(6) });
    expect(jsonSchemaEngine.canRead(parse({ type: 'object', allOf: alternatives(6) }), writer)).toEqual([]);
    const reader = parse({ type: 'object', allOf: alternatives(6), maxProperties: 9 });
    expect(jsonSchemaEngine.canRead(reader, writer).map((i) => i.rule)).toEqual(['MAX_PROPERTIES_ADDED']);
  });

  it('accepts a ParsedSchema that did not come from this engine by parsing its text', () => {
    const foreign = { schemaType: 'JSON' as const, text: JSON.stringify(str()), canonical: '' };
    const issues = jsonSchemaEngine.canRead(parse(str({ maxLength: 2 })), foreign);
    expect(issues.map((i) => i.rule)).toEqual(['MAX_LENGTH_ADDED']);
  });

  it('lenient mode only relaxes property additions to open content models', () => {
    const writer = parse(obj({ a: str() }));
    const reader = parse(obj({ a: str({ maxLength: 2 }), b: str() }, { additionalProperties: false }));
    expect(jsonSchemaEngine.canRead(reader, writer, { lenient: true }).map((i) => i.rule)).toEqual([
      'ADDITIONAL_PROPERTIES_REMOVED',
      'MAX_LENGTH_ADDED',
    ]);
    expect(jsonSchemaEngine.canRead(reader, writer).map((i) => i.rule)).toEqual([
      'ADDITIONAL_PROPERTIES_REMOVED',
      'MAX_LENGTH_ADDED',
      'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    ]);
  });
});
