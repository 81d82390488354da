import { NextResponse, type NextRequest } from 'next/server';
import { anonymousGateway } from '../../../lib/gateway';
import { describeGatewayFailure, isGatewayError } from '../../../lib/gateway-error';
import {
  requestOrigin,
  oidcFlowCookie,
  oidcRedirectUri,
  signInErrorCookie,
  signInErrorPath,
} from '../../../lib/oidc-sign-in';
import { safeNextPath } from '../../../lib/sign-in-path';

/**
 * Starts a single sign-on: asks the gateway for the provider's authorization URL (coming back
 * to this portal's callback), binds the sign-in to this browser with a short-lived HttpOnly
 * cookie that also keeps `next`, and sends the browser to the provider.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData().catch(() => null);
  const next = safeNextPath(form?.get('next'));
  const redirectUri = oidcRedirectUri(requestOrigin(request));
  const secure = redirectUri.startsWith('https:');
  let started;
  try {
    started = await anonymousGateway.startOidcSignIn(redirectUri);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    const response = NextResponse.redirect(new URL(signInErrorPath(next), redirectUri), 303);
    response.cookies.set(signInErrorCookie(describeGatewayFailure(error), secure));
    return response;
  }
  const response = NextResponse.redirect(started.authorizationUrl, 303);
  response.cookies.set(oidcFlowCookie({ state: started.state, next, redirectUri }));
  return response;
}
