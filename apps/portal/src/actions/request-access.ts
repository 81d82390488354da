'use server';

import { readAccessRequestForm } from '../lib/form-readers';
import { getGateway, redirectIfSignedOut } from '../lib/gateway';
import type { AccessRequest } from '../lib/gateway-client';
import { describeGatewayFailure, isForbidden, isGatewayError } from '../lib/gateway-error';
import { safeNextPath } from '../lib/sign-in-path';

/** The request-access form's state: untouched, failed (with why), or sent (with the pending request). */
export type RequestAccessState =
  { status: 'idle' } | { status: 'error'; message: string } | { status: 'sent'; request: AccessRequest };

/** Sends an access request for the signed-in person (`POST /v1/access-requests`). */
export async function requestAccess(_previous: RequestAccessState, form: FormData): Promise<RequestAccessState> {
  const returnTo = safeNextPath(form.get('returnTo'));
  const input = readAccessRequestForm(form);
  if (!input.ok) return { status: 'error', message: input.message };
  try {
    const request = await (await getGateway()).requestAccess(input.value);
    return { status: 'sent', request };
  } catch (error) {
    redirectIfSignedOut(error, returnTo);
    if (isForbidden(error)) {
      return { status: 'error', message: error.gatewayMessage ?? 'Your account may not request access.' };
    }
    if (isGatewayError(error)) return { status: 'error', message: describeGatewayFailure(error) };
    throw error;
  }
}
