import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@meshgate/db';
// @ts-expect-error -- plain ESM script without type declarations
import { startBroker, stopBroker } from '../../../scripts/kafka/broker-lib.mjs';
import { request, startTestGateway, uniqueName, waitFor, type TestGateway } from './harness';
import { followGraphql, followSse, produceBatchWithRetry, produceWithRetry } from './resumable-clients';

interface Broker {
  brokers: string;
  stop(): Promise<void>;
}

// A broker of this test's own (restarting the run's shared broker would disturb other suites),
// stopped and started again on the same port and data folder while events are produced and
// subscribers are connected.
describe('Kafka broker stopped and restarted under load', () => {
  let dir: string;
  let port: number;
  let broker: Broker;
  let gw: TestGateway;
  const eventType = uniqueName('broker.restart');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-broker-'));
    await chmod(dir, 0o755);
    port = await findFreePort();
    broker = (await startBroker({ dir: path.join(dir, 'kafka'), port, timeoutMs: 90_000 })) as Broker;
    gw = await startTestGateway('kafka', { kafkaBrokers: [broker.brokers], dependencyRetryMs: 500 });
    await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, { summary: 's', owner: 'o', partitions: 2 });
    await request(gw.url, 'POST', `/registry/subjects/${eventType}-value/versions`, {
      schema: JSON.stringify({ type: 'object', required: ['seq'], properties: { seq: { type: 'integer' } } }),
      schemaType: 'JSON',
    });
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    await (stopBroker({ dir: path.join(dir, 'kafka') }) as Promise<void>).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers every event to every subscriber after recovery (at-least-once, deduplicated by seq)', async () => {
    let stopped = false;
    const sse = followSse(gw.url, eventType, () => stopped);
    const ws = followGraphql(gw.url, eventType, () => stopped);
    const produce = (seq: number) => produceWithRetry(gw.url, eventType, { seq });

    for (let seq = 0; seq < 20; seq++) await produce(seq);
    await waitFor(() => (sse.seen.size >= 20 && ws.seen.size >= 20 ? true : undefined), 30_000, 'first 20 events');

    await (stopBroker({ dir: path.join(dir, 'kafka'), keep: true }) as Promise<void>);
    // Accepted only once the broker is back: producers keep retrying meanwhile. The batches go
    // through a produce worker's own Kafka producer, which must recover as the main one does.
    const batch = (from: number) =>
      produceBatchWithRetry(
        gw.url,
        eventType,
        Array.from({ length: 50 }, (_, i) => ({ seq: from + i })),
      );
    const whileDown = Promise.all([...Array.from({ length: 10 }, (_, i) => produce(20 + i)), batch(40), batch(90)]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    broker = (await startBroker({ dir: path.join(dir, 'kafka'), port, timeoutMs: 90_000 })) as Broker;
    await whileDown;
    for (let seq = 30; seq < 40; seq++) await produce(seq);
    await batch(140);

    const all = Array.from({ length: 190 }, (_, i) => i);
    try {
      await waitFor(
        () => (sse.seen.size >= 190 && ws.seen.size >= 190 ? true : undefined),
        60_000,
        'all 190 events on both clients',
      );
    } finally {
      stopped = true;
      await Promise.all([sse.done, ws.done]);
    }
    expect([...sse.seen].sort((a, b) => a - b)).toEqual(all);
    expect([...ws.seen].sort((a, b) => a - b)).toEqual(all);
    const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    expect(
      Number(/meshgate_produce_ndjson_checks_total\{thread="worker"\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
