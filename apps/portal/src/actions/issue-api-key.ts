'use server';

import { revalidatePath } from 'next/cache';
import { readIssueKeyForm, readKeyActionForm } from '../lib/form-readers';
import { getGateway, redirectIfSignedOut } from '../lib/gateway';
import type { IssuedApiKey } from '../lib/gateway-client';
import { describeGatewayFailure, isGatewayError } from '../lib/gateway-error';

/**
 * The state of a form that makes a key (issue, rotate): untouched, failed, or the new key with
 * its token — held only in this form's state in the browser, so it is shown once.
 */
export type NewKeyState =
  { status: 'idle' } | { status: 'error'; message: string } | { status: 'issued'; key: IssuedApiKey };

const pageOf = (application: string) => `/applications/${encodeURIComponent(application)}`;

/** Issues an API key for one of the signed-in person's applications. */
export async function issueApiKey(_previous: NewKeyState, form: FormData): Promise<NewKeyState> {
  const input = readIssueKeyForm(form);
  if (!input.ok) return { status: 'error', message: input.message };
  const { application, ...key } = input.value;
  try {
    const issued = await (await getGateway()).issueApiKey(application, key);
    revalidatePath(pageOf(application));
    return { status: 'issued', key: issued };
  } catch (error) {
    redirectIfSignedOut(error, pageOf(application));
    if (isGatewayError(error)) return { status: 'error', message: describeGatewayFailure(error) };
    throw error;
  }
}

/** Rotates a key: a new token now, the old key valid for the chosen grace period. */
export async function rotateApiKey(_previous: NewKeyState, form: FormData): Promise<NewKeyState> {
  const input = readKeyActionForm(form);
  if (!input.ok) return { status: 'error', message: input.message };
  const { application, keyId, graceSeconds } = input.value;
  try {
    const issued = await (await getGateway()).rotateApiKey(application, keyId, graceSeconds);
    revalidatePath(pageOf(application));
    return { status: 'issued', key: issued };
  } catch (error) {
    redirectIfSignedOut(error, pageOf(application));
    if (isGatewayError(error)) return { status: 'error', message: describeGatewayFailure(error) };
    throw error;
  }
}
