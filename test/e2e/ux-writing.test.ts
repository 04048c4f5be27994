/*
 * Writing as a newcomer (issue 16) in Chromium, English and Chinese, 1280 px and 390 px:
 * the welcome page after sign-up offers communities to join; "Join" on the ask form keeps
 * the draft; the tag field suggests the community's tags, also after the first one.
 * Screenshots: test/e2e/screenshots/ux-welcome-*.png, ux-ask-joined-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { launchBrowser, newLocaleContext, shortLocale, shot, startServer, uniqueSuffix, watchPage, type RunningServer, type UiLocale } from './harness.js';

const LOCALES: UiLocale[] = ['en', 'zh-CN'];
const WIDTHS = [1280, 390] as const;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function register(page: Page, username: string): Promise<void> {
  await page.goto('/register');
  await page.locator('#username').fill(username);
  await page.locator('#email').fill(`${username}@example.test`);
  await page.locator('#password').fill('correct-horse-battery');
  await Promise.all([page.waitForURL(/\/u\/[^?]+\?welcome=1$/), page.locator('form[action="/register"] button[type="submit"]').click()]);
}

describe.each(LOCALES)('writing in %s', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);

  it.each(WIDTHS)('welcomes a new member with communities to join, and joining from the ask form keeps the draft (%i px)', async (width) => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);
    await page.setViewportSize({ width, height: 900 });
    await register(page, `newbie${uniqueSuffix()}`);
    const offered = page.locator('.welcome-communities li');
    expect(await offered.count()).toBe(3);
    await expect(page.locator('.welcome-communities form[action="/c/photo-fans/join"] button').innerText()).resolves.toBe(t('community.join'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await shot(page, `ux-welcome-${short}-${width}`);

    await page.goto('/c/photo-fans/ask');
    await page.locator('#title').fill('夜景拍摄用什么快门速度比较好？');
    await page.locator('#body').fill('手持拍摄城市夜景，想知道安全快门大概是多少。');
    await page.locator('#tags').fill('夜景');
    await Promise.all([page.waitForLoadState('load'), page.locator('button[form="ask-form"][value="join"]').click()]);
    const name = await page.locator('.breadcrumbs a').first().innerText();
    await expect(page.locator('#joined-notice').innerText()).resolves.toBe(t('community.joinedDraftKept', { name }));
    await expect(page.locator('#title').inputValue()).resolves.toBe('夜景拍摄用什么快门速度比较好？');
    await expect(page.locator('#body').inputValue()).resolves.toBe('手持拍摄城市夜景，想知道安全快门大概是多少。');
    await expect(page.locator('#tags').inputValue()).resolves.toBe('夜景');
    expect(await page.locator('button[value="join"]').count()).toBe(0);

    // The tag suggestions follow the typing: after "夜景 " each option offers one more tag.
    await page.locator('#tags').fill('夜景 ');
    await page.locator('#tags').dispatchEvent('input');
    const values = await page.locator('#tag-suggestions option').evaluateAll((els) => els.map((o) => (o as HTMLOptionElement).value));
    expect(values.length).toBeGreaterThan(2);
    expect(values.every((v) => v.startsWith('夜景 '))).toBe(true);
    const disabled = await page.locator('#tag-suggestions option[data-tag="夜景"]').evaluate((o) => (o as HTMLOptionElement).disabled);
    expect(disabled).toBe(true);
    await page.locator('#tags').fill('夜景');
    await shot(page, `ux-ask-joined-${short}-${width}`);

    await Promise.all([page.waitForURL(/\/q\/\d+\//), page.locator('#ask-form button[name="action"][value="post"]').click()]);
    await expect(page.locator('#question-title').innerText()).resolves.toBe('夜景拍摄用什么快门速度比较好？');
    expect(watcher.problems).toEqual([]);
    await context.close();
  });
});
