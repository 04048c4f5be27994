import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/app.js';
import { decodeHtml } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { recentMonday10, utcDay } from './support-clock.js';

const H = 3_600_000;
const MONDAY_10 = recentMonday10(); // 10:00 in Shanghai, the default business zone
const DAY = utcDay(MONDAY_10);

/** The cells of one dashboard table, row by row, as a reader sees them. */
function table(html: string, id: string): string[][] {
  const section = new RegExp(`<section class="dash-table[^"]*" id="table-${id}">([\\s\\S]*?)</section>`).exec(decodeHtml(html))?.[1];
  if (!section) throw new Error(`no table ${id}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.trim()));
}

const row = (rows: string[][], label: string) => rows.find((r) => r[0] === label);

/**
 * Issue 12: the service dashboard reads daily aggregates kept by the leased job and shows
 * first response, resolution, recovery, satisfaction, self-service and contribution for a
 * date range next to the previous period, with SVG charts, tables and CSV downloads.
 */
describe('support: dashboard', () => {
  let w: SupportWorld;
  let url: string;

  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
    const urgent = await w.ask(w.cathy, 'Camera freezes when recording 4K', { urgent: '1', urgentReason: 'Wedding shoot tomorrow' });
    const normal = await w.ask(w.bob, 'How do I pair the remote?');
    w.clock.now = MONDAY_10 + H;
    const a = await w.sam.post(`/q/${urgent.id}/answers`, { body: 'Update to firmware 2.1, it fixes the 4K freeze.' });
    w.clock.now = MONDAY_10 + 3 * H;
    await w.sue.post(`/q/${normal.id}/answers`, { body: 'Hold the pair button for five seconds.' });
    await w.sue.post(`/q/${normal.id}/support/status`, { status: 'resolved' });
    w.clock.now = MONDAY_10 + 4 * H;
    await w.cathy.post(`/q/${urgent.id}/accept`, { answerId: /#a(\d+)/.exec(a.headers.location as string)![1]! });
    await w.cathy.post(`/q/${urgent.id}/support/rating`, { score: '2', comment: 'Still freezes sometimes.' });
    // Self-service: a visitor searches and leaves; bob searches, opens a similar question, and asks anyway.
    const visitor = new TestClient(w.app);
    await visitor.get('/');
    await visitor.get('/search?q=battery&community=lumen');
    await w.bob.get('/search?q=remote&community=lumen');
    await w.bob.get(`${normal.url}?from=similar`);
    w.clock.now = MONDAY_10 + 5 * H;
    await w.ask(w.bob, 'Remote pairs but does not trigger');
    w.clock.now = MONDAY_10 + 8 * H;
    expect(await w.app.services.background.jobs.runIfLeader('support-daily')).toBe(true);
    url = `/c/lumen/support/dashboard?from=${DAY}&to=${DAY}`;
  });
  afterAll(async () => {
    await w.app.close();
  });

  it('shows first staff response overall, urgent and per staff member against the previous period', async () => {
    const res = await w.sam.get(url);
    expect(res.status).toBe(200);
    const response = table(res.text, 'response');
    expect(row(response, 'First staff responses (all questions)')).toEqual(['First staff responses (all questions)', '2', '0']);
    expect(row(response, 'Median first response time (all questions)')?.slice(1)).toEqual(['1.0 h', '–']);
    expect(row(response, '90th percentile first response time (all questions)')?.slice(1)).toEqual(['3.0 h', '–']);
    expect(row(response, 'Answered within the target (all questions)')?.slice(1)).toEqual(['100 %', '–']);
    expect(row(response, 'First staff responses (urgent questions)')?.slice(1)).toEqual(['1', '0']);
    expect(table(res.text, 'staff')).toEqual([
      ['sam', '1', '1.0 h', '1.0 h', '100 %'],
      ['sue', '1', '3.0 h', '3.0 h', '100 %'],
    ]);
    expect(decodeHtml(res.text)).toContain(`Compared with the previous period of the same length, ${utcDay(MONDAY_10, -1)} to ${utcDay(MONDAY_10, -1)}.`);
  });

  it('shows resolution, recovery, satisfaction, self-service and contribution', async () => {
    const html = (await w.mona.get(url)).text;
    const resolution = table(html, 'resolution');
    expect(row(resolution, 'Asked')?.slice(1)).toEqual(['3', '0']);
    // The urgent question was resolved, then reopened by its rating of 2: one resolved now.
    expect(row(resolution, 'Resolved')?.slice(1)).toEqual(['1', '0']);
    expect(row(resolution, 'Resolution rate (resolved / asked)')?.[1]).toBe('33 %');
    expect(row(resolution, 'Reopened (service recovery)')?.slice(1)).toEqual(['1', '0']);
    expect(table(html, 'distribution').map((r) => r[1])).toEqual(['0', '1', '0', '0', '0']);
    expect(row(table(html, 'satisfaction'), 'Average satisfaction (1–5)')?.[1]).toBe('2.00');
    const self = table(html, 'selfService');
    expect(row(self, 'Searches')?.[1]).toBe('2');
    expect(row(self, 'Searches not followed by a question within a day')?.[1]).toBe('50 %');
    expect(row(self, 'Similar questions opened from the ask page')?.[1]).toBe('1');
    expect(row(self, 'Similar-question clicks not followed by posting')?.[1]).toBe('0 %');
    // Two answers among four active members (cathy and bob asked, sam and sue answered).
    expect(row(table(html, 'contribution'), 'Answers per active member')?.[1]).toBe('0.5');
    expect(table(html, 'top')).toEqual([['sam', '1'], ['sue', '1']]);
  });

  it('draws the charts as SVG on the server, each with a table of its numbers', async () => {
    const html = (await w.sam.get(url)).text;
    for (const id of ['volume', 'response', 'distribution']) expect(html).toMatch(new RegExp(`id="chart-${id}"[\\s\\S]*?<svg aria-hidden="true"[^>]*>[\\s\\S]*?</svg>`));
    expect(html).toContain('href="#table-daily"');
    expect(table(html, 'daily')).toEqual([[DAY, '3', '1', '1.0 h']]);
  });

  it('offers each table as CSV, and says it all in Chinese too', async () => {
    const csv = await w.sam.get(`${url}&format=csv&table=staff`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`support-lumen-staff-${DAY}-${DAY}.csv`);
    expect(csv.text.replace(/^\uFEFF/, '').trim().split('\n')).toEqual(['Staff member,First responses,Median first response,90th percentile,Within target', 'sam,1,1.0 h,1.0 h,100 %', 'sue,1,3.0 h,3.0 h,100 %']);
    expect((await w.sam.get(`${url}&format=csv&table=nope`)).status).toBe(404);
    const zh = decodeHtml((await w.sam.get(url, { 'Accept-Language': 'zh-CN' })).text);
    expect(zh).toContain('客服看板：Lumen Support');
    expect(row(table(zh, 'response'), '首次回复时间中位数（全部问题）')?.slice(1)).toEqual(['1.0 小时', '–']);
  });

  it('is for staff and moderators; the site-wide one for admins; bad ranges get a 400', async () => {
    expect((await w.cathy.get(url)).status).toBe(403);
    expect((await w.sam.get('/admin/support')).status).toBe(403);
    const site = await w.admin.get(`/admin/support?from=${DAY}&to=${DAY}`);
    expect(site.status).toBe(200);
    expect(row(table(site.text, 'resolution'), 'Asked')?.[1]).toBe('3');
    expect((await w.sam.get('/c/hobby/support/dashboard')).status).toBe(404);
    expect((await w.sam.get('/c/lumen/support/dashboard?from=2026-13-01')).status).toBe(400);
    expect((await w.sam.get('/c/lumen/support/dashboard?from=2026-12-01&to=2026-11-01')).status).toBe(400);
    expect((await w.sam.get('/c/lumen/support/dashboard?from=2020-01-01&to=2026-11-01')).status).toBe(400);
    expect((await w.sam.get('/c/lumen/support/dashboard?to=2026-11-31')).status).toBe(400);
    // The default is the last 30 days up to today.
    expect(decodeHtml((await w.sam.get('/c/lumen/support/dashboard')).text)).toContain(`value="${utcDay(MONDAY_10, -29)}"`);
  });
});
