/*
 * Answer pages of a long thread in a real browser, in both interface languages: a thread of
 * 65 answers (posted through the real form route by demo members) opened on page 2, the
 * pager followed to page 3 and back to page 1, and an answer's permalink (?a=) landing on
 * its page. Screenshots land in test/e2e/screenshots/qa-pages-*.png for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { DEMO_PASSWORD, launchBrowser, newLocaleContext, SCREENSHOT_DIR, shortLocale, shot, startServer, uniqueSuffix, watchPage, type RunningServer, type UiLocale } from './harness.js';

const COMMUNITY = 'lumen-support';
const LOCALES: UiLocale[] = ['en', 'zh-CN'];
const ANSWERS = 65;

/** Demo members of lumen-support (src/seed/demo-data.ts): who asks, who answers. */
const CAST: Record<UiLocale, { asker: string; answerers: string[] }> = {
  en: { asker: 'alice', answerers: ['bob', 'amy_support', '韩梅梅'] },
  'zh-CN': { asker: '李雷', answerers: ['韩梅梅', '陈版主', 'bob'] },
};

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ POST_RATE_LIMIT_PER_MINUTE: '100000' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function loginAs(locale: UiLocale, username: string): Promise<{ context: BrowserContext; page: Page; csrf: string }> {
  const context = await newLocaleContext(browser, server.baseUrl, locale);
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#identifier').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
  const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
  return { context, page, csrf };
}

async function answerIds(page: Page): Promise<string[]> {
  return page.locator('article.answer').evaluateAll((els) => els.map((e) => e.id.replace(/^a/, '')));
}

describe.each(LOCALES)('a long thread in pages, in %s', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);
  const cast = CAST[locale];
  const suffix = uniqueSuffix();
  let questionUrl = '';
  /** Answer ids in posting order: with no votes, also the display order. */
  const answers: string[] = [];

  it(`builds a thread of ${ANSWERS} answers through the form routes`, async () => {
    const asker = await loginAs(locale, cast.asker);
    try {
      const title = locale === 'zh-CN' ? `闪光灯在高速同步时总是提前触发（${suffix}）` : `The flash fires early in high-speed sync (${suffix})`;
      const body = locale === 'zh-CN' ? '换了三个闪光灯都一样，**快门 1/4000** 时最明显。' : 'Three different flashes do the same, worst at **1/4000 s**.';
      const res = await asker.context.request.post(`/c/${COMMUNITY}/ask`, { form: { _csrf: asker.csrf, title, body, tags: locale === 'zh-CN' ? '闪光灯' : 'flash', action: 'post' }, maxRedirects: 0 });
      expect(res.status()).toBe(303);
      questionUrl = new URL(res.headers().location!, server.baseUrl).pathname;
    } finally {
      await asker.context.close();
    }
    const sessions = await Promise.all(cast.answerers.map((who) => loginAs(locale, who)));
    try {
      for (let i = 0; i < ANSWERS; i++) {
        const s = sessions[i % sessions.length]!;
        const text = locale === 'zh-CN' ? `第 ${i + 1} 个回答：先清洁热靴触点，再把闪光灯固件升级到**最新版本**。` : `Answer ${i + 1}: clean the hot-shoe contacts, then update the flash to the **latest firmware**.`;
        const res = await s.context.request.post(`${questionUrl.replace(/\/c\/[^/]+\/q\/(\d+)\/.*/, '/q/$1')}/answers`, { form: { _csrf: s.csrf, body: text }, maxRedirects: 0 });
        expect(res.status()).toBe(303);
        answers.push(/#a(\d+)$/.exec(res.headers().location!)![1]!);
      }
    } finally {
      for (const s of sessions) await s.context.close();
    }
    expect(answers).toHaveLength(ANSWERS);
  });

  it('opens page 2, follows the pager to page 3 and back to page 1', async () => {
    expect(questionUrl).not.toBe('');
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);
    try {
      await page.goto(`${questionUrl}?page=2`);
      await expect(page.locator('#answers-heading').innerText()).resolves.toBe(t('qa.answerCount', { count: ANSWERS }));
      await expect(answerIds(page)).resolves.toEqual(answers.slice(30, 60));
      // The question is on every page.
      await expect(page.locator('#question-title').isVisible()).resolves.toBe(true);
      const pager = page.locator('nav.answer-pager');
      await expect(pager.getAttribute('aria-label')).resolves.toBe(t('qa.answerPages'));
      await expect(pager.locator('a[aria-current="page"]').innerText()).resolves.toBe('2');
      await expect(pager.locator('a[aria-current="page"]').getAttribute('aria-label')).resolves.toBe(t('qa.pageN', { page: 2 }));
      await expect(pager.locator('a[rel="prev"]').getAttribute('aria-label')).resolves.toBe(t('qa.prevAnswerPage'));
      await expect(pager.locator('a[rel="next"]').getAttribute('aria-label')).resolves.toBe(t('qa.nextAnswerPage'));
      await expect(page.locator('link[rel="canonical"]').getAttribute('href')).resolves.toBe(`${server.baseUrl}${questionUrl}?page=2`);
      await shot(page, `qa-pages-2-${short}`);
      await pager.scrollIntoViewIfNeeded();
      await pager.screenshot({ path: `${SCREENSHOT_DIR}/qa-pages-pager-${short}.png` });

      // Next: page 3, scrolled to the answers (the question above them is the same).
      await Promise.all([page.waitForURL((url) => url.search === '?page=3' && url.hash === '#answers-heading'), pager.locator('a[rel="next"]').click()]);
      await expect(answerIds(page)).resolves.toEqual(answers.slice(60));
      await expect(page.locator('nav.answer-pager a[rel="next"]').count()).resolves.toBe(0);
      await expect(page.evaluate(() => window.scrollY)).resolves.toBeGreaterThan(0);
      await shot(page, `qa-pages-3-${short}`);

      // Page 1 through its number: the question's own URL, no ?page.
      await Promise.all([page.waitForURL((url) => url.pathname === questionUrl && url.search === ''), page.locator('nav.answer-pager a', { hasText: /^1$/ }).click()]);
      await expect(answerIds(page)).resolves.toEqual(answers.slice(0, 30));
      await expect(page.locator('nav.answer-pager a[rel="prev"]').count()).resolves.toBe(0);
      await expect(page.locator('nav.answer-pager a[aria-current="page"]').innerText()).resolves.toBe('1');
      await shot(page, `qa-pages-1-${short}`);
      expect(watcher.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("lands on an answer's page from its permalink", async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    try {
      const target = answers[62]!;
      await page.goto(`${questionUrl}?a=${target}`);
      expect(new URL(page.url()).search).toBe('?page=3');
      expect(new URL(page.url()).hash).toBe(`#a${target}`);
      await expect(page.locator(`#a${target}`).isVisible()).resolves.toBe(true);
    } finally {
      await context.close();
    }
  });
});
