import { FILTER_LIMITS } from './filter-node';

const scalar = {
  description: 'A JSON scalar literal.',
  anyOf: [{ type: 'string', maxLength: FILTER_LIMITS.maxStringLength }, { type: ['number', 'boolean', 'null'] }],
} as const;

const orderable = {
  description: 'A number, or a string compared by UTF-16 code units (ISO 8601 timestamps order correctly).',
  anyOf: [{ type: 'string', maxLength: FILTER_LIMITS.maxStringLength }, { type: 'number' }],
} as const;

const list = {
  type: 'array',
  minItems: 1,
  maxItems: FILTER_LIMITS.maxNodes - 1,
  items: { $ref: '#/$defs/scalar' },
} as const;

function condition<const Op extends string, const Operand extends object>(
  op: Op,
  operand: Operand,
  description: string,
) {
  return {
    type: 'object',
    description,
    properties: { field: { $ref: '#/$defs/field' }, [op]: operand } as { field: { $ref: '#/$defs/field' } } & Record<
      Op,
      Operand
    >,
    required: ['field', op] as const,
    additionalProperties: false,
  } as const;
}

/**
 * JSON Schema (draft 2020-12) of the filter JSON form, for documentation and OpenAPI.
 * It describes shapes only: {@link filterFromJson} also enforces depth, node count and
 * meta-field operand types, and is the authority.
 */
export const filterJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Meshgate filter',
  description:
    'A filter on event payload fields and record metadata. Exactly one of and, or, not, or a field with one operator per object.',
  $ref: '#/$defs/filter',
  $defs: {
    filter: {
      oneOf: [{ $ref: '#/$defs/and' }, { $ref: '#/$defs/or' }, { $ref: '#/$defs/not' }, { $ref: '#/$defs/condition' }],
    },
    and: {
      type: 'object',
      description: 'Matches when every filter matches.',
      properties: { and: { type: 'array', minItems: 1, items: { $ref: '#/$defs/filter' } } },
      required: ['and'],
      additionalProperties: false,
    },
    or: {
      type: 'object',
      description: 'Matches when at least one filter matches.',
      properties: { or: { type: 'array', minItems: 1, items: { $ref: '#/$defs/filter' } } },
      required: ['or'],
      additionalProperties: false,
    },
    not: {
      type: 'object',
      description: 'Matches when the filter does not.',
      properties: { not: { $ref: '#/$defs/filter' } },
      required: ['not'],
      additionalProperties: false,
    },
    field: {
      type: 'string',
      minLength: 1,
      description:
        'A dotted path into the payload (customer.address.country, items.0.sku); \\ escapes the next character (\\. for a dot in a name, \\$ for a leading dollar). $key, $timestamp and $partition name record metadata.',
    },
    scalar,
    condition: {
      oneOf: [
        condition('eq', { $ref: '#/$defs/scalar' }, 'Equal (same type and value). A missing field is not equal.'),
        condition('ne', { $ref: '#/$defs/scalar' }, 'Not equal. A missing field is not equal, so it matches.'),
        condition(
          'gt',
          orderable,
          'Greater than (numbers, or strings). A missing field or another type never matches.',
        ),
        condition('gte', orderable, 'Greater than or equal.'),
        condition('lt', orderable, 'Less than.'),
        condition('lte', orderable, 'Less than or equal.'),
        condition('in', list, 'Equal to one of the values.'),
        condition('nin', list, 'Equal to none of the values; a missing field matches.'),
        condition('exists', { type: 'boolean' }, 'true: the field is present (null counts as present); false: absent.'),
        condition(
          'contains',
          { $ref: '#/$defs/scalar' },
          'A string field contains the substring, or an array field has the element.',
        ),
      ],
    },
  },
} as const;
