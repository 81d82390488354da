'use server';

import { revalidatePath } from 'next/cache';
import { readKeyActionForm } from '../lib/form-readers';
import { getGateway, redirectIfSignedOut } from '../lib/gateway';
import { describeGatewayFailure, isGatewayError } from '../lib/gateway-error';

/** The revoke form's state: untouched, failed (with why), or revoked. */
export type RevokeKeyState = { status: 'idle' } | { status: 'error'; message: string } | { status: 'revoked' };

/** Revokes a key of one of the signed-in person's applications at once. */
export async function revokeApiKey(_previous: RevokeKeyState, form: FormData): Promise<RevokeKeyState> {
  const input = readKeyActionForm(form);
  if (!input.ok) return { status: 'error', message: input.message };
  const { application, keyId } = input.value;
  const page = `/applications/${encodeURIComponent(application)}`;
  try {
    await (await getGateway()).revokeApiKey(application, keyId);
    revalidatePath(page);
    return { status: 'revoked' };
  } catch (error) {
    redirectIfSignedOut(error, page);
    if (isGatewayError(error)) return { status: 'error', message: describeGatewayFailure(error) };
    throw error;
  }
}
