/*
 * The Q&A core in a real browser, in both interface languages, with the demo accounts:
 * ask a question with the live Markdown preview, answer it as another user, vote the
 * answer up with JavaScript (the score changes in place, no navigation) and without it
 * (plain form post and redirect), then accept an answer as the asker (it moves first and
 * is marked accepted). Screenshots land in test/e2e/screenshots/qa-*.png for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { DEMO_PASSWORD, launchBrowser, newLocaleContext, shortLocale, shot, startServer, uniqueSuffix, watchPage, type PageWatcher, type RunningServer, type UiLocale } from './harness.js';

const COMMUNITY = 'lumen-support';
const LOCALES: UiLocale[] = ['en', 'zh-CN'];

/** Demo members of lumen-support (src/seed/demo-data.ts), a different cast per language. */
const CAST: Record<UiLocale, { asker: string; answerer: string; otherAnswerer: string; jsVoter: string; noJsVoter: string }> = {
  en: { asker: 'alice', answerer: 'bob', otherAnswerer: 'amy_support', jsVoter: '李雷', noJsVoter: '韩梅梅' },
  'zh-CN': { asker: '李雷', answerer: '韩梅梅', otherAnswerer: '陈版主', jsVoter: 'alice', noJsVoter: 'bob' },
};

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The voters here are accounts made for the run: new-account trust limits (downvotes need
  // reputation) would refuse them; those limits have their own suites (moderation-trust).
  server = await startServer({ POST_RATE_LIMIT_PER_MINUTE: '1000', TRUST_LIMITS: 'false' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Session {
  context: BrowserContext;
  page: Page;
  watcher: PageWatcher | null;
}

async function loginAs(locale: UiLocale, username: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Session> {
  const context = await newLocaleContext(browser, server.baseUrl, locale, options);
  const page = await context.newPage();
  const watcher = options.javaScriptEnabled === false ? null : await watchPage(page);
  await page.goto('/login');
  await page.locator('#identifier').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
  await expect(page.locator('.user-nav .nav-user').innerText()).resolves.toContain(username);
  return { context, page, watcher };
}

async function scoreOf(page: Page, postId: string): Promise<number> {
  return Number(await page.locator(`.vote[data-post="${postId}"] .vote-score`).innerText());
}

async function answerIds(page: Page): Promise<string[]> {
  return page.locator('article.answer').evaluateAll((els) => els.map((e) => e.id.replace(/^a/, '')));
}

describe.each(LOCALES)('ask, answer, vote and accept in %s', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);
  const cast = CAST[locale];
  const suffix = uniqueSuffix();
  const title = locale === 'zh-CN' ? `固件升级后 Wi-Fi 连接不上怎么办（${suffix}）` : `Wi-Fi stops connecting after the firmware update (${suffix})`;
  let questionUrl = '';
  let questionId = '';
  let answerA = '';
  let answerB = '';

  it('asks a question with a live Markdown preview', async () => {
    const { context, page, watcher } = await loginAs(locale, cast.asker);
    try {
      await page.goto(`/c/${COMMUNITY}`);
      await Promise.all([page.waitForURL(`**/c/${COMMUNITY}/ask`), page.locator(`a.button[href="/c/${COMMUNITY}/ask"]`).click()]);
      await expect(page.locator('h1').innerText()).resolves.toBe(t('qa.ask.title'));
      const preview = page.locator('[data-preview-target]');
      await expect(preview.innerText()).resolves.toBe(t('qa.previewEmpty'));

      await page.locator('#title').fill(title);
      const body =
        locale === 'zh-CN'
          ? '升级到 **2.1 版固件**之后，相机找不到家里的路由器。\n\n- 路由器：*2.4 GHz*\n- 已经重启过相机\n\n`设置 > 网络 > 重置`'
          : 'Since the **2.1 firmware** the camera no longer finds my router.\n\n- Router: *2.4 GHz*\n- Restarted the camera already\n\n`Settings > Network > Reset`';
      // Typing, as a person would: the preview follows without a page load.
      await page.locator('#body').pressSequentially(body.slice(0, 20), { delay: 5 });
      await page.locator('#body').fill(body);
      await expect.poll(() => preview.innerHTML(), { timeout: 10_000 }).toContain('<strong>');
      const html = await preview.innerHTML();
      expect(html).toContain(locale === 'zh-CN' ? '<strong>2.1 版固件</strong>' : '<strong>2.1 firmware</strong>');
      expect(html).toContain('<em>2.4 GHz</em>');
      expect(html).toContain('<li>');
      expect(html).toContain('<code>');
      await expect(page.locator('[data-preview-target] strong').count()).resolves.toBe(1);
      expect(new URL(page.url()).pathname).toBe(`/c/${COMMUNITY}/ask`);

      await page.locator('#tags').fill(locale === 'zh-CN' ? '固件 Wi-Fi' : 'firmware wifi');
      await shot(page, `qa-ask-${short}`);
      await Promise.all([page.waitForURL(/\/c\/lumen-support\/q\/\d+\//), page.locator('button[name="action"][value="post"]').click()]);
      questionUrl = new URL(page.url()).pathname;
      questionId = /\/q\/(\d+)\//.exec(questionUrl)![1]!;
      await expect(page.locator('#question-title').innerText()).resolves.toBe(title);
      await expect(page.locator('.question .prose strong').innerText()).resolves.toBe(locale === 'zh-CN' ? '2.1 版固件' : '2.1 firmware');
      const tags = await page.locator('.question .tags .tag').allInnerTexts();
      expect(tags).toEqual(locale === 'zh-CN' ? ['固件', 'wi-fi'] : ['firmware', 'wifi']);
      await expect(page.locator('#answers-heading').innerText()).resolves.toBe(t('qa.answerCount', { count: 0 }));
      expect(watcher!.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('answers it as two other users, with the preview on the answer form', async () => {
    expect(questionUrl).not.toBe('');
    for (const [who, text] of [
      [cast.answerer, locale === 'zh-CN' ? '先在 **设置 > 网络** 里*忘记*这个网络，然后重新连接。' : 'First *forget* the network under **Settings > Network**, then join it again.'],
      [cast.otherAnswerer, locale === 'zh-CN' ? '2.1 版固件只支持 WPA2，请检查路由器的**加密方式**。' : 'Firmware 2.1 needs WPA2: check the router\'s **security mode**.'],
    ] as const) {
      const { context, page, watcher } = await loginAs(locale, who);
      try {
        await page.goto(questionUrl);
        await page.locator('#answer-body').fill(text);
        const preview = page.locator('form[action$="/answers"] [data-preview-target]');
        await expect.poll(() => preview.innerHTML(), { timeout: 10_000 }).toContain('<strong>');
        await expect(preview.isVisible()).resolves.toBe(true);
        await Promise.all([page.waitForURL(/#a\d+$/), page.locator('form[action$="/answers"] button[type="submit"]').click()]);
        const id = /#a(\d+)$/.exec(page.url())![1]!;
        if (who === cast.answerer) answerA = id;
        else answerB = id;
        await expect(page.locator(`#a${id} .prose strong`).innerText()).resolves.toBe(/\*\*(.+?)\*\*/.exec(text)![1]!);
        expect(watcher!.problems).toEqual([]);
      } finally {
        await context.close();
      }
    }
    expect(answerA).not.toBe('');
    expect(answerB).not.toBe('');
  });

  it('votes the first answer up with JavaScript: the score changes in place', async () => {
    const { context, page, watcher } = await loginAs(locale, cast.jsVoter);
    try {
      await page.goto(questionUrl);
      expect(await scoreOf(page, answerA)).toBe(0);
      // A marker on the window survives only if the page is not reloaded.
      await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations.push(frame.url());
      });
      const box = page.locator(`[data-vote][data-post="${answerA}"]`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/posts/${answerA}/vote`) && r.request().method() === 'POST'),
        box.locator('.vote-up').click(),
      ]);
      expect(response.status()).toBe(200);
      expect(await response.json()).toMatchObject({ score: 1, value: 1 });
      await expect.poll(() => scoreOf(page, answerA)).toBe(1);
      await expect(box.locator('.vote-up').getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(box.locator('.vote-up').getAttribute('class')).resolves.toContain('voted');
      expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
      expect(navigations).toEqual([]);
      await shot(page, `qa-voted-js-${short}`);

      // Clicking again withdraws the vote, still in place; a third click votes again.
      await box.locator('.vote-up').click();
      await expect.poll(() => scoreOf(page, answerA)).toBe(0);
      await expect(box.locator('.vote-up').getAttribute('aria-pressed')).resolves.toBe('false');
      await box.locator('.vote-up').click();
      await expect.poll(() => scoreOf(page, answerA)).toBe(1);
      expect(navigations).toEqual([]);

      // The vote was saved: a fresh load shows it.
      await page.reload();
      expect(await scoreOf(page, answerA)).toBe(1);
      await expect(page.locator(`[data-vote][data-post="${answerA}"] .vote-up`).getAttribute('aria-pressed')).resolves.toBe('true');
      expect(await answerIds(page)).toEqual([answerA, answerB]);
      expect(watcher!.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('updates the vote buttons\' accessible names in place, as the server-rendered page would', async () => {
    const { context, page, watcher } = await loginAs(locale, cast.jsVoter);
    try {
      await page.goto(questionUrl);
      const down = page.locator(`[data-vote][data-post="${answerB}"] .vote-down`);
      await expect(down.getAttribute('aria-label')).resolves.toBe(t('qa.vote.down'));
      await down.click();
      await expect.poll(() => scoreOf(page, answerB)).toBe(-1);
      await expect(down.getAttribute('aria-pressed')).resolves.toBe('true');
      // A screen reader must hear "withdraw" for a button that now withdraws the vote.
      const labelAfterVote = await down.getAttribute('aria-label');
      await down.click();
      await expect.poll(() => scoreOf(page, answerB)).toBe(0);
      const labelAfterWithdraw = await down.getAttribute('aria-label');
      expect.soft(labelAfterVote).toBe(t('qa.vote.withdrawDown'));
      expect.soft(labelAfterWithdraw).toBe(t('qa.vote.down'));
      expect(watcher!.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('votes the first answer up without JavaScript: a form post and a redirect back', async () => {
    const { context, page } = await loginAs(locale, cast.noJsVoter, { javaScriptEnabled: false });
    try {
      await page.goto(questionUrl);
      expect(await scoreOf(page, answerA)).toBe(1);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/posts/${answerA}/vote`)),
        page.locator(`[data-vote][data-post="${answerA}"] .vote-up`).click(),
      ]);
      expect(response.status()).toBe(303);
      await page.waitForURL((url) => url.pathname === questionUrl && url.hash === `#a${answerA}`);
      expect(await scoreOf(page, answerA)).toBe(2);
      await expect(page.locator(`[data-vote][data-post="${answerA}"] .vote-up`).getAttribute('aria-pressed')).resolves.toBe('true');
      // Own posts have no vote buttons; the question can be voted on too.
      await page.locator(`[data-vote][data-post="${questionId}"] .vote-up`).click();
      await page.waitForURL((url) => url.pathname === questionUrl);
      expect(await scoreOf(page, questionId)).toBe(1);
      await shot(page, `qa-voted-nojs-${short}`);
    } finally {
      await context.close();
    }
  });

  it('accepts the other answer as the asker: it moves first and is marked accepted', async () => {
    const { context, page, watcher } = await loginAs(locale, cast.asker);
    try {
      await page.goto(questionUrl);
      expect(await answerIds(page)).toEqual([answerA, answerB]);
      await expect(page.locator('article.answer.accepted').count()).resolves.toBe(0);
      // No vote form on one's own question: the buttons are there but disabled.
      // (Such a box has none of the script's hooks: data-vote marks boxes with forms only.)
      await expect(page.locator(`.vote[data-post="${questionId}"] form`).count()).resolves.toBe(0);
      await expect(page.locator(`.vote[data-post="${questionId}"]:not([data-vote]) .vote-up`).isDisabled()).resolves.toBe(true);
      const accept = page.locator(`#a${answerB} form[action="/q/${questionId}/accept"] button`);
      await expect(accept.innerText()).resolves.toBe(t('qa.accept'));
      await Promise.all([page.waitForURL(new RegExp(`#a${answerB}$`)), accept.click()]);
      await expect.poll(() => answerIds(page)).toEqual([answerB, answerA]);
      const first = page.locator('article.answer').first();
      await expect(first.getAttribute('class')).resolves.toContain('accepted');
      await expect(first.locator('.accepted-mark').innerText()).resolves.toContain(t('qa.acceptedShort'));
      await expect(first.locator('.accepted-mark').getAttribute('title')).resolves.toBe(t('qa.accepted'));
      await expect(page.locator('article.answer.accepted').count()).resolves.toBe(1);
      await expect(first.locator(`form[action="/q/${questionId}/accept"] button`).innerText()).resolves.toBe(t('qa.unaccept'));
      // Scores are unchanged by acceptance.
      expect(await scoreOf(page, answerA)).toBe(2);
      expect(await scoreOf(page, answerB)).toBe(0);
      await shot(page, `qa-accepted-${short}`);

      // The community list shows the question with its counts and the accepted mark.
      await page.goto(`/c/${COMMUNITY}?sort=newest`);
      const row = page.locator('li.question-row', { has: page.locator(`a[href="${questionUrl}"]`) });
      await expect(row.locator('.count').nth(1).getAttribute('class')).resolves.toContain('has-accepted');
      await expect(row.locator('.count strong').allInnerTexts()).resolves.toEqual(['1', '2']);
      await shot(page, `qa-community-${short}`);
      expect(watcher!.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
