/*
 * Pages from the anonymous page cache reach a real browser gzip-compressed, spliced from parts
 * deflated once (src/http/gzip-splice.ts): Chromium must decode them, show the page, and the
 * CSRF token inside must work for the browser's own form posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import { launchBrowser, newLocaleContext, startServer, type RunningServer } from './harness.js';

const FAQ = '/c/lumen-support/faq';

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

describe('gzip pages from the anonymous page cache', () => {
  it('are decoded by Chromium, and their token works for the language form', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, 'en');
    const page = await context.newPage();
    await page.goto(FAQ);
    const res = await page.goto(FAQ);
    const headers = res!.headers();
    expect(headers['x-page-cache']).toBe('hit');
    expect(headers['content-encoding']).toBe('gzip');
    await expect(page.locator('h1').innerText()).resolves.toBe(translate('en', 'faq.title'));
    // The footer's language form posts the page's CSRF token (from the gzip body).
    await page.locator('#language-select').selectOption('zh-CN');
    await expect.poll(() => page.locator('h1').innerText()).toBe(translate('zh-CN', 'faq.title'));
    await context.close();
  });
});
