import { expect, test } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { artifactPath } from '../support/artifacts';
import { gatewayUrl, portalUrl } from '../support/environment';

test.describe('audit log', () => {
  test('administrators see the sign-in entries and filter by decision', async ({ page, context, playwright }) => {
    // A failed sign-in, so there is a denied entry to find whatever else ran before.
    const anonymous = await playwright.request.newContext({ baseURL: gatewayUrl });
    const failed = await anonymous.post('/v1/auth/login', { data: { email: admin.email, password: 'wrong-password' } });
    expect(failed.status()).toBe(401);
    await anonymous.dispose();
    await signInBrowser(context, admin);

    await page.goto('/audit?action=auth.login');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    const table = page.getByRole('table', { name: 'Audit log entries' });
    const signIns = table.getByRole('row').filter({ hasText: 'auth.login' }).filter({ hasText: admin.email });
    await expect(signIns.filter({ hasText: 'Allowed' }).first()).toBeVisible();
    await expect(
      signIns.filter({ hasText: 'Denied' }).filter({ hasText: 'Wrong email or password.' }).first(),
    ).toBeVisible();
    await expect(table.getByRole('columnheader')).toHaveText([
      'Time',
      'Actor',
      'Action',
      'Resource',
      'Decision',
      'Reason',
      'Source IP',
    ]);

    // Filters are a GET form: the filtered view is a URL.
    const filters = page.getByRole('form', { name: 'Filter the audit log' });
    await filters.getByLabel('Action').fill('');
    await filters.getByLabel('Decision').selectOption('deny');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(`${portalUrl}/audit?actor=&action=&resource=&decision=deny`);
    const rows = table.locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    await expect(table.getByText('Allowed', { exact: true })).toHaveCount(0);
    await expect(rows.filter({ hasText: 'Denied' })).toHaveCount(await rows.count());
    await expect(rows.filter({ hasText: 'auth.login' }).first()).toBeVisible();
    // Read-only: nothing on the page changes an entry.
    await expect(page.getByRole('main').getByRole('button', { name: /edit|delete/i })).toHaveCount(0);
    await page.screenshot({ path: artifactPath('audit-denied.png'), fullPage: true });

    await page.getByRole('link', { name: 'Clear' }).click();
    await expect(page).toHaveURL(`${portalUrl}/audit`);
  });

  test('people who do not administer see an “administrators only” panel', async ({ page, context }) => {
    const adminApi = await gatewayApiAs(admin);
    const developer = await createDeveloper(adminApi, 'auditor');
    await adminApi.dispose();
    await signInBrowser(context, developer);

    await page.goto('/audit');
    await expect(page.getByRole('region', { name: 'Administrators only' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Audit log entries' })).toHaveCount(0);
    await expect(
      page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Audit log' }),
    ).toHaveCount(0);
    await expect(page.getByRole('banner')).toContainText(developer.email);
  });
});
