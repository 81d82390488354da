import { expect, test, type Page } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { produce, grantDomain, seedEventType } from '../support/seed';

/** `email` is personal data: only grants that unmask `pii` see it. */
const SCHEMA = {
  type: 'object',
  required: ['orderId', 'email'],
  properties: {
    orderId: { type: 'string' },
    email: { type: 'string', 'x-meshgate-pii': true },
  },
};

async function startTail(page: Page, eventType: string) {
  await page.goto(`/event-types/${eventType}`);
  const live = page.getByRole('region', { name: 'Live tail' });
  await live.getByRole('button', { name: 'Start live tail' }).click();
  await expect(live.getByRole('status')).toContainText('Live.');
  return live.getByRole('list', { name: /Latest events/ });
}

test('the live tail shows what the signed-in person may see: masked fields stay hidden without a grant that unmasks them', async ({
  browser,
}) => {
  const api = await gatewayApiAs(admin);
  const eventType = await seedEventType(api, { label: 'mask', schemas: [SCHEMA] });
  const developer = await createDeveloper(api, 'masked');
  await grantDomain(api, developer, eventType.domain, { action: 'read' });

  const developerContext = await browser.newContext();
  await signInBrowser(developerContext, developer);
  const developerPage = await developerContext.newPage();
  const adminContext = await browser.newContext();
  await signInBrowser(adminContext, admin);
  const adminPage = await adminContext.newPage();

  const developerEvents = await startTail(developerPage, eventType.name);
  const adminEvents = await startTail(adminPage, eventType.name);

  let sent = 0;
  await expect(async () => {
    sent += 1;
    await produce(api, eventType.name, { orderId: `o-${sent}`, email: `buyer-${sent}@example.com` });
    await expect(developerEvents.getByRole('listitem').first()).toContainText('"orderId": "o-', { timeout: 2_000 });
    await expect(adminEvents.getByRole('listitem').first()).toContainText('"orderId": "o-', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });

  // The developer reads the stream but holds no grant unmasking `pii`: the gateway leaves `email` out.
  await expect(developerEvents).not.toContainText('email');
  await expect(developerEvents).not.toContainText('@example.com');
  // The administrator sees everything, the same events included.
  await expect(adminEvents.getByRole('listitem').first()).toContainText('"email": "buyer-');

  await developerContext.close();
  await adminContext.close();
  await api.dispose();
});

test('without read access the page offers to request it instead of a live tail', async ({ browser }) => {
  const api = await gatewayApiAs(admin);
  const eventType = await seedEventType(api, { label: 'noread', schemas: [SCHEMA] });
  const developer = await createDeveloper(api, 'noread');
  await api.dispose();

  const context = await browser.newContext();
  await signInBrowser(context, developer);
  const page = await context.newPage();
  await page.goto(`/event-types/${eventType.name}`);
  const live = page.getByRole('region', { name: 'Live tail' });
  await expect(live).toContainText(`Watching live events needs read access to ${eventType.name}`);
  await expect(live.getByRole('button', { name: 'Start live tail' })).toHaveCount(0);
  await context.close();
});
