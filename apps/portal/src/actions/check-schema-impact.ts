'use server';

import { getGateway, redirectIfSignedOut } from '../lib/gateway';
import type { SchemaImpact } from '../lib/gateway-catalog';
import { describeGatewayFailure, isGatewayError } from '../lib/gateway-error';
import { safeNextPath } from '../lib/sign-in-path';

/** Largest proposed schema the form sends (the gateway has its own, larger limit). */
const MAX_SCHEMA_CHARS = 256 * 1024;

/** The impact check's state: untouched, failed (with why), or checked (with the verdict and who it reaches). */
export type SchemaImpactState =
  { status: 'idle' } | { status: 'error'; message: string } | { status: 'checked'; impact: SchemaImpact };

/**
 * Checks a proposed schema for an event type (`POST /v1/catalog/event-types/{name}/impact`):
 * the registry's compatibility verdict under the subject's level, and the consumers it would
 * reach. Nothing is registered.
 */
export async function checkSchemaImpact(_previous: SchemaImpactState, form: FormData): Promise<SchemaImpactState> {
  const returnTo = safeNextPath(form.get('returnTo'));
  const eventType = form.get('eventType');
  const schema = form.get('schema');
  if (typeof eventType !== 'string' || eventType === '') return { status: 'error', message: 'No event type named.' };
  if (typeof schema !== 'string' || schema.trim() === '') {
    return { status: 'error', message: 'Paste the proposed schema first.' };
  }
  if (schema.length > MAX_SCHEMA_CHARS) {
    return { status: 'error', message: 'The proposed schema is larger than 256 KiB.' };
  }
  try {
    return { status: 'checked', impact: await (await getGateway()).checkSchemaImpact(eventType, schema) };
  } catch (error) {
    redirectIfSignedOut(error, returnTo);
    if (isGatewayError(error)) return { status: 'error', message: describeGatewayFailure(error) };
    throw error;
  }
}
