import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, request, startTestGateway, uniqueName, type TestGateway } from './harness';

const SR = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  additionalProperties: false,
};

describe('Confluent-compatible registry API (real PostgreSQL)', () => {
  let gw: TestGateway;
  const api = (method: string, path: string, body?: unknown) =>
    request(gw.url, method, `/registry${path}`, body, body === undefined ? {} : SR);
  const register = (subject: string, schema: unknown, extra: Record<string, unknown> = {}) =>
    api('POST', `/subjects/${subject}/versions`, {
      schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
      schemaType: 'JSON',
      ...extra,
    });

  beforeAll(async () => {
    gw = await startTestGateway('postgres', { maxSchemaBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  describe('schemas and ids', () => {
    it('gives the same schema one global id across subjects and never a second version', async () => {
      const a = uniqueName('ids.a');
      const b = uniqueName('ids.b');
      const first = await register(a, person);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toContain('application/vnd.schemaregistry.v1+json');
      const again = await register(a, person);
      expect(again.body.id).toBe(first.body.id);
      expect((await api('GET', `/subjects/${a}/versions`)).body).toEqual([1]);
      // Same schema, other spacing and key order, other subject → same id.
      const spaced = JSON.stringify(
        {
          additionalProperties: false,
          properties: { age: { type: 'integer' }, name: { type: 'string' } },
          type: 'object',
        },
        null,
        2,
      );
      const other = await register(b, spaced);
      expect(other.body.id).toBe(first.body.id);

      const byId = await api('GET', `/schemas/ids/${first.body.id}`);
      expect(byId.body).toMatchObject({ schemaType: 'JSON' });
      expect(JSON.parse(byId.body.schema)).toEqual(person);
      expect((await api('GET', `/schemas/ids/${first.body.id}/subjects`)).body).toEqual(expect.arrayContaining([a, b]));
      expect((await api('GET', `/schemas/ids/${first.body.id}/versions`)).body).toEqual(
        expect.arrayContaining([
          { subject: a, version: 1 },
          { subject: b, version: 1 },
        ]),
      );
      const raw = await fetch(`${gw.url}/registry/schemas/ids/${first.body.id}/schema`, { headers: adminAuth }).then(
        (r) => r.text(),
      );
      expect(JSON.parse(raw)).toEqual(person);
    });

    it('lists types, subjects with a prefix, and schemas', async () => {
      expect((await api('GET', '/schemas/types')).body).toEqual(expect.arrayContaining(['JSON', 'AVRO', 'PROTOBUF']));
      const prefix = uniqueName('prefix');
      await register(`${prefix}.one`, { type: 'string' });
      await register(`${prefix}.two`, { type: 'number' });
      expect((await api('GET', `/subjects?subjectPrefix=${prefix}`)).body).toEqual([`${prefix}.one`, `${prefix}.two`]);
      const listed = await api('GET', `/schemas?subjectPrefix=${prefix}&latestOnly=true`);
      expect(listed.body.map((s: { subject: string }) => s.subject)).toEqual([`${prefix}.one`, `${prefix}.two`]);
      expect(listed.body[0]).toMatchObject({ version: 1, schemaType: 'JSON', id: expect.any(Number) });
    });

    it('looks a schema up under a subject (POST /subjects/{subject})', async () => {
      const subject = uniqueName('lookup');
      const { body } = await register(subject, person);
      const found = await api('POST', `/subjects/${subject}`, { schema: JSON.stringify(person), schemaType: 'JSON' });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ subject, version: 1, id: body.id, schemaType: 'JSON' });
      const missing = await api('POST', `/subjects/${subject}`, {
        schema: JSON.stringify({ type: 'boolean' }),
        schemaType: 'JSON',
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error_code).toBe(40403);
      const noSubject = await api('POST', `/subjects/${uniqueName('nosuch')}`, { schema: '{}', schemaType: 'JSON' });
      expect(noSubject.body.error_code).toBe(40401);
    });

    it('registers Avro (schemaType omitted, as Confluent) and Protobuf', async () => {
      const avroSubject = uniqueName('avro');
      const avro = { type: 'record', name: 'Payment', namespace: 'shop', fields: [{ name: 'id', type: 'string' }] };
      const registered = await api('POST', `/subjects/${avroSubject}/versions`, { schema: JSON.stringify(avro) });
      expect(registered.status).toBe(200);
      const latest = await api('GET', `/subjects/${avroSubject}/versions/latest`);
      expect(latest.body.schemaType).toBeUndefined();
      expect(latest.body).toMatchObject({ subject: avroSubject, version: 1, id: registered.body.id });

      const protoSubject = uniqueName('proto');
      const proto = 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; int64 total = 2; }\n';
      const p = await api('POST', `/subjects/${protoSubject}/versions`, { schema: proto, schemaType: 'PROTOBUF' });
      expect(p.status).toBe(200);
      expect((await api('GET', `/subjects/${protoSubject}/versions/1`)).body).toMatchObject({ schemaType: 'PROTOBUF' });
    });
  });

  describe('compatibility', () => {
    it('rejects an incompatible version with 409 and explains it; verbose checks name path, rule and fix', async () => {
      const subject = uniqueName('compat');
      await register(subject, person);
      // Removing a property from a closed content model is not backward compatible.
      const narrowed = { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false };
      const check = await api('POST', `/compatibility/subjects/${subject}/versions/latest?verbose=true`, {
        schema: JSON.stringify(narrowed),
        schemaType: 'JSON',
      });
      expect(check.status).toBe(200);
      expect(check.body.is_compatible).toBe(false);
      expect(check.body.messages.length).toBeGreaterThan(0);
      expect(check.body.incompatibilities[0]).toMatchObject({
        path: expect.stringContaining('age'),
        rule: expect.any(String),
        fix: expect.any(String),
        direction: 'BACKWARD',
        version: 1,
      });
      const rejected = await register(subject, narrowed);
      expect(rejected.status).toBe(409);
      expect(rejected.body.error_code).toBe(409);
      expect(rejected.body.message).toMatch(/incompatible/);
      expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([1]);

      const terse = await api('POST', `/compatibility/subjects/${subject}/versions`, {
        schema: JSON.stringify(person),
        schemaType: 'JSON',
      });
      expect(terse.body).toEqual({ is_compatible: true });
    });

    it('follows config: global default BACKWARD, per subject, defaultToGlobal, invalid levels', async () => {
      const subject = uniqueName('config');
      expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
      const unconfigured = await api('GET', `/config/${subject}`);
      expect(unconfigured.status).toBe(404);
      expect(unconfigured.body.error_code).toBe(40408);
      expect((await api('GET', `/config/${subject}?defaultToGlobal=true`)).body).toEqual({
        compatibilityLevel: 'BACKWARD',
      });

      const put = await api('PUT', `/config/${subject}`, { compatibility: 'NONE' });
      expect(put.body).toMatchObject({ compatibility: 'NONE' });
      expect((await api('GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'NONE' });
      await register(subject, person);
      expect((await register(subject, { type: 'string' })).status).toBe(200);
      expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);

      const bad = await api('PUT', `/config/${subject}`, { compatibility: 'SIDEWAYS' });
      expect(bad.status).toBe(422);
      expect(bad.body.error_code).toBe(42203);
      expect((await api('DELETE', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'NONE' });
      expect((await api('GET', `/config/${subject}`)).body.error_code).toBe(40408);
    });

    it('lenient JSON mode allows an optional property added to an open model; strict does not', async () => {
      const subject = uniqueName('lenient');
      const open = { type: 'object', properties: { a: { type: 'string' } } };
      const added = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } };
      await register(subject, open);
      expect((await register(subject, added)).status).toBe(409);
      await api('PUT', `/config/${subject}`, { jsonLenient: true });
      expect((await api('GET', `/config/${subject}`)).body).toMatchObject({ jsonLenient: true });
      expect((await register(subject, added)).status).toBe(200);
    });
  });

  describe('modes', () => {
    it('READONLY refuses writes (42205); invalid modes are 42204; IMPORT keeps ids', async () => {
      const subject = uniqueName('mode');
      await register(subject, person);
      expect((await api('PUT', `/mode/${subject}`, { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
      const refused = await register(subject, { type: 'string' });
      expect(refused.status).toBe(422);
      expect(refused.body.error_code).toBe(42205);
      expect((await api('PUT', `/mode/${subject}`, { mode: 'WRITEONLY' })).body.error_code).toBe(42204);
      expect((await api('DELETE', `/mode/${subject}`)).body).toEqual({ mode: 'READONLY' });
      expect((await api('GET', `/mode/${subject}`)).body.error_code).toBe(40409);
      expect((await api('GET', `/mode/${subject}?defaultToGlobal=true`)).body).toEqual({ mode: 'READWRITE' });

      const importSubject = uniqueName('import');
      expect((await api('PUT', `/mode/${subject}`, { mode: 'IMPORT' })).body.error_code).toBe(42205);
      expect((await api('PUT', `/mode/${importSubject}`, { mode: 'IMPORT' })).body).toEqual({ mode: 'IMPORT' });
      const imported = await register(
        importSubject,
        { type: 'object', title: 'imported' },
        { id: 900_001, version: 7 },
      );
      expect(imported.body).toEqual({ id: 900_001 });
      expect((await api('GET', `/subjects/${importSubject}/versions`)).body).toEqual([7]);
      // An id given outside IMPORT mode is refused.
      expect((await register(uniqueName('noimport'), { type: 'null' }, { id: 900_002 })).body.error_code).toBe(42205);
      // Ids are never reused: new schemas get ids above imported ones.
      const next = await register(uniqueName('after-import'), { type: 'object', title: 'after' });
      expect(next.body.id).toBeGreaterThan(900_001);
    });
  });

  describe('deletes', () => {
    it('soft-deletes versions and subjects, and hard-deletes only after a soft delete', async () => {
      const subject = uniqueName('del');
      await api('PUT', `/config/${subject}`, { compatibility: 'NONE' });
      await register(subject, person);
      await register(subject, { type: 'string' });
      expect((await api('DELETE', `/subjects/${subject}/versions/1?permanent=true`)).body.error_code).toBe(40407);
      expect((await api('DELETE', `/subjects/${subject}/versions/1`)).body).toBe(1);
      expect((await api('DELETE', `/subjects/${subject}/versions/1`)).body.error_code).toBe(40406);
      expect((await api('GET', `/subjects/${subject}/versions`)).body).toEqual([2]);
      expect((await api('GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 2]);
      expect((await api('GET', `/subjects/${subject}/versions/1`)).body.error_code).toBe(40402);
      expect((await api('GET', `/subjects/${subject}/versions/1?deleted=true`)).body).toMatchObject({ version: 1 });
      expect((await api('DELETE', `/subjects/${subject}/versions/1?permanent=true`)).body).toBe(1);

      expect((await api('DELETE', `/subjects/${subject}?permanent=true`)).body.error_code).toBe(40405);
      expect((await api('DELETE', `/subjects/${subject}`)).body).toEqual([2]);
      expect((await api('DELETE', `/subjects/${subject}`)).body.error_code).toBe(40404);
      expect((await api('GET', `/subjects/${subject}/versions`)).body.error_code).toBe(40401);
      expect((await api('GET', '/subjects')).body).not.toContain(subject);
      expect((await api('GET', '/subjects?deleted=true')).body).toContain(subject);
      expect((await api('DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([2]);
      expect((await api('GET', '/subjects?deleted=true')).body).not.toContain(subject);
    });
  });

  describe('references', () => {
    it('resolves references on register and validation, reports referencedby and guards deletes', async () => {
      const customerSubject = uniqueName('customer');
      const customer = {
        $id: 'customer.json',
        type: 'object',
        required: ['email'],
        properties: { email: { type: 'string' } },
      };
      await register(customerSubject, customer);
      const orderSubject = uniqueName('order');
      const order = { type: 'object', required: ['customer'], properties: { customer: { $ref: 'customer.json' } } };
      const registered = await register(orderSubject, order, {
        references: [{ name: 'customer.json', subject: customerSubject, version: 1 }],
      });
      expect(registered.status).toBe(200);
      const latest = await api('GET', `/subjects/${orderSubject}/versions/latest`);
      expect(latest.body.references).toEqual([{ name: 'customer.json', subject: customerSubject, version: 1 }]);
      expect((await api('GET', `/subjects/${customerSubject}/versions/1/referencedby`)).body).toEqual([
        registered.body.id,
      ]);
      const blocked = await api('DELETE', `/subjects/${customerSubject}/versions/1`);
      expect(blocked.status).toBe(422);
      expect(blocked.body.error_code).toBe(42206);

      // The produce path validates against the schema with its references resolved.
      const eventType = uniqueName('orders.placed');
      await request(gw.url, 'PUT', `/v1/catalog/event-types/${eventType}`, {
        summary: 's',
        owner: 'o',
        subject: orderSubject,
      });
      expect((await request(gw.url, 'POST', `/v1/events/${eventType}`, { customer: { email: 'a@b.c' } })).status).toBe(
        202,
      );
      const invalid = await request(gw.url, 'POST', `/v1/events/${eventType}`, { customer: {} });
      expect(invalid.status).toBe(400);
      expect(invalid.body.details.errors).toEqual([
        expect.objectContaining({ path: '/customer/email', rule: 'required' }),
      ]);

      const missing = await register(uniqueName('order'), order, {
        references: [{ name: 'customer.json', subject: uniqueName('ghost'), version: 1 }],
      });
      expect(missing.status).toBe(422);
      expect(missing.body.error_code).toBe(42201);
      expect(missing.body.message).toMatch(/reference 'customer.json'/);
      const unresolved = await register(uniqueName('order'), order);
      expect(unresolved.status).toBe(422);
      expect(unresolved.body.error_code).toBe(42201);
    });
  });

  describe('bad input: Confluent codes, a message that says what to fix, nothing stored', () => {
    it('invalid schema text, unknown schemaType, odd subject names, huge schemas, wrong body types', async () => {
      const subject = uniqueName('bad');
      const notJson = await register(subject, '{"type": ');
      expect(notJson.status).toBe(422);
      expect(notJson.body).toMatchObject({ error_code: 42201, message: expect.stringMatching(/Invalid schema/i) });
      const unknownType = await api('POST', `/subjects/${subject}/versions`, { schema: '{}', schemaType: 'XML' });
      expect(unknownType.body.error_code).toBe(42201);
      expect(unknownType.body.message).toMatch(/XML/);
      const control = await register('bad%01subject', { type: 'string' });
      expect(control.body.error_code).toBe(42208);
      const huge = await register(subject, { type: 'object', description: 'x'.repeat(70 * 1024) });
      expect(huge.status).toBe(422);
      expect(huge.body.error_code).toBe(42209);
      expect(huge.body.message).toMatch(/limit/);
      const wrongTypes = await api('POST', `/subjects/${subject}/versions`, { schema: 42, schemaType: 'JSON' });
      expect(wrongTypes.status).toBe(400);
      expect(wrongTypes.body.message).toMatch(/schema/);
      const badVersion = await api('GET', `/subjects/${subject}/versions/abc`);
      expect(badVersion.body.error_code).toBe(42202);
      expect((await api('GET', '/subjects')).body).not.toContain(subject);
    });
  });
});
