// Catalog search benchmark: 10 000 event types (names, summaries, markdown descriptions, tags,
// a JSON Schema each), seeded with SQL into a PostgreSQL of the bench's own, then typical
// queries through `GET /v1/catalog/search` one at a time: p50/p99 of the HTTP round trip and of
// the SQL alone (the same statement through CatalogSearch on a pool of its own).
// Run by hand: `npm run search -w @meshgate/bench` (about a minute). Not part of CI.
// BENCH_EVENT_TYPES (default 10000), BENCH_REQUESTS per query (default 300).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CatalogSearch, fullCatalogScope, type CatalogScope, type SearchParams } from '@meshgate/catalog';
import { createPool, startEmbeddedPostgres } from '@meshgate/db';
import { benchAuth, startGateway } from './harness';
import { fmt, Latency, printTable } from './stats';

const eventTypeCount = Number(process.env.BENCH_EVENT_TYPES ?? 10_000);
const requestsPerQuery = Number(process.env.BENCH_REQUESTS ?? 300);
const TARGET_MS = 100;

// A small deterministic PRNG (mulberry32), so every run searches the same catalog.
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const pickSome = <T>(items: readonly T[], n: number): T[] => Array.from({ length: n }, () => pick(items));

const domains = [
  'orders',
  'payments',
  'shipping',
  'inventory',
  'customers',
  'billing',
  'pricing',
  'catalog',
  'search',
  'reviews',
  'loyalty',
  'returns',
  'fraud',
  'identity',
  'notifications',
  'marketing',
  'analytics',
  'warehouse',
  'suppliers',
  'procurement',
  'accounting',
  'payroll',
  'hr',
  'support',
  'subscriptions',
  'promotions',
  'carts',
  'checkout',
  'delivery',
  'tracking',
  'media',
  'content',
  'recommendations',
  'ads',
  'partners',
  'compliance',
  'risk',
  'tax',
  'treasury',
  'ledger',
];
const nouns = [
  'order',
  'payment',
  'refund',
  'invoice',
  'shipment',
  'parcel',
  'customer',
  'account',
  'address',
  'item',
  'product',
  'price',
  'discount',
  'coupon',
  'cart',
  'basket',
  'session',
  'review',
  'rating',
  'ticket',
  'message',
  'email',
  'subscription',
  'plan',
  'contract',
  'supplier',
  'stock',
  'reservation',
  'return',
  'label',
  'carrier',
  'route',
  'document',
  'report',
  'transfer',
  'balance',
  'limit',
  'score',
  'profile',
  'consent',
];
const verbs = [
  'created',
  'updated',
  'deleted',
  'cancelled',
  'approved',
  'rejected',
  'captured',
  'authorized',
  'shipped',
  'delivered',
  'returned',
  'expired',
  'renewed',
  'opened',
  'closed',
  'assigned',
  'escalated',
  'settled',
  'scheduled',
  'failed',
];
const adjectives = [
  'pending',
  'final',
  'partial',
  'manual',
  'automatic',
  'external',
  'internal',
  'scheduled',
  'bulk',
  'express',
];
const fieldWords = [
  'id',
  'amount',
  'currency',
  'status',
  'reason',
  'created',
  'updated',
  'customer',
  'order',
  'payment',
  'address',
  'street',
  'city',
  'postal',
  'country',
  'email',
  'phone',
  'total',
  'tax',
  'discount',
  'quantity',
  'sku',
  'price',
  'carrier',
  'tracking',
  'warehouse',
  'region',
  'channel',
  'source',
  'reference',
  'note',
  'score',
  'limit',
  'plan',
];
const camel = (words: string[]): string =>
  words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('');
const tagsPool = [
  'pii',
  'finance',
  'core',
  'legacy',
  'gdpr',
  'realtime',
  'batch',
  'external',
  'internal',
  'b2b',
  'b2c',
  'audit',
];
const lifecycles = ['active', 'active', 'active', 'active', 'draft', 'deprecated', 'retired'];
const teams = Array.from({ length: 30 }, (_, i) => `team-${i}`);

// Prose draws 30 % of its words from the domain vocabulary above and the rest from 3 000
// made-up words, so word frequencies look like real descriptions (a domain word still shows up
// in thousands of entries: broad queries stay the worst case they are in real catalogs).
const syllables = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'te',
  'vi',
  'zo',
  'pa',
  'de',
  'fi',
  'gu',
  'ha',
  'jo',
  'ly',
  'mo',
  'ni',
  'ro',
  'su',
];
const proseWords = Array.from({ length: 3000 }, () => pickSome(syllables, 2 + Math.floor(random() * 2)).join(''));
const domainWords = [...nouns, ...verbs, ...adjectives, 'the', 'a', 'when', 'after', 'is', 'for'];

