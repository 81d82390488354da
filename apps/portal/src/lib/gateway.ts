import { cache } from 'react';
import { env } from '../env';
import { createGatewayClient } from './gateway-client';

/** The gateway client every server component uses, configured from the portal's environment. */
export const gateway = createGatewayClient({ baseUrl: env.MESHGATE_GATEWAY_URL });

/**
 * Reads one event type at most once per request, so `generateMetadata` and the page share a
 * single gateway call. Nothing is cached across requests.
 */
export const getEventTypeOnce = cache((name: string) => gateway.getEventType(name));
