// Produce benchmark on Kafka: single-event and NDJSON-batch REST produce through the gateway,
// against a raw kafkajs producer (acks all, idempotent, one request in flight, as the gateway's)
// sending the same records to a topic of its own with as many partitions, in batches of 100, with the same concurrency,
// measured in the same run (plus, for reference, the same producer sending one record per send,
// and sending as many records per send as the gateway's coalesced produce calls carry).
// Run by hand: `npm run produce -w @meshgate/bench` (about two minutes, Java 17+ needed).
// BENCH_SECONDS (default 8) per scenario, BENCH_CONNECTIONS (default 8) concurrent requests/sends,
// BENCH_ROUNDS (default 1) runs of every scenario, interleaved, reporting each one's median run.
// The gateway runs as it does by default, dead-letter worker on: it reads back every record of
// the event type's topic and skips those its produce path validated, a cost the batch figure
// includes. The raw producer writes to a topic no event type names (same partitions), so the
// gateway never validates its records: that work would be the direct producer's cost, not the
// produce path's, and would take CPU from the raw producer on a small machine.
// BENCH_DEAD_LETTER=0 turns the worker off. The gateway's produce worker thread (which parses,
// validates and appends the NDJSON batches) runs as by default; MESHGATE_PRODUCE_THREADS=0 in
// the environment measures the main thread doing it all.
import autocannon from 'autocannon';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { producedRecordHeaders } from '@meshgate/streaming';
import { benchAuth, startGateway, type BenchGateway } from './harness';
import { fmt, Latency, printTable, sampleTree, selfCpu, treeUsage, type TreeSample, type TreeUsage } from './stats';

interface BrokerLib {
  startBroker(options: { dir?: string; port?: number; timeoutMs?: number }): Promise<{
    brokers: string;
    pid: number;
    stop(): Promise<void>;
  }>;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const deadLetterWorker = process.env.BENCH_DEAD_LETTER !== '0';
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const warmupSeconds = 2;
const batchSize = 100;
const eventType = 'bench.orders';
const topic = eventType;
const partitions = 3;
/** Where the raw producer writes: no event type names it, so no dead-letter worker reads it. */
const rawTopic = `${topic}.raw`;

const orderSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'OrderPlaced',
  type: 'object',
  required: ['orderId', 'customerId', 'status', 'currency', 'total', 'items', 'placedAt', 'region'],
  additionalProperties: false,
  properties: {
    orderId: { type: 'string', pattern: '^ord-[0-9]+$' },
    customerId: { type: 'string', minLength: 1, maxLength: 64 },
    status: { type: 'string', enum: ['PLACED', 'PAID', 'SHIPPED', 'CANCELLED'] },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
    total: { type: 'number', minimum: 0 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['sku', 'quantity', 'unitPrice'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string' },
          quantity: { type: 'integer', minimum: 1 },
          unitPrice: { type: 'number', minimum: 0 },
        },
      },
    },
    placedAt: { type: 'string', format: 'date-time' },
    region: { type: 'string', enum: ['EU', 'US', 'APAC'] },
    channel: { type: 'string', enum: ['web', 'app', 'store'] },
    couponCode: { type: ['string', 'null'] },
    shipping: {
      type: 'object',
      required: ['country', 'postcode'],
      properties: {
        country: { type: 'string', minLength: 2, maxLength: 2 },
        city: { type: 'string' },
        postcode: { type: 'string' },
      },
    },
  },
};

function order(i: number): string {
  const items = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
    sku: `sku-${(i * 7 + k) % 997}`,
    quantity: 1 + ((i + k) % 4),
    unitPrice: Math.round(((i * 13 + k * 31) % 20_000) + 99) / 100,
  }));
  return JSON.stringify({
    orderId: `ord-${100_000 + i}`,
    customerId: `cust-${(i * 31) % 5000}`,
    status: 'PLACED',
    currency: ['EUR', 'USD', 'GBP'][i % 3],
    total: Math.round(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) * 100) / 100,
    items,
    placedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    region: ['EU', 'US', 'APAC'][i % 3],
    channel: ['web', 'app', 'store'][i % 3],
    couponCode: i % 5 === 0 ? `SPRING${i % 100}` : null,
    shipping: { country: ['DE', 'US', 'SG'][i % 3], city: 'Springfield', postcode: String(10_000 + (i % 90_000)) },
  });
}

// A pool of distinct events; batches are consecutive slices of it, so both paths send the same bytes.
const pool = Array.from({ length: 2000 }, (_, i) => order(i));
const batches = Array.from({ length: pool.length / batchSize }, (_, b) =>
  pool.slice(b * batchSize, (b + 1) * batchSize),
);
const ndjsonBodies = batches.map((batch) => batch.join('\n') + '\n');

interface Row {
  name: string;
  eventsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  gateway?: TreeUsage;
  broker: number;
  bench: number;
}

