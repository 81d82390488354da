import { expect, test, type APIRequestContext } from '@playwright/test';
import { admin, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { gatewayUrl } from '../support/environment';
import { produce, seedEventType, type JsonSchema, type SeededEventType } from '../support/seed';

/** Version 1; version 2 adds a currency (compatible); version 3 requires a new field (breaks BACKWARD). */
const V1: JsonSchema = {
  type: 'object',
  required: ['id', 'currency'],
  properties: { id: { type: 'string' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
};
const V2: JsonSchema = {
  ...V1,
  properties: { ...(V1.properties as object), currency: { type: 'string', enum: ['EUR', 'USD', 'CHF'] } },
};
const V3: JsonSchema = {
  ...V2,
  required: ['id', 'currency', 'customerId'],
  properties: { ...(V2.properties as object), customerId: { type: 'string' } },
};

test.describe('event type page', () => {
  let api: APIRequestContext;
  let eventType: SeededEventType;

  test.beforeAll(async () => {
    api = await gatewayApiAs(admin);
    eventType = await seedEventType(api, { label: 'page', schemas: [V1, V2, V3], incompatibleFrom: 3 });
  });

  test.afterAll(async () => {
    await api.dispose();
  });

  test.beforeEach(async ({ context }) => {
    await signInBrowser(context, admin);
  });

  test('compares two schema versions: the diff and the registry’s verdict with its reasons', async ({ page }) => {
    await page.goto(`/event-types/${eventType.name}`);
    const compare = page.getByRole('region', { name: 'Compare versions' });

    // By default the latest version is compared with the one before: version 3 breaks BACKWARD.
    const verdict = compare.getByRole('region', { name: /Not compatible/ });
    await expect(verdict).toContainText('under BACKWARD');
    await expect(verdict).toContainText('customerId');
    await expect(verdict).toContainText(/rule [A-Z_]+/);
    const diff = compare.getByRole('table', { name: /Unified diff from version 2 to version 3/ });
    await expect(
      diff.getByRole('row').filter({ hasText: 'Added' }).filter({ hasText: '"customerId"' }).first(),
    ).toBeVisible();
    await page.screenshot({ path: screenshotPath('event-type-compare'), fullPage: true });
    await compare.screenshot({ path: screenshotPath('event-type-compare-section') });

    // Version 1 → 2 only adds an enum value: compatible.
    const form = compare.getByRole('form', { name: 'Versions to compare' });
    await form.getByLabel('From version').selectOption('1');
    await form.getByLabel('to version').selectOption('2');
    await form.getByRole('button', { name: 'Compare' }).click();
    await expect(page).toHaveURL(/from=1&to=2/);
    await expect(compare.getByRole('region', { name: /^Compatible/ })).toContainText(
      'Version 2 passes the BACKWARD check against version 1',
    );
    await expect(compare.getByRole('table', { name: /2 lines added, 1 line removed/ })).toBeVisible();
  });

  test('shows any version of the schema', async ({ page }) => {
    await page.goto(`/event-types/${eventType.name}`);
    const schema = page.getByRole('region', { name: 'Schema' });
    await expect(schema.getByRole('figure', { name: /version 3 · id \d+/ })).toBeVisible();
    await schema.getByLabel('Version', { exact: true }).selectOption('1');
    await schema.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/version=1/);
    await expect(schema.getByRole('figure', { name: /version 1 · id \d+/ }).locator('pre')).not.toContainText('CHF');
    await expect(schema.getByRole('rowheader', { name: 'customerId' })).toHaveCount(0);
  });

  test('snippets are filled in for the event type and the gateway, each with a copy button', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/event-types/${eventType.name}`);
    const use = page.getByRole('region', { name: 'Use it' });
    const produceSnippet = use.getByRole('figure', { name: /^Produce an event \(curl\)/ });
    await expect(produceSnippet).toContainText(`curl -X POST ${gatewayUrl}/v1/events/${eventType.name}`);
    // The sample event fills every required field of the latest schema.
    await expect(produceSnippet).toContainText('"customerId":"string"');
    await expect(use.getByRole('figure', { name: /Server-Sent Events/ })).toContainText(
      `${gatewayUrl}/v1/events/${eventType.name}/stream`,
    );
    // The typed subscription field the gateway generated for this event type (found by introspection).
    const graphql = use.getByRole('figure', { name: /^GraphQL subscription \(typed field \w+\)/ });
    await expect(graphql).toContainText('(from: LATEST)');
    await expect(graphql).toContainText('customerId');
    const kafka = use.getByRole('figure', { name: /kafkajs/ });
    await expect(kafka).toContainText(`topic: "${eventType.name}"`);
    await expect(kafka).toContainText(`host: "${gatewayUrl}/registry"`);

    await produceSnippet.getByRole('button', { name: 'Copy' }).click();
    await expect(produceSnippet.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain(`/v1/events/${eventType.name}`);
  });

  test('the live tail receives an event produced during the test, pauses and resumes without losing one', async ({
    page,
  }) => {
    await page.goto(`/event-types/${eventType.name}`);
    const live = page.getByRole('region', { name: 'Live tail' });
    await live.getByRole('button', { name: 'Start live tail' }).click();
    const status = live.getByRole('status');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    await expect(status).toContainText('Live.');

    // The subscription starts at the latest offset once the gateway has set it up: produce until one arrives.
    const events = live.getByRole('list', { name: /Latest events/ });
    let sent = 0;
    await expect(async () => {
      sent += 1;
      await produce(api, eventType.name, { id: `tail-${sent}`, currency: 'EUR', customerId: 'c-1' });
      await expect(events.getByRole('listitem').first()).toContainText('"id": "tail-', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('event-type-live-tail'), fullPage: true });
    await live.screenshot({ path: screenshotPath('event-type-live-tail-section') });

    await live.getByRole('button', { name: 'Pause' }).click();
    await expect(status).toContainText('Paused.');
    await produce(api, eventType.name, { id: 'while-paused', currency: 'CHF', customerId: 'c-2' });
    await expect(events).not.toContainText('while-paused');
    await live.getByRole('button', { name: 'Resume' }).click();
    // Resumed after the last cursor: the event produced while paused arrives.
    await expect(events.getByRole('listitem').first()).toContainText('while-paused');
  });

  test('works with the keyboard alone', async ({ page }) => {
    await page.goto(`/event-types/${eventType.name}`);
    // The skip link comes first and lands on the main content.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

    // Compare versions 1 and 3 with the keyboard: focus the first select, change it, submit.
    const form = page.getByRole('form', { name: 'Versions to compare' });
    await form.getByLabel('From version').focus();
    await page.keyboard.press('ArrowDown'); // from 2 to 1 (options are newest first)
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('to version')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(form.getByRole('button', { name: 'Compare' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/from=1&to=3/);

    // The live tail starts and pauses from the keyboard; the code blocks scroll with it.
    const start = page.getByRole('button', { name: 'Start live tail' });
    await start.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await page.getByRole('button', { name: 'Pause' }).focus();
    await page.keyboard.press('Space');
    await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  });

  test('fits a 390 px wide window without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/event-types/${eventType.name}`);
    await expect(page.getByRole('heading', { level: 1, name: eventType.name })).toBeVisible();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Wide content (schema document, diff, snippets) scrolls inside its own frame.
    const diff = page.getByRole('group', { name: /Changes from version 2 to version 3/ });
    const box = await diff.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('event-type-390px'), fullPage: true });
  });
});
