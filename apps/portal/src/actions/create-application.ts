'use server';

import type { Route } from 'next';
import { redirect } from 'next/navigation';
import { readNewApplicationForm } from '../lib/form-readers';
import { getGateway, redirectIfSignedOut } from '../lib/gateway';
import { describeGatewayFailure, isGatewayError } from '../lib/gateway-error';

/** The new-application form's state: untouched or failed (success goes to the application's page). */
export type CreateApplicationState = { status: 'idle' } | { status: 'error'; message: string };

/** Creates an application owned by one of the signed-in person's teams, then opens it. */
export async function createApplication(
  _previous: CreateApplicationState,
  form: FormData,
): Promise<CreateApplicationState> {
  const input = readNewApplicationForm(form);
  if (!input.ok) return { status: 'error', message: input.message };
  let name: string;
  try {
    name = (await (await getGateway()).createMyApplication(input.value)).name;
  } catch (error) {
    redirectIfSignedOut(error, '/applications');
    if (isGatewayError(error)) return { status: 'error', message: describeGatewayFailure(error) };
    throw error;
  }
  redirect(`/applications/${encodeURIComponent(name)}?created=1` as Route);
}
