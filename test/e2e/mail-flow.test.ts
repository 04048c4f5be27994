import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginAsDemo, newLocaleContext, shot, shortLocale, startServer, uniqueSuffix, watchPage, type RunningServer, type UiLocale } from './harness.js';

/*
 * Issue 11's mail loop in a real browser, against the server as a newcomer runs it (no
 * SMTP_URL: every mail is an .eml file in DATA_DIR/mail). A new member registers, verifies
 * the address by following the link in the mail found in that folder, asks; another member
 * answers; the bell shows 1 and the mail is in the folder; the member clicks through to the
 * thread, and unsubscribes in one click the way a mail client does (RFC 8058 POST), which the
 * settings page then shows. Both languages.
 */

/** Every mail in the folder, parsed as a mail client would. */
async function mailsIn(dataDir: string): Promise<Array<ParsedMail & { file: string }>> {
  const dir = path.join(dataDir, 'mail');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
  return Promise.all(files.sort().map(async (f) => Object.assign(await simpleParser(readFileSync(path.join(dir, f))), { file: f })));
}

/** Waits (the worker sends in the background) for a mail to `address` matching `test`. */
async function mailTo(dataDir: string, address: string, test: (m: ParsedMail) => boolean): Promise<ParsedMail> {
  const until = Date.now() + 20_000;
  for (;;) {
    const found = (await mailsIn(dataDir)).find((m) => (m.to as { text: string } | undefined)?.text === address && test(m));
    if (found) return found;
    if (Date.now() > until) throw new Error(`no mail to ${address} in ${dataDir}/mail`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function header(m: ParsedMail, name: string): string | undefined {
  const line = m.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}

const text = {
  en: { verified: 'Thank you: your address is verified.', join: 'Join', post: 'Post your question', answer: 'Post your answer', bell: '1 unread notification', inbox: 'answered your question', subject: '[Community Help] New answer: ', inSiteOnly: 'In the site only', watch: 'Watch', unwatch: 'Stop watching' },
  'zh-CN': { verified: '谢谢，你的邮箱已验证。', join: '加入', post: '发布问题', answer: '发布回答', bell: '1 条未读通知', inbox: '回答了你的问题', subject: '[社区互助] 新回答：', inSiteOnly: '仅站内', watch: '关注', unwatch: '取消关注' },
};

async function both(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 800 });
  await shot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('mail flow (browser)', () => {
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

  for (const locale of ['en', 'zh-CN'] as UiLocale[]) {
    it(`register, verify from the mail, get an answer, bell, mail, click through, one-click unsubscribe (${locale})`, async () => {
      const t = text[locale];
      const lc = shortLocale(locale);
      const username = `${locale === 'en' ? 'newbie' : '新人'}${uniqueSuffix()}`;
      const email = `newbie${uniqueSuffix()}@example.test`;
      const ctx = await newLocaleContext(browser, server.baseUrl, locale);
      const page = await ctx.newPage();
      const watch = await watchPage(page);

      await page.goto('/register');
      await page.locator('#username').fill(username);
      await page.locator('#email').fill(email);
      await page.locator('#password').fill('correct-horse-battery');
      await Promise.all([page.waitForURL((u) => u.pathname !== '/register'), page.locator('form[action="/register"] button[type="submit"]').click()]);

      // The verification mail is in the folder; its link opens a page whose button verifies.
      const verifyMail = await mailTo(server.dataDir, email, (m) => /\/verify-email\//.test(m.text ?? ''));
      const verifyLink = /(https?:\/\/\S+\/verify-email\/[A-Za-z0-9_-]+)/.exec(verifyMail.text!)![1]!;
      await page.goto(verifyLink);
      await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').click()]);
      expect(await page.locator('main').innerText()).toContain(t.verified);

      await page.goto('/c/home-coffee');
      await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/c/home-coffee/join"] button').click()]);
      const title = `${locale === 'en' ? 'Why does my roast taste smoky' : '为什么我烘的豆子有烟味'} ${uniqueSuffix()}`;
      await page.goto('/c/home-coffee/ask');
      await page.locator('#title').fill(title);
      await page.locator('#body').fill('I roast in a popcorn popper outdoors and every batch tastes of smoke.');
      await page.locator('#tags').fill('roasting');
      await Promise.all([page.waitForURL(/\/q\/\d+\//), page.locator('button[value="post"]').click()]);
      const questionUrl = new URL(page.url()).pathname;
      // The asker watches the thread from the start.
      expect((await page.locator('form.watch-form button').innerText()).trim()).toContain(t.unwatch);

      const otherCtx = await newLocaleContext(browser, server.baseUrl, locale);
      const bob = await loginAsDemo(otherCtx, 'bob');
      await bob.goto(questionUrl);
      await bob.locator('#answer-body').fill('Chaff is burning: blow it away from the popper and stop before second crack.');
      await Promise.all([bob.waitForURL(/#a\d+/), bob.getByRole('button', { name: t.answer }).click()]);
      await otherCtx.close();

      await page.goto('/');
      const bell = page.locator('a.notification-bell');
      expect(await bell.getAttribute('aria-label')).toBe(t.bell);
      expect(await bell.locator('.bell-count').innerText()).toBe('1');
      await both(page, `mail-flow-bell-${lc}`);

      // The mail is in the folder, in the member's language, with one-click unsubscribe.
      const mail = await mailTo(server.dataDir, email, (m) => (m.subject ?? '').includes(title));
      expect(mail.subject).toBe(t.subject + title);
      expect(mail.text).toContain('Chaff is burning');
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const unsubscribeUrl = /<(https?:\/\/[^>]+\/unsubscribe\/[^>]+)>/.exec(header(mail, 'List-Unsubscribe') ?? '')?.[1];
      expect(unsubscribeUrl).toBeDefined();
      const threadLink = new RegExp(`(https?://\\S+/c/home-coffee/q/\\d+/\\S*\\?a=\\d+)`).exec(mail.text!)![1]!;

      // The inbox, then the click through to the answer.
      await page.goto('/notifications');
      expect(await page.locator('.notification-list li').first().innerText()).toContain(`bob ${t.inbox}`);
      await both(page, `mail-flow-inbox-${lc}`);
      await Promise.all([page.waitForURL(/\/q\/\d+\/.*#a\d+$/), page.locator('.notification-list li button').first().click()]);
      expect(new URL(page.url()).pathname).toBe(questionUrl);
      expect(await page.locator('.answer').first().innerText()).toContain('Chaff is burning');
      expect(await page.locator('a.notification-bell .bell-count').count()).toBe(0);
      // The mail's own link leads to the same thread.
      await page.goto(threadLink);
      expect(new URL(page.url()).pathname).toBe(questionUrl);

      // One click from the mail client: a POST without cookies or CSRF token.
      const res = await fetch(unsubscribeUrl!, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
      expect(res.status).toBe(200);
      await page.goto('/settings/notifications');
      expect(await page.locator('#pref-answer').inputValue()).toBe('inbox');
      expect(await page.locator('#pref-answer option:checked').innerText()).toBe(t.inSiteOnly);
      await both(page, `mail-flow-unsubscribed-${lc}`);
      expect(watch.problems).toEqual([]);
      await ctx.close();
    });

    it(`watch buttons on the community, tag and question pages work without JavaScript (${locale})`, async () => {
      const t = text[locale];
      const lc = shortLocale(locale);
      const ctx = await newLocaleContext(browser, server.baseUrl, locale, { javaScriptEnabled: false });
      const page = await loginAsDemo(ctx, 'carol');
      for (const [url, type, name] of [
        ['/c/home-coffee', 'community', 'community'],
        ['/c/home-coffee/tags/espresso', 'tag', 'tag'],
      ] as const) {
        await page.goto(url);
        const button = page.locator(`form.watch-form[data-watch="${type}"] button`);
        expect((await button.innerText()).trim()).toContain(t.watch);
        await Promise.all([page.waitForURL((u) => u.pathname === url), button.click()]);
        expect((await page.locator(`form.watch-form[data-watch="${type}"] button`).innerText()).trim()).toContain(t.unwatch);
        await both(page, `watch-${name}-${lc}`);
        await Promise.all([page.waitForURL((u) => u.pathname === url), page.locator(`form.watch-form[data-watch="${type}"] button`).click()]);
        expect((await page.locator(`form.watch-form[data-watch="${type}"] button`).innerText()).trim()).not.toContain(t.unwatch);
      }
      await page.goto('/c/home-coffee');
      const questionLink = await page.locator('a[href*="/c/home-coffee/q/"]').first().getAttribute('href');
      await page.goto(questionLink!);
      const questionButton = page.locator('form.watch-form[data-watch="question"] button');
      const before = (await questionButton.innerText()).trim();
      await Promise.all([page.waitForLoadState('load'), questionButton.click()]);
      const after = (await page.locator('form.watch-form[data-watch="question"] button').innerText()).trim();
      expect(after).not.toBe(before);
      await both(page, `watch-question-${lc}`);
      await ctx.close();
    });
  }
});
