import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '@meshgate/db/testing';
import { createGateway, type Gateway } from '../src/app';
import { createLogger } from '../src/logger';
import { TEST_TOKEN, openSse, request, uniqueName, waitFor } from './harness';

/**
 * Observed lineage on the real stack: an application produces (REST single, NDJSON batch,
 * GraphQL mutation), another subscribes (SSE, NDJSON, graphql-ws); the counts land in
 * PostgreSQL, are read back through the lineage, impact and graph routes, and survive a restart.
 */
describe('observed lineage, impact and the lineage graph', () => {
  let db: TestDatabase;
  let dir: string;
  let gateway: Gateway;
  let url: string;
  const domain = `lin${Date.now().toString(36)}`;
  const eventType = uniqueName(domain);
  const otherType = uniqueName(domain);
  const apps: Record<string, { id: string; auth: string }> = {};
  const clients: Client[] = [];
  const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } };

  const admin = (method: string, route: string, body?: unknown) => request(url, method, route, body);
  const as = (name: string) => ({ authorization: apps[name]!.auth });

  async function start(): Promise<void> {
    gateway = await createGateway({
      port: 0,
      dataDir: dir,
      databaseUrl: db.url,
      seedDemo: false,
      lineageFlushMs: 200,
      logger: createLogger(process.env.MESHGATE_TEST_LOG === '1' ? 'debug' : 'silent', false),
      access: { bootstrapToken: TEST_TOKEN },
    });
    await gateway.runtime.ready();
    url = gateway.url;
  }

  async function makeApp(name: string, grants: Array<{ action: string; resourceName: string }>): Promise<void> {
    const created = await admin('POST', '/v1/admin/applications', { name });
    expect(created.status).toBe(201);
    for (const grant of grants) {
      const granted = await admin('POST', '/v1/admin/grants', {
        subjectKind: 'application',
        subjectId: name,
        resourceKind: 'event-type',
        ...grant,
      });
      expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    }
    const key = await admin('POST', `/v1/admin/applications/${name}/keys`, { name: 'k' });
    apps[name] = { id: created.body.id, auth: `Bearer ${key.body.token}` };
  }

  async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end();
    }
  }

  async function lineage() {
    const answer = await admin('GET', `/v1/catalog/event-types/${eventType}/lineage`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mg-lineage-'));
    await start();
    for (const name of [eventType, otherType]) {
      expect((await admin('PUT', `/v1/catalog/event-types/${name}`, { summary: 's', owner: 'team-lin' })).status).toBe(
        201,
      );
      const registered = await admin('POST', `/registry/subjects/${name}-value/versions`, {
        schemaType: 'JSON',
        schema: JSON.stringify(schema),
      });
      expect(registered.status).toBe(200);
    }
    await makeApp('lin-producer', [{ action: 'produce', resourceName: eventType }]);
    await makeApp('lin-consumer', [{ action: 'read', resourceName: eventType }]);
    await makeApp('lin-outsider', [{ action: 'read', resourceName: otherType }]);
    // Declared lineage is catalog-core's to write; the test inserts it directly.
    await sql(
      `INSERT INTO catalog_services (name, display_name, owner_team, domain, application_id, updated_at) VALUES
         ('billing-service', 'Billing', 'team-billing', $1, $2::uuid, now()),
         ('order-service', 'Orders', 'team-lin', $1, NULL, now()),
         ('audit-service', 'Audit', 'team-audit', NULL, NULL, now())`,
      [domain, apps['lin-consumer']!.id],
    );
    await sql(
      `INSERT INTO catalog_declared_lineage (event_type, service, role) VALUES
         ($1, 'order-service', 'producer'), ($1, 'billing-service', 'consumer'), ($1, 'audit-service', 'consumer')`,
      [eventType],
    );
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await gateway?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let firstSeen: string;

  it('counts producers on REST single, NDJSON batch and GraphQL, consumers on SSE, NDJSON and graphql-ws', async () => {
    const startedAt = Date.now() - 1000;
    const streamUrl = `${url}/v1/events/${eventType}/stream`;
    const sse = await openSse(streamUrl, as('lin-consumer'));
    expect(sse.response.status).toBe(200);
    const ndjsonAbort = new AbortController();
    const ndjson = await fetch(streamUrl, {
      headers: { ...as('lin-consumer'), accept: 'application/x-ndjson' },
      signal: ndjsonAbort.signal,
    });
    expect(ndjson.status).toBe(200);
    const lines: unknown[] = [];
    const reading = (async () => {
      let buffer = '';
      try {
        for await (const chunk of ndjson.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += Buffer.from(chunk).toString('utf8');
          const parts = buffer.split('\n');
          buffer = parts.pop() ?? '';
          for (const part of parts) if (part) lines.push(JSON.parse(part));
        }
      } catch {
        // aborted
      }
    })();
    const graphql: unknown[] = [];
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: as('lin-consumer'),
    });
    clients.push(client);
    client.subscribe(
      { query: `subscription($t: String!) { events(type: $t) { cursor data } }`, variables: { t: eventType } },
      { next: (value) => graphql.push(value.data), error: () => {}, complete: () => {} },
    );
    // The three subscriptions are open once they are counted (sessions are recorded on open).
    await waitFor(
      async () => ((await lineage()).observed.consumers[0]?.sessions === 3 ? true : undefined),
      10_000,
      'three consumer sessions',
    );

    const producer = as('lin-producer');
    expect((await request(url, 'POST', `/v1/events/${eventType}`, { n: 1 }, producer)).status).toBe(202);
    const batch = await request(url, 'POST', `/v1/events/${eventType}`, '{"n":2}\n{"n":3}\n{"n":4}\n', {
      ...producer,
      'content-type': 'application/x-ndjson',
    });
    expect(batch.status).toBe(202);
    const mutation = await request(
      url,
      'POST',
      '/graphql',
      { query: 'mutation($t: String!) { produce(type: $t, data: {n: 5}) { cursor } }', variables: { t: eventType } },
      producer,
    );
    expect(mutation.body.errors).toBeUndefined();

    await waitFor(
      () => (sse.messages.length >= 5 && lines.length >= 5 && graphql.length >= 5 ? true : undefined),
      15_000,
      'five events on each stream',
    );
    await sse.close();
    ndjsonAbort.abort();
    await reading;
    await client.dispose();

    const body = await waitFor(
      async () => {
        const current = await lineage();
        return current.observed.consumers[0]?.events === 15 && current.observed.producers[0]?.events === 5
          ? current
          : undefined;
      },
      10_000,
      'flushed counts',
    );
    expect(body.declared.producers.map((s: { name: string }) => s.name)).toEqual(['order-service']);
    expect(body.declared.consumers.map((s: { name: string }) => s.name)).toEqual(['audit-service', 'billing-service']);
    expect(body.observed.producers).toEqual([
      {
        principalKind: 'application',
        principalId: apps['lin-producer']!.id,
        name: 'lin-producer',
        service: null,
        events: 5,
        sessions: 3,
        firstSeen: expect.any(String),
        lastSeen: expect.any(String),
      },
    ]);
    expect(body.observed.consumers).toEqual([
      expect.objectContaining({
        principalKind: 'application',
        principalId: apps['lin-consumer']!.id,
        name: 'lin-consumer',
        service: 'billing-service',
        events: 15,
        sessions: 3,
      }),
    ]);
    for (const party of [...body.observed.producers, ...body.observed.consumers]) {
      const first = Date.parse(party.firstSeen);
      const last = Date.parse(party.lastSeen);
      expect(first).toBeGreaterThanOrEqual(startedAt);
      expect(last).toBeGreaterThanOrEqual(first);
      expect(last).toBeLessThanOrEqual(Date.now());
    }
    // The producer's last sighting is its last produce, after its first one.
    expect(Date.parse(body.observed.producers[0].lastSeen)).toBeGreaterThan(
      Date.parse(body.observed.producers[0].firstSeen),
    );
    firstSeen = body.observed.producers[0].firstSeen;
    // Only the administrator's PUTs and the two applications: nothing else was recorded.
    const rows = await sql('SELECT count(*)::int AS n FROM catalog_observed_lineage');
    expect(rows.rows[0].n).toBe(2);
  });

  it('lists affected consumers: declared ones with their last activity, observed ones not declared', async () => {
    const impact = await admin('GET', `/v1/catalog/event-types/${eventType}/impact`);
    expect(impact.status).toBe(200);
    expect(impact.body.eventType).toBe(eventType);
    expect(impact.body.subject).toBe(`${eventType}-value`);
    expect(impact.body.consumers).toEqual([
      {
        kind: 'declared',
        service: expect.objectContaining({ name: 'billing-service' }),
        principal: { kind: 'application', id: apps['lin-consumer']!.id, name: 'lin-consumer' },
        events: 15,
        lastSeen: expect.any(String),
      },
      {
        kind: 'declared',
        service: expect.objectContaining({ name: 'audit-service' }),
        principal: null,
        events: 0,
        lastSeen: null,
      },
    ]);

    // An administrator subscribes too: an observed consumer nobody declared.
    const sse = await openSse(`${url}/v1/events/${eventType}/stream`);
    await sse.close();
    const withAdmin = await waitFor(
      async () => {
        const answer = await admin('GET', `/v1/catalog/event-types/${eventType}/impact`);
        return answer.body.consumers.length === 3 ? answer.body : undefined;
      },
      10_000,
      'the administrator as an observed consumer',
    );
    expect(withAdmin.consumers[0]).toEqual({
      kind: 'observed',
      service: null,
      principal: { kind: 'application', id: expect.any(String), name: 'meshgate-bootstrap' },
      events: 0,
      lastSeen: expect.any(String),
    });
  });

  it('checks a proposed schema with the registry engine under the subject level, and names the consumers', async () => {
    const breaking = await admin('POST', `/v1/catalog/event-types/${eventType}/impact`, {
      schema: { type: 'object', required: ['n'], properties: { n: { type: 'string' } } },
    });
    expect(breaking.status, JSON.stringify(breaking.body)).toBe(200);
    expect(breaking.body.compatibility).toMatchObject({ compatible: false, level: 'BACKWARD' });
    expect(breaking.body.compatibility.messages.length).toBeGreaterThan(0);
    expect(breaking.body.compatibility.incompatibilities[0]).toMatchObject({ path: expect.stringContaining('/n') });
    expect(breaking.body.consumers.map((c: { kind: string }) => c.kind)).toContain('declared');

    const same = await admin('POST', `/v1/catalog/event-types/${eventType}/impact`, {
      schema: JSON.stringify(schema),
      schemaType: 'JSON',
    });
    expect(same.body.compatibility).toEqual({
      compatible: true,
      level: 'BACKWARD',
      messages: [],
      incompatibilities: [],
    });

    // Nothing was registered.
    const versions = await admin('GET', `/registry/subjects/${eventType}-value/versions`);
    expect(versions.body).toEqual([1]);

    const invalid = await admin('POST', `/v1/catalog/event-types/${eventType}/impact`, { schema: '{"type": 5' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('INVALID_SCHEMA');
    const noSchema = await admin('POST', `/v1/catalog/event-types/${eventType}/impact`, { schemaType: 'JSON' });
    expect(noSchema.status).toBe(400);
    expect(noSchema.body.code).toBe('INVALID_REQUEST');
  });

  it('draws the domain graph with declared and observed edges merged', async () => {
    const graph = await admin('GET', `/v1/catalog/lineage?domain=${domain}`);
    expect(graph.status).toBe(200);
    const ids = graph.body.nodes.map((node: { id: string }) => node.id);
    const producerNode = `application:${apps['lin-producer']!.id}`;
    expect(ids).toEqual(
      expect.arrayContaining([
        `domain:${domain}`,
        `event-type:${eventType}`,
        `event-type:${otherType}`,
        'service:billing-service',
        'service:order-service',
        'service:audit-service',
        producerNode,
      ]),
    );
    expect(graph.body.nodes).toContainEqual({
      id: producerNode,
      kind: 'application',
      name: 'lin-producer',
      label: 'lin-producer',
    });
    const edge = (from: string, to: string) =>
      graph.body.edges.find((e: { from: string; to: string }) => e.from === from && e.to === to);
    const et = `event-type:${eventType}`;
    expect(edge(`domain:${domain}`, et)).toMatchObject({ kind: 'contains' });
    expect(edge(`domain:${domain}`, 'service:billing-service')).toMatchObject({ kind: 'contains' });
    expect(edge('service:order-service', et)).toEqual({
      from: 'service:order-service',
      to: et,
      kind: 'produces',
      declared: true,
      observed: false,
    });
    expect(edge(producerNode, et)).toMatchObject({ kind: 'produces', declared: false, observed: true, events: 5 });
    expect(edge('service:billing-service', et)).toMatchObject({
      kind: 'consumes',
      declared: true,
      observed: true,
      events: 15,
      lastSeen: expect.any(String),
    });
    expect(edge('service:audit-service', et)).toMatchObject({ kind: 'consumes', declared: true, observed: false });
    expect(graph.body.nodes).toContainEqual({ id: et, kind: 'event-type', name: eventType, label: 's' });

    const unknown = await admin('GET', '/v1/catalog/lineage?domain=no-such-domain');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('DOMAIN_NOT_FOUND');
  });

  it('answers GraphQL with the same graph and parties as REST, for each caller', async () => {
    const gql = async (query: string, headers: Record<string, string>) => {
      const answer = await request(url, 'POST', '/graphql', { query }, headers);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body as { data?: any; errors?: Array<{ extensions: { code: string } }> };
    };
    const party = 'principalKind principalId name service events sessions firstSeen lastSeen';
    const graphFields = 'nodes { id kind name label } edges { from to kind declared observed events lastSeen }';
    // GraphQL answers null where REST leaves a field out.
    const withoutNulls = (edges: Array<Record<string, unknown>>) =>
      edges.map((edge) => Object.fromEntries(Object.entries(edge).filter(([, value]) => value !== null)));
    for (const caller of [{}, as('lin-consumer'), as('lin-outsider')]) {
      for (const scope of [`?domain=${domain}`, '']) {
        const rest = await request(url, 'GET', `/v1/catalog/lineage${scope}`, undefined, caller);
        expect(rest.status).toBe(200);
        const graph = await gql(`{ lineage${scope ? `(domain: "${domain}")` : ''} { ${graphFields} } }`, caller);
        expect(graph.errors).toBeUndefined();
        expect(graph.data.lineage.nodes).toEqual(rest.body.nodes);
        expect(withoutNulls(graph.data.lineage.edges)).toEqual(rest.body.edges);
      }
      const rest = await request(url, 'GET', `/v1/catalog/event-types/${eventType}/lineage`, undefined, caller);
      const read = await gql(
        `{ eventType(name: "${eventType}") { lineage { declared { producers { name } consumers { name } } observed { producers { ${party} } consumers { ${party} } } } } }`,
        caller,
      );
      expect(read.errors).toBeUndefined();
      if (rest.status !== 200) {
        expect(rest.body.code).toBe('FORBIDDEN');
        expect(read.data.eventType).toBeNull();
        continue;
      }
      const names = (list: Array<{ name: string }>) => list.map((service) => ({ name: service.name }));
      expect(read.data.eventType.lineage).toEqual({
        declared: { producers: names(rest.body.declared.producers), consumers: names(rest.body.declared.consumers) },
        observed: rest.body.observed,
      });
      expect(rest.body.observed.consumers.length).toBeGreaterThan(0);
    }
    const unknown = await gql('{ lineage(domain: "no-such-domain") { nodes { id } } }', {});
    expect(unknown.errors?.[0]?.extensions.code).toBe('DOMAIN_NOT_FOUND');
  });

  it('shows lineage only to callers who may see the event type', async () => {
    expect(
      (await request(url, 'GET', `/v1/catalog/event-types/${eventType}/lineage`, undefined, as('lin-consumer'))).status,
    ).toBe(200);
    for (const name of [eventType, `${domain}.missing`]) {
      for (const route of ['lineage', 'impact']) {
        const denied = await request(
          url,
          'GET',
          `/v1/catalog/event-types/${name}/${route}`,
          undefined,
          as('lin-outsider'),
        );
        expect(denied.status).toBe(403);
        expect(denied.body.code).toBe('FORBIDDEN');
      }
    }
    const missing = await admin('GET', `/v1/catalog/event-types/${domain}.missing/lineage`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('EVENT_TYPE_NOT_FOUND');
    const graph = await request(url, 'GET', `/v1/catalog/lineage?domain=${domain}`, undefined, as('lin-outsider'));
    expect(graph.status).toBe(200);
    const ids = graph.body.nodes.map((node: { id: string }) => node.id);
    expect(ids).toContain(`event-type:${otherType}`);
    expect(ids).not.toContain(`event-type:${eventType}`);
    expect(ids).not.toContain('service:billing-service');
    expect(ids.some((id: string) => id.startsWith('application:'))).toBe(false);
  });

  it('documents the routes in /openapi.json under the catalog tag', async () => {
    const openapi = await request(url, 'GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    for (const [route, method] of [
      ['/v1/catalog/event-types/{name}/lineage', 'get'],
      ['/v1/catalog/event-types/{name}/impact', 'get'],
      ['/v1/catalog/event-types/{name}/impact', 'post'],
      ['/v1/catalog/lineage', 'get'],
      ['/v1/catalog/webhooks', 'post'],
      ['/v1/catalog/webhooks/{id}', 'patch'],
      ['/v1/catalog/webhooks/{id}/deliveries', 'get'],
      ['/v1/catalog/webhooks/{id}/ping', 'post'],
    ] as const) {
      const operation = openapi.body.paths[route]?.[method];
      expect(operation, `${method} ${route}`).toMatchObject({ tags: ['catalog'], summary: expect.any(String) });
      expect(Object.keys(operation.responses), `${method} ${route}`).not.toEqual(['default']);
    }
  });

  it('keeps the counts across a restart and adds to them (totals, not a window)', async () => {
    await gateway.close(); // the final flush happens here
    const kept = await sql(
      `SELECT events::int, sessions::int FROM catalog_observed_lineage WHERE event_type = $1 AND role = 'producer'`,
      [eventType],
    );
    expect(kept.rows).toEqual([{ events: 5, sessions: 3 }]);
    await start();
    for (const n of [6, 7]) {
      expect((await request(url, 'POST', `/v1/events/${eventType}`, { n }, as('lin-producer'))).status).toBe(202);
    }
    const body = await waitFor(
      async () => {
        const current = await lineage();
        return current.observed.producers[0]?.events === 7 ? current : undefined;
      },
      10_000,
      'counts after the restart',
    );
    expect(body.observed.producers[0]).toMatchObject({ events: 7, sessions: 5, firstSeen });
    expect(Date.parse(body.observed.producers[0].lastSeen)).toBeGreaterThan(Date.parse(firstSeen));
    expect(body.observed.consumers.find((c: { name: string }) => c.name === 'lin-consumer')).toMatchObject({
      events: 15,
      sessions: 3,
    });
  });
});