async function setUp(gateway: BenchGateway): Promise<number> {
  const put = await fetch(`${gateway.url}/v1/catalog/event-types/${eventType}`, {
    method: 'PUT',
    headers: { ...benchAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ summary: 'Benchmark orders', owner: 'bench', partitions }),
  });
  if (!put.ok) throw new Error(`declaring ${eventType} failed: ${put.status} ${await put.text()}`);
  const registered = await fetch(`${gateway.url}/registry/subjects/${topic}-value/versions`, {
    method: 'POST',
    headers: { ...benchAuth, 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(orderSchema), schemaType: 'JSON' }),
  });
  if (!registered.ok) throw new Error(`registering the schema failed: ${registered.status} ${await registered.text()}`);
  const { id } = (await registered.json()) as { id: number };
  const probe = await fetch(`${gateway.url}/v1/events/${eventType}`, {
    method: 'POST',
    headers: { ...benchAuth, 'content-type': 'application/json' },
    body: pool[0]!,
  });
  if (probe.status !== 202) throw new Error(`a probe produce failed: ${probe.status} ${await probe.text()}`);
  return id;
}

interface Meter {
  gateway: TreeSample;
  broker: TreeSample;
  cpu: NodeJS.CpuUsage;
  at: number;
}

function startMeter(gatewayPid: number, brokerPid: number): Meter {
  return {
    gateway: sampleTree(gatewayPid),
    broker: sampleTree(brokerPid),
    cpu: process.cpuUsage(),
    at: performance.now(),
  };
}

function readMeter(meter: Meter, gatewayPid: number, brokerPid: number) {
  const brokerUsage = treeUsage(meter.broker, sampleTree(brokerPid));
  return {
    gateway: treeUsage(meter.gateway, sampleTree(gatewayPid)),
    broker: brokerUsage.nodeCpu + brokerUsage.otherCpu,
    bench: selfCpu(meter.cpu, meter.at),
  };
}

async function cannon(
  name: string,
  options: Parameters<typeof autocannon>[0],
  eventsPerRequest: number,
  pids: { gateway: number; broker: number },
): Promise<Row> {
  await autocannon({ ...options, duration: warmupSeconds });
  const meter = startMeter(pids.gateway, pids.broker);
  const result = await autocannon({ ...options, duration: seconds });
  const usage = readMeter(meter, pids.gateway, pids.broker);
  // Events per second from completed 2xx requests over the measured time.
  const ok = result.requests.total - result.non2xx;
  const rps = ok / result.duration;
  return {
    name,
    eventsPerSecond: rps * eventsPerRequest,
    requestsPerSecond: rps,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    ...usage,
  };
}

async function rawKafka(
  brokers: string,
  schemaId: number,
  pids: { gateway: number; broker: number },
  recordsPerSend: number,
): Promise<Row> {
  const kafka = new Kafka({ clientId: 'meshgate-bench-raw', brokers: [brokers], logLevel: logLevel.NOTHING });
  // The same producer settings as the gateway's Kafka adapter (acks all, idempotent, one in flight).
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  // The same record headers the gateway sets (from the same function), so the bytes on the wire match.
  const headers = producedRecordHeaders(eventType, schemaId);
  // Consecutive runs of the pool (wrapping round), so every send has recordsPerSend records.
  const sends = Array.from({ length: Math.ceil(pool.length / recordsPerSend) }, (_, s) =>
    Array.from({ length: recordsPerSend }, (_, i) => pool[(s * recordsPerSend + i) % pool.length]!),
  );
  const messagesOf = sends.map((values) => values.map((value) => ({ value, headers })));
  // The gateway stamps its records with the time of the request; so does this producer.
  const stamped = (messages: Array<{ value: string; headers: typeof headers }>) => {
    const timestamp = String(Date.now());
    return messages.map((message) => ({ ...message, timestamp }));
  };
  const latency = new Latency();
  let sent = 0;
  let errors = 0;
  let next = 0;
  const run = async (durationMs: number, record: boolean) => {
    const end = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          const messages = stamped(messagesOf[next++ % messagesOf.length]!);
          try {
            await producer.send({ topic: rawTopic, acks: -1, messages });
            if (record) {
              latency.record(performance.now() - started);
              sent += messages.length;
            }
          } catch {
            if (record) errors++;
          }
        }
      }),
    );
  };
  try {
    await run(warmupSeconds * 1000, false);
    const meter = startMeter(pids.gateway, pids.broker);
    const started = performance.now();
    await run(seconds * 1000, true);
    const elapsed = (performance.now() - started) / 1000;
    const usage = readMeter(meter, pids.gateway, pids.broker);
    return {
      name:
        recordsPerSend === batchSize
          ? `raw kafkajs send, ${batchSize} records (baseline)`
          : `raw kafkajs send, ${recordsPerSend} record${recordsPerSend === 1 ? '' : 's'} (reference)`,
      eventsPerSecond: sent / elapsed,
      requestsPerSecond: sent / recordsPerSend / elapsed,
      p50: latency.quantile(0.5),
      p99: latency.quantile(0.99),
      errors,
      broker: usage.broker,
      bench: usage.bench,
    };
  } finally {
    await producer.disconnect();
  }
}

