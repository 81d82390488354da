import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { encodeRecordValue } from '@meshgate/streaming';
import { createGateway, type Gateway } from '../src/app';
import { createLogger } from '../src/logger';
import { openDirectWriter, type DirectRecord, type DirectWriter } from './direct-writes';
import { TEST_TOKEN, request, testKafkaBrokers, uniqueName, waitFor } from './harness';

// Two gateway instances on one Kafka and one PostgreSQL: their dead-letter workers share each
// topic's partitions through one consumer group, so each partition has exactly one writer and
// every invalid record is dead-lettered (at least once: duplicates are dropped by source), and
// no valid one is.
describe('dead-lettering with two gateway instances on one Kafka', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let dir: string;
  let a: Gateway;
  let b: Gateway;
  let writer: DirectWriter;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-dlq-two-'));
    const start = () =>
      createGateway({
        port: 0,
        dataDir: dir,
        databaseUrl: db.url,
        kafkaBrokers: testKafkaBrokers(),
        seedDemo: false,
        logger: createLogger(process.env.MESHGATE_TEST_LOG === '1' ? 'debug' : 'silent', false),
        access: { bootstrapToken: TEST_TOKEN },
      });
    [a, b] = await Promise.all([start(), start()]);
    await Promise.all([a.runtime.ready(), b.runtime.ready()]);
    writer = await openDirectWriter('kafka', db.url);
  });
  afterAll(async () => {
    await writer?.close();
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('dead-letters every invalid record once per source, none of the valid ones, one writer per partition', async () => {
    const name = uniqueName('dlq-two');
    await request(a.url, 'PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'o', partitions: 4 });
    const { id } = (
      await request(a.url, 'POST', `/registry/subjects/${name}-value/versions`, {
        schemaType: 'JSON',
        schema: JSON.stringify({ type: 'object', required: ['n'], properties: { n: { type: 'integer' } } }),
      })
    ).body as { id: number };

    // Instance B learns of the event type through the change feed; both join the topic's group.
    const workers = [a, b].map((gateway) => gateway.runtime.services().deadLetters!);
    await waitFor(
      () => (workers.every((worker) => worker.assignment(name).length > 0) ? true : undefined),
      60_000,
      'both instances to own partitions of the topic',
    );
    const [ownedByA, ownedByB] = workers.map((worker) => worker.assignment(name));
    expect([...ownedByA!, ...ownedByB!].sort()).toEqual([0, 1, 2, 3]);

    const kinds = ['valid', 'mismatch', 'valid-framed', 'not-json', 'framed-mismatch'] as const;
    const records: Array<DirectRecord & { valid: boolean }> = Array.from({ length: 100 }, (_, n) => {
      const kind = kinds[n % kinds.length]!;
      const key = `key-${n}`;
      switch (kind) {
        case 'valid':
          return { valid: true, key, value: JSON.stringify({ n }) };
        case 'valid-framed':
          return { valid: true, key, value: encodeRecordValue({ n }, 'confluent', id) };
        case 'mismatch':
          return { valid: false, key, value: JSON.stringify({ n: `s${n}` }) };
        case 'framed-mismatch':
          return { valid: false, key, value: encodeRecordValue({ n: 0.5 }, 'confluent', id) };
        case 'not-json':
          return { valid: false, key, value: `plain text ${n}` };
      }
    });
    const positions = await writer.send(name, records);
    const source = (index: number) => `${positions[index]!.partition}/${positions[index]!.offset}`;
    const invalid = new Set(records.flatMap((record, index) => (record.valid ? [] : [source(index)])));
    const valid = new Set(records.flatMap((record, index) => (record.valid ? [source(index)] : [])));

    // Read the dead-letter topic (through either instance) until every invalid record is there.
    const seen = new Set<string>();
    let letters = 0;
    await waitFor(
      async () => {
        let cursor: string | undefined;
        seen.clear();
        letters = 0;
        for (;;) {
          const query = cursor ? `after=${encodeURIComponent(cursor)}` : 'from=earliest';
          const page = (await request(b.url, 'GET', `/v1/events/${name}/dead-letters?${query}&limit=1000`)).body;
          for (const letter of page.records as Array<{ source: { partition: number; offset: number } }>) {
            seen.add(`${letter.source.partition}/${letter.source.offset}`);
            letters += 1;
          }
          cursor = page.cursor as string;
          if (!page.hasMore) break;
        }
        return [...invalid].every((s) => seen.has(s)) ? true : undefined;
      },
      60_000,
      'every invalid record in the dead-letter topic',
    );
    expect([...seen].filter((s) => valid.has(s))).toEqual([]);
    expect([...seen].sort()).toEqual([...invalid].sort());
    // Without a rebalance during the test, at-least-once delivered exactly once.
    expect(letters).toBe(invalid.size);

    // Each instance dead-lettered the records of the partitions it owns, and only those.
    const expectedFor = (owned: number[]) =>
      records.filter((record, index) => !record.valid && owned.includes(positions[index]!.partition)).length;
    const expected = [expectedFor(ownedByA!), expectedFor(ownedByB!)];
    expect(expected.every((count) => count > 0)).toBe(true);
    let counts: number[] = [];
    await waitFor(async () => {
      counts = await Promise.all([a, b].map((gateway) => deadLettered(gateway.url, name)));
      return counts.join() === expected.join() ? true : undefined;
    }, 10_000).catch(() => undefined);
    expect(counts).toEqual(expected);
  });
});

/** meshgate_dead_lettered_total of one event type, summed over reasons. */
async function deadLettered(url: string, eventType: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`meshgate_dead_lettered_total{event_type="${eventType}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
