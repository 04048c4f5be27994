/*
 * Flags and the review queue (issue 13, step 5) through the real routes: one flag per member
 * and post, three spam flags hide a post pending review, the queue orders and resolves them,
 * each action records an outcome on the flags, and every action checks who may do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TestClient } from '../helpers/app.js';
import { askQuestion, createQaApp, member, postAnswer, steppingClock } from '../helpers/qa.js';
import { auditRows, cast, type Cast } from '../helpers/moderation.js';
import { decodeHtml } from './support.js';

let app: FastifyInstance;
let c: Cast;

beforeAll(async () => {
  app = await createQaApp({ now: steppingClock().now });
  c = await cast(app, 'flags');
});

afterAll(async () => {
  await app.close();
});

const reviewIds = (html: string) => [...html.matchAll(/<li class="review-item" id="review-(\d+)">/g)].map((m) => m[1]!);

describe('flags', () => {
  it('three spam flags hide a post pending review; the queue shows it with its flags; dismissing restores it', async () => {
    const q = await askQuestion(c.author.client, 'flags', { title: 'Cheap watches at discount prices here' });
    const flaggers = [await member(app, c.community), await member(app, c.community), await member(app, c.community)];
    expect((await flaggers[0]!.client.post(`/posts/${q.id}/flag`, { reason: 'spam' })).status).toBe(303);
    // One flag per member and post.
    expect((await flaggers[0]!.client.post(`/posts/${q.id}/flag`, { reason: 'rude' })).status).toBe(409);
    const page = decodeHtml((await flaggers[0]!.client.get(q.url)).text);
    expect(page).toContain('You flagged this post.');
    expect((await flaggers[1]!.client.post(`/posts/${q.id}/flag`, { reason: 'off-topic' })).status).toBe(303);
    expect((await flaggers[2]!.client.post(`/posts/${q.id}/flag`, { reason: 'rude' })).status).toBe(303);
    // Two hiding flags (spam, rude) and one off-topic: still visible.
    const visitor = new TestClient(app);
    expect((await visitor.get(q.url)).status).toBe(200);
    const fourth = await member(app, c.community);
    expect((await fourth.client.post(`/posts/${q.id}/flag`, { reason: 'spam' })).status).toBe(303);
    expect((await visitor.get(q.url)).status).toBe(404);
    expect(decodeHtml((await visitor.get('/c/flags')).text)).not.toContain('Cheap watches');
    const own = decodeHtml((await c.author.client.get(q.url)).text);
    expect(own).toContain('Hidden pending review');

    const queue = decodeHtml((await c.mod.client.get('/c/flags/review')).text);
    expect(reviewIds(queue)).toContain(q.id);
    expect(queue).toContain('4 flags');
    expect(queue).toContain('Hidden pending review');
    expect(auditRows(decodeHtml((await c.mod.client.get('/mod/c/flags/log')).text))[0]!.action).toBe('post.hide');

    expect((await c.mod.client.post(`/review/${q.id}`, { action: 'dismiss', reason: 'Not spam', back: '/c/flags/review' })).status).toBe(303);
    expect((await visitor.get(q.url)).status).toBe(200);
    expect(reviewIds(decodeHtml((await c.mod.client.get('/c/flags/review')).text))).not.toContain(q.id);
    const outcomes = await app.services.moderation.flagsByUser(flaggers[0]!.user.id);
    expect(outcomes.map((f) => [f.postId, f.outcome])).toEqual([[q.id, 'dismissed']]);
  });

  it('refuses bad flags: own post, unknown reason, "other" without text, nested fields, no CSRF, visitors, unknown posts', async () => {
    const q = await askQuestion(c.author.client, 'flags');
    expect((await c.author.client.post(`/posts/${q.id}/flag`, { reason: 'spam' })).status).toBe(403);
    expect((await c.alice.client.post(`/posts/${q.id}/flag`, { reason: 'boring' })).status).toBe(400);
    expect((await c.alice.client.post(`/posts/${q.id}/flag`, { reason: 'other', text: '  ' })).status).toBe(400);
    expect((await c.alice.client.post(`/posts/${q.id}/flag`, { reason: ['spam', 'rude'] })).status).toBe(400);
    expect((await c.alice.client.post(`/posts/${q.id}/flag`, { reason: 'spam' }, { csrf: false })).status).toBe(403);
    expect((await new TestClient(app).post(`/posts/${q.id}/flag`, { reason: 'spam' })).status).toBe(401);
    expect((await c.alice.client.post('/posts/abc/flag', { reason: 'spam' })).status).toBe(404);
    expect((await c.alice.client.post('/posts/99999999/flag', { reason: 'spam' })).status).toBe(404);
    // A member of another community only is not a participant here.
    expect((await c.otherMod.client.post(`/posts/${q.id}/flag`, { reason: 'spam' })).status).toBe(403);
    expect((await c.alice.client.post(`/posts/${q.id}/flag`, { reason: 'other', text: 'Links to a phishing site' })).status).toBe(303);
    const queue = decodeHtml((await c.mod.client.get('/c/flags/review')).text);
    expect(queue).toContain('Links to a phishing site');
  });
});

describe('review queue', () => {
  it('orders newest or most flagged first, and each action resolves with its outcome', async () => {
    const a = await askQuestion(c.author.client, 'flags');
    const b = await askQuestion(c.author.client, 'flags');
    const ans = await postAnswer(c.author.client, a.id, 'Visit my shop for the best prices on everything.');
    const f1 = await member(app, c.community);
    const f2 = await member(app, c.community);
    await f1.client.post(`/posts/${a.id}/flag`, { reason: 'off-topic' });
    await f2.client.post(`/posts/${a.id}/flag`, { reason: 'needs-improvement' });
    await f1.client.post(`/posts/${b.id}/flag`, { reason: 'off-topic' });
    await f1.client.post(`/posts/${ans}/flag`, { reason: 'spam' });
    const newest = reviewIds(decodeHtml((await c.mod.client.get('/c/flags/review')).text));
    expect(newest.indexOf(ans)).toBeLessThan(newest.indexOf(b.id));
    expect(newest.indexOf(b.id)).toBeLessThan(newest.indexOf(a.id));
    const most = reviewIds(decodeHtml((await c.mod.client.get('/c/flags/review?sort=most')).text));
    expect(most.indexOf(a.id)).toBeLessThan(most.indexOf(b.id));
    expect(most.indexOf(a.id)).toBeLessThan(most.indexOf(ans));

    // Delete needs a reason; the queue comes back with the message.
    const noReason = await c.mod.client.post(`/review/${ans}`, { action: 'delete', reason: '', back: '/c/flags/review' });
    expect(noReason.status).toBe(400);
    expect(decodeHtml(noReason.text)).toContain('Give a reason');
    expect((await c.mod.client.post(`/review/${ans}`, { action: 'explode', reason: 'x', back: '/c/flags/review' })).status).toBe(400);
    expect((await c.mod.client.post(`/review/${ans}`, { action: 'delete', reason: 'Shop spam', back: '/c/flags/review' })).status).toBe(303);
    expect(decodeHtml((await new TestClient(app).get(a.url)).text)).not.toContain('best prices');
    expect((await c.mod.client.post(`/review/${b.id}`, { action: 'close', closeReason: 'off-topic', reason: '', back: '/c/flags/review' })).status).toBe(303);
    expect(decodeHtml((await c.alice.client.get(b.url)).text)).toContain('Closed: Off-topic for this community.');
    expect((await c.mod.client.post(`/review/${a.id}`, { action: 'warn', reason: 'Please stay on topic', back: '/c/flags/review' })).status).toBe(303);
    expect((await c.mod.client.post(`/review/${a.id}`, { action: 'dismiss', reason: '', back: '/c/flags/review' })).status).toBe(409);

    expect((await app.services.moderation.flagsByUser(f1.user.id)).map((f) => [f.postId, f.outcome])).toEqual([
      [ans, 'deleted'],
      [b.id, 'closed'],
      [a.id, 'warned'],
    ]);
    const log = auditRows(decodeHtml((await c.mod.client.get('/mod/c/flags/log')).text)).map((r) => r.action);
    expect(log.slice(0, 6)).toEqual(['flags.resolve', 'user.warn', 'flags.resolve', 'question.close', 'flags.resolve', 'post.delete']);
  });

  it('only moderators act; staff read the community queue; the site queue is for admins', async () => {
    const q = await askQuestion(c.author.client, 'flags');
    await c.alice.client.post(`/posts/${q.id}/flag`, { reason: 'off-topic' });
    expect((await c.alice.client.get('/c/flags/review')).status).toBe(403);
    expect((await c.otherMod.client.get('/c/flags/review')).status).toBe(403);
    const staffView = await c.staff.client.get('/c/flags/review');
    expect(staffView.status).toBe(200);
    expect(staffView.text).not.toContain(`action="/review/${q.id}"`);
    expect((await c.mod.client.get('/admin/review')).status).toBe(403);
    expect(reviewIds(decodeHtml((await c.admin.client.get('/admin/review')).text))).toContain(q.id);
    for (const who of [c.alice, c.staff, c.otherMod]) expect((await who.client.post(`/review/${q.id}`, { action: 'dismiss', back: '/c/flags/review' })).status).toBe(403);
    expect((await c.mod.client.post(`/review/${q.id}`, { action: 'dismiss', back: '/c/flags/review' }, { csrf: false })).status).toBe(403);
    expect((await c.admin.client.post(`/review/${q.id}`, { action: 'lock', reason: 'Cooling off', back: '/admin/review' })).status).toBe(303);
    expect(decodeHtml((await c.alice.client.get(q.url)).text)).toContain('Locked: Cooling off');
    expect((await c.mod.client.get('/c/nope/review')).status).toBe(404);
  });
});