const brokerLibUrl = new URL('../scripts/kafka/broker-lib.mjs', import.meta.url).href;
const { startBroker } = (await import(brokerLibUrl)) as BrokerLib;

console.log('starting a Kafka broker…');
const broker = await startBroker({ timeoutMs: 120_000 });
let gateway: BenchGateway | undefined;
try {
  console.log(`broker at ${broker.brokers}; starting the gateway…`);
  gateway = await startGateway({
    KAFKA_BROKERS: broker.brokers,
    MESHGATE_DEAD_LETTER_WORKER: deadLetterWorker ? 'true' : 'false',
  });
  const schemaId = await setUp(gateway);
  const admin = new Kafka({
    clientId: 'meshgate-bench-admin',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const pids = { gateway: gateway.pid, broker: broker.pid };
  const url = `${gateway.url}/v1/events/${eventType}`;
  let single = 0;
  let batch = 0;

  console.log(
    `measuring: ${seconds} s per scenario after ${warmupSeconds} s warm-up, ${connections} connections, ${rounds} round(s)`,
  );
  const scenarios: Array<() => Promise<Row>> = [
    () => rawKafka(broker.brokers, schemaId, pids, batchSize),
    () => rawKafka(broker.brokers, schemaId, pids, 1),
    // What the gateway's produce calls carry when every connection's batch joins one call.
    () => rawKafka(broker.brokers, schemaId, pids, batchSize * connections),
    () =>
      cannon(
        'POST single event (application/json)',
        {
          url,
          method: 'POST',
          connections,
          headers: { ...benchAuth, 'content-type': 'application/json' },
          requests: [{ setupRequest: (req) => ({ ...req, body: pool[single++ % pool.length]! }) }],
        },
        1,
        pids,
      ),
    () =>
      cannon(
        `POST NDJSON batch of ${batchSize}`,
        {
          url,
          method: 'POST',
          connections,
          headers: { ...benchAuth, 'content-type': 'application/x-ndjson' },
          requests: [{ setupRequest: (req) => ({ ...req, body: ndjsonBodies[batch++ % ndjsonBodies.length]! }) }],
        },
        batchSize,
        pids,
      ),
  ];
  // Rounds interleave the scenarios, so that load from elsewhere on the machine falls on all of
  // them alike; each row is the round with the median events/s.
  const measured: Row[][] = scenarios.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, scenario] of scenarios.entries()) measured[index]!.push(await scenario());
  }
  const rows = measured.map(
    (runs) => [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[runs.length >> 1]!,
  );

  const raw = rows[0]!;
  // CPU time the producing process spends per event, all its threads (the gateway's node process,
  // its produce worker included, or this process for the raw producer): what each costs the
  // machine per event, beside the events/s the target is about.
  const cpuPerEvent = (row: Row) => ((row.gateway ? row.gateway.nodeCpu : row.bench) / 100 / row.eventsPerSecond) * 1e6;
  printTable(
    `Produce benchmark on Kafka (${seconds} s per scenario, median of ${rounds} round(s), ${connections} concurrent; event ${pool[0]!.length} bytes; p50/p99 per request or send)`,
    [
      'scenario',
      'events/s',
      'req/s',
      'p50 ms',
      'p99 ms',
      'vs raw',
      'CPU µs/ev',
      'errors',
      'gw node %',
      'gw pg %',
      'broker %',
      'bench %',
    ],
    rows.map((row) => [
      row.name,
      fmt(row.eventsPerSecond),
      fmt(row.requestsPerSecond),
      fmt(row.p50, 1),
      fmt(row.p99, 1),
      row === raw ? 'baseline' : `${(row.eventsPerSecond / raw.eventsPerSecond).toFixed(2)}x`,
      fmt(cpuPerEvent(row), 1),
      String(row.errors),
      row.gateway ? fmt(row.gateway.nodeCpu) : '-',
      row.gateway ? fmt(row.gateway.otherCpu) : '-',
      fmt(row.broker),
      fmt(row.bench),
    ]),
  );
  const batchRow = rows.find((row) => row.name.startsWith('POST NDJSON'))!;
  const ratio = batchRow.eventsPerSecond / raw.eventsPerSecond;
  console.log(
    `\nbatch / raw = ${ratio.toFixed(2)}x (target >= 0.80x): ${ratio >= 0.8 ? 'MET' : 'MISSED'}` +
      `; CPU per event raw / batch = ${(cpuPerEvent(raw) / cpuPerEvent(batchRow)).toFixed(2)}x` +
      `; CPU in % of one core (2 cores = 200 %); dead-letter worker ${deadLetterWorker ? 'on' : 'off'}; gateway RSS ${fmt(batchRow.gateway!.nodeRssMb)} MB node + ${fmt(batchRow.gateway!.otherRssMb)} MB PostgreSQL`,
  );
} finally {
  // The broker is stopped whatever happens to the gateway's shutdown: a leftover broker would
  // weigh on every later run.
  await gateway?.stop().catch((error: unknown) => console.error('stopping the gateway failed:', error));
  await broker.stop();
}
