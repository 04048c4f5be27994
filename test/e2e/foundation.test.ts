/*
 * The foundation in a real browser, in both interface languages: sign up, log out, log in,
 * join a community, switch language, keyboard access, and the same core flows with
 * JavaScript turned off. Screenshots land in test/e2e/screenshots/ for visual review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { translate } from '../../src/i18n/index.js';
import {
  DEMO_PASSWORD,
  launchBrowser,
  newLocaleContext,
  shortLocale,
  shot,
  startServer,
  uniqueSuffix,
  watchPage,
  type RunningServer,
  type UiLocale,
} from './harness.js';

const COMMUNITY = 'lumen-support';
const LOCALES: UiLocale[] = ['en', 'zh-CN'];
const otherLocale = (l: UiLocale): UiLocale => (l === 'en' ? 'zh-CN' : 'en');
const HAS_CJK = /[\u4e00-\u9fff]/;

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

async function memberCount(page: Page): Promise<number> {
  const text = await page.locator('.community-header .stats').innerText();
  const m = /\d+/.exec(text);
  if (!m) throw new Error(`no member count in "${text}"`);
  return Number(m[0]);
}

/** Fills and submits the sign-up form; returns once the profile page has loaded. */
async function registerThroughForm(page: Page, username: string, email: string, password: string) {
  await page.locator('#username').fill(username);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL(/\/u\/[^?]+\?welcome=1$/), page.locator('form[action="/register"] button[type="submit"]').click()]);
}

async function loginThroughForm(page: Page, identifier: string, password: string) {
  await page.locator('#identifier').fill(identifier);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
}

async function logoutThroughHeader(page: Page) {
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('.user-nav form[action="/logout"] button').click()]);
}

function usernameFor(locale: UiLocale, tag: string): string {
  // A Chinese name in the Chinese run: the account rules accept letters of any script.
  return locale === 'zh-CN' ? `测试${tag}${uniqueSuffix()}` : `e2e_${tag}_${uniqueSuffix()}`;
}

