/*
 * Suggested synonyms in a real browser (issue 9): a visitor searches for a word the community
 * never uses, finds nothing, searches again with the community's word and opens a result; the
 * site admin sees the pair in the FAQ gaps report (desktop and phone, English and Chinese) and
 * accepts it with one click, after which the visitor's first query finds the question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, loginAsDemo, newLocaleContext, shortLocale, shot, startServer, type RunningServer, type UiLocale } from './harness.js';

const COMMUNITY = 'lumen-support';
const GAPS = `/mod/c/${COMMUNITY}/faq/gaps`;
const LOCALES: UiLocale[] = ['en', 'zh-CN'];
const PHONE = { width: 390, height: 844 };
// A word no demo post uses, and the word the demo posts use for the same thing.
const NOTHING = 'accu';
const FOUND = 'battery';

describe('FAQ gaps report: suggested synonyms, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a visitor who found nothing and then clicked a result shows up as a pair the admin accepts with one click', async () => {
    const visitor = await newLocaleContext(browser, server.baseUrl, 'en');
    const page = await visitor.newPage();
    await page.goto(`/search?q=${NOTHING}&community=${COMMUNITY}`);
    expect(await page.locator('.hit-title').count()).toBe(0);
    await page.goto(`/search?q=${FOUND}&community=${COMMUNITY}`);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/search')), page.locator('.hit-title a').first().click()]);

    for (const locale of LOCALES) {
      const context = await newLocaleContext(browser, server.baseUrl, locale);
      const admin = await loginAsDemo(context, 'admin');
      await admin.goto(GAPS);
      const row = admin.locator('#gaps-suggested tbody tr');
      await expect.poll(() => row.count()).toBe(1);
      expect((await row.locator('td').nth(0).innerText()).trim()).toBe(NOTHING);
      expect((await row.locator('td').nth(1).innerText()).trim()).toBe(FOUND);
      await admin.locator('#gaps-suggested').scrollIntoViewIfNeeded();
      await shot(admin, `faq-gaps-suggested-${shortLocale(locale)}-1280`);
      await admin.setViewportSize(PHONE);
      await admin.goto(GAPS);
      // Nothing wider than the phone's screen.
      expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await shot(admin, `faq-gaps-suggested-${shortLocale(locale)}-390`);
      await context.close();
    }

    // Accepting takes one click, on the report as the admin sees it.
    const context = await newLocaleContext(browser, server.baseUrl, 'en');
    const admin = await loginAsDemo(context, 'admin');
    await admin.goto(GAPS);
    await Promise.all([admin.waitForURL((url) => url.pathname === '/admin/search/synonyms'), admin.locator('#gaps-suggested tbody tr').getByRole('button').click()]);
    expect(admin.url()).toContain('done=created');
    await admin.goto(GAPS);
    expect(await admin.locator('#gaps-suggested tbody tr').count()).toBe(0);
    await context.close();

    await page.goto(`/search?q=${NOTHING}&community=${COMMUNITY}`);
    expect(await page.locator('.hit-title').count()).toBeGreaterThan(0);
    await visitor.close();
  }, 180_000);
});
