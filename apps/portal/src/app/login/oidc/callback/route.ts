import { NextResponse, type NextRequest } from 'next/server';
import { anonymousGateway } from '../../../../lib/gateway';
import type { SignedIn } from '../../../../lib/gateway-client';
import { describeGatewayFailure, isGatewayError } from '../../../../lib/gateway-error';
import {
  requestOrigin,
  OIDC_FLOW_COOKIE,
  OIDC_START_PATH,
  oidcCallbackUrl,
  readOidcFlow,
  signInErrorCookie,
  signInErrorPath,
} from '../../../../lib/oidc-sign-in';
import { sessionCookie } from '../../../../lib/session-cookie';

/**
 * Where the identity provider sends the browser back. The state must be the one this browser
 * started with (else someone else's sign-in could be slipped in); the gateway then exchanges
 * the code, and the session token goes into the portal's HttpOnly cookie exactly as a password
 * sign-in's does, before the browser moves on to `next`.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const flow = readOidcFlow(request.cookies.get(OIDC_FLOW_COOKIE)?.value);
  const origin = flow ? new URL(flow.redirectUri).origin : requestOrigin(request);
  const secure = origin.startsWith('https:');
  const fail = (message: string) => {
    const response = NextResponse.redirect(new URL(signInErrorPath(flow?.next ?? '/'), origin), 303);
    response.cookies.set(signInErrorCookie(message, secure));
    response.cookies.delete({ name: OIDC_FLOW_COOKIE, path: OIDC_START_PATH });
    return response;
  };

  const state = request.nextUrl.searchParams.get('state');
  if (!flow || !state || state !== flow.state) {
    return fail('This single sign-on was not started in this browser, or took longer than 10 minutes. Start again.');
  }
  let signedIn: SignedIn;
  try {
    signedIn = await anonymousGateway.finishOidcSignIn(oidcCallbackUrl(flow, request.nextUrl.search), flow.redirectUri);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return fail(describeGatewayFailure(error));
  }
  const response = NextResponse.redirect(new URL(flow.next, origin), 303);
  response.cookies.set(sessionCookie(signedIn.token, signedIn.expiresAt, secure));
  response.cookies.delete({ name: OIDC_FLOW_COOKIE, path: OIDC_START_PATH });
  return response;
}
