import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from './lib/session-cookie';
import { signInPath } from './lib/sign-in-path';

/**
 * Sends visitors without a session cookie to the sign-in page before any page renders, with
 * `next` set to where they were going. Whether a session is still valid only the gateway knows:
 * pages that get its 401 redirect the same way (see `redirectIfSignedOut`).
 */
export function proxy(request: NextRequest): NextResponse {
  if (request.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  const target = request.nextUrl.clone();
  // Next.js's own cache-busting parameter for client-side navigations is not part of the page.
  target.searchParams.delete('_rsc');
  return NextResponse.redirect(new URL(signInPath(`${target.pathname}${target.search}`), request.url));
}

export const config = {
  // Everything but the sign-in page, the API routes (they answer 401 themselves), Next.js's
  // assets and the icon.
  matcher: ['/((?!login|api/|_next/|icon.svg|favicon.ico).*)'],
};
