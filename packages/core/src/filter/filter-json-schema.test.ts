import { describe, expect, it } from 'vitest';
import { filterFromJson } from './filter-json';
import { filterJsonSchema } from './filter-json-schema';

// core has no JSON Schema validator of its own (ajv belongs to the registry), so these tests
// check the schema's structure and that the examples it is documented with hold for filterFromJson.

const VALID: unknown[] = [
  { field: 'a', eq: 1 },
  { field: 'a.b\\.c', ne: null },
  { field: 'a', gt: 'm' },
  { field: 'a', gte: 1 },
  { field: 'a', lt: 1 },
  { field: 'a', lte: 1 },
  { field: 'a', in: [1, 'x', true, null] },
  { field: 'a', nin: ['x'] },
  { field: 'a', exists: false },
  { field: 'tags', contains: 'vip' },
  { field: '$timestamp', gte: '2024-05-01' },
  { and: [{ field: 'a', eq: 1 }, { or: [{ not: { field: 'b', exists: true } }] }] },
];

const INVALID: unknown[] = [
  null,
  [],
  {},
  { and: [] },
  { and: [{ field: 'a', eq: 1 }], or: [{ field: 'a', eq: 1 }] },
  { not: [] },
  { field: 'a' },
  { field: 'a', eq: 1, lt: 2 },
  { field: 'a', equals: 1 },
  { field: 7, eq: 1 },
  { field: '', eq: 1 },
  { field: 'a', eq: {} },
  { field: 'a', gt: true },
  { field: 'a', in: 'x' },
  { field: 'a', in: [] },
  { field: 'a', in: [[1]] },
  { field: 'a', exists: 'yes' },
  { field: 'a', contains: [1] },
  { eq: 1 },
];

describe('filterJsonSchema', () => {
  it('is plain JSON whose every $ref resolves', () => {
    const text = JSON.stringify(filterJsonSchema);
    expect(JSON.parse(text)).toEqual(filterJsonSchema);
    const refs = [...text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(Object.keys(filterJsonSchema.$defs)).toContain(ref);
  });

  it('has one condition shape per operator, each requiring field and that operator only', () => {
    const ops = filterJsonSchema.$defs.condition.oneOf.map((shape) => {
      expect(shape.additionalProperties).toBe(false);
      expect(shape.required[0]).toBe('field');
      return shape.required[1];
    });
    expect(ops).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'exists', 'contains']);
  });

  it.each(VALID)('documents %j, which filterFromJson accepts', (json) => {
    expect(() => filterFromJson(json)).not.toThrow();
  });

  it.each(INVALID)('excludes %j, which filterFromJson rejects', (json) => {
    expect(() => filterFromJson(json)).toThrow();
  });
});
