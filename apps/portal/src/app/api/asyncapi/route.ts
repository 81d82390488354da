import { NextResponse, type NextRequest } from 'next/server';
import { getGateway, readSessionToken } from '../../../lib/gateway';
import { GatewayErrorCode, isGatewayError } from '../../../lib/gateway-error';

/** Domain names as the catalog allows them (the first segment of event type names). */
const DOMAIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * `GET /api/asyncapi?domain=&format=yaml|json`: the AsyncAPI 3.0 document of what the visitor
 * may see — the whole catalog, or one domain — downloaded through the portal with the visitor's
 * session (`GET /v1/catalog/asyncapi` on the gateway), as an attachment named
 * `meshgate-asyncapi[-{domain}].{yaml|json}`. Bad parameters → 400 INVALID_REQUEST.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  if (!(await readSessionToken())) {
    return problem(401, GatewayErrorCode.Unauthenticated, 'Sign in to the portal to download the catalog.');
  }
  const params = request.nextUrl.searchParams;
  const format = params.get('format') ?? 'yaml';
  const domain = params.get('domain') ?? undefined;
  if (format !== 'yaml' && format !== 'json') {
    return problem(400, 'INVALID_REQUEST', 'format must be yaml or json.');
  }
  if (domain !== undefined && !DOMAIN_PATTERN.test(domain)) {
    return problem(400, 'INVALID_REQUEST', 'domain is not a domain name.');
  }
  try {
    const document = await (await getGateway()).getAsyncApi({ domain, format });
    const fileName = `meshgate-asyncapi${domain ? `-${domain}` : ''}.${format}`;
    return new NextResponse(document.body, {
      headers: {
        'content-type': document.contentType,
        'content-disposition': `attachment; filename="${fileName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    const status = error.code === GatewayErrorCode.Unreachable ? 502 : (error.status ?? 502);
    return problem(status, error.gatewayCode ?? error.code, error.gatewayMessage ?? error.message);
  }
}

function problem(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ code, message }, { status, headers: { 'cache-control': 'no-store' } });
}
