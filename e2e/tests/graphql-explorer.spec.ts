import { expect, test } from '@playwright/test';
import { admin, signInBrowser } from '../support/accounts';
import { screenshotPath } from '../support/artifacts';

test('the GraphQL explorer runs queries as the signed-in person', async ({ page, context }) => {
  await signInBrowser(context, admin);
  await page.goto('/graphql');
  await expect(page.getByRole('heading', { level: 1, name: 'GraphQL explorer' })).toBeVisible();
  // GraphiQL loads in the browser only (Monaco); the default query lists the event types.
  const run = page.getByRole('button', { name: /Execute query/ });
  await expect(run).toBeVisible({ timeout: 20_000 });
  // The editor may still be starting (Monaco, workers, introspection): run until there is an answer.
  await expect(async () => {
    await run.click();
    await expect(page.locator('.graphiql-response')).toContainText('"eventTypes"', { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  // The editor renders only the lines in view: the first event type's fields are enough.
  await expect(page.locator('.graphiql-response')).toContainText('"name"');
  await page.screenshot({ path: screenshotPath('graphql-explorer'), fullPage: true });
});

test('the explorer’s HTTP endpoint needs a session and a same-origin JSON post', async ({ request }) => {
  const anonymous = await request.post('/api/graphql', { data: { query: '{ eventTypes { name } }' } });
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const crossSite = await request.post('/api/graphql', {
    headers: { origin: 'https://evil.example' },
    data: { query: '{ eventTypes { name } }' },
  });
  expect(crossSite.status()).toBe(403);
});