function sentence(words: number): string {
  const text = Array.from({ length: words }, () => (random() < 0.3 ? pick(domainWords) : pick(proseWords))).join(' ');
  return text[0]!.toUpperCase() + text.slice(1) + '.';
}

function jsonSchema(): string {
  const properties: Record<string, unknown> = {};
  for (let i = 0, n = 5 + Math.floor(random() * 20); i < n; i++) {
    const name = camel(pickSome(fieldWords, 1 + Math.floor(random() * 2)));
    properties[name] =
      random() < 0.15
        ? {
            type: 'object',
            properties: Object.fromEntries(pickSome(fieldWords, 3).map((w) => [w, { type: 'string' }])),
          }
        : random() < 0.1
          ? {
              type: 'array',
              items: { type: 'object', properties: { [camel(pickSome(fieldWords, 2))]: { type: 'number' } } },
            }
          : { type: pick(['string', 'number', 'integer', 'boolean']) };
  }
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties });
}

interface SeedRow {
  name: string;
  domain: string;
  summary: string;
  description: string;
  owner: string;
  tags: string[];
  lifecycle: string;
  visibility: string;
  schema: string;
}

function catalogRows(count: number): SeedRow[] {
  const names = new Set<string>();
  const rows: SeedRow[] = [];
  while (rows.length < count) {
    const domain = pick(domains);
    const noun = pick(nouns);
    const verb = pick(verbs);
    let name = `${domain}.${noun}-${verb}`;
    if (names.has(name)) name = `${domain}.${pick(adjectives)}-${noun}-${verb}`;
    if (names.has(name)) name = `${domain}.${noun}-${verb}-v${rows.length}`;
    names.add(name);
    rows.push({
      name,
      domain,
      summary: `A ${noun} was ${verb}${random() < 0.3 ? ` (${pick(adjectives)})` : ''}.`,
      description: [
        `## When`,
        sentence(12 + Math.floor(random() * 20)),
        '',
        `## Fields`,
        `- \`${camel([noun, 'id'])}\`: ${sentence(6)}`,
        `- ${sentence(8)}`,
        '',
        sentence(20 + Math.floor(random() * 40)),
      ].join('\n'),
      owner: pick(teams),
      tags: [...new Set(pickSome(tagsPool, Math.floor(random() * 4)))],
      lifecycle: pick(lifecycles),
      visibility: random() < 0.1 ? 'private' : 'public',
      schema: jsonSchema(),
    });
  }
  return rows;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-search-'));
const postgres = await startEmbeddedPostgres({ dataDir });
// The dead-letter worker would follow 10 000 topics that do not exist; search does not need it.
const gateway = await startGateway({ DATABASE_URL: postgres.url, MESHGATE_DEAD_LETTER_WORKER: 'false' }).catch(
  async (error: unknown) => {
    await postgres.stop();
    throw error;
  },
);
const pool = createPool(postgres.url, { max: 2 });
try {
  // ---- seed, with SQL (the triggers build the search documents as rows arrive)
  const rows = catalogRows(eventTypeCount);
  const seeding = performance.now();
  const batch = 1000;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const ids = slice.map((_, i) => start + i + 1);
    await pool.query(
      `INSERT INTO registry_schemas (id, schema_type, schema, fingerprint)
       SELECT id, 'JSON', schema, 'bench-' || id FROM unnest($1::int[], $2::text[]) AS t(id, schema)`,
      [ids, slice.map((row) => row.schema)],
    );
    await pool.query(
      `INSERT INTO registry_subject_versions (subject, version, schema_id)
       SELECT subject, 1, id FROM unnest($1::text[], $2::int[]) AS t(subject, id)`,
      [slice.map((row) => `${row.name}-value`), ids],
    );
    await pool.query(
      `INSERT INTO event_types (name, summary, description, owner, topic, subject, domain, lifecycle, visibility, tags, updated_at)
       SELECT name, summary, description, owner, name, name || '-value', domain, lifecycle, visibility,
              string_to_array(tags, ','), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS t(name, summary, description, owner, domain, lifecycle, visibility, tags)`,
      [
        slice.map((row) => row.name),
        slice.map((row) => row.summary),
        slice.map((row) => row.description),
        slice.map((row) => row.owner),
        slice.map((row) => row.domain),
        slice.map((row) => row.lifecycle),
        slice.map((row) => row.visibility),
        slice.map((row) => row.tags.join(',')),
      ],
    );
  }
  await pool.query(`SELECT setval(pg_get_serial_sequence('registry_schemas', 'id'), $1)`, [rows.length]);
  await pool.query('ANALYZE event_types, catalog_search_documents');
  const seededMs = performance.now() - seeding;
  const { rows: sizes } = await pool.query<{ documents: string; size: string }>(
    `SELECT count(*) AS documents, pg_size_pretty(pg_total_relation_size('catalog_search_documents')) AS size
     FROM catalog_search_documents`,
  );
  console.log(
    `Seeded ${rows.length} event types with schemas in ${fmt(seededMs / 1000, 1)} s ` +
      `(${sizes[0]!.documents} search documents, ${sizes[0]!.size} with the GIN index).`,
  );

  // ---- a portal user in two teams: the visibility rule has work to do
  const admin = (method: string, url: string, body: unknown) =>
    fetch(`${gateway.url}${url}`, {
      method,
      headers: { ...benchAuth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await admin('POST', '/v1/admin/users', { email: 'bench@search.test', name: 'Bench', password: 'a long passphrase' });
  for (const team of ['team-1', 'team-2']) {
    await admin('POST', '/v1/admin/teams', { id: team });
    await admin('POST', `/v1/admin/teams/${team}/members`, { user: 'bench@search.test' });
  }
  const login = await fetch(`${gateway.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@search.test', password: 'a long passphrase' }),
  });
  const userCookie = { cookie: login.headers.get('set-cookie')!.split(';')[0]! };
  const userScope: CatalogScope = {
    all: false,
    publicEntries: true,
    teams: ['team-1', 'team-2'],
    domains: [],
    eventTypes: [],
    subjects: [],
  };

  interface Scenario {
    name: string;
    params: SearchParams;
    as?: 'user';
  }
  const scenarios: Scenario[] = [
    { name: 'single word: refund', params: { text: 'refund' } },
    { name: 'prefix: ord', params: { text: 'ord' } },
    { name: 'prefix: p (1 letter)', params: { text: 'p' } },
    { name: 'exact name', params: { text: rows[42]!.name } },
    { name: 'two words: customer cancelled', params: { text: 'customer cancelled' } },
    { name: 'field name: postal', params: { text: 'postal' } },
    { name: `description word: ${proseWords[100]!}`, params: { text: proseWords[100]! } },
    { name: 'filters: ord + domain + lifecycle', params: { text: 'ord', domain: 'orders', lifecycle: 'active' } },
    { name: 'filters only: tag=finance', params: { tag: 'finance' } },
    { name: 'portal user (private rule): payment', params: { text: 'payment' }, as: 'user' },
  ];
  const queryString = (params: SearchParams): string => {
    const query = new URLSearchParams();
    if (params.text !== undefined) query.set('q', params.text);
    for (const key of ['domain', 'owner', 'tag', 'lifecycle'] as const) {
      if (params[key] !== undefined) query.set(key, params[key]);
    }
    return query.toString();
  };

  const search = new CatalogSearch(pool);
  const table: string[][] = [];
  let worst = 0;
  for (const scenario of scenarios) {
    const url = `${gateway.url}/v1/catalog/search?${queryString(scenario.params)}`;
    const headers = scenario.as === 'user' ? userCookie : benchAuth;
    const scope = scenario.as === 'user' ? userScope : fullCatalogScope;
    const http = new Latency();
    const sql = new Latency();
    let total = 0;
    for (let i = 0; i < 20; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer());
    for (let i = 0; i < requestsPerQuery; i++) {
      const started = performance.now();
      const response = await fetch(url, { headers });
      const body = (await response.json()) as { total: number };
      http.record(performance.now() - started);
      if (!response.ok) throw new Error(`${scenario.name}: HTTP ${response.status} ${JSON.stringify(body)}`);
      total = body.total;
      sql.record((await search.search(scenario.params, scope)).tookMs);
    }
    worst = Math.max(worst, http.quantile(0.99));
    table.push([
      scenario.name,
      String(total),
      fmt(http.quantile(0.5), 1),
      fmt(http.quantile(0.99), 1),
      fmt(sql.quantile(0.5), 1),
      fmt(sql.quantile(0.99), 1),
    ]);
  }
  const [one, five, fifteen] = os.loadavg();
  printTable(
    `GET /v1/catalog/search over ${rows.length} event types, ${requestsPerQuery} requests per query, one at a time ` +
      `(load average ${fmt(one!, 2)} ${fmt(five!, 2)} ${fmt(fifteen!, 2)} on ${os.cpus().length} cores)`,
    ['query', 'hits', 'HTTP p50 ms', 'HTTP p99 ms', 'SQL p50 ms', 'SQL p99 ms'],
    table,
  );
  console.log(
    `\nTarget: well under ${TARGET_MS} ms. Worst HTTP p99: ${fmt(worst, 1)} ms — ${worst < TARGET_MS ? 'met' : 'NOT met'}.`,
  );
} finally {
  await pool.end();
  await gateway.stop();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
