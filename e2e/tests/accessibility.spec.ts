import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { createTeam, putDomain, putEventType, putService, seedEventType, uniqueDomain } from '../support/seed';

/** Impacts that fail the suite; moderate and minor ones are reported by axe but tolerated. */
const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe-core (WCAG 2.2 A/AA and best practices) on the page as it is now; fails on serious or critical violations. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const blocking = results.violations.filter((violation) => BLOCKING.has(violation.impact ?? ''));
  const report = blocking.map(
    (violation) =>
      `${violation.impact} ${violation.id}: ${violation.help}\n` +
      violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
        .join('\n') +
      (violation.nodes.length > 5 ? `\n    … and ${violation.nodes.length - 5} more` : ''),
  );
  expect(report, `${what}: serious or critical accessibility violations`).toEqual([]);
}

test.describe('accessibility (axe-core)', () => {
  test('sign-in page', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page, '/login');
  });

  test('catalog, event type, audit log (administrator)', async ({ page, context }) => {
    const api = await gatewayApiAs(admin);
    const eventType = await seedEventType(api, {
      label: 'axe',
      schemas: [
        { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        { type: 'object', required: ['id'], properties: { id: { type: 'string' }, note: { type: 'string' } } },
      ],
      incompatibleFrom: 2,
    });
    await api.dispose();
    await signInBrowser(context, admin);

    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Event catalog' })).toBeVisible();
    await expectAccessible(page, '/');
    await page.screenshot({ path: screenshotPath('catalog'), fullPage: true });

    await page.goto(`/event-types/${eventType.name}`);
    await expect(page.getByRole('region', { name: 'Compare versions' })).toBeVisible();
    await expectAccessible(page, '/event-types/{name}');
    // Again with the live tail running (status line, controls).
    await page.getByRole('button', { name: 'Start live tail' }).click();
    await expect(page.getByRole('region', { name: 'Live tail' }).getByRole('status')).toContainText('Live.');
    await expectAccessible(page, '/event-types/{name} with the live tail');
    await page.screenshot({ path: screenshotPath('event-type'), fullPage: true });

    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expectAccessible(page, '/audit');
    await page.screenshot({ path: screenshotPath('audit'), fullPage: true });
  });

  test('home with search results, domain, service, lineage and the event type catalog sections', async ({
    page,
    context,
  }) => {
    const api = await gatewayApiAs(admin);
    const domain = uniqueDomain('axe-catalog');
    const name = `${domain}.thing-shipped`;
    await putDomain(api, domain, {
      displayName: 'Axe catalog',
      ownerTeam: 'team-e2e',
      summary: 'Checked by axe-core.',
      description:
        '# About\n\nA **domain** with a [link](https://example.com) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    });
    await putEventType(api, name, {
      summary: 'A thing was shipped.',
      owner: 'team-e2e',
      tags: ['axe'],
      lifecycle: 'deprecated',
    });
    await putService(api, `${domain}-shipper`, {
      displayName: 'Shipper',
      ownerTeam: 'team-e2e',
      domain,
      produces: [name],
    });
    await putService(api, `${domain}-tracker`, {
      displayName: 'Tracker',
      ownerTeam: 'team-e2e',
      domain,
      consumes: [name],
    });
    await api.dispose();
    await signInBrowser(context, admin);

    await page.goto(`/?q=thing&domain=${domain}`);
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem')).toHaveCount(1);
    await expectAccessible(page, '/ with search results');

    await page.goto(`/domains/${domain}`);
    await expect(page.getByRole('figure', { name: /Lineage of the Axe catalog domain/ })).toBeVisible();
    await page.getByText(/Every edge as a table/).click();
    await expectAccessible(page, '/domains/{name}');

    await page.goto(`/services/${domain}-shipper`);
    await expect(page.getByRole('heading', { level: 1, name: 'Shipper' })).toBeVisible();
    await expectAccessible(page, '/services/{name}');

    await page.goto('/lineage');
    await expect(page.getByRole('figure', { name: /Lineage of the whole catalog/ })).toBeVisible();
    await expectAccessible(page, '/lineage');
    await page.screenshot({ path: screenshotPath('lineage'), fullPage: true });

    await page.goto(`/event-types/${name}`);
    await expect(page.getByRole('region', { name: 'Producers and consumers' })).toBeVisible();
    await expectAccessible(page, '/event-types/{name} (deprecated, with producers, consumers, impact, history)');

    await page.goto('/event-types');
    await expect(page.getByRole('heading', { level: 1, name: 'All event types' })).toBeVisible();
    await expectAccessible(page, '/event-types');
  });

  test('my applications, with a new key shown', async ({ page, context }) => {
    const api = await gatewayApiAs(admin);
    const developer = await createDeveloper(api, 'axe');
    await createTeam(api, [developer]);
    await api.dispose();
    await signInBrowser(context, developer);

    await page.goto('/applications');
    await expect(page.getByRole('heading', { level: 1, name: 'Your applications' })).toBeVisible();
    await expectAccessible(page, '/applications');

    const form = page.getByRole('form', { name: 'Create an application' });
    await form.getByLabel('Name').fill(`axe-${Date.now().toString(36)}`);
    await form.getByRole('button', { name: 'Create application' }).click();
    await page.getByLabel('Key name').fill('production');
    await page.getByRole('button', { name: 'Issue key' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'shown only once' })).toBeVisible();
    await expectAccessible(page, '/applications/{name} with a new key');
  });
});
