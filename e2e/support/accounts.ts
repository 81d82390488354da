import { randomUUID } from 'node:crypto';
import { expect, request, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { adminEmail, adminPassword, gatewayUrl, portalUrl } from './environment';

/** A local account of the product under test. */
export interface Account {
  email: string;
  password: string;
  name: string;
}

/** The administrator created on the fresh data folder. */
export const admin: Account = { email: adminEmail, password: adminPassword, name: 'Administrator' };

/** The portal's session cookie (HttpOnly, on the portal's origin). */
export const SESSION_COOKIE = 'meshgate_session';

/** A gateway API client signed in as `account` (the gateway's session cookie is kept by the context). */
export async function gatewayApiAs(account: Account): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: gatewayUrl });
  const response = await api.post('/v1/auth/login', { data: { email: account.email, password: account.password } });
  expect(response.status(), `sign-in of ${account.email}: ${await response.text()}`).toBe(200);
  return api;
}

/** Creates a fresh developer account (unique per call) through the administrator's API. */
export async function createDeveloper(adminApi: APIRequestContext, label = 'dev'): Promise<Account> {
  const id = randomUUID().slice(0, 8);
  const account = { email: `${label}-${id}@example.com`, password: `pw-${randomUUID()}`, name: `Developer ${id}` };
  const response = await adminApi.post('/v1/admin/users', { data: account });
  expect(response.status(), await response.text()).toBe(201);
  return account;
}

/**
 * Signs `account` in without the sign-in page (for tests about other pages): asks the gateway
 * for a session and gives the browser the portal cookie the sign-in page would have set.
 */
export async function signInBrowser(context: BrowserContext, account: Account): Promise<void> {
  const api = await request.newContext({ baseURL: gatewayUrl });
  try {
    const response = await api.post('/v1/auth/login', { data: { email: account.email, password: account.password } });
    expect(response.status(), `sign-in of ${account.email}: ${await response.text()}`).toBe(200);
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    await context.addCookies([
      {
        name: SESSION_COOKIE,
        value: token,
        url: portalUrl,
        httpOnly: true,
        sameSite: 'Lax',
        expires: Math.floor(Date.parse(expiresAt) / 1000),
      },
    ]);
  } finally {
    await api.dispose();
  }
}
