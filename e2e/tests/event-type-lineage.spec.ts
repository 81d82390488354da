import { expect, request, test } from '@playwright/test';
import { admin, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { gatewayUrl } from '../support/environment';
import { createApplicationWithKey, putEventType, putService, registerSchema, uniqueDomain } from '../support/seed';

test.describe('event type page: catalog', () => {
  test('shows observed producers after a produce, next to the declared ones', async ({ page, context }) => {
    const api = await gatewayApiAs(admin);
    const domain = uniqueDomain('observed');
    const name = `${domain}.reading-taken`;
    await putEventType(api, name, {
      summary: 'A meter reading was taken.',
      description: 'Sent by **every meter** once an hour.',
      owner: 'team-e2e-meters',
      version: '1.4.0',
      tags: ['meters', 'iot'],
    });
    await registerSchema(api, `${name}-value`, {
      type: 'object',
      required: ['meterId'],
      properties: { meterId: { type: 'string' }, kwh: { type: 'number' } },
    });
    // The service that is declared as the producer authenticates as this application…
    const meterApp = await createApplicationWithKey(api, { label: 'meter', domain });
    await putService(api, `${domain}-meter`, {
      displayName: 'Smart meter',
      ownerTeam: 'team-e2e-meters',
      application: meterApp.name,
      produces: [name],
    });
    // …a second service is declared as a producer but never produces, and a consumer is declared.
    await putService(api, `${domain}-backfill`, {
      displayName: 'Backfill job',
      ownerTeam: 'team-e2e-meters',
      produces: [name],
    });
    await putService(api, `${domain}-billing`, {
      displayName: 'Billing',
      ownerTeam: 'team-e2e-billing',
      consumes: [name],
    });

    // The declared producer produces twice with its key; the administrator once, undeclared.
    const meter = await request.newContext({
      baseURL: gatewayUrl,
      extraHTTPHeaders: { authorization: `Bearer ${meterApp.token}` },
    });
    for (const kwh of [1.5, 2.5]) {
      const produced = await meter.post(`/v1/events/${name}`, { data: { meterId: 'm-1', kwh } });
      expect(produced.status(), await produced.text()).toBe(202);
    }
    await meter.dispose();
    const produced = await api.post(`/v1/events/${name}`, { data: { meterId: 'm-2' } });
    expect(produced.status(), await produced.text()).toBe(202);
    await api.dispose();
    await signInBrowser(context, admin);

    // Observed lineage is flushed every MESHGATE_LINEAGE_FLUSH_MS: reload until it shows.
    const producers = page.getByRole('table', { name: 'Producers', exact: true });
    await expect(async () => {
      await page.goto(`/event-types/${name}`);
      await expect(producers.getByRole('row').filter({ hasText: 'Smart meter' })).toContainText(
        'Declared and observed',
        { timeout: 1000 },
      );
      await expect(producers.getByRole('row').filter({ hasText: admin.email })).toContainText('Observed only', {
        timeout: 1000,
      });
    }).toPass({ timeout: 20_000 });

    const meterRow = producers.getByRole('row').filter({ hasText: 'Smart meter' });
    await expect(meterRow.getByRole('cell').nth(1)).toHaveText('2'); // events
    await expect(meterRow).toContainText(`seen as ${meterApp.name}`);
    await expect(producers.getByRole('row').filter({ hasText: 'Backfill job' })).toContainText('Declared, never seen');
    const consumers = page.getByRole('table', { name: 'Consumers', exact: true });
    await expect(consumers.getByRole('row').filter({ hasText: 'Billing' })).toContainText('Declared, never seen');

    // Owners, lifecycle, version and tags in the header and details; the description as markdown.
    await expect(page.locator('header.page-header')).toContainText('Active');
    const details = page.getByRole('region', { name: 'Details' });
    await expect(details).toContainText('team-e2e-meters');
    await expect(details).toContainText('1.4.0');
    await expect(details.getByRole('link', { name: domain, exact: true })).toHaveAttribute(
      'href',
      `/domains/${domain}`,
    );
    await expect(page.locator('header.page-header strong', { hasText: 'every meter' })).toBeVisible();
    await expect(page.locator('header.page-header').getByRole('list', { name: 'Tags' })).toContainText('iot');

    // Impact: the declared consumer would be affected.
    const impact = page.getByRole('region', { name: 'Impact of a change' });
    await expect(impact.getByRole('table').getByRole('row').filter({ hasText: 'Billing' })).toContainText(
      'team-e2e-billing',
    );

    // "What if": a proposed schema that changes meterId's type is refused, and Billing would be hit.
    await impact.getByText('Check a proposed schema').click();
    const check = impact.getByRole('form', { name: 'Check a proposed schema' });
    await expect(check.getByLabel('Proposed schema')).toHaveValue(/"meterId"/);
    await check
      .getByLabel('Proposed schema')
      .fill(JSON.stringify({ type: 'object', required: ['meterId'], properties: { meterId: { type: 'integer' } } }));
    await check.getByRole('button', { name: 'Check impact' }).click();
    const verdict = check.getByRole('status');
    await expect(verdict).toContainText('Not compatible under BACKWARD');
    await expect(verdict).toContainText('It would reach 1 consumer: Billing.');
    await expect(verdict).toContainText('/properties/meterId');

    // Change history: the catalog entry's creation and the schema registration.
    const history = page.getByRole('region', { name: 'Change history' });
    await expect(history).toContainText('Schema version 1');
    await expect(history).toContainText('registered');
    await expect(history).toContainText('Created');
    await expect(history).toContainText(admin.email);

    await page.screenshot({ path: screenshotPath('event-type-lineage'), fullPage: true });
  });

  test('a deprecated event type says so, with its owners’ note', async ({ page, context }) => {
    const api = await gatewayApiAs(admin);
    const name = `${uniqueDomain('deprecated')}.old-thing`;
    await putEventType(api, name, { summary: 'The old way.', owner: 'team-e2e' });
    const moved = await api.post(`/v1/catalog/event-types/${name}/lifecycle`, {
      data: { lifecycle: 'deprecated', note: 'Use new-thing instead; removed in June.' },
    });
    expect(moved.status(), await moved.text()).toBe(200);
    await api.dispose();
    await signInBrowser(context, admin);

    await page.goto(`/event-types/${name}`);
    const note = page.getByRole('note');
    await expect(note.getByRole('heading', { name: 'Deprecated' })).toBeVisible();
    await expect(note).toContainText('Use new-thing instead; removed in June.');
    await expect(page.getByRole('region', { name: 'Change history' })).toContainText('Lifecycle active → deprecated');
  });
});
