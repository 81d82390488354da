import { expect, test } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { createTeam, putEventType, uniqueDomain } from '../support/seed';

test.describe('private event types', () => {
  test('only the owner team sees them: not in search, not by URL, not on the domain page', async ({ browser }) => {
    const api = await gatewayApiAs(admin);
    const insider = await createDeveloper(api, 'insider');
    const outsider = await createDeveloper(api, 'outsider');
    const team = await createTeam(api, [insider]);
    const domain = uniqueDomain('private');
    const secret = `${domain}.merger-planned`;
    await putEventType(api, secret, { summary: 'A merger is being planned.', owner: team, visibility: 'private' });
    await putEventType(api, `${domain}.office-opened`, { summary: 'An office opened.', owner: team });
    await api.dispose();

    // The outsider: the search finds only the public one, the URL answers "not found", the
    // domain lists only the public one.
    const outsiderContext = await browser.newContext();
    await signInBrowser(outsiderContext, outsider);
    const page = await outsiderContext.newPage();
    await page.goto(`/?q=merger&domain=${domain}`);
    await expect(page.getByRole('status').filter({ hasText: 'found' })).toHaveText(
      'No event types found for “merger”.',
    );
    await page.goto(`/?domain=${domain}`);
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(results.getByRole('listitem')).toHaveCount(1);
    await expect(results).not.toContainText('merger');
    const response = await page.goto(`/event-types/${secret}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('main')).not.toContainText('A merger is being planned');
    await page.goto(`/domains/${domain}`);
    const eventTypes = page.getByRole('table', { name: `Event types of the ${domain} domain` });
    await expect(eventTypes.getByRole('link', { name: `${domain}.office-opened` })).toBeVisible();
    await expect(page.getByRole('main')).not.toContainText('merger');
    await outsiderContext.close();

    // A member of the owner team sees it everywhere.
    const insiderContext = await browser.newContext();
    await signInBrowser(insiderContext, insider);
    const insiderPage = await insiderContext.newPage();
    await insiderPage.goto(`/?q=merger&domain=${domain}`);
    const found = insiderPage.getByRole('list', { name: 'Search results' }).getByRole('listitem');
    await expect(found).toHaveCount(1);
    await expect(found).toContainText('Private');
    await insiderPage.goto(`/event-types/${secret}`);
    await expect(insiderPage.getByRole('heading', { level: 1, name: secret })).toBeVisible();
    await insiderContext.close();
  });
});
