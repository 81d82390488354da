import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import type { Account } from './accounts';

/** A JSON Schema document. */
export type JsonSchema = Record<string, unknown>;

/** An event type a spec created for itself: its name, domain and registry subject. */
export interface SeededEventType {
  name: string;
  domain: string;
  subject: string;
}

/** A domain of its own per call, so specs never see each other's event types or grants. */
export function uniqueDomain(label: string): string {
  return `e2e-${label}-${randomUUID().slice(0, 8)}`;
}

/**
 * Declares an event type in a fresh domain and registers `schemas` under its subject in order
 * (version 1, 2, …). `incompatibleFrom` (a version number) registers that version and the
 * later ones with the subject's compatibility set to NONE, then restores the default (BACKWARD),
 * so a spec can hold a breaking change in its history.
 */
export async function seedEventType(
  api: APIRequestContext,
  options: { label: string; schemas: JsonSchema[]; incompatibleFrom?: number; owner?: string },
): Promise<SeededEventType> {
  const domain = uniqueDomain(options.label);
  const name = `${domain}.thing-happened`;
  const subject = `${name}-value`;
  const declared = await api.put(`/v1/catalog/event-types/${name}`, {
    data: { summary: `A thing happened (${options.label}).`, owner: options.owner ?? 'team-e2e', partitions: 1 },
  });
  expect(declared.status(), await declared.text()).toBe(201);
  for (const [index, schema] of options.schemas.entries()) {
    const version = index + 1;
    if (version === options.incompatibleFrom) await setCompatibility(api, subject, 'NONE');
    const registered = await api.post(`/registry/subjects/${subject}/versions`, {
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      data: { schemaType: 'JSON', schema: JSON.stringify(schema) },
    });
    expect(registered.status(), await registered.text()).toBe(200);
  }
  if (options.incompatibleFrom !== undefined) {
    const reset = await api.delete(`/registry/config/${subject}`);
    expect(reset.status(), await reset.text()).toBe(200);
  }
  return { name, domain, subject };
}

async function setCompatibility(api: APIRequestContext, subject: string, level: string): Promise<void> {
  const response = await api.put(`/registry/config/${subject}`, {
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    data: { compatibility: level },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Produces one event through the gateway's REST API (as whoever `api` is signed in as). */
export async function produce(api: APIRequestContext, eventType: string, event: unknown): Promise<void> {
  const response = await api.post(`/v1/events/${eventType}`, { data: event });
  expect(response.status(), await response.text()).toBe(202);
}

/** Creates a team (unique id) and adds `members` to it. */
export async function createTeam(api: APIRequestContext, members: Account[]): Promise<string> {
  const id = `team-e2e-${randomUUID().slice(0, 8)}`;
  const created = await api.post('/v1/admin/teams', { data: { id } });
  expect(created.status(), await created.text()).toBe(201);
  for (const member of members) {
    const added = await api.post(`/v1/admin/teams/${id}/members`, { data: { user: member.email } });
    expect(added.status(), await added.text()).toBe(200);
  }
  return id;
}

/** Grants `account` an action on a domain, with the classes it sees unmasked (none by default). */
export async function grantDomain(
  api: APIRequestContext,
  account: Account,
  domain: string,
  options: { action?: string; unmask?: string[] } = {},
): Promise<void> {
  const response = await api.post('/v1/admin/grants', {
    data: {
      subjectKind: 'user',
      subjectId: account.email,
      resourceKind: 'domain',
      resourceName: domain,
      action: options.action ?? 'read',
      unmask: options.unmask ?? [],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** PUT a catalog resource through the gateway API and expect it created (201) or replaced (200). */
async function putCatalog(api: APIRequestContext, path: string, body: Record<string, unknown>): Promise<void> {
  const response = await api.put(path, { data: body });
  expect([200, 201], `${path}: ${await response.text()}`).toContain(response.status());
}

/** Creates or replaces a domain (`PUT /v1/catalog/domains/{name}`). */
export async function putDomain(
  api: APIRequestContext,
  name: string,
  body: { displayName: string; ownerTeam: string; summary?: string; description?: string },
): Promise<void> {
  await putCatalog(api, `/v1/catalog/domains/${name}`, body);
}

/** Creates or replaces an event type with catalog fields (`PUT /v1/catalog/event-types/{name}`). */
export async function putEventType(
  api: APIRequestContext,
  name: string,
  body: { summary: string; owner: string } & Record<string, unknown>,
): Promise<void> {
  await putCatalog(api, `/v1/catalog/event-types/${name}`, { partitions: 1, ...body });
}

/** Creates or replaces a catalog service (`PUT /v1/catalog/services/{name}`). */
export async function putService(
  api: APIRequestContext,
  name: string,
  body: { displayName: string; ownerTeam: string } & Record<string, unknown>,
): Promise<void> {
  await putCatalog(api, `/v1/catalog/services/${name}`, body);
}

/** Registers a JSON Schema under a subject. */
export async function registerSchema(api: APIRequestContext, subject: string, schema: JsonSchema): Promise<void> {
  const registered = await api.post(`/registry/subjects/${subject}/versions`, {
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    data: { schemaType: 'JSON', schema: JSON.stringify(schema) },
  });
  expect(registered.status(), await registered.text()).toBe(200);
}

/** An application with an API key, created through the administrator's API. */
export interface SeededApplication {
  name: string;
  /** `Authorization: Bearer <token>`. */
  token: string;
}

/** Creates an application (unique name) with a key and grants it `action` on a domain. */
export async function createApplicationWithKey(
  api: APIRequestContext,
  options: { label: string; domain: string; action?: string },
): Promise<SeededApplication> {
  const name = `e2e-${options.label}-${randomUUID().slice(0, 8)}`;
  const created = await api.post('/v1/admin/applications', { data: { name } });
  expect(created.status(), await created.text()).toBe(201);
  const key = await api.post(`/v1/admin/applications/${name}/keys`, { data: { name: 'e2e' } });
  expect(key.status(), await key.text()).toBe(201);
  const { token } = (await key.json()) as { token: string };
  const grant = await api.post('/v1/admin/grants', {
    data: {
      subjectKind: 'application',
      subjectId: name,
      resourceKind: 'domain',
      resourceName: options.domain,
      action: options.action ?? 'produce',
    },
  });
  expect(grant.status(), await grant.text()).toBe(201);
  return { name, token };
}
