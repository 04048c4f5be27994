import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/app.js';
import { decodeHtml } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { dayOf, dayStart, DAY_MS } from '../../src/domain/support-metrics.js';
import { nextMonth } from '../../src/services/support/dashboard-service.js';

const H = 3_600_000;
/*
 * Two consecutive calendar months, the first being the real current one: the test clients keep
 * cookies by the real clock, so the world starts now and the fake clock then moves on to the
 * next month (where everyone logs in again), never into the past.
 */
const START = Math.floor(Date.now() / H) * H;
const A = dayOf(START).slice(0, 7);
const B = nextMonth(A);
const A_END = dayOf(dayStart(`${B}-01`) - DAY_MS);
const B_9 = Date.parse(`${B}-09T02:00:00Z`);

function table(html: string, id: string): string[][] {
  const section = new RegExp(`<section class="dash-table[^"]*" id="table-${id}">([\\s\\S]*?)</section>`).exec(decodeHtml(html))?.[1];
  if (!section) throw new Error(`no table ${id}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.trim()));
}

const row = (rows: string[][], label: string) => rows.find((r) => r[0] === label)?.slice(1);
const answerId = (location: string) => /#a(\d+)/.exec(location)![1]!;

/**
 * Issue 12, the dashboard's loyalty and contribution figures: the FAQ "helpful" share, accepted
 * answers written by customers rather than staff, returning askers and monthly cohorts, all
 * from the daily aggregates the job (re)builds, compared with the previous period.
 */
describe('support: dashboard loyalty, contribution and FAQ helpfulness', () => {
  let w: SupportWorld;

  beforeAll(async () => {
    w = await supportWorld(START);
    // Month A: cathy asks, staff (sam) answers and she accepts; bob asks, cathy (a customer) answers and he accepts.
    const q1 = await w.ask(w.cathy, 'Flash does not fire in manual mode');
    const q2 = await w.ask(w.bob, 'Which memory card for 8K video?');
    w.clock.now = START + H;
    const staffAnswer = await w.sam.post(`/q/${q1.id}/answers`, { body: 'Set the flash to TTL off in menu 3, then it fires in manual mode.' });
    const customerAnswer = await w.cathy.post(`/q/${q2.id}/answers`, { body: 'I use a V90 card, slower cards stop recording after a minute.' });
    w.clock.now = START + 2 * H;
    expect((await w.cathy.post(`/q/${q1.id}/accept`, { answerId: answerId(staffAnswer.headers.location as string) })).status).toBe(303);
    expect((await w.bob.post(`/q/${q2.id}/accept`, { answerId: answerId(customerAnswer.headers.location as string) })).status).toBe(303);
    // FAQ votes: two "yes", one "no".
    const storage = w.app.storage;
    const community = (await storage.communities.findBySlug('lumen'))!;
    const sam = (await storage.users.findByUsername('sam'))!;
    const category = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Flash', slug: 'flash', depth: 1, now: START });
    const entry = await storage.faq.createEntry({
      communityId: community.id, categoryId: category.id, title: 'Flash in manual mode', slug: 'flash-manual', bodyMd: 'Turn TTL off.', bodyHtml: '<p>Turn TTL off.</p>', bodyText: 'Turn TTL off.',
      sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: sam.id, now: START,
    });
    const visitor = new TestClient(w.app);
    await visitor.get('/');
    for (const [client, value] of [[w.cathy, 'yes'], [w.bob, 'yes'], [visitor, 'no']] as const)
      expect((await client.post(`/c/lumen/faq/e/${entry.id}/helpful`, { value })).status).toBe(303);
    // Month B: cathy asks again (a returning asker); sue answers.
    w.clock.now = B_9;
    // Their sessions ran out meanwhile: a fresh login page (and CSRF token), then log in.
    for (const [client, name] of [[w.cathy, 'cathy'], [w.sam, 'sam'], [w.sue, 'sue'], [w.admin, 'root_admin']] as const) {
      await client.get('/login');
      expect((await client.login(name)).status).toBe(303);
    }
    const q3 = await w.ask(w.cathy, 'Battery drains overnight');
    w.clock.now = B_9 + H;
    await w.sue.post(`/q/${q3.id}/answers`, { body: 'Switch off Bluetooth standby, it keeps the camera awake.' });
    // One run rebuilds every day from the first ticket (less than the job's 62-day chunk).
    w.clock.now = B_9 + 2 * H;
    expect(await w.app.services.background.jobs.runIfLeader('support-daily')).toBe(true);
  });
  afterAll(async () => {
    await w.app.close();
  });

  it('shows the FAQ helpful share and accepted answers by customers and staff against the previous period', async () => {
    const html = (await w.sam.get(`/c/lumen/support/dashboard?from=${A}-01&to=${A_END}`)).text;
    const self = table(html, 'selfService');
    expect(row(self, 'FAQ “was this helpful?” votes')).toEqual(['3', '0']);
    expect(row(self, 'FAQ “helpful” share (yes / all votes)')).toEqual(['67 %', '–']);
    const contribution = table(html, 'contribution');
    expect(row(contribution, 'Accepted answers written by customers')).toEqual(['1', '0']);
    expect(row(contribution, 'Accepted answers written by staff')).toEqual(['1', '0']);
    expect(row(contribution, 'Share of accepted answers written by customers')).toEqual(['50 %', '–']);
    // cathy (asked, answered), bob (asked) and sam (answered); two answers among three active members.
    expect(row(contribution, 'Active members (asked, answered or commented)')).toEqual(['3', '0']);
    expect(row(contribution, 'Answers per active member')).toEqual(['0.7', '–']);
  });

  it('counts returning askers: asked before the range, or again within it', async () => {
    const november = (await w.sam.get(`/c/lumen/support/dashboard?from=${B}-01&to=${B}-09`)).text;
    expect(table(november, 'loyalty')).toEqual([
      ['Members who asked', '1', '0'],
      ['Returning askers (had asked before, or asked again)', '1', '0'],
      ['Share of askers who were returning', '100 %', '–'],
    ]);
    const both = (await w.sam.get(`/c/lumen/support/dashboard?from=${A}-01&to=${B}-09`)).text;
    expect(row(table(both, 'loyalty'), 'Share of askers who were returning')).toEqual(['50 %', '–']);
  });

  it('shows monthly cohorts: active in a month and in the next, as a table and CSV, in both languages', async () => {
    const url = `/c/lumen/support/dashboard?from=${A_END}&to=${B}-09`;
    const html = (await w.sam.get(url)).text;
    // Month A counts the whole month (the range starts on its last day); of cathy, bob and sam only cathy was active in B.
    expect(table(html, 'cohorts')).toEqual([
      [A, '3', '1', '33 %'],
      [B, '2', '–', 'next month not begun'],
    ]);
    expect(decodeHtml(html)).toContain('Monthly cohorts: members active (asked, answered or commented) in a month and in the next');
    const csv = await w.sam.get(`${url}&format=csv&table=cohorts`);
    expect(csv.status).toBe(200);
    expect(csv.text.replace(/^\uFEFF/, '').trim().split('\n')).toEqual(['Month,Active members,Also active the next month,Retained', `${A},3,1,33 %`, `${B},2,–,next month not begun`]);
    const zh = decodeHtml((await w.sam.get(url, { 'Accept-Language': 'zh-CN' })).text);
    expect(zh).toContain('月度群组');
    expect(zh).toContain('回头提问者占提问者的比例');
    expect(zh).toContain('被采纳回答中由客户撰写的比例');
  });

  it('gives the site-wide dashboard the same figures for admins', async () => {
    const html = (await w.admin.get(`/admin/support?from=${A}-01&to=${A_END}`)).text;
    expect(row(table(html, 'contribution'), 'Share of accepted answers written by customers')).toEqual(['50 %', '–']);
    expect(row(table(html, 'selfService'), 'FAQ “helpful” share (yes / all votes)')).toEqual(['67 %', '–']);
  });
});
