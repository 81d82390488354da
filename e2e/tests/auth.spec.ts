import { expect, test, type Page } from '@playwright/test';
import { admin, SESSION_COOKIE, type Account } from '../support/accounts';
import { artifactPath } from '../support/artifacts';
import { portalUrl } from '../support/environment';

async function fillSignIn(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('sign-in', () => {
  test('an unauthenticated visit redirects to the sign-in page, which comes back afterwards', async ({ page }) => {
    await page.goto('/event-types/orders.order-created');
    await expect(page).toHaveURL(`${portalUrl}/login?next=${encodeURIComponent('/event-types/orders.order-created')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Meshgate' })).toBeVisible();
    // Nobody is signed in: the header offers to sign in and shows no account navigation.
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Primary' })).not.toContainText('Your access');

    await fillSignIn(page, admin);
    await expect(page).toHaveURL(`${portalUrl}/event-types/orders.order-created`);
    await expect(page.getByRole('heading', { level: 1, name: 'orders.order-created' })).toBeVisible();
  });

  test('a wrong password shows the error and keeps the email', async ({ page }) => {
    await page.goto('/login');
    await fillSignIn(page, { email: admin.email, password: 'not-the-password' });

    const form = page.getByRole('form', { name: 'Sign in' });
    await expect(form.getByRole('alert')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(`${portalUrl}/login`);
    await expect(form.getByLabel('Email')).toHaveValue(admin.email);
    await expect(form.getByLabel('Password')).toHaveValue('');
    expect((await page.context().cookies()).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
    await page.screenshot({ path: artifactPath('sign-in-error.png'), fullPage: true });
  });

  test('signs in as the administrator, sees the catalog, and signs out', async ({ page, context }) => {
    await page.goto('/');
    await expect(page).toHaveURL(`${portalUrl}/login`);
    await fillSignIn(page, admin);

    await expect(page).toHaveURL(`${portalUrl}/`);
    await expect(page.getByRole('heading', { level: 1, name: 'Event catalog' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Domains' }).getByRole('link', { name: 'Orders' })).toBeVisible();

    // The header says who is signed in, and that they administer.
    const header = page.getByRole('banner');
    await expect(header).toContainText(admin.email);
    await expect(header.getByText('Admin', { exact: true })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Audit log' }),
    ).toBeVisible();

    // The session lives in an HttpOnly, SameSite=Lax cookie on the portal's origin, out of reach of page scripts.
    const cookie = (await context.cookies(portalUrl)).find((candidate) => candidate.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000);
    expect(await page.evaluate<string>('document.cookie')).not.toContain(SESSION_COOKIE);
    await page.screenshot({ path: artifactPath('signed-in-catalog.png'), fullPage: true });

    await header.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(`${portalUrl}/login`);
    expect((await context.cookies(portalUrl)).some((candidate) => candidate.name === SESSION_COOKIE)).toBe(false);
    await page.goto('/me');
    await expect(page).toHaveURL(`${portalUrl}/login?next=%2Fme`);
  });

  test('a signed-out session at the gateway sends the visitor back to sign in', async ({ page, context }) => {
    // A cookie the gateway does not know (expired, or ended elsewhere) gets the gateway's 401.
    await context.addCookies([{ name: SESSION_COOKIE, value: 'no-such-session', url: portalUrl, httpOnly: true }]);
    await page.goto('/me');
    await expect(page).toHaveURL(`${portalUrl}/login?next=%2Fme`);
  });

  test('next only ever leads to a page of the portal', async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent('https://evil.example/')}`);
    await fillSignIn(page, admin);
    await expect(page).toHaveURL(`${portalUrl}/`);
  });
});
