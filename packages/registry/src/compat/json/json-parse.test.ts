import { describe, expect, it } from 'vitest';
import { isMeshgateError } from '@meshgate/core';
import type { ResolvedReference } from '../types';
import { isJsonParsedSchema, jsonSchemaEngine } from './index';

function reference(
  name: string,
  schema: unknown,
  schemaType: ResolvedReference['schemaType'] = 'JSON',
): ResolvedReference {
  return {
    name,
    subject: name,
    version: 1,
    schemaType,
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
  };
}

/** Parses and returns the MeshgateError thrown (failing the test when nothing is thrown). */
function parseError(
  text: string,
  references: ResolvedReference[] = [],
): { code: string; message: string; status: number } {
  try {
    jsonSchemaEngine.parse(text, references);
  } catch (error) {
    if (!isMeshgateError(error)) throw error;
    return { code: error.code, message: error.message, status: error.status };
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parse: text that is not JSON', () => {
  it.each([
    ['an empty text', '', 'line 1, column 1'],
    ['a trailing comma', '{"type": "string",}', 'line 1'],
    ['a missing colon', '{\n  "type": "string",\n  "maxLength" 3\n}', 'line 3, column 15'],
    ['a single-quoted string', "{'type': 'string'}", 'line 1, column 2'],
    ['a truncated document', '{"type": "object", "properties": {', 'line 1'],
    ['a comment', '{"type": "string" // id\n}', 'line 1'],
  ])('rejects %s and says where', (_label, text, where) => {
    const error = parseError(text);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.status).toBe(422);
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain(where);
  });
});

describe('parse: roots', () => {
  it.each([
    ['an array', '[]', 'an array'],
    ['a string', '"string"', 'a string'],
    ['a number', '42', 'a number'],
    ['null', 'null', 'null'],
  ])('rejects %s as the root', (_label, text, what) => {
    const error = parseError(text);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toContain('must be an object or a boolean');
    expect(error.message).toContain(what);
  });

  it.each(['true', 'false', '{}'])('accepts %s as the root', (text) => {
    expect(jsonSchemaEngine.parse(text, []).schemaType).toBe('JSON');
  });
});

describe('parse: drafts', () => {
  it.each([
    [undefined, 'draft-07'],
    ['http://json-schema.org/draft-07/schema#', 'draft-07'],
    ['http://json-schema.org/draft-07/schema', 'draft-07'],
    ['https://json-schema.org/draft/2019-09/schema', '2019-09'],
    ['https://json-schema.org/draft/2020-12/schema', '2020-12'],
    ['https://json-schema.org/draft/2020-12/schema#', '2020-12'],
  ])('$schema %s is %s', ($schema, dialect) => {
    const parsed = jsonSchemaEngine.parse(JSON.stringify({ $schema, type: 'string' }), []);
    expect(isJsonParsedSchema(parsed) && parsed.dialect).toBe(dialect);
  });

  it.each([
    'http://json-schema.org/draft-04/schema#',
    'http://json-schema.org/draft-06/schema#',
    'https://example.com/my-dialect',
    42,
  ])('rejects the unsupported $schema %s', ($schema) => {
    const error = parseError(JSON.stringify({ $schema, type: 'string' }));
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toContain('unsupported "$schema"');
    expect(error.message).toContain('2020-12');
  });
});

