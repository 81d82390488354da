import { describe, expect, it } from 'vitest';
import { createEventLog } from './create-event-log';

describe('createEventLog', () => {
  it('picks Kafka when brokers are given, and the embedded log otherwise', async () => {
    // Neither adapter connects before its first call, so unreachable addresses are fine here.
    const kafka = createEventLog({ kafkaBrokers: ['127.0.0.1:1'], clientId: 'test' });
    expect(kafka.kind).toBe('kafka');
    await kafka.close();

    const postgres = createEventLog({ databaseUrl: 'postgresql://nobody:secret@127.0.0.1:1/nothing' });
    expect(postgres.kind).toBe('postgres');
    await postgres.close();
  });

  it('refuses a configuration that names neither', () => {
    expect(() => createEventLog({})).toThrow(/pool or a databaseUrl/);
    expect(() => createEventLog({ kafkaBrokers: [] })).toThrow(/at least one broker/);
  });
});
