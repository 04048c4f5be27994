/*
 * Moderation in a real browser (issue 13): three members flag a spam question, it hides;
 * the moderator deletes it from the review queue and suspends its author; the moderation
 * log shows all of it. Then a question closed as a duplicate raises its original's FAQ
 * candidate evidence. The new pages are captured at 1280 and 390 px in English and Chinese
 * (test/e2e/screenshots/moderation-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loginAsDemo, newLocaleContext, shot, startServer, uniqueSuffix, type RunningServer, type UiLocale } from './harness.js';

const COMMUNITY = 'lumen-support';
const MODERATOR = '陈版主';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function as(username: string, locale: UiLocale = 'en'): Promise<Page> {
  const context = await newLocaleContext(browser, server.baseUrl, locale);
  return loginAsDemo(context, username);
}

async function flagSpam(page: Page, url: string, postId: string) {
  await page.goto(url);
  await page.locator(`form[action="/posts/${postId}/flag"]`).locator('xpath=ancestor::details').locator('summary').click();
  await page.locator(`form[action="/posts/${postId}/flag"] input[value="spam"]`).check();
  await Promise.all([page.waitForLoadState('load'), page.locator(`form[action="/posts/${postId}/flag"] button[type="submit"]`).click()]);
}

describe('moderation flow', () => {
  it('three spam flags hide a question; the moderator deletes it and suspends the author; the log shows it', async () => {
    const spammer = await as('alice');
    const title = `Cheap lens deals ${uniqueSuffix()} at my shop`;
    await spammer.goto(`/c/${COMMUNITY}/ask`);
    await spammer.locator('#title').fill(title);
    await spammer.locator('#body').fill('Best prices on lenses and batteries, visit https://shop.example today for 90% off.');
    await spammer.locator('#tags').fill('deals');
    await Promise.all([spammer.waitForURL(/\/q\/\d+\//), spammer.locator('form[action$="/ask"] button[value="post"]').click()]);
    const url = new URL(spammer.url()).pathname;
    const id = /\/q\/(\d+)\//.exec(url)![1]!;

    for (const name of ['李雷', '韩梅梅', 'bob']) {
      const page = await as(name);
      await flagSpam(page, url, id);
      await page.context().close();
    }
    const visitor = await (await newLocaleContext(browser, server.baseUrl, 'en')).newPage();
    const gone = await visitor.goto(url);
    expect(gone!.status()).toBe(404);

    const mod = await as(MODERATOR);
    await mod.goto(`/c/${COMMUNITY}/review`);
    const item = mod.locator(`#review-${id}`);
    await expect(item.textContent()).resolves.toContain('Hidden pending review');
    await expect(item.textContent()).resolves.toContain('3 flags');
    await item.locator('input[name="reason"]').fill('Advertising');
    await Promise.all([mod.waitForURL(/done=deleted/), item.locator('button[value="delete"]').click()]);

    await mod.goto('/mod/suspend?user=alice&community=lumen-support');
    await mod.locator('#suspend-reason').fill('Posting advertisements');
    await mod.locator('#suspend-days').selectOption('7');
    await Promise.all([mod.waitForURL(/done=1/), mod.locator('form[action="/mod/suspend"] button[type="submit"]').click()]);

    await mod.goto(`/mod/c/${COMMUNITY}/log`);
    const actions = await mod.locator('tr.audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.slice(0, 4)).toEqual(['user.suspend', 'flags.resolve', 'post.delete', 'post.hide']);
    await expect(mod.locator('tr.audit-row').first().textContent()).resolves.toContain('Posting advertisements');

    // The suspended author is signed out; logging in again shows the suspension and its reason.
    await spammer.goto('/');
    await expect(spammer.locator('a.nav-user').count()).resolves.toBe(0);
    const back = await as('alice');
    await expect(back.locator('#suspension-notice').textContent()).resolves.toContain('Posting advertisements');
  }, 120_000);

  it('a question closed as a duplicate raises its original in the FAQ candidate evidence', async () => {
    // The demo's good answers are all in the FAQ already: make a fresh candidate (5 upvotes).
    const slug = 'home-coffee';
    const asker0 = await as('bob');
    const originalTitle = `How long should beans rest after roasting ${uniqueSuffix()}?`;
    await asker0.goto(`/c/${slug}/ask`);
    await asker0.locator('#title').fill(originalTitle);
    await asker0.locator('#body').fill('I roast on Sundays and wonder when the beans taste best for espresso.');
    await asker0.locator('#tags').fill('resting');
    await Promise.all([asker0.waitForURL(/\/q\/\d+\//), asker0.locator('form[action$="/ask"] button[value="post"]').click()]);
    const originalUrl = new URL(asker0.url()).pathname;
    const originalId = /\/q\/(\d+)\//.exec(originalUrl)![1]!;
    const answerer = await as('韩梅梅');
    await answerer.goto(originalUrl);
    await answerer.locator('#answer-body').fill('Rest them three to five days for espresso; filter coffee is fine after one day.');
    await Promise.all([answerer.waitForURL(/#a\d+$/), answerer.locator('form[action$="/answers"] button[type="submit"]').click()]);
    const answerId = /#a(\d+)$/.exec(answerer.url())![1]!;
    for (const name of ['carol', 'dave', 'erin', '王芳', '张伟']) {
      const voter = await as(name);
      await voter.goto(originalUrl);
      await Promise.all([voter.waitForLoadState('load'), voter.locator(`form[action="/posts/${answerId}/vote"] button[data-value="1"]`).click()]);
      await voter.context().close();
    }
    const mod = await as('alice');
    await mod.goto(`/mod/c/${slug}/faq/candidates`);
    const candidateId = `candidate-${answerId}`;
    await expect(mod.locator(`#${candidateId}`).count()).resolves.toBe(1);
    const evidenceOf = async () =>
      Number(
        await mod.locator(`#${candidateId} .modfaq-evidence dt`).evaluateAll((dts) => {
          const dt = dts.find((d) => /evidence/i.test(d.textContent ?? ''));
          return dt?.nextElementSibling?.textContent ?? 'NaN';
        }),
      );
    const before = await evidenceOf();
    expect(before).toBeGreaterThan(0);

    const asker = await as('bob');
    await asker.goto(`/c/${slug}/ask`);
    await asker.locator('#title').fill(`Asked again ${uniqueSuffix()}`);
    await asker.locator('#body').fill('My battery drains quickly after the update, what should I do about it?');
    await asker.locator('#tags').fill('battery');
    await Promise.all([asker.waitForURL(/\/q\/\d+\//), asker.locator('form[action$="/ask"] button[value="post"]').click()]);
    const dupId = /\/q\/(\d+)\//.exec(asker.url())![1]!;

    await mod.goto(`/q/${dupId}/close?q=${encodeURIComponent(originalTitle)}`);
    const pick = mod.locator(`input[name="duplicatePick"][value="${originalId}"]`);
    if ((await pick.count()) > 0) await pick.check();
    else await mod.locator('#duplicateOf').fill(originalId);
    await mod.locator('form.mod-close-form input[name="reason"][value="duplicate"]').check();
    await Promise.all([mod.waitForURL(new RegExp(`/q/${dupId}/`)), mod.locator('form.mod-close-form button[type="submit"]').click()]);
    await expect(mod.locator('#closed-banner a.mod-original').getAttribute('href')).resolves.toContain(`/q/${originalId}/`);

    await mod.goto(`/mod/c/${slug}/faq/candidates`);
    expect(await evidenceOf()).toBeGreaterThan(before);
  }, 120_000);
});

describe.skipIf(process.env.SKIP_SHOTS === '1')('screenshots', () => {
  it('captures the moderation pages at 1280 and 390 px in English and Chinese', async () => {
    for (const locale of ['en', 'zh-CN'] as UiLocale[]) {
      const tag = locale === 'en' ? 'en' : 'zh';
      const admin = await as('admin', locale);
      const mod = await as(MODERATOR, locale);
      const pages: Array<[Page, string, string]> = [
        [mod, `/c/${COMMUNITY}/review`, 'review'],
        [mod, `/mod/c/${COMMUNITY}/log`, 'log'],
        [admin, '/admin/moderation/settings', 'settings'],
        [admin, '/admin/moderation/log', 'admin-log'],
        [mod, '/mod/suspend?user=bob&community=lumen-support', 'suspend'],
      ];
      await mod.goto(`/c/home-coffee`);
      const dupLink = await mod.locator('a', { hasText: 'Same problem:' }).first().getAttribute('href');
      if (dupLink) pages.push([mod, dupLink, 'closed-duplicate']);
      for (const [page, path, name] of pages) {
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          const res = await page.goto(path);
          expect(res!.status()).toBe(200);
          if (name === 'review' && width === 1280) await page.locator('details.mod-menu summary').click();
          await shot(page, `moderation-${name}-${tag}-${width}`);
        }
      }
    }
  }, 180_000);
});
