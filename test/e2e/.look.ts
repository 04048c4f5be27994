import { launchBrowser, newLocaleContext, startServer, DEMO_PASSWORD } from './harness.js';
const server = await startServer();
const browser = await launchBrowser();
const out: string[] = [];
for (const locale of ['en', 'zh-CN'] as const) {
  const ctx = await newLocaleContext(browser, server.baseUrl, locale);
  const page = await ctx.newPage();
  const snap = async (name: string) => { const f = `/tmp/shots/${name}-${locale}.png`; await page.screenshot({ path: f, fullPage: true }); out.push(f); };
  await page.goto('/login');
  await page.fill('input[name="identifier"]', 'admin');
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForLoadState('networkidle');
  await page.goto('/mod/c/lumen-support/faq');
  await snap('mod-dashboard');
  const del = page.locator('a[href*="/delete"]').first();
  if (await del.count()) { await del.click(); await page.waitForLoadState('networkidle'); await snap('mod-delete'); }
  await page.goto('/mod/c/lumen-support/faq/candidates');
  await snap('mod-candidates');
  await page.goto('/c/lumen-support/ask');
  await page.fill('input[name="title"]', locale === 'en' ? 'Battery drains' : '电池耗电');
  const check = page.locator('button[name="action"][value="check"]');
  if (await check.count()) { await check.click(); await page.waitForLoadState('networkidle'); }
  await snap('ask-check');
  await page.goto('/u/admin');
  await snap('profile');
  await ctx.close();
}
console.log(out.join('\n'));
await browser.close();
await server.stop();
