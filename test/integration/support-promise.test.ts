import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/app.js';
import { decodeHtml, textOfId } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { berlinOffset, deadlineEn, deadlineZhDate, DAY_MS, recentMonday10 } from './support-clock.js';

const H = 3_600_000;
/** A recent Monday, 10:00 in Shanghai (the default promise: Mon–Fri 09:00–18:00 Asia/Shanghai, 24 h, urgent 4 h). */
const MONDAY_10 = recentMonday10();
/** Wednesday 16:00 in Shanghai, that week. */
const WEDNESDAY_16 = MONDAY_10 + 2 * DAY_MS + 6 * H;

describe('support: the promise and its clock', () => {
  let w: SupportWorld;
  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
  });
  afterAll(async () => {
    await w.app.close();
  });
  const promiseOf = async (client: TestClient, url: string, lang = 'en') => {
    const html = (await client.get(url, { 'Accept-Language': lang })).text;
    return textOfId(html, 'support-promise-text')?.replace(/\s+/g, ' ') ?? null;
  };

  it('tells the asker, in their language, when to expect a staff reply, counting business hours only', async () => {
    w.clock.now = MONDAY_10;
    const q = await w.ask(w.cathy, 'Lens error 42 after dropping the camera');
    // 8 h on Monday, 9 h on Tuesday, 7 h on Wednesday: Wednesday 16:00.
    expect(await promiseOf(w.cathy, q.url)).toBe(`Staff usually reply within 24 business hours — by ${deadlineEn(WEDNESDAY_16)}`);
    expect(deadlineEn(WEDNESDAY_16)).toMatch(/^Wednesday, \w{3} \d{1,2}, 16:00 GMT\+8$/);
    const zh = await promiseOf(w.cathy, q.url, 'zh-CN');
    expect(zh?.startsWith(`官方人员通常在 24 个工作小时内回复——最迟 ${deadlineZhDate(WEDNESDAY_16)}`)).toBe(true);
    expect(deadlineZhDate(WEDNESDAY_16)).toMatch(/^\d{1,2}月\d{1,2}日星期三$/);
    expect(zh).toContain('16:00');
    // Only the asker is told; another customer sees no promise box.
    expect(await promiseOf(w.bob, q.url)).toBeNull();
  });

  it('an urgent question needs a one-line reason and gets the urgent target', async () => {
    w.clock.now = MONDAY_10;
    const bad = await w.cathy.post('/c/lumen/ask', { title: 'Shop cannot print receipts at all', body: 'Printer offline since the update.', tags: 'printer', urgent: '1', urgentReason: '   ' });
    expect(bad.status).toBe(400);
    expect(textOfId(bad.text, 'urgentReason-error')).toBe('Say in one line why this is urgent.');
    expect(bad.text).toContain('value="Shop cannot print receipts at all"');
    const q = await w.ask(w.cathy, 'Shop cannot print receipts at all', { urgent: '1', urgentReason: 'We cannot sell anything' });
    expect(await promiseOf(w.cathy, q.url)).toBe(`Staff usually reply within 4 business hours — by ${deadlineEn(MONDAY_10 + 4 * H)}`);
    expect(decodeHtml((await w.cathy.get(q.url)).text)).toContain('badge-urgent');
  });

  it('a question asked on Saturday starts its clock on Monday morning', async () => {
    w.clock.now = MONDAY_10 + 5 * DAY_MS + 2 * H; // Saturday noon
    const q = await w.ask(w.cathy, 'Weekend question about battery charging');
    expect(await promiseOf(w.cathy, q.url)).toBe(`Staff usually reply within 24 business hours — by ${deadlineEn(WEDNESDAY_16 + 7 * DAY_MS - H)}`); // 9 h Monday, 9 h Tuesday, 6 h Wednesday
  });

  it('says the question is late and escalated once the target passes without a reply', async () => {
    w.clock.now = MONDAY_10;
    const q = await w.ask(w.cathy, 'Flash does not fire in manual mode');
    w.clock.now = WEDNESDAY_16 + 1; // just after Wednesday 16:00
    expect(await promiseOf(w.cathy, q.url)).toMatch(/^Staff have not replied within the promised 24 business hours\. .*escalated/);
    expect(await promiseOf(w.cathy, q.url, 'zh-CN')).toContain('已超时，并已升级');
  });

  it('stops the clock at a staff comment, but not at a customer answer', async () => {
    w.clock.now = MONDAY_10;
    const q = await w.ask(w.cathy, 'Autofocus hunts in low light');
    await w.bob.post(`/q/${q.id}/answers`, { body: 'Mine does that too, try the AF assist lamp.' });
    expect(await promiseOf(w.cathy, q.url)).toMatch(/^Staff usually reply/);
    w.clock.now = MONDAY_10 + H;
    await w.sue.post(`/posts/${q.id}/comments`, { comment: 'Which lens are you using?' });
    w.clock.now = MONDAY_10 + 100 * H; // long after the target: still not late, staff replied
    expect(await promiseOf(w.cathy, q.url)).toBe('Staff have replied to your question.');
  });

  it('an accepted community answer stops the clock and resolves the question', async () => {
    w.clock.now = MONDAY_10;
    const q = await w.ask(w.cathy, 'How to reset the Wi-Fi settings');
    const res = await w.bob.post(`/q/${q.id}/answers`, { body: 'Settings > Network > Reset, then pair again.' });
    await w.cathy.post(`/q/${q.id}/accept`, { answerId: /#a(\d+)/.exec(res.headers.location as string)![1]! });
    w.clock.now = MONDAY_10 + 100 * H;
    expect(await promiseOf(w.cathy, q.url)).toBe('Your question is resolved.');
  });

  it('interest communities have no promise and no urgent option', async () => {
    const form = (await w.cathy.get('/c/hobby/ask')).text;
    expect(form).not.toContain('name="urgent"');
    expect((await w.cathy.get('/c/lumen/ask')).text).toContain('name="urgent"');
    const q = await w.ask(w.cathy, 'Favourite street photography lens?', { community: 'hobby' });
    expect(await promiseOf(w.cathy, q.url)).toBeNull();
  });
});

