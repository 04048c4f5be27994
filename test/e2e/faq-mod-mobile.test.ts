/*
 * The moderators' FAQ dashboard and FAQ gaps report on a phone (issue 16, "Moderating"):
 * at 390 px nothing may widen the page past the screen (the tables scroll inside their own
 * box), in both languages. Screenshots at 390 and 1280 px are kept for review
 * (test/e2e/screenshots/faq-mod-mobile-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import path from 'node:path';
import { launchBrowser, loginAsDemo, newLocaleContext, SCREENSHOT_DIR, shortLocale, shot, startServer, type RunningServer, type UiLocale } from './harness.js';

const COMMUNITY = 'lumen-support';
const MOD = `/mod/c/${COMMUNITY}/faq`;
const MODERATOR = '陈版主';
const LOCALES: UiLocale[] = ['en', 'zh-CN'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

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

/** How wide the page is: more than the viewport means the whole page scrolls sideways. */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe.each(LOCALES)('the moderator FAQ pages on a phone in %s', (locale) => {
  const short = shortLocale(locale);
  let context: BrowserContext;
  let mod: Page;

  beforeAll(async () => {
    context = await newLocaleContext(browser, server.baseUrl, locale);
    mod = await loginAsDemo(context, MODERATOR);
    // Searches that find nothing, in the community and across the site, so both gap tables have rows.
    await mod.goto(`/search?q=${encodeURIComponent('zebra tripod underwater housing adapter')}&community=${COMMUNITY}`);
    await mod.goto(`/search?q=${encodeURIComponent('espresso grinder burr calibration manual')}`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  for (const [name, url, table] of [
    ['dashboard', MOD, '.modfaq-entries'],
    ['gaps', `${MOD}/gaps?days=7`, '.modfaq-gaps'],
  ] as const) {
    it(`fits the ${name} into 390 px, its table scrolling inside its own box`, async () => {
      await mod.setViewportSize(PHONE);
      await mod.goto(url);
      await expect.poll(() => mod.locator(table).count()).toBeGreaterThan(0);
      expect(await pageWidth(mod)).toBeLessThanOrEqual(PHONE.width);
      // The table itself is still whole (nothing cut off): its box scrolls when it is wider.
      const box = await mod.locator(table).first().evaluate((el) => {
        const scroller = el.closest('.modfaq-table-scroll') as HTMLElement;
        return { scroller: scroller.clientWidth, overflow: getComputedStyle(scroller).overflowX, table: (el as HTMLElement).scrollWidth };
      });
      expect(box.scroller).toBeLessThanOrEqual(PHONE.width);
      if (box.table > box.scroller) expect(box.overflow).toBe('auto');
      await shot(mod, `faq-mod-mobile-${name}-390-${short}`);
      // The table alone, at phone width, to review how its rows read there.
      await mod.locator(table).first().screenshot({ path: path.join(SCREENSHOT_DIR, `faq-mod-mobile-${name}-table-390-${short}.png`) });
      await mod.setViewportSize(DESKTOP);
      await mod.goto(url);
      expect(await pageWidth(mod)).toBeLessThanOrEqual(DESKTOP.width);
      await shot(mod, `faq-mod-mobile-${name}-1280-${short}`);
    });
  }

  it('fits a category\'s own page (reorder, rename, move) into 390 px', async () => {
    await mod.setViewportSize(PHONE);
    await mod.goto(MOD);
    await Promise.all([mod.waitForURL(/\/categories\/\d+$/), mod.locator('.modfaq-node.depth-2 .modfaq-node-name > a').first().click()]);
    await expect(mod.locator('select[name="parentId"] option').count()).resolves.toBeGreaterThan(1);
    expect(await pageWidth(mod)).toBeLessThanOrEqual(PHONE.width);
    await shot(mod, `faq-mod-mobile-category-390-${short}`);
    await mod.setViewportSize(DESKTOP);
    await shot(mod, `faq-mod-mobile-category-1280-${short}`);
  });
});