describe.each(LOCALES)('foundation in %s', (locale) => {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const short = shortLocale(locale);
  const htmlLang = locale === 'zh-CN' ? 'zh-CN' : 'en';

  it('signs up, logs out, logs in, joins a community and switches language', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);
    try {
      // Home page in the browser's language.
      await page.goto('/');
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(htmlLang);
      await expect(page.locator('.brand').innerText()).resolves.toBe(t('site.name'));
      await shot(page, `home-${short}`);

      // Sign up through the header link and the form.
      await Promise.all([page.waitForURL('**/register'), page.locator('.user-nav a[href="/register"]').click()]);
      await expect(page.locator('h1').innerText()).resolves.toBe(t('auth.register.title'));
      await shot(page, `register-${short}`);
      const username = usernameFor(locale, 'member');
      const password = 'e2e-password-123';
      await registerThroughForm(page, username, `${encodeURIComponent(username).replace(/%/g, '').toLowerCase()}@example.test`, password);
      const welcome = page.locator('.profile .alert-success');
      await expect(welcome.innerText()).resolves.toBe(t('user.welcome', { name: username }));
      await expect(page.locator('.user-nav .nav-user').innerText()).resolves.toContain(username);
      await shot(page, `profile-${short}`);

      // Log out, then back in through the login form.
      await logoutThroughHeader(page);
      await expect(page.locator('.user-nav a[href^="/login"]').innerText()).resolves.toBe(t('nav.login'));
      await expect.poll(() => page.locator('.user-nav .nav-user').count()).toBe(0);
      await Promise.all([page.waitForURL('**/login?**'), page.locator('.user-nav a[href^="/login"]').click()]);
      await expect(page.locator('h1').innerText()).resolves.toBe(t('auth.login.title'));
      await shot(page, `login-${short}`);
      await loginThroughForm(page, username, password);
      expect(new URL(page.url()).pathname).toBe('/');
      await expect(page.locator('.user-nav .nav-user').innerText()).resolves.toContain(username);

      // Join the business community: the button turns into "leave" and the count goes up.
      await page.goto(`/c/${COMMUNITY}`);
      const joinButton = page.locator(`form[action="/c/${COMMUNITY}/join"] button`);
      await expect(joinButton.innerText()).resolves.toBe(t('community.join'));
      const before = await memberCount(page);
      await joinButton.click();
      // Polled, so it holds whether the form reloads the page or a script updates it in place.
      const leaveButton = page.locator(`form[action="/c/${COMMUNITY}/leave"] button`);
      await leaveButton.waitFor();
      await expect(leaveButton.innerText()).resolves.toBe(t('community.leave'));
      await expect.poll(() => page.locator(`form[action="/c/${COMMUNITY}/join"]`).count()).toBe(0);
      await expect.poll(() => memberCount(page)).toBe(before + 1);
      await shot(page, `community-${short}`);

      // Footer language selector: choosing the other language reloads the page in it.
      const target = otherLocale(locale);
      const targetLang = target === 'zh-CN' ? 'zh-CN' : 'en';
      const leaveTextBefore = await leaveButton.innerText();
      await page.locator('#language-select').selectOption(target);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(targetLang);
      await page.waitForLoadState('load');
      const leaveTextAfter = await leaveButton.innerText();
      expect(leaveTextAfter).toBe(translate(target, 'community.leave'));
      expect(leaveTextAfter).not.toBe(leaveTextBefore);
      const footerLabel = await page.locator('.language-form label').innerText();
      expect(footerLabel).toBe(translate(target, 'nav.language'));
      expect(HAS_CJK.test(footerLabel)).toBe(target === 'zh-CN');
      // Still on the same page and still a member after the switch.
      expect(new URL(page.url()).pathname).toBe(`/c/${COMMUNITY}`);

      expect(watcher.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the first Tab from the top of the page reaches the skip link', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);
    try {
      await page.goto('/');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return { className: el.className, href: el.getAttribute('href'), text: el.textContent?.trim(), visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight };
      });
      expect(focused).toEqual({ className: 'skip-link', href: '#main', text: t('a11y.skipToContent'), visible: true });
      // Following it moves focus to the main content.
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(watcher.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an unknown address shows the 404 page in the right language', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    // The browser reports the document's own 404 status in the console; that one is expected.
    const watcher = await watchPage(page, [/Failed to load resource: the server responded with a status of 404/]);
    try {
      const res = await page.goto('/no/such/page');
      expect(res?.status()).toBe(404);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(htmlLang);
      await expect(page.locator('main').innerText()).resolves.toContain(t('error.notFound'));
      // The layout (header with search and login, footer) is still there to help the visitor on.
      await expect.poll(() => page.locator('.user-nav a[href^="/login"]').count()).toBe(1);
      await expect.poll(() => page.locator('#language-select').count()).toBe(1);
      await shot(page, `404-${short}`);
      expect(watcher.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a demo account logs in with the demo password', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale);
    const page = await context.newPage();
    const watcher = await watchPage(page);
    try {
      await page.goto('/login');
      await loginThroughForm(page, 'admin', DEMO_PASSWORD);
      await expect(page.locator('.user-nav .nav-user').innerText()).resolves.toContain('admin');
      await expect(page.locator('.user-nav a[href="/admin"]').innerText()).resolves.toBe(t('nav.admin'));
      expect(watcher.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: signs up, logs in, joins and switches language with plain forms', async () => {
    const context = await newLocaleContext(browser, server.baseUrl, locale, { javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto('/');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(htmlLang);

      const username = usernameFor(locale, 'nojs');
      const password = 'nojs-password-123';
      await page.goto('/register');
      await registerThroughForm(page, username, `nojs${uniqueSuffix()}@example.test`, password);
      await expect(page.locator('.profile .alert-success').innerText()).resolves.toBe(t('user.welcome', { name: username }));
      await logoutThroughHeader(page);

      // Logging in from the community page brings the visitor back to it.
      await page.goto(`/c/${COMMUNITY}`);
      const loginToJoin = page.locator(`.community-actions a[href^="/login"]`);
      await expect(loginToJoin.innerText()).resolves.toBe(t('community.loginToJoin'));
      await Promise.all([page.waitForURL('**/login?**'), loginToJoin.click()]);
      await loginThroughForm(page, username, password);
      expect(new URL(page.url()).pathname).toBe(`/c/${COMMUNITY}`);

      const before = await memberCount(page);
      await page.locator(`form[action="/c/${COMMUNITY}/join"] button`).click();
      const leaveButton = page.locator(`form[action="/c/${COMMUNITY}/leave"] button`);
      await leaveButton.waitFor();
      await expect(leaveButton.innerText()).resolves.toBe(t('community.leave'));
      expect(await memberCount(page)).toBe(before + 1);

      // Without the auto-submit script the language form has its own button.
      const target = otherLocale(locale);
      await page.locator('#language-select').selectOption(target);
      await page.locator('.language-form button[type="submit"]').click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(target);
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe(`/c/${COMMUNITY}`);
      await expect(leaveButton.innerText()).resolves.toBe(translate(target, 'community.leave'));
      await shot(page, `community-nojs-${shortLocale(target)}`);
    } finally {
      await context.close();
    }
  });
});
