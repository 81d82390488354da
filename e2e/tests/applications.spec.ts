import { randomUUID } from 'node:crypto';
import { expect, request, test } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { gatewayUrl } from '../support/environment';
import { createTeam } from '../support/seed';

/** Status of `GET /v1/me` with `token` as a Bearer API key. */
async function meStatus(token: string): Promise<number> {
  const api = await request.newContext({ baseURL: gatewayUrl });
  try {
    return (await api.get('/v1/me', { headers: { authorization: `Bearer ${token}` } })).status();
  } finally {
    await api.dispose();
  }
}

test.describe('my applications', () => {
  test('a team member creates an application and a key: the secret is shown once, then revoked', async ({
    browser,
  }) => {
    const api = await gatewayApiAs(admin);
    const developer = await createDeveloper(api, 'apps');
    const outsider = await createDeveloper(api, 'outsider');
    const team = await createTeam(api, [developer]);
    await api.dispose();

    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signInBrowser(context, developer);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Applications' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your applications' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'No applications yet' })).toBeVisible();

    // Create it for the team.
    const name = `billing-${randomUUID().slice(0, 8)}`;
    const form = page.getByRole('form', { name: 'Create an application' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Owning team').selectOption(team);
    await form.getByLabel(/Description/).fill('Exports invoices to the ledger.');
    await form.getByRole('button', { name: 'Create application' }).click();
    await expect(page).toHaveURL(new RegExp(`/applications/${name}\\?created=1$`));
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('Application created');
    await expect(page.getByRole('region', { name: 'Details and quotas' })).toContainText(team);
    await expect(page.getByRole('region', { name: 'Grants', exact: true })).toContainText('No grants yet');

    // Issue a key: its secret is shown once, with a warning and a copy button.
    const keys = page.getByRole('region', { name: 'API keys' });
    const issue = keys.getByRole('form', { name: `Issue an API key for ${name}` });
    await issue.getByLabel('Key name').fill('production');
    await issue.getByLabel('Expires').selectOption('30');
    await issue.getByRole('button', { name: 'Issue key' }).click();
    const secret = page.getByRole('alert').filter({ hasText: 'it is shown only once' });
    await expect(secret).toBeVisible();
    const tokenField = secret.getByLabel(/API key/);
    const token = await tokenField.inputValue();
    expect(token).toMatch(/^mgk_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    await secret.getByRole('button', { name: 'Copy key' }).click();
    await expect(secret.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(token);
    const keyId = token.split('.')[0]!;
    const row = keys.getByRole('row').filter({ hasText: keyId });
    await expect(row).toContainText('production');
    // The token is masked in the kept screenshot: even a test instance's secrets stay out of artefacts.
    await page.screenshot({ path: screenshotPath('application-new-key'), fullPage: true, mask: [tokenField] });

    // The key works against the gateway; the page never shows the secret again.
    expect(await meStatus(token)).toBe(200);
    await page.reload();
    await expect(page.getByText(token)).toHaveCount(0);
    await expect(page.locator(`input[value="${token}"]`)).toHaveCount(0);
    await expect(row).toContainText('production');

    // Revoke it (with a confirmation): the gateway refuses it from then on.
    await row.getByRole('button', { name: 'Revoke… key production' }).click();
    await row.getByRole('button', { name: 'Confirm revoke key production' }).click();
    await expect(keys.getByRole('row').filter({ hasText: keyId })).toHaveCount(0);
    await expect(keys).toContainText('No live keys');
    await expect.poll(() => meStatus(token), { timeout: 5_000 }).toBe(401);

    // Back on the list, the application is there with no live key.
    await page.goto('/applications');
    const listed = page
      .getByRole('table', { name: 'Applications owned by your teams' })
      .getByRole('row')
      .filter({ hasText: name });
    await expect(listed).toContainText(team);
    await expect(listed.getByRole('cell').nth(1)).toHaveText('0');
    await page.screenshot({ path: screenshotPath('applications'), fullPage: true });

    // Someone outside the team may not open it.
    const outsiderContext = await browser.newContext();
    await signInBrowser(outsiderContext, outsider);
    const outsiderPage = await outsiderContext.newPage();
    await outsiderPage.goto(`/applications/${name}`);
    await expect(outsiderPage.getByRole('region', { name: 'Not one of your applications' })).toBeVisible();
    await expect(outsiderPage.getByRole('region', { name: 'API keys' })).toHaveCount(0);
    await outsiderContext.close();
    await context.close();
  });

  test('rotating a key shows the new secret once; the old key stops at once', async ({ browser }) => {
    const api = await gatewayApiAs(admin);
    const developer = await createDeveloper(api, 'rotate');
    const team = await createTeam(api, [developer]);
    await api.dispose();
    const context = await browser.newContext();
    await signInBrowser(context, developer);
    const page = await context.newPage();

    await page.goto('/applications');
    const name = `rotating-${randomUUID().slice(0, 8)}`;
    const form = page.getByRole('form', { name: 'Create an application' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Owning team').selectOption(team);
    await form.getByRole('button', { name: 'Create application' }).click();
    const keys = page.getByRole('region', { name: 'API keys' });
    await keys.getByLabel('Key name').fill('ci');
    await keys.getByRole('button', { name: 'Issue key' }).click();
    // (Next.js's route announcer is an alert too: look for the key's.)
    const shownOnce = page.getByRole('alert').filter({ hasText: 'shown only once' });
    const first = await shownOnce.getByLabel(/API key/).inputValue();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect(shownOnce).toHaveCount(0);

    const row = keys.getByRole('row').filter({ hasText: first.split('.')[0]! });
    await row.getByLabel('Old key ci after rotation').selectOption('0');
    await row.getByRole('button', { name: 'Rotate key ci' }).click();
    // The old key is revoked at once, so its row leaves the list; the new secret is shown anyway.
    await expect(row).toHaveCount(0);
    const second = await shownOnce.getByLabel(/API key/).inputValue();
    expect(second).not.toBe(first);
    expect(await meStatus(second)).toBe(200);
    await expect.poll(() => meStatus(first), { timeout: 5_000 }).toBe(401);
    await context.close();
  });
});
