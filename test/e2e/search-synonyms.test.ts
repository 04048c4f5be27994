/*
 * Search synonyms in a real browser, in both interface languages (issue 6, "synonyms from the
 * FAQ gaps"): a search finds nothing, the site admin opens the community's FAQ gaps report,
 * follows "Add a synonym" on that row, completes the group the form starts with and saves
 * it, and the same search now finds the demo thread through the synonym. Each step is
 * captured (test/e2e/screenshots/synonyms-*.png) for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { DEMO_PASSWORD, launchBrowser, newLocaleContext, shortLocale, shot, startServer, watchPage, type PageWatcher, type RunningServer, type UiLocale, loginAsDemo } from './harness.js';

const COMMUNITY = 'lumen-support';
const LOCALES: UiLocale[] = ['en', 'zh-CN'];

/**
 * What each language's run searches for: a word no demo post uses, and the word of a demo
 * thread that means the same. Distinct per run, since both share one server (a term can be in
 * one group only). The Chinese word must share no character with any demo post either: a Chinese
 * word also matches, weakly, the documents that hold its characters.
 */
const CASE: Record<UiLocale, { query: string; synonym: string; expected: string; shownTerms: string[] }> = {
  en: { query: 'wlan', synonym: 'Wi-Fi', expected: 'How do I transfer photos to my phone over Wi-Fi?', shownTerms: ['wlan', 'wi fi'] },
  'zh-CN': { query: '枯竭', synonym: '续航', expected: 'Lumen X100 电池续航突然变短怎么办？', shownTerms: ['枯竭', '续航'] },
};

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

const searchUrl = (q: string) => `/search?q=${encodeURIComponent(q)}&community=${COMMUNITY}`;

describe.each(LOCALES)('adding a search synonym from the FAQ gaps report in %s', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);
  const c = CASE[locale];
  let context: BrowserContext;
  let admin: Page;
  let watcher: PageWatcher;

  beforeAll(async () => {
    context = await newLocaleContext(browser, server.baseUrl, locale);
    admin = await loginAsDemo(context, 'admin');
    watcher = await watchPage(admin);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('a search for a word no post uses finds nothing', async () => {
    await admin.goto(searchUrl(c.query));
    await expect(admin.locator('.search-hit').count()).resolves.toBe(0);
    await expect(admin.locator('main').innerText()).resolves.toContain(t('search.none.heading', { q: c.query }));
  });

  it('the gaps report lists it under "found nothing", with "Add a synonym" for the site admin', async () => {
    await admin.goto(`/mod/c/${COMMUNITY}/faq/gaps?days=7`);
    const row = admin.locator('#gaps-noResults tr', { has: admin.locator('.modfaq-query', { hasText: c.query }) });
    await expect(row.count()).resolves.toBe(1);
    const link = row.locator('a.modfaq-synonym');
    await expect(link.innerText()).resolves.toContain(t('synonyms.gaps.add'));
    await shot(admin, `synonyms-gaps-${short}`);
    await Promise.all([admin.waitForURL(/\/admin\/search\/synonyms\?term=/), link.click()]);
  });

  it('the synonym form opens started with the query; the admin completes and saves the group', async () => {
    await expect(admin.locator('h1').innerText()).resolves.toBe(t('synonyms.title'));
    const terms = admin.locator('#terms');
    await expect(terms.inputValue()).resolves.toBe(`${c.query}, `);
    // Focused with the caret after the query, so the admin types the other words straight away.
    await expect(terms.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect.poll(() => terms.evaluate((el) => (el as HTMLInputElement).selectionStart)).toBe(c.query.length + 2);
    await expect(admin.locator('.synonym-from-gap').innerText()).resolves.toBe(t('synonyms.fromGap', { term: c.query }));
    await admin.keyboard.type(c.synonym);
    await expect(terms.inputValue()).resolves.toBe(`${c.query}, ${c.synonym}`);
    await shot(admin, `synonyms-form-${short}`);
    await Promise.all([admin.waitForURL(/done=created/), admin.locator('.synonym-form button[type="submit"]').click()]);
    await expect(admin.locator('.alert-success').innerText()).resolves.toBe(t('synonyms.done.created'));
    const row = admin.locator('.synonym-table tr', { has: admin.locator('li', { hasText: c.query }) });
    await expect(row.locator('.synonym-term-list li').allInnerTexts()).resolves.toEqual(c.shownTerms);
    await shot(admin, `synonyms-saved-${short}`);
    // Its edit form holds the terms as the list shows them.
    await Promise.all([admin.waitForURL(/\/admin\/search\/synonyms\/\d+\/edit$/), row.locator('.synonym-actions a').click()]);
    await expect(admin.locator('#terms').inputValue()).resolves.toBe(c.shownTerms.join(', '));
    await shot(admin, `synonyms-edit-${short}`);
  });

  it('the same search now finds the thread through the synonym, with the synonym marked', async () => {
    await admin.goto(searchUrl(c.query));
    const first = admin.locator('.search-hit').first();
    await expect(first.locator('.hit-title').innerText()).resolves.toBe(c.expected);
    await expect(admin.locator('.search-hit mark').count()).resolves.toBeGreaterThan(0);
    await shot(admin, `synonyms-search-${short}`);
    expect(watcher.problems).toEqual([]);
  });
});
