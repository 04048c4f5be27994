/*
 * A sample of the XSS payloads (test/fixtures/xss-payloads.ts, those marked `browser`)
 * typed into the real forms of a real browser: the live preview, the question title and
 * body, an answer and a comment. Then another user opens the question. No dialog may
 * open, window.__xss must stay undefined, and the Content-Security-Policy must not have
 * had to block anything (a blocked inline script would mean the sanitiser let it through).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_SAMPLE } from '../fixtures/xss-payloads.js';
import { DEMO_PASSWORD, launchBrowser, newLocaleContext, startServer, watchPage, type PageWatcher, type RunningServer } from './harness.js';

const COMMUNITY = 'lumen-support';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ POST_RATE_LIMIT_PER_MINUTE: '1000' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Watched {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  watcher: PageWatcher;
}

async function session(username: string): Promise<Watched> {
  const context = await newLocaleContext(browser, server.baseUrl, 'en');
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // Popups (a payload opening a window) count as well.
  context.on('page', (p) => dialogs.push(`popup: ${p.url()}`));
  const watcher = await watchPage(page);
  await page.goto('/login');
  await page.locator('#identifier').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
  return { context, page, dialogs, watcher };
}

const flag = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);

/** Gives event handlers (onload, onerror, ontoggle, autofocus) time to fire. */
async function settle(page: Page) {
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
}

describe('XSS payloads in a real browser', () => {
  let author: Watched;
  let reader: Watched;

  beforeAll(async () => {
    author = await session('alice');
    reader = await session('李雷');
  });

  afterAll(async () => {
    await author?.context.close();
    await reader?.context.close();
  });

  it('uses a sample of about ten payloads', () => {
    expect(BROWSER_SAMPLE.length).toBeGreaterThanOrEqual(10);
  });

  it.each(BROWSER_SAMPLE.map((p, i) => [p.name, p.payload, i] as const))('%s does not run', async (_name, payload, i) => {
    const { page } = author;
    const title = `XSS browser ${i} ${payload}`.replace(/\s+/g, ' ').slice(0, 150);
    const body = payload.trim().length >= 10 ? payload : `${payload}\n\npadding text`;

    // The ask form with its live preview (the sanitised HTML goes into the page with innerHTML).
    await page.goto(`/c/${COMMUNITY}/ask`);
    await page.locator('#title').fill(title);
    await page.locator('#body').fill(body);
    const [preview] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/preview')), page.locator('#body').press('End')]);
    expect(preview.status()).toBe(200);
    await page.waitForTimeout(300);
    await page.locator('#tags').fill('xss');
    expect(await flag(page)).toBeUndefined();
    await Promise.all([page.waitForURL(/\/q\/\d+\//), page.locator('button[name="action"][value="post"]').click()]);
    await settle(page);
    const url = new URL(page.url()).pathname;
    expect(await flag(page)).toBeUndefined();

    // An answer and a comment with the same payload, through the forms.
    await page.locator('#answer-body').fill(body);
    await Promise.all([page.waitForURL(/#a\d+$/), page.locator('form[action$="/answers"] button[type="submit"]').click()]);
    await settle(page);
    const questionComment = page.locator('article.question details.comment-form');
    await questionComment.locator('summary').click();
    await questionComment.locator('textarea').fill(payload.slice(0, 600));
    await Promise.all([page.waitForURL(/#comment-\d+$/), questionComment.locator('button[type="submit"]').click()]);
    await settle(page);
    expect(await flag(page)).toBeUndefined();

    // Another user reads the question, hovers and clicks around the user content.
    await reader.page.goto(url);
    await settle(reader.page);
    for (const el of await reader.page.locator('.prose a, .prose img, .comment-body a').all()) {
      await el.hover({ timeout: 2000 }).catch(() => undefined);
    }
    // Links that would not leave the site (no href, or a scheme that was not removed) are clicked.
    for (const el of await reader.page.locator('.prose a:not([href^="http"]):not([href^="mailto:"])').all()) {
      await el.click({ timeout: 2000 }).catch(() => undefined);
    }
    expect(new URL(reader.page.url()).pathname).toBe(url);
    await reader.page.locator('#main').click({ position: { x: 5, y: 5 } });
    expect(await flag(reader.page)).toBeUndefined();
    // The user content really is on the page (the test is not looking at an empty one).
    await expect(reader.page.locator('article.answer').count()).resolves.toBe(1);
    await expect(reader.page.locator('#question-title').innerText()).resolves.toContain(`XSS browser ${i}`);

    expect(author.dialogs).toEqual([]);
    expect(reader.dialogs).toEqual([]);
    expect(author.watcher.problems.filter((p) => p.startsWith('CSP') || p.startsWith('pageerror'))).toEqual([]);
    expect(reader.watcher.problems.filter((p) => p.startsWith('CSP') || p.startsWith('pageerror'))).toEqual([]);
  });

  it('a payload that does run is caught by this test (the checks can fail)', async () => {
    // Run a script the way a payload would if it got through, in a page of our own.
    const page = await author.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.setContent('<img src="x" onerror="window.__xss=1;alert(7)">');
      await expect.poll(() => flag(page)).toBe(1);
      await expect.poll(() => dialogs).toEqual(['7']);
    } finally {
      await page.close();
    }
  });
});
