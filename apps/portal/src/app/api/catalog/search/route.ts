import { NextResponse, type NextRequest } from 'next/server';
import { getGateway, readSessionToken } from '../../../../lib/gateway';
import { GatewayErrorCode, isGatewayError } from '../../../../lib/gateway-error';
import { readCatalogQuery, searchFiltersOf } from '../../../../lib/search-params';

/**
 * `GET /api/catalog/search?q=&domain=&owner=&tag=&lifecycle=&page=`: the home page's
 * as-you-type search, run against the gateway's `GET /v1/catalog/search` with the visitor's
 * session (the browser never holds the token). Answers the gateway's `{items, total, tookMs}`;
 * errors as `{code, message}` (401 without a session).
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  if (!(await readSessionToken())) {
    return problem(401, GatewayErrorCode.Unauthenticated, 'Sign in to the portal to search the catalog.');
  }
  const query = readCatalogQuery(request.nextUrl.searchParams);
  try {
    const results = await (await getGateway()).searchCatalog(searchFiltersOf(query));
    return NextResponse.json(results, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    const status = error.code === GatewayErrorCode.Unreachable ? 502 : (error.status ?? 502);
    return problem(status, error.code, error.gatewayMessage ?? error.message);
  }
}

function problem(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ code, message }, { status, headers: { 'cache-control': 'no-store' } });
}
