/*
 * The public FAQ in a real browser, in both interface languages: from the community page to
 * the FAQ home, down the category tree, to an entry, and "Was this helpful?" with and
 * without JavaScript. Screenshots land in test/e2e/screenshots/faq-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { launchBrowser, newLocaleContext, shortLocale, shot, startServer, watchPage, type RunningServer, type UiLocale } from './harness.js';

const COMMUNITY = 'lumen-support';
const LOCALES: UiLocale[] = ['en', 'zh-CN'];

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

describe.each(LOCALES)('public FAQ (%s)', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);

  it('walks from the community page down the tree to an entry and votes it helpful', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);

    await page.goto(`/c/${COMMUNITY}`);
    await page.locator(`.community-actions a[href="/c/${COMMUNITY}/faq"]`).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/c/${COMMUNITY}/faq`);
    await expect(page.locator('h1').innerText()).resolves.toBe(t('faq.title'));
    // A tree at least three levels deep, each node with its count.
    expect(await page.locator('.faq-tree-root .faq-tree-item.depth-3').count()).toBeGreaterThan(0);
    await expect(page.locator('.faq-tree-root > .faq-tree-item > .faq-count').first().innerText()).resolves.toMatch(/\d/);
    await expect(page.locator('form.faq-search input[name="kind"]').inputValue()).resolves.toBe('faq');
    await shot(page, `faq-home-${short}`);

    // Down the tree: a top-level category, then its first subcategory.
    await page.locator('.faq-tree-root > .faq-tree-item > a').first().click();
    await expect.poll(() => page.locator('.breadcrumbs [aria-current="page"]').count()).toBe(1);
    await page.locator('.faq-categories .faq-tree-item > a').first().click();
    await expect.poll(() => page.locator('.breadcrumbs li').count()).toBeGreaterThanOrEqual(4);
    await shot(page, `faq-category-${short}`);

    // The most asked entry, from the FAQ home.
    await page.goto(`/c/${COMMUNITY}/faq`);
    const first = page.locator('.faq-most-asked .faq-entry-row h3 a').first();
    const title = (await first.innerText()).trim();
    await first.click();
    await expect.poll(() => page.locator('h1#faq-entry-title').innerText()).toBe(title);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
    const types = (ld['@graph'] as Array<{ '@type': string }>).map((n) => n['@type']);
    expect(types).toEqual(expect.arrayContaining(['FAQPage', 'BreadcrumbList']));
    await expect(page.locator('.faq-source a').getAttribute('href')).resolves.toMatch(new RegExp(`^/c/${COMMUNITY}/q/\\d+/`));

    // With JavaScript the vote updates in place, without leaving the page.
    const url = page.url();
    const yes = page.getByRole('button', { name: t('faq.helpful.yesLabel') });
    await yes.click();
    await expect.poll(() => page.locator('[data-helpful-result]').isVisible()).toBe(true);
    await expect(page.locator('[data-helpful-message]').innerText()).resolves.toBe(t('faq.helpful.thanks'));
    const pattern = t('faq.helpful.counts', { yes: 'YES', no: 'NO' }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('YES', '\\d+').replace('NO', '\\d+');
    await expect(page.locator('[data-helpful-counts]').innerText()).resolves.toMatch(new RegExp(`^${pattern}$`));
    expect(page.url()).toBe(url);
    await expect(yes.getAttribute('aria-pressed')).resolves.toBe('true');
    await shot(page, `faq-entry-${short}`);

    expect(watcher.problems).toEqual([]);
    await context.close();
  });

  it('votes without JavaScript through the plain form and shows the counts', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/c/${COMMUNITY}/faq`);
    await page.locator('.faq-most-asked .faq-entry-row h3 a').first().click();
    await expect.poll(() => page.locator('h1#faq-entry-title').count()).toBe(1);
    expect(await page.locator('[data-helpful-result]').isVisible()).toBe(false);
    await page.getByRole('button', { name: t('faq.helpful.noLabel') }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?voted=1');
    expect(await page.locator('[data-helpful-result]').isVisible()).toBe(true);
    await expect(page.locator('[data-helpful-message]').innerText()).resolves.toBe(t('faq.helpful.thanks'));
    await shot(page, `faq-entry-voted-nojs-${short}`);
    await context.close();
  });
});
