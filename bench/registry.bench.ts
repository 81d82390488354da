// Registry benchmark: schema lookup by id, register, and a compatibility check of a
// 200-property JSON Schema, each against GET /healthz on the same gateway as the baseline.
// Run by hand: `npm run registry -w @meshgate/bench` (about a minute). Not part of CI.
import { measure, report, startGateway } from './harness';

const SR = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

function wideSchema(properties: number, variant = ''): string {
  const props: Record<string, unknown> = {};
  for (let i = 0; i < properties; i++) {
    props[`field${i}`] =
      i % 4 === 0
        ? { type: 'string', maxLength: 200 }
        : i % 4 === 1
          ? { type: 'integer', minimum: 0 }
          : i % 4 === 2
            ? { type: 'array', items: { type: 'string' } }
            : { type: 'object', properties: { a: { type: 'number' } } };
  }
  return JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Wide${variant}`,
    type: 'object',
    properties: props,
    additionalProperties: false,
  });
}

const gateway = await startGateway();
try {
  const subject = 'bench.wide-value';
  const registered = await fetch(`${gateway.url}/registry/subjects/${subject}/versions`, {
    method: 'POST',
    headers: SR,
    body: JSON.stringify({ schema: wideSchema(200), schemaType: 'JSON' }),
  }).then((r) => r.json() as Promise<{ id: number }>);
  await fetch(`${gateway.url}/registry/config`, {
    method: 'PUT',
    headers: SR,
    body: JSON.stringify({ compatibility: 'NONE' }),
  });

  const rows = [
    await measure('GET /healthz (baseline)', { url: `${gateway.url}/healthz`, connections }, seconds),
    await measure(
      `GET /schemas/ids/{id} (200 properties)`,
      { url: `${gateway.url}/registry/schemas/ids/${registered.id}`, connections },
      seconds,
    ),
    await measure(
      'POST compatibility check, same candidate',
      {
        url: `${gateway.url}/registry/compatibility/subjects/${subject}/versions/latest?verbose=true`,
        method: 'POST',
        headers: SR,
        body: JSON.stringify({ schema: wideSchema(200, 'Candidate'), schemaType: 'JSON' }),
        connections,
      },
      seconds,
    ),
  ];
  // The same check with a different candidate each time: nothing parsed can be reused.
  let c = 0;
  rows.push(
    await measure(
      'POST compatibility check, new candidate each',
      {
        url: `${gateway.url}/registry/compatibility/subjects/${subject}/versions/latest?verbose=true`,
        method: 'POST',
        headers: SR,
        connections: 4,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ schema: wideSchema(200, `C${c++}`), schemaType: 'JSON' }),
            }),
          },
        ],
      },
      seconds,
    ),
  );
  // Register: each request a new schema (a distinct title), so every one parses, checks and writes.
  let n = 0;
  rows.push(
    await measure(
      'POST register new version (200 properties)',
      {
        url: `${gateway.url}/registry/subjects/bench.register-value/versions`,
        method: 'POST',
        headers: SR,
        connections: 4,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ schema: wideSchema(200, String(n++)), schemaType: 'JSON' }),
            }),
          },
        ],
      },
      seconds,
    ),
  );
  report(
    `Registry benchmark (${seconds} s per scenario, ${connections} connections; 4 where each request is new)`,
    rows,
  );
} finally {
  await gateway.stop();
}
