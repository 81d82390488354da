import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '@meshgate/registry';
import { decodeRecordValue, encodeRecordValue, type CheckableRecord } from '@meshgate/streaming';
import { judgeRecord, type CompiledSchema, type SubjectSnapshot } from './validate-records';

// The decision alone, with real compiled validators (the registry's ValidatorCache) and no I/O.
const validators = new ValidatorCache();
function compiled(id: number, schema: object | string, schemaType = 'JSON'): CompiledSchema {
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
  return { id, schemaType, validate: schemaType === 'JSON' ? validators.get(id, text) : undefined, seq: 0 };
}

const v1 = compiled(1, { type: 'object', required: ['id'], properties: { id: { type: 'string' } } });
const v2 = compiled(2, {
  type: 'object',
  required: ['id', 'total'],
  properties: { id: { type: 'string' }, total: { type: 'number' } },
  additionalProperties: false,
});
const otherSubjects = compiled(7, { type: 'object' });
const protobuf = compiled(8, 'syntax = "proto3"; message M {}', 'PROTOBUF');
const schemas = new Map<number, CompiledSchema | null>([
  [1, v1],
  [2, v2],
  [7, otherSubjects],
  [8, protobuf],
  [404, null],
]);
const orders: SubjectSnapshot = {
  subject: 'orders-value',
  live: [v2, v1],
  ids: new Set([1, 2, 8]),
  loadedAt: 0,
  seq: 0,
};
const empty: SubjectSnapshot = { subject: 'empty-value', live: [], ids: new Set(), loadedAt: 0, seq: 0 };

function json(data: unknown, headers: Record<string, string> = {}): CheckableRecord {
  return { headers, value: decodeRecordValue(Buffer.from(JSON.stringify(data)), headers) };
}
function confluent(data: unknown, id: number): CheckableRecord {
  return { headers: {}, value: decodeRecordValue(encodeRecordValue(data, 'confluent', id) as Buffer, {}) };
}
const judge = (record: CheckableRecord, subject = orders) =>
  judgeRecord(record, 'orders', subject, (id) => schemas.get(id));

describe('judgeRecord: the validation decision', () => {
  it('accepts a record naming no schema if any live version matches, newest first', () => {
    expect(judge(json({ id: 'a', total: 1 }))).toEqual({ valid: true, eventType: 'orders', schemaId: 2 });
    // Not valid under v2 (no total), valid under v1.
    expect(judge(json({ id: 'a' }))).toEqual({ valid: true, eventType: 'orders', schemaId: 1 });
  });

  it('rejects a record naming no schema that matches no version, with the newest version’s problems', () => {
    expect(judge(json({ total: 'x' }))).toEqual({
      valid: false,
      eventType: 'orders',
      reason: 'SCHEMA_MISMATCH',
      schemaId: 2,
      detail:
        "matches none of 2 versions; newest (schema 2): /id: must have required property 'id'; /total: must be number",
    });
  });

  it('checks a named schema only: by wire format or by header', () => {
    expect(judge(confluent({ id: 'a', total: 2 }, 2))).toMatchObject({ valid: true, schemaId: 2 });
    // Valid under v1 but it names v2, which wants a total.
    expect(judge(confluent({ id: 'a' }, 2))).toMatchObject({
      valid: false,
      reason: 'SCHEMA_MISMATCH',
      schemaId: 2,
      detail: "/total: must have required property 'total'",
    });
    expect(judge(json({ id: 'a' }, { 'meshgate-schema-id': '1' }))).toMatchObject({ valid: true, schemaId: 1 });
    expect(judge(json({ id: 'a', extra: true, total: 1 }, { 'meshgate-schema-id': '2' }))).toMatchObject({
      valid: false,
      reason: 'SCHEMA_MISMATCH',
      detail: '/extra: must NOT have additional properties',
    });
  });

  it('rejects an unknown schema id, a schema of another subject, and a schema that cannot judge JSON', () => {
    expect(judge(confluent({ id: 'a' }, 404))).toMatchObject({
      valid: false,
      reason: 'UNKNOWN_SCHEMA_ID',
      schemaId: 404,
    });
    expect(judge(json({ id: 'a' }, { 'meshgate-schema-id': '7' }))).toMatchObject({
      valid: false,
      reason: 'SCHEMA_OF_ANOTHER_SUBJECT',
      schemaId: 7,
      detail: "schema 7 is not a version of subject 'orders-value'",
    });
    expect(judge(confluent({ id: 'a' }, 8))).toMatchObject({ valid: false, reason: 'SCHEMA_MISMATCH', schemaId: 8 });
  });

  it('rejects values that are not JSON before looking at any schema', () => {
    const record: CheckableRecord = { headers: {}, value: decodeRecordValue(Buffer.from('<xml/>'), {}) };
    expect(judge(record)).toMatchObject({ valid: false, reason: 'NOT_JSON', eventType: 'orders' });
    const noValue: CheckableRecord = { headers: {}, value: decodeRecordValue(null, {}) };
    expect(judge(noValue)).toMatchObject({ valid: false, reason: 'NOT_JSON', detail: 'the record has no value' });
  });

  it('rejects a record naming no schema when the subject has none', () => {
    expect(judge(json({ id: 'a' }), empty)).toMatchObject({ valid: false, reason: 'SCHEMA_NOT_FOUND' });
  });

  it('asks for a named schema that is not loaded yet instead of guessing', () => {
    expect(judge(confluent({ id: 'a' }, 5))).toBeUndefined();
  });

  it('shares one verdict object per schema and event type for valid records', () => {
    expect(judge(json({ id: 'a', total: 1 }))).toBe(judge(json({ id: 'b', total: 2 })));
  });
});