describe('parse: keywords ajv rejects', () => {
  it.each([
    ['an unknown type', { type: 'strin' }, '#/type'],
    ['a negative minLength', { type: 'string', minLength: -1 }, '#/minLength'],
    ['required as a string', { type: 'object', required: 'id' }, '#/required'],
    ['properties as an array', { type: 'object', properties: [] }, '#/properties'],
    ['a nested bad keyword', { type: 'object', properties: { a: { maxItems: 'ten' } } }, '#/properties/a/maxItems'],
    ['enum that is not an array', { enum: 'a' }, '#/enum'],
    ['multipleOf zero', { type: 'number', multipleOf: 0 }, '#/multipleOf'],
    ['additionalProperties as a string', { type: 'object', additionalProperties: 'no' }, '#/additionalProperties'],
    [
      'a tuple items array in 2020-12',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', items: [{}] },
      '#/items',
    ],
  ])('rejects %s with the place and ajv’s reason', (_label, schema, place) => {
    const error = parseError(JSON.stringify(schema));
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toContain(place);
    expect(error.message).toMatch(/must/);
  });

  it('rejects a pattern that is not a regular expression, with the regex error', () => {
    const error = parseError(JSON.stringify({ type: 'string', pattern: '(' }));
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toMatch(/regular expression/i);
  });

  it.each([
    ['Meshgate annotations', { type: 'object', properties: { email: { type: 'string', 'x-meshgate-pii': true } } }],
    ['unknown keywords', { type: 'string', 'x-owner': 'team-a', widget: { kind: 'text' } }],
    ['unknown formats', { type: 'string', format: 'x-order-number' }],
    [
      'a reference to the draft-07 meta-schema',
      { properties: { schema: { $ref: 'http://json-schema.org/draft-07/schema#' } } },
    ],
    [
      'a $ref with siblings',
      { definitions: { S: { type: 'string' } }, properties: { a: { $ref: '#/definitions/S', maxLength: 3 } } },
    ],
    ['an embedded $id', { properties: { a: { $id: 'address.json', type: 'object' }, b: { $ref: 'address.json' } } }],
    [
      'a root $id',
      { $id: 'https://example.com/order.json', properties: { a: { $ref: '#/definitions/A' } }, definitions: { A: {} } },
    ],
  ])('accepts %s', (_label, schema) => {
    expect(() => jsonSchemaEngine.parse(JSON.stringify(schema), [])).not.toThrow();
  });
});

describe('parse: $ref and references', () => {
  const customer = {
    type: 'object',
    properties: { id: { type: 'string' } },
    definitions: { Address: { type: 'object' } },
  };

  it('rejects a $ref to a schema that is not among the references, naming it', () => {
    const error = parseError(JSON.stringify({ properties: { customer: { $ref: 'customer.json' } } }));
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.status).toBe(422);
    expect(error.message).toContain('"customer.json"');
    expect(error.message).toContain('#/properties/customer/$ref');
    expect(error.message).toContain('none given');
  });

  it('lists the references that were given when one is missing', () => {
    const error = parseError(
      JSON.stringify({ properties: { a: { $ref: 'customer.json' }, b: { $ref: 'address.json#/definitions/Zip' } } }),
      [reference('customer.json', customer)],
    );
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('"address.json"');
    expect(error.message).toContain('"customer.json"');
  });

  it('rejects a local $ref that points to nothing', () => {
    const error = parseError(JSON.stringify({ properties: { a: { $ref: '#/definitions/Missing' } } }));
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toContain('#/definitions/Missing');
    expect(error.message).toContain('#/properties/a/$ref');
  });

  it('rejects a $ref into a reference at a pointer that does not exist', () => {
    const error = parseError(JSON.stringify({ properties: { a: { $ref: 'customer.json#/definitions/Nope' } } }), [
      reference('customer.json', customer),
    ]);
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.message).toContain('customer.json#/definitions/Nope');
  });

  it.each([
    ['the whole referenced schema', 'customer.json'],
    ['a definition inside it', 'customer.json#/definitions/Address'],
  ])('accepts a $ref to %s', (_label, ref) => {
    const parsed = jsonSchemaEngine.parse(JSON.stringify({ properties: { c: { $ref: ref } } }), [
      reference('customer.json', customer),
    ]);
    expect(parsed.schemaType).toBe('JSON');
  });

  it('accepts references named by absolute URL and chains of references', () => {
    const parsed = jsonSchemaEngine.parse(
      JSON.stringify({ properties: { order: { $ref: 'https://schemas.example.com/order.json' } } }),
      [
        reference('https://schemas.example.com/address.json', { type: 'object' }),
        reference('https://schemas.example.com/order.json', {
          type: 'object',
          properties: { ship: { $ref: 'address.json' } },
        }),
      ],
    );
    expect(parsed.schemaType).toBe('JSON');
  });

  it('rejects a reference that is not a JSON Schema', () => {
    const error = parseError(JSON.stringify({ properties: { a: { $ref: 'a.avsc' } } }), [
      reference('a.avsc', '{"type":"record","name":"A","fields":[]}', 'AVRO'),
    ]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('AVRO');
  });

  it('rejects a reference whose text is not JSON', () => {
    const error = parseError(JSON.stringify({ properties: { a: { $ref: 'a.json' } } }), [reference('a.json', '{nope')]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('not valid JSON');
  });

  it('rejects a reference that is not a valid schema', () => {
    const error = parseError(JSON.stringify({ properties: { a: { $ref: 'a.json' } } }), [
      reference('a.json', { type: 'strin' }),
    ]);
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain('#/type');
  });
});

