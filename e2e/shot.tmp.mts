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
const context = await browser.newContext({ viewport: { width: Number(process.env.W ?? 1280), height: 900 } });
const login = await fetch('http://127.0.0.1:4611/v1/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'admin@meshgate.local', password: 'local-admin-password-1' }),
});
const { token } = await login.json();
await context.addCookies([{ name: 'meshgate_session', value: token, url: base, httpOnly: true, sameSite: 'Lax' }]);
const page = await context.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
for (const path of (process.env.PATHS ?? '/event-types/orders.order-created').split(',')) {
  const r = await page.goto(base + path);
  console.log(path, r?.status());
  await page.waitForTimeout(Number(process.env.WAIT ?? 500));
  if (process.env.SEL) {
    let i = 0;
    for (const sel of process.env.SEL.split('|')) {
      await page
        .locator(sel)
        .first()
        .screenshot({ path: `/tmp/p1shots/sel${i++}.png` });
    }
  } else {
    await page.screenshot({
      path: `/tmp/p1shots/${path.replace(/\W+/g, '_')}${process.env.W ?? ''}.png`,
      fullPage: true,
    });
  }
}
await browser.close();
