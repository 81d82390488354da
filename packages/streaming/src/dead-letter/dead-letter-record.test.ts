import { describe, expect, it } from 'vitest';
import type { LogRecord } from '@meshgate/event-log';
import { describeProblems, MAX_VERDICT_DETAIL } from '../record-check';
import { deadLetterHeaders, parseDeadLetterSource, toDeadLetterRecord } from './dead-letter-record';

const record: LogRecord = {
  topic: 'shop.orders',
  partition: 2,
  offset: 41,
  key: Buffer.from('k-1'),
  value: Buffer.from([0, 0, 0, 0, 9, 0x7b]),
  headers: { trace: 't-1', 'meshgate-dlq-schema-id': 'stale' },
  timestamp: new Date('2026-11-23T10:00:00Z'),
};

describe('dead-letter records', () => {
  it('keep the original key, value bytes and headers and add the reason headers', () => {
    const time = new Date('2026-11-23T12:00:00Z');
    const dead = toDeadLetterRecord(
      record,
      { valid: false, eventType: 'shop.order', reason: 'NOT_JSON', detail: 'the value is not JSON', schemaId: 9 },
      time,
      3,
    );
    expect(dead.key).toBe(record.key);
    expect(dead.value).toBe(record.value);
    expect(dead.partition).toBe(2);
    expect(dead.headers).toEqual({
      trace: 't-1',
      [deadLetterHeaders.reason]: 'NOT_JSON',
      [deadLetterHeaders.detail]: 'the value is not JSON',
      [deadLetterHeaders.source]: 'shop.orders/2/41',
      [deadLetterHeaders.schemaId]: '9',
      [deadLetterHeaders.time]: '2026-11-23T12:00:00.000Z',
      [deadLetterHeaders.eventType]: 'shop.order',
    });
    // Fewer dead-letter partitions than the source: modulo; no schema id: no header (not a stale one).
    const other = toDeadLetterRecord(record, { valid: false, reason: 'SCHEMA_NOT_FOUND', detail: 'none' }, time, 2);
    expect(other.partition).toBe(0);
    expect(other.headers).not.toHaveProperty(deadLetterHeaders.schemaId);
    expect(other.headers).not.toHaveProperty(deadLetterHeaders.eventType);
  });

  it('parse their source header back, and refuse what is not one', () => {
    expect(parseDeadLetterSource('a.b-c/12/345')).toEqual({ topic: 'a.b-c', partition: 12, offset: 345 });
    for (const bad of [undefined, '', 'topic', 'topic/1', 'topic/x/1', '/1/2']) {
      expect(parseDeadLetterSource(bad)).toBeUndefined();
    }
  });

  it('describe problems as JSON pointers with messages, bounded', () => {
    expect(describeProblems([{ path: '', message: 'must be object' }])).toBe('/: must be object');
    const many = Array.from({ length: 8 }, (_, i) => ({ path: `/items/${i}`, message: 'must be string' }));
    expect(describeProblems(many)).toBe(
      '/items/0: must be string; /items/1: must be string; /items/2: must be string; /items/3: must be string; /items/4: must be string; … and 3 more',
    );
    const long = describeProblems([{ path: '/a', message: 'x'.repeat(5000) }]);
    expect(long.length).toBe(MAX_VERDICT_DETAIL);
    expect(long.endsWith('…')).toBe(true);
  });
});
