import { describe, expect, it } from 'vitest';
import { decodeRecordValue, encodeRecordValue, schemaIdFromHeader } from './record-value';

describe('record value framing', () => {
  it('encodes plain JSON as its text and Confluent framing as magic byte, big-endian id, JSON', () => {
    expect(encodeRecordValue({ a: 1 }, 'json', 7)).toBe('{"a":1}');
    const framed = encodeRecordValue({ name: 'Zoë' }, 'confluent', 0x01020304) as Buffer;
    expect([...framed.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    expect(framed.subarray(5).toString('utf8')).toBe('{"name":"Zoë"}');
    expect(framed.length).toBe(5 + Buffer.byteLength('{"name":"Zoë"}'));
    expect(() => encodeRecordValue({}, 'confluent', 2 ** 32)).toThrow(RangeError);
  });

  it('round-trips both framings, whatever the event type says', () => {
    for (const data of [{ order: 'o-1', total: 9.5 }, [1, 2], 'text', 42, null, true]) {
      expect(decodeRecordValue(Buffer.from(encodeRecordValue(data, 'json', 3)), {})).toEqual({
        ok: true,
        data,
        schemaId: undefined,
        framing: 'json',
      });
      expect(decodeRecordValue(encodeRecordValue(data, 'confluent', 3) as Buffer, {})).toEqual({
        ok: true,
        data,
        schemaId: 3,
        framing: 'confluent',
      });
    }
  });

  it('takes the schema id from the wire format first, else from the meshgate-schema-id header', () => {
    const framed = encodeRecordValue({ a: 1 }, 'confluent', 12) as Buffer;
    expect(decodeRecordValue(framed, { 'meshgate-schema-id': '99' }).schemaId).toBe(12);
    expect(decodeRecordValue(Buffer.from('{"a":1}'), { 'meshgate-schema-id': '99' }).schemaId).toBe(99);
    expect(decodeRecordValue(Buffer.from('{"a":1}'), undefined).schemaId).toBeUndefined();
  });

  it('reports values that are missing or not JSON, keeping the id a wire-format value names', () => {
    expect(decodeRecordValue(null, {})).toMatchObject({
      ok: false,
      framing: 'json',
      problem: 'the record has no value',
    });
    expect(decodeRecordValue(Buffer.alloc(0), {})).toMatchObject({ ok: false });
    expect(decodeRecordValue(Buffer.from('not json'), {})).toMatchObject({
      ok: false,
      framing: 'json',
      problem: expect.stringMatching(/^the value is not JSON: /),
    });
    // An Avro or Protobuf payload behind the magic byte: the id is known, the payload is not JSON.
    const avro = Buffer.concat([Buffer.from([0, 0, 0, 0, 5]), Buffer.from([0x02, 0x61, 0xff])]);
    expect(decodeRecordValue(avro, {})).toMatchObject({ ok: false, schemaId: 5, framing: 'confluent' });
    // Magic byte and id but no payload.
    expect(decodeRecordValue(Buffer.from([0, 0, 0, 0, 5]), {})).toMatchObject({ ok: false, schemaId: 5 });
  });

  it('treats a value shorter than the wire-format header, or not starting with byte 0, as JSON text', () => {
    expect(decodeRecordValue(Buffer.from([0, 1, 2]), {})).toMatchObject({ ok: false, framing: 'json' });
    expect(decodeRecordValue(Buffer.from(' 5'), {})).toMatchObject({ ok: true, data: 5, framing: 'json' });
  });

  it('reads only positive integer schema id headers', () => {
    expect(schemaIdFromHeader('17')).toBe(17);
    expect(schemaIdFromHeader(undefined)).toBeUndefined();
    for (const bad of ['', '0', '-1', '1.5', 'abc', '017', '99999999999'])
      expect(schemaIdFromHeader(bad)).toBeUndefined();
  });
});
