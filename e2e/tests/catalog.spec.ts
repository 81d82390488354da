import { expect, test } from '@playwright/test';
import { admin, signInBrowser } from '../support/accounts';
import { artifactPath } from '../support/artifacts';

/** The event types the demo seed creates, each with a JSON Schema under `{topic}-value`. */
const SEEDED_EVENT_TYPES = ['orders.order-created', 'orders.order-shipped', 'payments.payment-captured'] as const;

test.describe('catalog', () => {
  // Every gateway API needs credentials now, the catalog too: browse as the administrator.
  test.beforeEach(async ({ context }) => {
    await signInBrowser(context, admin);
  });

  test('lists the seeded event types', async ({ page }) => {
    const response = await page.goto('/event-types');
    expect(response?.status()).toBe(200);

    await expect(page.getByRole('heading', { level: 1, name: 'All event types' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Primary' })).toContainText('Catalog');
    const table = page.getByRole('table', { name: 'Event types in the catalog' });
    for (const name of SEEDED_EVENT_TYPES) {
      const row = table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
      await expect(row).toHaveCount(1);
      // Each row names the schema subject of the event type (TopicNameStrategy by default).
      await expect(row).toContainText(`${name}-value`);
    }

    await page.screenshot({ path: artifactPath('catalog.png'), fullPage: true });
  });

  test('opens an event type and shows its latest schema', async ({ page }) => {
    await page.goto('/event-types');
    await page.getByRole('link', { name: 'orders.order-created', exact: true }).click();

    await expect(page).toHaveURL(/\/event-types\/orders\.order-created$/);
    await expect(page).toHaveTitle(/orders\.order-created/);
    await expect(page.getByRole('heading', { level: 1, name: 'orders.order-created' })).toBeVisible();

    const details = page.getByRole('region', { name: 'Details' });
    await expect(details).toContainText('orders.order-created-value');

    const schema = page.getByRole('region', { name: 'Schema' });
    await expect(schema.getByRole('list', { name: 'Schema identity' })).toContainText(/Version\s*\d+/);
    await expect(schema.getByRole('list', { name: 'Schema identity' })).toContainText(/Schema ID\s*\d+/);
    await expect(schema.getByRole('rowheader', { name: 'orderId', exact: true })).toBeVisible();
    // The pretty-printed document, captioned with its subject, version and id.
    const document = schema.getByRole('figure', {
      name: /^orders\.order-created-value · version \d+ · id \d+/,
    });
    await expect(document.locator('pre')).toContainText('"orderId"');

    await page.screenshot({ path: artifactPath('event-type.png'), fullPage: true });
  });

  test('every seeded event type has a registered schema', async ({ page }) => {
    for (const name of SEEDED_EVENT_TYPES) {
      const response = await page.goto(`/event-types/${name}`);
      expect(response?.status(), name).toBe(200);
      const schema = page.getByRole('region', { name: 'Schema' });
      const document = schema.getByRole('figure', { name: new RegExp(`^${name}-value · version`) });
      await expect(document.locator('pre'), name).toContainText('"properties"');
      await expect(schema).not.toContainText('No schema registered yet');
    }
  });

  test('an unknown event type answers 404 with the not-found page', async ({ page }) => {
    const response = await page.goto('/event-types/orders.does-not-exist');
    expect(response?.status()).toBe(404);

    await expect(page.getByRole('heading', { level: 1, name: 'Event type not found' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('orders.does-not-exist');
    await expect(page).toHaveTitle(/Event type not found/);

    await page.getByRole('link', { name: 'Browse the catalog' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Event catalog' })).toBeVisible();
  });
});
