import { chromium } from '@playwright/test';
const base = process.env.BASE ?? 'http://127.0.0.1:3612';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext();
const login = await fetch('http://127.0.0.1:4611/v1/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'admin@meshgate.local', password: 'local-admin-password-1' }),
});
const { token } = await login.json();
await context.addCookies([{ name: 'meshgate_session', value: token, url: base, httpOnly: true, sameSite: 'Lax' }]);
const page = await context.newPage();
page.on('console', (m) => {
  if (!/DevTools|HMR|Fast Refresh/.test(m.text())) console.log('console:', m.type(), m.text().slice(0, 300));
});
page.on('websocket', (ws) => {
  console.log('ws', ws.url());
  ws.on('framereceived', (f) => console.log('  <', String(f.payload).slice(0, 200)));
  ws.on('close', () => console.log('  closed'));
});
await page.goto(base + '/event-types/orders.order-created');
await page.getByRole('button', { name: 'Start live tail' }).click();
await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
await page.waitForTimeout(500);
const r = await fetch('http://127.0.0.1:4611/v1/events/orders.order-created', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer portal1-local-bootstrap-token-000' },
  body: JSON.stringify({
    orderId: 'o-tail-1',
    customerId: 'c',
    total: 3,
    currency: 'EUR',
    items: [{ sku: 'a', quantity: 1 }],
  }),
});
console.log('produce', r.status);
await page.getByText('o-tail-1').waitFor({ timeout: 10000 });
console.log('status:', await page.locator('.live-tail__status').textContent());
await page.getByRole('button', { name: 'Pause' }).click();
await fetch('http://127.0.0.1:4611/v1/events/orders.order-created', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer portal1-local-bootstrap-token-000' },
  body: JSON.stringify({
    orderId: 'o-tail-2',
    customerId: 'c',
    total: 3,
    currency: 'EUR',
    items: [{ sku: 'a', quantity: 1 }],
  }),
});
await page.waitForTimeout(500);
console.log('while paused has o-tail-2:', await page.getByText('o-tail-2').count());
await page.getByRole('button', { name: 'Resume' }).click();
await page.getByText('o-tail-2').waitFor({ timeout: 10000 });
console.log('after resume status:', await page.locator('.live-tail__status').textContent());
await page.locator('#live').screenshot({ path: '/tmp/p1shots/live.png' });
await browser.close();
