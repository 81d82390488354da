import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { admin, gatewayApiAs, SESSION_COOKIE } from '../support/accounts';
import { artifactPath } from '../support/artifacts';
import { oidcIssuer, oidcName, portalUrl, ssoTeam } from '../support/environment';

// Single sign-on through a real OpenID Provider (support/oidc-provider.ts): the browser goes to
// the provider's own login and consent pages and back; the gateway exchanges a real code.

/** A login name the provider has never seen (it signs in any name, see support/oidc-provider.ts). */
const freshLogin = (prefix = 'sso') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Signs in at the provider's development login page as `login`, and consents. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${oidcIssuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test.describe('single sign-on (OIDC)', () => {
  test('signs a new person in through the identity provider and comes back to the page they wanted', async ({
    page,
    context,
  }) => {
    await page.goto('/event-types/orders.order-created');
    await expect(page).toHaveURL(`${portalUrl}/login?next=${encodeURIComponent('/event-types/orders.order-created')}`);
    await page.screenshot({ path: artifactPath('sso-sign-in-page.png'), fullPage: true });

    await page.getByRole('button', { name: `Sign in with ${oidcName}` }).click();
    const login = freshLogin();
    await signInAtProvider(page, login);

    await expect(page).toHaveURL(`${portalUrl}/event-types/orders.order-created`);
    await expect(page.getByRole('heading', { level: 1, name: 'orders.order-created' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText(`${login}@sso.example.com`);

    // The session cookie is the one a password sign-in sets; the flow cookie is gone.
    const cookies = await context.cookies(portalUrl);
    expect(cookies.find((cookie) => cookie.name === SESSION_COOKIE)).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(cookies.some((cookie) => cookie.name === 'meshgate_oidc')).toBe(false);
    await page.screenshot({ path: artifactPath('sso-signed-in.png'), fullPage: true });
  });

  test('a returning person is the same account, with the teams the provider lists', async ({ browser }) => {
    const adminApi = await gatewayApiAs(admin);
    const created = await adminApi.post('/v1/admin/teams', { data: { id: ssoTeam } });
    expect([201, 409], await created.text()).toContain(created.status());
    await adminApi.dispose();

    const login = freshLogin('sso-teams');
    const ids: string[] = [];
    for (let round = 0; round < 2; round += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto('/login?next=%2Fme');
      await page.getByRole('button', { name: `Sign in with ${oidcName}` }).click();
      await signInAtProvider(page, login);
      await expect(page).toHaveURL(`${portalUrl}/me`);
      await expect(page.getByRole('list', { name: 'Your teams' })).toContainText(ssoTeam);
      await context.close();
      const gateway = await gatewayApiAs(admin);
      const { users } = (await (await gateway.get('/v1/admin/users')).json()) as {
        users: { id: string; email: string }[];
      };
      await gateway.dispose();
      ids.push(...users.filter((user) => user.email === `${login}@sso.example.com`).map((user) => user.id));
    }
    // One account, found again on the second sign-in.
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  test('a callback this browser did not start is refused and explained', async ({ page, context }) => {
    await page.goto('/login/oidc/callback?code=stolen-code&state=someone-elses-state');
    await expect(page).toHaveURL(`${portalUrl}/login?error=sso`);
    await expect(page.getByRole('form', { name: 'Single sign-on' }).getByRole('alert')).toContainText(
      'not started in this browser',
    );
    expect((await context.cookies(portalUrl)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
    await page.screenshot({ path: artifactPath('sso-refused.png'), fullPage: true });
  });

  test('cancelling at the identity provider comes back with its reason and no session', async ({ page, context }) => {
    await page.goto('/login?next=%2Fme');
    await page.getByRole('button', { name: `Sign in with ${oidcName}` }).click();
    await expect(page).toHaveURL(new RegExp(`^${oidcIssuer}/interaction/`));
    await page.getByRole('link', { name: /cancel/i }).click();

    await expect(page).toHaveURL(`${portalUrl}/login?error=sso&next=%2Fme`);
    await expect(page.getByRole('form', { name: 'Single sign-on' }).getByRole('alert')).toContainText('access_denied');
    expect((await context.cookies(portalUrl)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
  });
});
