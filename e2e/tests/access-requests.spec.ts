import { expect, test } from '@playwright/test';
import { admin, createDeveloper, gatewayApiAs, signInBrowser } from '../support/accounts';
import { artifactPath } from '../support/artifacts';

/** A seeded event type no developer account can read until someone grants it. */
const EVENT_TYPE = 'orders.order-shipped';

test.describe('access requests', () => {
  test('a developer requests access, an administrator approves, the grant appears', async ({ browser }) => {
    const adminApi = await gatewayApiAs(admin);
    const developer = await createDeveloper(adminApi);
    await adminApi.dispose();

    // The developer cannot read the stream yet and asks for it from the event type page.
    const developerContext = await browser.newContext();
    await signInBrowser(developerContext, developer);
    const developerPage = await developerContext.newPage();
    await developerPage.goto(`/event-types/${EVENT_TYPE}`);
    const access = developerPage.getByRole('region', { name: 'Your access' });
    await expect(access).toContainText('You cannot read this stream yet');
    const form = access.getByRole('form', { name: `Request access to ${EVENT_TYPE}` });
    await form.getByLabel('Access').selectOption('read');
    await form.getByLabel('Why do you need it?').fill('Shipping dashboards for the logistics team.');
    await form.getByRole('button', { name: 'Request access' }).click();
    await expect(access.getByRole('status')).toContainText('Access requested');
    await expect(access.getByRole('status')).toContainText(EVENT_TYPE);
    await developerPage.screenshot({ path: artifactPath('access-requested.png'), fullPage: true });

    // Coming back, the page remembers the pending request instead of offering the form again.
    await developerPage.reload();
    await expect(access.getByRole('status')).toContainText('Access requested');
    await expect(access.getByRole('form')).toHaveCount(0);
    await developerPage.goto('/access-requests');
    const mine = developerPage.getByRole('table', { name: 'Your access requests' });
    await expect(mine.getByRole('row').filter({ hasText: EVENT_TYPE })).toContainText('Pending');

    // The administrator approves it with a note.
    const adminContext = await browser.newContext();
    await signInBrowser(adminContext, admin);
    const adminPage = await adminContext.newPage();
    await adminPage.goto('/access-requests');
    const item = adminPage
      .getByRole('list', { name: 'Requests waiting for your decision' })
      .getByRole('listitem', { name: `read on ${EVENT_TYPE} by ${developer.email}` });
    await expect(item).toContainText('Shipping dashboards for the logistics team.');
    await adminPage.screenshot({ path: artifactPath('access-requests-to-decide.png'), fullPage: true });
    await item.getByLabel(/Note to the requester/).fill('Approved for the dashboards.');
    await item.getByRole('button', { name: 'Approve' }).click();
    const decided = adminPage.getByRole('table', { name: 'Access requests decided by you or others' });
    const decidedRow = decided.getByRole('row').filter({ hasText: developer.email });
    await expect(decidedRow).toContainText('Approved');
    await expect(decidedRow).toContainText('Approved for the dashboards.');
    await expect(item).toHaveCount(0);
    await adminContext.close();

    // The developer now holds the grant, and the event type page says so.
    await developerPage.goto('/me');
    await expect(developerPage.getByRole('heading', { level: 1, name: 'Your access' })).toBeVisible();
    const grants = developerPage.getByRole('table', { name: 'Your grants' });
    const grant = grants.getByRole('row').filter({ hasText: EVENT_TYPE });
    await expect(grant).toHaveCount(1);
    await expect(grant).toContainText('Read: stream and fetch events');
    await developerPage.screenshot({ path: artifactPath('your-access.png'), fullPage: true });

    await developerPage.goto('/access-requests');
    await expect(mine.getByRole('row').filter({ hasText: EVENT_TYPE })).toContainText('Approved');
    await developerPage.goto(`/event-types/${EVENT_TYPE}`);
    await expect(access).toContainText('You may read this event type');
    await developerContext.close();
  });

  test('a developer without decisions to make sees only their own requests', async ({ page, context }) => {
    const adminApi = await gatewayApiAs(admin);
    const developer = await createDeveloper(adminApi, 'newcomer');
    await adminApi.dispose();
    await signInBrowser(context, developer);

    await page.goto('/access-requests');
    await expect(page.getByRole('heading', { level: 1, name: 'Access requests' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Waiting for your decision' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'You have not asked for access yet' })).toBeVisible();

    await page.goto('/me');
    await expect(page.getByRole('region', { name: 'No grants yet' })).toBeVisible();
    await expect(page.getByRole('banner')).not.toContainText('Admin');
  });
});
