import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

/** What the test provider says about an account (its id is the login name). */
export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

/** A real OpenID Provider (`oidc-provider`) on a free loopback port, with its development login and consent pages. */
export interface TestProvider {
  issuer: string;
  /** Accounts by login name; add or change them between sign-ins. */
  accounts: Map<string, TestAccount>;
  stop(): Promise<void>;
}

/**
 * Starts an OpenID Provider with the given clients. Accounts release `email`/`email_verified`
 * (scope email), `name` (profile) and `groups` (scope groups). As most providers do when an
 * access token is issued, the ID token carries only the subject and the rest comes from the
 * UserInfo endpoint.
 */
export async function startTestProvider(clients: ClientMetadata[]): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['meshgate-test-provider-cookie-key'] },
    // Explicit lifetimes (seconds): the defaults are functions that print a notice each time.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A browser's cookie jar, just enough for the provider's own cookies (names are unique there). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', value = ''] = attribute.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        if (key.toLowerCase() === 'expires') return new Date(value).getTime() <= Date.now();
        return false;
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
}

/**
 * Plays the browser: opens `authorizationUrl`, signs in at the provider's login page as
 * `login`, consents, and returns the URL the provider finally redirects to at `redirectUri`
 * (with `code` and `state`, or `error`). Fetch with manual redirects and a cookie jar — the
 * provider sees what it would see from a browser.
 */
export async function signInAtProvider(authorizationUrl: string, login: string, redirectUri: string): Promise<string> {
  const jar = new CookieJar();
  const target = new URL(redirectUri);
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    jar.store(response);
    form = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.origin === target.origin && url.pathname === target.pathname) return url.href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`The provider answered ${response.status} at ${url.href}: ${html}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (prompt === 'login') form = new URLSearchParams({ prompt, login, password: 'any password' });
    else if (prompt === 'consent') form = new URLSearchParams({ prompt });
    else throw new Error(`Unexpected page at ${url.href}: ${html.slice(0, 500)}`);
  }
  throw new Error('The provider did not redirect back within 20 steps.');
}
