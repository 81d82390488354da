// The OpenID Provider the e2e suite signs in through: a real `oidc-provider` with its
// development login and consent pages, started by playwright.config.ts before the product.
// Run: node --import tsx support/oidc-provider.ts
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { oidcClient, oidcIssuer, oidcPort, ssoTeam } from './environment';

/**
 * Any login name signs in (the development login page takes any password): `{login}@sso.example.com`,
 * verified, and in `ssoTeam` when the login starts with `sso-teams-`.
 */
function claimsOf(login: string): Record<string, unknown> {
  return {
    sub: login,
    email: `${login}@sso.example.com`,
    email_verified: true,
    name: login,
    groups: login.startsWith('sso-teams-') ? [ssoTeam] : [],
  };
}

const provider = new Provider(oidcIssuer, {
  clients: [
    {
      client_id: oidcClient.clientId,
      client_secret: oidcClient.clientSecret,
      redirect_uris: [oidcClient.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => claimsOf(id) }),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['meshgate-e2e-provider-cookie-key'] },
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});

const server = createServer(provider.callback());
server.listen(oidcPort, '127.0.0.1', () => console.log(`[oidc-provider] ${oidcIssuer} ready`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
