import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { createTeam, seedEventType } from '../support/seed';

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
