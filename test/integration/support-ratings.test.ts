import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml, textOfId } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { recentMonday10 } from './support-clock.js';

const H = 3_600_000;
const MONDAY_10 = recentMonday10(); // 10:00 in Shanghai, the default business zone

/** Issue 12: satisfaction after resolution, service recovery on a low rating or "still not solved", visibility. */
describe('support: satisfaction and service recovery', () => {
  let w: SupportWorld;
  let q: { id: string; url: string };
  const rowIds = async () => [...(await w.sam.get('/c/lumen/support')).text.matchAll(/id="ticket-(\d+)"/g)].map((m) => m[1]);

  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
    q = await w.ask(w.cathy, 'Viewfinder shows a black screen');
    const res = await w.sam.post(`/q/${q.id}/answers`, { body: 'Clean the eye sensor; it thinks the eye is always there.' });
    await w.cathy.post(`/q/${q.id}/accept`, { answerId: /#a(\d+)/.exec(res.headers.location as string)![1]! });
  });
  afterAll(async () => {
    await w.app.close();
  });

  it('asks the asker, and only the asker, once the question is resolved', async () => {
    const html = decodeHtml((await w.cathy.get(q.url)).text);
    expect(textOfId(html, 'support-rating-question')).toBe('How satisfied are you with the help you got?');
    expect(decodeHtml((await w.cathy.get(q.url, { 'Accept-Language': 'zh-CN' })).text)).toContain('您对得到的帮助满意吗？');
    expect((await w.bob.get(q.url)).text).not.toContain('support-rating');
    expect((await w.bob.post(`/q/${q.id}/support/rating`, { score: '5', comment: '' })).status).toBe(403);
  });

  it('a rating of 2 reopens the question for staff with the comment; only staff and moderators see it', async () => {
    w.clock.now = MONDAY_10 + 2 * H;
    const res = await w.cathy.post(`/q/${q.id}/support/rating`, { score: '2', comment: 'It came back the next day.' });
    expect(res.status).toBe(303);
    expect(await rowIds()).toContain(q.id);
    const staffView = decodeHtml((await w.sam.get(q.url)).text);
    expect(textOfId(staffView, 'support-rating')).toBe('2/5 – It came back the next day.');
    expect(textOfId(staffView, 'support-status')).toBe('Open');
    expect(staffView).toContain('reopened (rating 2: It came back the next day.)');
    expect(textOfId(decodeHtml((await w.mona.get(q.url)).text), 'support-rating')).toBe('2/5 – It came back the next day.');
    expect((await w.bob.get(q.url)).text).not.toContain('It came back the next day.');
    const asker = decodeHtml((await w.cathy.get(q.url)).text);
    expect(textOfId(asker, 'support-promise-text')).toMatch(/^Staff usually reply within 24 business hours/);
    expect(textOfId(asker, 'support-rating-given')).toBe('You rated 2 of 5. You can change it for 7 days.');
  });

  it('the rating can be changed for 7 days, without reopening again', async () => {
    await w.sam.post(`/q/${q.id}/support/status`, { status: 'resolved' });
    w.clock.now = MONDAY_10 + 3 * 24 * H;
    expect((await w.cathy.post(`/q/${q.id}/support/rating`, { score: '4', comment: 'Fixed for good now.' })).status).toBe(303);
    expect(await rowIds()).not.toContain(q.id);
    expect(textOfId(decodeHtml((await w.sam.get(q.url)).text), 'support-rating')).toBe('4/5 – Fixed for good now.');
    w.clock.now = MONDAY_10 + 8 * 24 * H;
    expect((await w.cathy.post(`/q/${q.id}/support/rating`, { score: '1', comment: '' })).status).toBe(403);
    expect((await w.cathy.get(q.url)).text).not.toContain('support-rating-question');
  });

  it('"still not solved" sends a resolved question back to staff', async () => {
    w.clock.now = MONDAY_10;
    const q2 = await w.ask(w.cathy, 'Time-lapse stops after 100 frames');
    expect((await w.cathy.post(`/q/${q2.id}/support/reopen`)).status).toBe(400); // not resolved yet
    await w.sue.post(`/q/${q2.id}/support/status`, { status: 'resolved' });
    expect(await rowIds()).not.toContain(q2.id);
    expect(decodeHtml((await w.cathy.get(q2.url)).text)).toContain('Still not solved');
    expect((await w.cathy.post(`/q/${q2.id}/support/reopen`)).status).toBe(303);
    expect(await rowIds()).toContain(q2.id);
    expect((await w.bob.post(`/q/${q2.id}/support/reopen`)).status).toBe(403);
  });

  it('refuses bad ratings and missing CSRF tokens', async () => {
    const q3 = await w.ask(w.cathy, 'Menu language reset after update');
    await w.sue.post(`/q/${q3.id}/support/status`, { status: 'resolved' });
    expect((await w.cathy.post(`/q/${q3.id}/support/rating`, { score: '9', comment: '' })).status).toBe(400);
    expect((await w.cathy.post(`/q/${q3.id}/support/rating`, { score: '', comment: 'no score' })).status).toBe(400);
    expect((await w.cathy.post(`/q/${q3.id}/support/rating`, { score: '5', comment: 'x'.repeat(1001) })).status).toBe(400);
    expect((await w.cathy.post(`/q/${q3.id}/support/rating`, { score: '5', comment: '' }, { csrf: false })).status).toBe(403);
    expect(await w.app.storage.support.findRating(q3.id)).toBeNull();
  });
});
