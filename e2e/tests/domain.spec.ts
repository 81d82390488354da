import { readFile } from 'node:fs/promises';
import { expect, request, test } from '@playwright/test';
import { admin, gatewayApiAs, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';
import { gatewayUrl } from '../support/environment';
import { createApplicationWithKey, putDomain, putEventType, putService, uniqueDomain } from '../support/seed';

test.describe('domain page', () => {
  test('shows the description, event types, services and the lineage graph; downloads AsyncAPI', async ({
    page,
    context,
  }) => {
    const api = await gatewayApiAs(admin);
    const domain = uniqueDomain('domain');
    await putDomain(api, domain, {
      displayName: 'Warehouse',
      ownerTeam: 'team-e2e-warehouse',
      summary: 'Stock in, parcels out.',
      description: [
        '# Warehouse',
        '',
        'Everything that happens between **goods in** and the loading dock.',
        '',
        '- Keyed by `sku`',
        '- Ask in [the wiki](https://wiki.example/warehouse)',
        '',
        '<img src="x" onerror="window.__injected = true"> <script>window.__injected = true</script>',
        '',
        '[a trap](javascript:window.__injected=true)',
      ].join('\n'),
    });
    const received = `${domain}.stock-received`;
    const picked = `${domain}.order-picked`;
    await putEventType(api, received, {
      summary: 'Goods arrived at the dock.',
      owner: 'team-e2e-warehouse',
      tags: ['stock'],
    });
    await putEventType(api, picked, {
      summary: 'An order was picked from the shelves.',
      owner: 'team-e2e-warehouse',
      tags: ['orders', 'stock'],
      lifecycle: 'deprecated',
    });
    await putService(api, `${domain}-dock`, {
      displayName: 'Dock scanner',
      ownerTeam: 'team-e2e-warehouse',
      domain,
      summary: 'Scans pallets at the dock.',
      produces: [received],
    });
    await putService(api, `${domain}-picker`, {
      displayName: 'Picking app',
      ownerTeam: 'team-e2e-warehouse',
      domain,
      produces: [picked],
      consumes: [received],
    });
    await api.dispose();
    await signInBrowser(context, admin);

    const response = await page.goto(`/domains/${domain}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Warehouse' })).toBeVisible();
    await expect(page).toHaveTitle(/Warehouse \(domain\)/);

    // The markdown description, rendered as elements; raw HTML and javascript: links are not.
    const about = page.getByRole('region', { name: 'About' });
    await expect(about).toContainText('team-e2e-warehouse');
    await expect(about.getByRole('heading', { name: 'Warehouse', level: 3 })).toBeVisible();
    await expect(about.locator('strong', { hasText: 'goods in' })).toBeVisible();
    await expect(about.getByRole('link', { name: 'the wiki' })).toHaveAttribute(
      'href',
      'https://wiki.example/warehouse',
    );
    await expect(about.locator('img, script')).toHaveCount(0);
    await expect(about.getByText('a trap')).toBeVisible();
    await expect(about.locator('a[href^="javascript"]')).toHaveCount(0);
    expect(await page.evaluate<unknown>('window.__injected')).toBeUndefined();

    // Its event types, with lifecycle and tags, and its services with what they produce and consume.
    const eventTypes = page.getByRole('table', { name: `Event types of the ${domain} domain` });
    await expect(eventTypes.getByRole('row')).toHaveCount(3);
    const pickedRow = eventTypes.getByRole('row').filter({ has: page.getByRole('link', { name: picked }) });
    await expect(pickedRow).toContainText('Deprecated');
    await expect(pickedRow.getByRole('list', { name: 'Tags' })).toContainText('orders');
    const services = page.getByRole('table', { name: `Services of the ${domain} domain` });
    const pickerRow = services.getByRole('row').filter({ hasText: 'Picking app' });
    await expect(pickerRow.getByRole('link', { name: received })).toBeVisible();
    await expect(pickerRow.getByRole('link', { name: picked })).toBeVisible();

    // The lineage graph: a drawing whose nodes link to their pages, and the same edges as a table.
    const lineage = page.getByRole('region', { name: 'Lineage', exact: true });
    const graph = lineage.getByRole('figure', { name: /Lineage of the Warehouse domain/ });
    await expect(graph).toContainText('3 edges');
    const drawing = graph.locator('svg.lineage__svg');
    await expect(drawing.getByRole('link', { name: `Event type ${received}`, exact: false })).toHaveCount(1);
    await expect(drawing.getByRole('link', { name: /^Service Dock scanner .*as a producer$/ })).toHaveCount(1);
    await expect(drawing.getByRole('link', { name: /^Service Picking app .*as a consumer$/ })).toHaveCount(1);
    await graph.getByText('Every edge as a table (3)').click();
    const edges = graph.getByRole('table', { name: 'Edges of the lineage graph' });
    await expect(edges.getByRole('row').filter({ hasText: 'consumes' })).toContainText(received);
    await expect(edges.getByRole('row').filter({ hasText: 'consumes' })).toContainText('not seen');
    await page.screenshot({ path: screenshotPath('domain'), fullPage: true });

    // AsyncAPI 3.0 of the domain, downloaded through the portal.
    const downloading = page.waitForEvent('download');
    await about.getByRole('link', { name: `Download the ${domain} domain as AsyncAPI 3.0 YAML` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`meshgate-asyncapi-${domain}.yaml`);
    const document = await readFile((await download.path())!, 'utf8');
    expect(document).toMatch(/^asyncapi: 3\.0\.0/m);
    expect(document).toContain(received);
    expect(document).not.toContain('orders.order-created');

    // A node of the drawing opens its page.
    await drawing.getByRole('link', { name: new RegExp(`^Event type ${picked.replaceAll('.', '\\.')}`) }).click();
    await expect(page.getByRole('heading', { level: 1, name: picked })).toBeVisible();
    await expect(page.getByRole('note')).toContainText('deprecated');
  });

  test('the demo domain: declared lineage and an application seen producing', async ({ page, context }) => {
    // An application nobody declared produces to the demo's orders.order-created (its first example).
    const api = await gatewayApiAs(admin);
    const eventType = (await (await api.get('/v1/catalog/event-types/orders.order-created')).json()) as {
      examples: { payload: unknown }[];
    };
    const script = await createApplicationWithKey(api, { label: 'report-script', domain: 'orders' });
    await api.dispose();
    const producer = await request.newContext({
      baseURL: gatewayUrl,
      extraHTTPHeaders: { authorization: `Bearer ${script.token}` },
    });
    for (let index = 0; index < 3; index += 1) {
      const produced = await producer.post('/v1/events/orders.order-created', { data: eventType.examples[0]!.payload });
      expect(produced.status(), await produced.text()).toBe(202);
    }
    await producer.dispose();
    await signInBrowser(context, admin);

    await page.setViewportSize({ width: 1280, height: 900 });
    const lineage = page.getByRole('region', { name: 'Lineage', exact: true });
    const drawing = lineage.locator('svg.lineage__svg');
    await expect(async () => {
      await page.goto('/domains/orders');
      await expect(drawing.getByRole('img', { name: new RegExp(`^Application ${script.name}`) })).toHaveCount(1, {
        timeout: 1000,
      });
    }).toPass({ timeout: 20_000 });
    await expect(lineage.getByRole('figure', { name: /Lineage of the Orders domain/ })).toBeVisible();
    await expect(drawing.getByRole('link', { name: /^Event type orders\.order-created/ })).toHaveCount(1);
    await lineage.getByText(/Every edge as a table/).click();
    const row = lineage
      .getByRole('table', { name: 'Edges of the lineage graph' })
      .getByRole('row')
      .filter({ hasText: `${script.name} (application)` });
    await expect(row).toContainText('produces');
    await expect(row.getByRole('cell').nth(4)).toHaveText(/^\d+ events?$/);
    await lineage.getByText(/Every edge as a table/).click();
    await lineage.screenshot({ path: screenshotPath('domain-lineage-section') });
  });

  test('the lineage page draws the whole catalog or one domain', async ({ page, context }) => {
    const api = await gatewayApiAs(admin);
    const domain = uniqueDomain('lineage');
    const name = `${domain}.thing-done`;
    await putEventType(api, name, { summary: 'A thing was done.', owner: 'team-e2e' });
    await putService(api, `${domain}-doer`, { displayName: 'Doer', ownerTeam: 'team-e2e', domain, produces: [name] });
    await api.dispose();
    await signInBrowser(context, admin);

    await page.goto('/lineage');
    await expect(page.getByRole('heading', { level: 1, name: 'Lineage' })).toBeVisible();
    await expect(page.getByRole('figure', { name: /Lineage of the whole catalog/ })).toBeVisible();
    await page.getByLabel('Domain', { exact: true }).selectOption(domain);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(new RegExp(`/lineage\\?domain=${domain}$`));
    const graph = page.getByRole('figure', { name: new RegExp(`Lineage of the ${domain} domain`) });
    await expect(graph).toContainText('1 edge');
    await expect(graph.locator('svg').getByRole('link', { name: /^Service Doer/ })).toHaveCount(1);
    await page.screenshot({ path: screenshotPath('lineage-domain'), fullPage: true });
    await page.getByRole('link', { name: `Open the ${domain} domain` }).click();
    await expect(page.getByRole('heading', { level: 1, name: domain })).toBeVisible();
  });

  test('home, a domain and the lineage view fit a 390 px wide window', async ({ page, context }) => {
    await signInBrowser(context, admin);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/?q=order', '/domains/orders', '/lineage', '/event-types/orders.order-created']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
