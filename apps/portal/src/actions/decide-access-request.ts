'use server';

import { revalidatePath } from 'next/cache';
import { readDecisionForm } from '../lib/form-readers';
import { getGateway, redirectIfSignedOut } from '../lib/gateway';
import { describeGatewayFailure, isForbidden, isGatewayError } from '../lib/gateway-error';

/** The decision form's state: untouched, failed (with why), or decided. */
export type DecisionState =
  { status: 'idle' } | { status: 'error'; message: string } | { status: 'decided'; outcome: string };

const PAGE = '/access-requests';

/** Approves (the gateway then creates the grant) or rejects an access request, with an optional note. */
export async function decideAccessRequest(_previous: DecisionState, form: FormData): Promise<DecisionState> {
  const input = readDecisionForm(form);
  if (!input.ok) return { status: 'error', message: input.message };
  const { id, approve, note } = input.value;
  try {
    const decided = await (await getGateway()).decideAccessRequest(id, { approve, ...(note ? { note } : {}) });
    revalidatePath(PAGE);
    return { status: 'decided', outcome: decided.status };
  } catch (error) {
    redirectIfSignedOut(error, PAGE);
    if (isForbidden(error)) {
      return {
        status: 'error',
        message: 'You may not decide this request: administrators and owners of the owning team decide.',
      };
    }
    if (isGatewayError(error)) {
      // Someone else may have decided it meanwhile (409): show the list as it is now.
      if (error.status === 409) revalidatePath(PAGE);
      return { status: 'error', message: describeGatewayFailure(error) };
    }
    throw error;
  }
}