describe('canonical form', () => {
  const canonical = (schema: unknown) => jsonSchemaEngine.parse(JSON.stringify(schema), []).canonical;

  it('keeps the registered text as it was', () => {
    const text = '{\n  "type": "string"\n}';
    expect(jsonSchemaEngine.parse(text, []).text).toBe(text);
  });

  it('sorts keys and drops whitespace', () => {
    expect(canonical({ type: 'object', properties: { b: { type: 'string' }, a: { type: 'integer' } } })).toBe(
      '{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}',
    );
    expect(jsonSchemaEngine.parse('{ "type" :  "string",\n"maxLength":3 }', []).canonical).toBe(
      '{"maxLength":3,"type":"string"}',
    );
  });

  it.each([
    ['a one-element type array', { type: ['string'] }, { type: 'string' }],
    ['type array order', { type: ['null', 'string'] }, { type: ['string', 'null'] }],
    ['required order', { required: ['b', 'a'] }, { required: ['a', 'b'] }],
    ['dependency order', { dependencies: { a: ['c', 'b'] } }, { dependencies: { a: ['b', 'c'] } }],
    ['nested type arrays', { items: [{ type: ['integer'] }] }, { items: [{ type: 'integer' }] }],
    ['keys inside a default', { default: { b: 1, a: 2 } }, { default: { a: 2, b: 1 } }],
    [
      'keys inside definitions',
      { definitions: { B: {}, A: { type: ['string'] } } },
      { definitions: { A: { type: 'string' }, B: {} } },
    ],
    ['number spelling', JSON.parse('{"maximum": 1.0}'), { maximum: 1 }],
  ])('folds %s', (_label, a, b) => {
    expect(canonical(a)).toBe(canonical(b));
  });

  it.each([
    ['enum order (tools generate code from it)', { enum: ['a', 'b'] }, { enum: ['b', 'a'] }],
    ['annotations', { type: 'string', description: 'x' }, { type: 'string' }],
    ['Meshgate annotations', { type: 'string', 'x-meshgate-pii': true }, { type: 'string' }],
    ['array order in data', { default: [1, 2] }, { default: [2, 1] }],
    [
      'tuple order',
      { items: [{ type: 'string' }, { type: 'integer' }] },
      { items: [{ type: 'integer' }, { type: 'string' }] },
    ],
    ['allOf order', { allOf: [{ minLength: 1 }, { maxLength: 3 }] }, { allOf: [{ maxLength: 3 }, { minLength: 1 }] }],
    ['a "type" that is data, not a keyword', { default: { type: ['a'] } }, { default: { type: 'a' } }],
    ['different meaning', { type: 'string', maxLength: 3 }, { type: 'string', maxLength: 4 }],
  ])('keeps %s', (_label, a, b) => {
    expect(canonical(a)).not.toBe(canonical(b));
  });

  it('is compact JSON that parses back to an equivalent schema', () => {
    const schema = { type: ['null', 'string'], required: ['b', 'a'], properties: { a: { type: 'string' } } };
    const text = canonical(schema);
    expect(JSON.parse(text)).toEqual({
      properties: { a: { type: 'string' } },
      required: ['a', 'b'],
      type: ['null', 'string'],
    });
    expect(text).not.toMatch(/\s/);
  });
});
