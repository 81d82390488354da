import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { admin, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { putDomain, putEventType, registerSchema, uniqueDomain } from '../support/seed';

/** A word nothing else in the catalog contains, so the search finds exactly what the spec seeded. */
function uniqueWord(label: string): string {
  return `${label}${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

test.describe('catalog search', () => {
  test('finds an event type as you type, from the keyboard, and opens it', async ({ page, context }) => {
    const api = await gatewayApiAs(admin);
    const domain = uniqueDomain('search');
    const word = uniqueWord('zebra');
    await putDomain(api, domain, {
      displayName: 'Search spec',
      ownerTeam: 'team-e2e',
      summary: 'Seeded by the search spec.',
    });
    await putEventType(api, `${domain}.${word}-spotted`, {
      summary: `A ${word} was spotted.`,
      owner: 'team-e2e',
      tags: ['wildlife', 'e2e'],
      lifecycle: 'active',
    });
    await putEventType(api, `${domain}.${word}-lost`, {
      summary: `A ${word} was lost.`,
      owner: 'team-e2e',
      tags: ['wildlife'],
      lifecycle: 'deprecated',
    });
    await api.dispose();
    await signInBrowser(context, admin);

    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Event catalog' })).toBeVisible();
    const search = page.getByRole('search', { name: 'Search the catalog' });
    const box = search.getByLabel('Search event types');
    // Typed a key at a time: the search runs as you type, no button pressed.
    await box.pressSequentially(word.slice(0, 8), { delay: 30 });
    const status = page.getByRole('status').filter({ hasText: 'found' });
    await expect(status).toHaveText(`2 event types found for “${word.slice(0, 8)}”.`);
    await expect(page).toHaveURL(new RegExp(`\\?q=${word.slice(0, 8)}$`));
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(results.getByRole('listitem')).toHaveCount(2);
    await expect(results.getByRole('listitem').filter({ hasText: `${word}-lost` })).toContainText('Deprecated');
    await page.screenshot({ path: screenshotPath('home-search-typed'), fullPage: true });

    // A filter narrows it down and lands in the URL too.
    await search.getByLabel('Lifecycle').selectOption('active');
    await expect(status).toHaveText(`1 event type found for “${word.slice(0, 8)}”.`);
    await expect(page).toHaveURL(new RegExp(`\\?q=${word.slice(0, 8)}&lifecycle=active$`));

    // ↓ moves from the box into the results, Enter opens the focused one.
    await box.focus();
    await page.keyboard.press('ArrowDown');
    const first = results.getByRole('link', { name: `${domain}.${word}-spotted` });
    await expect(first).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(box).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/event-types/${domain}\\.${word}-spotted$`));
    await expect(page.getByRole('heading', { level: 1, name: `${domain}.${word}-spotted` })).toBeVisible();
  });

  test('finds event types by schema field and tag, and renders results without JavaScript', async ({ browser }) => {
    const api = await gatewayApiAs(admin);
    const domain = uniqueDomain('fields');
    const field = uniqueWord('parcelcode');
    const name = `${domain}.label-printed`;
    await putEventType(api, name, { summary: 'A shipping label was printed.', owner: 'team-e2e', tags: ['labels'] });
    await registerSchema(api, `${name}-value`, {
      type: 'object',
      required: [field],
      properties: { [field]: { type: 'string' } },
    });
    await api.dispose();

    // Links to a search work as they are: the server renders the results.
    const context = await browser.newContext({ javaScriptEnabled: false });
    await signInBrowser(context, admin);
    const page = await context.newPage();
    const response = await page.goto(`/?q=${field}&domain=${domain}`);
    expect(response?.status()).toBe(200);
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(results.getByRole('listitem')).toHaveCount(1);
    await expect(results.getByRole('listitem')).toContainText(name);
    await expect(results.getByRole('listitem')).toContainText(`Matched in schema fields: ${field}`);
    await expect(page.getByLabel('Domain', { exact: true })).toHaveValue(domain);

    // The form submits as a plain GET.
    await page.getByLabel('Search event types').fill('');
    await page.getByLabel('Tag', { exact: true }).fill('labels');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(new RegExp(`\\?q=&domain=${domain}&owner=&tag=labels&lifecycle=$`));
    await expect(results.getByRole('link', { name })).toBeVisible();
    await context.close();
  });

  test('the demo catalog: a search for “order”', async ({ page, context }) => {
    await signInBrowser(context, admin);
    await page.setViewportSize({ width: 1280, height: 960 });
    await page.goto('/');
    await page.getByLabel('Search event types').pressSequentially('order', { delay: 30 });
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(results.getByRole('link', { name: 'orders.order-created', exact: true })).toBeVisible();
    await expect(results.getByRole('listitem').filter({ hasText: 'orders.order-shipped' })).toContainText('Deprecated');
    await page.keyboard.press('ArrowDown');
    await expect(results.getByRole('link').first()).toBeFocused();
    await page.screenshot({ path: screenshotPath('home-search') });
  });
});