describe('support: the promise settings', () => {
  let w: SupportWorld;
  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
  });
  afterAll(async () => {
    await w.app.close();
  });
  const good = { targetHours: '8', urgentHours: '2', timeZone: 'Europe/Berlin', start: '08:00', end: '16:00', ackEn: 'Thanks, we got your question.', ackZh: '谢谢，我们已收到您的问题。', day1: '1', day2: '1', day3: '1', day4: '1', day5: '1' };

  it('moderators set the promise; new questions follow it and show the acknowledgement', async () => {
    const page = await w.mona.get('/c/lumen/support/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="24"');
    const res = await w.mona.post('/c/lumen/support/settings', good);
    expect(res.status).toBe(303);
    expect((await w.mona.get(res.headers.location as string)).text).toContain('The service promise is saved.');
    w.clock.now = MONDAY_10; // Monday 03:00 (04:00 in summer) in Berlin: the clock starts at 08:00
    const berlin = berlinOffset(MONDAY_10);
    const monday16Berlin = MONDAY_10 - 2 * H + (16 - berlin) * H;
    const q = await w.ask(w.cathy, 'Strap lug came loose on the body');
    const html = decodeHtml((await w.cathy.get(q.url)).text);
    expect(textOfId(html, 'support-promise-text')?.replace(/\s+/g, ' ')).toBe(`Staff usually reply within 8 business hours — by ${deadlineEn(monday16Berlin, berlin)}`);
    expect(html).toContain('Thanks, we got your question.');
    expect(decodeHtml((await w.cathy.get(q.url, { 'Accept-Language': 'zh-CN' })).text)).toContain('谢谢，我们已收到您的问题。');
  });

  it('refuses staff, customers and visitors', async () => {
    expect((await w.sam.get('/c/lumen/support/settings')).status).toBe(403);
    expect((await w.cathy.post('/c/lumen/support/settings', good)).status).toBe(403);
    const visitor = new TestClient(w.app);
    expect((await visitor.get('/c/lumen/support/settings')).status).toBe(303);
    expect((await w.mona.get('/c/hobby/support/settings')).status).toBe(404);
  });

  it('gives bad input back with a message per field, and refuses a missing CSRF token', async () => {
    const res = await w.mona.post('/c/lumen/support/settings', { ...good, targetHours: 'soon', timeZone: 'Mars/Olympus', start: '25:00', day1: '', day2: '', day3: '', day4: '', day5: '' });
    expect(res.status).toBe(400);
    expect(textOfId(res.text, 'targetHours-error')).toBe('Enter a number of hours between 0.5 and 720.');
    expect(textOfId(res.text, 'timeZone-error')).toBe('Enter a time zone such as Asia/Shanghai.');
    expect(textOfId(res.text, 'start-error')).toBe('Enter a time such as 09:00.');
    expect(textOfId(res.text, 'days-error')).toBe('Choose at least one business day.');
    const longer = await w.mona.post('/c/lumen/support/settings', { ...good, urgentHours: '12' });
    expect(textOfId(longer.text, 'urgentHours-error')).toBe('The urgent target cannot be longer than the normal one.');
    const nested = await w.mona.agent.post('/c/lumen/support/settings').type('form').send(`_csrf=${await w.mona.csrf()}&targetHours[$gt]=1`);
    expect(nested.status).toBe(400);
    const noCsrf = await w.mona.post('/c/lumen/support/settings', good, { csrf: false });
    expect(noCsrf.status).toBe(403);
  });
});
