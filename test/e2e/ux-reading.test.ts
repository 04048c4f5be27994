/*
 * Reading, as a newcomer sees it (issue 16), in Chromium at 1280 px and 390 px, in English
 * and Chinese: Chinese bold really is bold (measured in the rendered pixels, not assumed
 * from CSS), question titles line up whatever the counts beside them, visitors see disabled
 * vote buttons with a way to log in, and relative times show the absolute date on focus.
 * Screenshots land in test/e2e/screenshots/ux-*.png for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { launchBrowser, loginAsDemo, newLocaleContext, shortLocale, shot, startServer, uniqueSuffix, watchPage, type RunningServer, type UiLocale } from './harness.js';

const LOCALES: UiLocale[] = ['en', 'zh-CN'];
const WIDTHS = [1280, 390] as const;

let server: RunningServer;
let browser: Browser;
let inkPage: Page;
/** A question whose title is all Chinese and whose body has **粗体**, posted by 李雷. */
let boldQuestionUrl = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Decodes screenshots on a blank page (no site CSP) to count the ink in them.
  inkPage = await browser.newPage();
  const context = await newLocaleContext(browser, server.baseUrl, 'zh-CN');
  const page = await loginAsDemo(context, '李雷');
  await page.goto('/c/lumen-support/ask');
  await page.locator('#title').fill(`相机电池续航问题汇总${uniqueSuffix()}`);
  await page.locator('#body').fill('这是**粗体文字**，这是普通文字。电池在寒冷天气里掉电很快。');
  await page.locator('#tags').fill('电池');
  await Promise.all([page.waitForURL(/\/q\/\d+\//), page.locator('form[action$="/ask"] button[name="action"][value="post"]').click()]);
  boldQuestionUrl = new URL(page.url()).pathname;
  await context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Sum of the darkness of the pixels of an element's screenshot. */
async function ink(locator: Locator): Promise<number> {
  const png = (await locator.screenshot()).toString('base64');
  return inkPage.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += 255 - (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    return sum;
  }, png);
}

/** Ink of the element as rendered, divided by its ink with font-weight forced to normal. */
async function boldRatio(page: Page, locator: Locator): Promise<number> {
  const bold = await ink(locator);
  await locator.evaluate((el) => ((el as HTMLElement).style.fontWeight = '400'));
  const regular = await ink(locator);
  await locator.evaluate((el) => ((el as HTMLElement).style.fontWeight = ''));
  return bold / regular;
}

describe.each(LOCALES)('reading in %s', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);

  it.each(WIDTHS)('renders Chinese headings and **粗体** visibly bold at %i px', async (width) => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(boldQuestionUrl);
    const title = page.locator('#question-title');
    const strong = page.locator('.question .prose strong');
    await expect(title.textContent()).resolves.toMatch(/^相机电池续航问题汇总/);
    // Synthesized or real bold adds at least a tenth more ink to CJK glyphs; the broken
    // font stack rendered them exactly as regular (ratio 1.0).
    expect(await boldRatio(page, title)).toBeGreaterThan(1.1);
    expect(await boldRatio(page, strong)).toBeGreaterThan(1.1);
    await shot(page, `ux-bold-${short}-${width}`);
    await context.close();
  });

  it.each(WIDTHS)('lines up question titles in the list whatever the counts beside them (%i px)', async (width) => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    for (const slug of ['lumen-support', 'photo-fans']) {
      await page.goto(`/c/${slug}?sort=newest`);
      const xs = await page.locator('.question-row h3').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
      expect(xs.length).toBeGreaterThan(1);
      expect(Math.max(...xs) - Math.min(...xs), `${slug} title x positions ${xs.join(', ')}`).toBeLessThan(0.5);
      // Nothing in the list is wider than the phone screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await page.goto('/c/lumen-support?sort=newest');
    await shot(page, `ux-list-${short}-${width}`);
    await context.close();
  });

  it.each(WIDTHS)('shows visitors disabled vote buttons and a "log in to vote" link (%i px)', async (width) => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/c/lumen-support?sort=top');
    await page.locator('.question-row h3 a').first().click();
    const box = page.locator('.question .vote');
    await expect(box.locator('button.vote-up').isDisabled()).resolves.toBe(true);
    await expect(box.locator('button.vote-down').isDisabled()).resolves.toBe(true);
    const hint = box.locator('a.vote-hint');
    await expect(hint.textContent()).resolves.toBe(t('qa.vote.blocked.login'));
    expect(await hint.isVisible()).toBe(true);
    await shot(page, `ux-thread-visitor-${short}-${width}`);
    const threadPath = new URL(page.url()).pathname;
    await hint.click();
    await page.waitForURL(/\/login\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe(threadPath);
    expect(watcher.problems).toEqual([]);
    await context.close();
  });

  it('shows relative times, with the absolute date as the tooltip and on keyboard focus', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    await page.goto(boldQuestionUrl);
    const time = page.locator('.question .post-author time.reltime');
    const title = (await time.getAttribute('title'))!;
    expect(title).toMatch(/\d{4}/);
    const text = (await time.evaluate((el) => el.firstChild?.textContent ?? '')).trim();
    expect(text).toMatch(locale === 'en' ? /^(now|\d+ minutes? ago)$/ : /^(现在|\d+分钟前)$/);
    await time.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const after = await time.evaluate((el) => getComputedStyle(el, '::after').content);
    expect(after).toBe(JSON.stringify(title));
    await shot(page, `ux-time-focus-${short}`);
    await context.close();
  });

  it.each(WIDTHS)('shows avatars beside authors on a profile and a thread (%i px)', async (width) => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.baseUrl)) external.push(r.url());
    });
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`/u/${encodeURIComponent('李雷')}`);
    const avatar = page.locator('#profile-heading img.avatar');
    await expect(avatar.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0)).resolves.toBe(true);
    await shot(page, `ux-profile-${short}-${width}`);
    await page.goto(boldQuestionUrl);
    await expect(page.locator('.post-author img.avatar').first().evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).resolves.toBe(true);
    expect(external).toEqual([]);
    await context.close();
  });
});
