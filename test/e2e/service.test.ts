import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loginAsDemo, newLocaleContext, shot, startServer, uniqueSuffix, watchPage, type RunningServer, type UiLocale } from './harness.js';

/*
 * Issue 12 in a real browser, in both languages: a customer asks an urgent question and sees
 * the promise; staff assign it to themselves from the queue and answer; the customer accepts
 * and rates 2, which puts the question back in the staff queue with the rating for staff, tells
 * the community's moderators (their bell), and counts on the service dashboard.
 */
describe('customer service (browser)', () => {
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

  const text = {
    en: { promise: 'Staff usually reply within 4 business hours', rating: 'How satisfied are you with the help you got?', assign: 'Assign to me', post: 'Post your answer', reopened: 'Reopened (service recovery)', recovery: 'Service recovery: a customer rated the help 1 or 2' },
    'zh-CN': { promise: '官方人员通常在 4 个工作小时内回复', rating: '您对得到的帮助满意吗？', assign: '分配给我', post: '发布回答', reopened: '重新打开（服务补救）', recovery: '服务补救：一位客户给出了 1 或 2 分的评价' },
  };

  /** This period's figure in the dashboard row headed `label` (optionally inside one table). */
  async function dashboardFigure(page: Page, label: string, table = ''): Promise<number> {
    await page.goto('/c/lumen-support/support/dashboard');
    const row = page.locator(`${table} tr`).filter({ has: page.locator('th', { hasText: new RegExp(`^${label.replace(/[()（）]/g, '.')}$`) }) });
    return Number(await row.first().locator('td').first().innerText());
  }

  /** The moderator's unread notification texts. */
  async function inboxTexts(page: Page): Promise<string[]> {
    await page.goto('/notifications');
    return page.locator('li.unread').allInnerTexts();
  }

  for (const locale of ['en', 'zh-CN'] as UiLocale[]) {
    it(`urgent question, promise, assignment, answer, acceptance and a low rating (${locale})`, async () => {
      const t = text[locale];
      const title = `${locale === 'en' ? 'Card slot door will not close' : '存储卡仓门关不上了'} ${uniqueSuffix()}`;
      const customerCtx = await newLocaleContext(browser, server.baseUrl, locale);
      const staffCtx = await newLocaleContext(browser, server.baseUrl, locale);
      const customer = await loginAsDemo(customerCtx, 'alice');
      const watch = await watchPage(customer);
      await customer.goto('/c/lumen-support/ask');
      await customer.locator('#title').fill(title);
      await customer.locator('#body').fill('The little door on the side pops open every time I move the camera.');
      await customer.locator('#tags').fill('hardware');
      await customer.locator('#urgent').check();
      await customer.locator('#urgentReason').fill(locale === 'en' ? 'Wedding shoot on Saturday' : '周六要拍婚礼');
      await Promise.all([customer.waitForURL(/\/q\/\d+\//), customer.locator('button[value="post"]').click()]);
      const questionUrl = customer.url();
      expect(await customer.locator('#support-promise-text').innerText()).toContain(t.promise);
      await shot(customer, `service-promise-${locale}-1280`);
      await customer.setViewportSize({ width: 390, height: 800 });
      await shot(customer, `service-promise-${locale}-390`);
      await customer.setViewportSize({ width: 1280, height: 800 });

      const staff = await loginAsDemo(staffCtx, 'amy_support');
      await staff.goto('/c/lumen-support/support?filter=urgent');
      const row = staff.locator('.support-row', { hasText: title });
      await expect(row.count()).resolves.toBe(1);
      await shot(staff, `service-queue-${locale}-1280`);
      await staff.setViewportSize({ width: 390, height: 800 });
      await shot(staff, `service-queue-${locale}-390`);
      await staff.setViewportSize({ width: 1280, height: 800 });
      await Promise.all([staff.waitForLoadState('load'), row.getByRole('button', { name: t.assign }).click()]);
      await staff.goto(questionUrl);
      expect(await staff.locator('#support-assignee').innerText()).toBe('amy_support');
      await staff.locator('#answer-body').fill('Slide the door until it clicks; if it still opens, we replace the door for free.');
      await Promise.all([staff.waitForURL(/#a\d+/), staff.getByRole('button', { name: t.post }).click()]);

      await customer.goto(questionUrl);
      await Promise.all([customer.waitForLoadState('load'), customer.locator('.answer.official, .answer').filter({ hasText: 'Slide the door' }).locator('.accept-form button').click()]);
      await customer.goto(questionUrl);
      expect(await customer.locator('.official-answer').count()).toBe(1);
      expect(await customer.locator('#support-rating-question').innerText()).toBe(t.rating);
      const reopenedBefore = await dashboardFigure(staff, t.reopened);
      const twosBefore = await dashboardFigure(staff, '2', '#table-distribution');
      const moderatorCtx = await newLocaleContext(browser, server.baseUrl, locale);
      const moderator = await loginAsDemo(moderatorCtx, '陈版主');
      const recoveryBefore = (await inboxTexts(moderator)).filter((x) => x.includes(t.recovery)).length;
      await customer.locator('input[name="score"][value="2"]').check();
      await customer.locator('#support-rating-comment').fill(locale === 'en' ? 'It opened again an hour later.' : '一小时后又开了。');
      await Promise.all([customer.waitForLoadState('load'), customer.locator('form.support-rating button[type="submit"]').click()]);
      await customer.goto(questionUrl);
      await shot(customer, `service-rated-${locale}-1280`);

      await staff.goto('/c/lumen-support/support');
      expect(await staff.locator('.support-row', { hasText: title }).count()).toBe(1);
      await staff.goto(questionUrl);
      expect(await staff.locator('#support-rating').innerText()).toMatch(/^2\/5/);
      await shot(staff, `service-staff-panel-${locale}-1280`);
      await staff.setViewportSize({ width: 390, height: 800 });
      await shot(staff, `service-staff-panel-${locale}-390`);
      await staff.setViewportSize({ width: 1280, height: 800 });

      // Service recovery: the moderators are told, and the dashboard counts the reopening and the 2.
      expect((await inboxTexts(moderator)).filter((x) => x.includes(t.recovery)).length).toBe(recoveryBefore + 1);
      expect(await dashboardFigure(staff, t.reopened)).toBe(reopenedBefore + 1);
      expect(await dashboardFigure(staff, '2', '#table-distribution')).toBe(twosBefore + 1);
      await shot(staff, `service-dashboard-${locale}-1280`);
      await staff.setViewportSize({ width: 390, height: 800 });
      await shot(staff, `service-dashboard-${locale}-390`);
      await moderatorCtx.close();
      expect(watch.problems).toEqual([]);
      await customerCtx.close();
      await staffCtx.close();
    }, 120_000);
  }
});
