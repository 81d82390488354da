'use server';

import type { Route } from 'next';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { readSignInForm } from '../lib/form-readers';
import { anonymousGateway } from '../lib/gateway';
import type { SignedIn } from '../lib/gateway-client';
import { describeGatewayFailure, isGatewayError, isUnauthenticated } from '../lib/gateway-error';
import { isSecureRequest, sessionCookie } from '../lib/session-cookie';

/** What the sign-in form shows after a failed attempt: the reason, and the email to keep. */
export interface SignInState {
  error: string | null;
  email: string;
}

/**
 * Signs in with the gateway, keeps the session token in the portal's own HttpOnly cookie and
 * goes to the (same-origin) `next` page. The token is never part of the answer to the browser's
 * JavaScript: it only travels in the Set-Cookie header.
 */
export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const input = readSignInForm(form);
  const email = typeof form.get('email') === 'string' ? String(form.get('email')).trim() : '';
  if (!input.ok) return { error: input.message, email };

  let signedIn: SignedIn;
  try {
    signedIn = await anonymousGateway.signIn(input.value.email, input.value.password);
  } catch (error) {
    if (isUnauthenticated(error)) return { error: error.gatewayMessage ?? 'Wrong email or password.', email };
    if (isGatewayError(error)) return { error: describeGatewayFailure(error), email };
    throw error;
  }

  const requestHeaders = await headers();
  const secure = isSecureRequest({
    origin: requestHeaders.get('origin'),
    forwardedProto: requestHeaders.get('x-forwarded-proto'),
  });
  (await cookies()).set(sessionCookie(signedIn.token, signedIn.expiresAt, secure));
  // A same-origin path (safeNextPath); an unknown one ends on the not-found page.
  redirect(input.value.next as Route);
}
