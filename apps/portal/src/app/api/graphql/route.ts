import { NextResponse, type NextRequest } from 'next/server';
import { getGateway, readSessionToken } from '../../../lib/gateway';
import { isGatewayError } from '../../../lib/gateway-error';

/** Largest GraphQL request body the explorer may forward. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /api/graphql`: the GraphQL explorer's queries and mutations, forwarded to the gateway's
 * `POST /graphql` with the visitor's session, so the browser never holds the token (the
 * explorer's subscriptions go to the gateway's graphql-ws endpoint directly, carrying the
 * session cookie). Only same-origin JSON posts are forwarded: a cross-site form cannot send
 * `application/json`, and the session cookie is SameSite=Lax besides.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== request.nextUrl.origin && !sameHost(origin, request)) {
    return graphqlError(403, 'FORBIDDEN', 'Cross-origin requests are not forwarded.');
  }
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
    return graphqlError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the GraphQL request as application/json.');
  }
  if (!(await readSessionToken())) {
    return graphqlError(401, 'UNAUTHENTICATED', 'Sign in to the portal to use the GraphQL explorer.');
  }
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
    return graphqlError(413, 'PAYLOAD_TOO_LARGE', 'The GraphQL request is larger than 1 MiB.');
  }
  try {
    const answer = await (await getGateway()).forwardGraphQL(body);
    return new NextResponse(answer.body, {
      status: answer.status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return graphqlError(502, 'GATEWAY_UNREACHABLE', error.message);
  }
}

/** The browser's Origin names the host the request came to (Next.js may see itself under another name). */
function sameHost(origin: string, request: NextRequest): boolean {
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function graphqlError(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ errors: [{ message, extensions: { code } }] }, { status });
}
