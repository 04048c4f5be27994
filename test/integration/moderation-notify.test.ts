/*
 * What moderation tells people (issue 13) through the real routes: flaggers see the outcome of
 * their flags in /notifications, in their own language; a warned author sees the warning; a
 * moderator's edit of someone else's post shows in the community's audit log with its before
 * and after, an owner's edit of their own post does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { askQuestion, createQaApp, member, postAnswer, steppingClock } from '../helpers/qa.js';
import { auditRows, cast, type Cast } from '../helpers/moderation.js';
import { decodeHtml } from './support.js';

let app: FastifyInstance;
let c: Cast;

beforeAll(async () => {
  app = await createQaApp({ now: steppingClock().now });
  c = await cast(app, 'notify');
});

afterAll(async () => {
  await app.close();
});

const EN = { 'accept-language': 'en' };
const ZH = { 'accept-language': 'zh-CN' };

/** The inbox items as a member reads them: text and where "open" leads. */
function inbox(html: string): Array<{ text: string; id: string }> {
  return [...html.matchAll(/<form[^>]*action="\/notifications\/(\d+)\/open"[\s\S]*?<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) => ({
    id: m[1]!,
    text: decodeHtml(m[2]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim(),
  }));
}

/** The audit rows with their details cell. */
function auditDetails(html: string): Array<{ action: string; details: string; target: string }> {
  return [...html.matchAll(/<tr class="audit-row" data-action="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    action: m[1]!,
    details: decodeHtml((/<td class="audit-details[^"]*">([\s\S]*?)<\/td>/.exec(m[2]!)?.[1] ?? '').replace(/<[^>]+>/g, '')).trim(),
    target: /href="\/posts\/(\d+)\/goto"/.exec(m[2]!)?.[1] ?? '',
  }));
}

describe('flag outcomes in notifications', () => {
  it('three members flag, a moderator deletes from the review queue: each flagger sees the outcome in their language', async () => {
    const q = await askQuestion(c.author.client, 'notify', { title: 'Cheap watches at discount prices here' });
    const flaggers = [await member(app, c.community), await member(app, c.community), await member(app, c.community)];
    for (const [i, f] of flaggers.entries()) expect((await f.client.post(`/posts/${q.id}/flag`, { reason: i === 2 ? 'off-topic' : 'spam' })).status).toBe(303);
    // Nothing to tell before the moderator acts.
    expect(inbox((await flaggers[0]!.client.get('/notifications', EN)).text)).toEqual([]);

    expect((await c.mod.client.post(`/review/${q.id}`, { action: 'delete', reason: 'Shop spam', back: '/c/notify/review' })).status).toBe(303);

    const english = inbox((await flaggers[0]!.client.get('/notifications', EN)).text);
    expect(english.map((n) => n.text)).toEqual(['New Your flag on “Cheap watches at discount prices here” was handled: the post was deleted']);
    expect(inbox((await flaggers[1]!.client.get('/notifications', EN)).text).map((n) => n.text)).toEqual(english.map((n) => n.text));
    const chinese = inbox((await flaggers[2]!.client.get('/notifications', ZH)).text);
    expect(chinese).toHaveLength(1);
    expect(chinese[0]!.text).toContain('你对“Cheap watches at discount prices here”的举报已处理：帖子已被删除');
    // The post is gone for members: the notification leads to the community instead.
    const open = await flaggers[0]!.client.post(`/notifications/${english[0]!.id}/open`);
    expect(open.status).toBe(303);
    expect(open.headers.location).toBe('/c/notify');
    // Neither the moderator nor the author hears of the flags' outcome.
    expect(inbox((await c.mod.client.get('/notifications', EN)).text)).toEqual([]);
    expect(inbox((await c.author.client.get('/notifications', EN)).text).some((n) => n.text.includes('Your flag'))).toBe(false);
  });

  it('a warning reaches the author with its text, the flagger hears it was handled, and the link leads to the post', async () => {
    const q = await askQuestion(c.author.client, 'notify', { title: 'Which grinder for pour-over coffee at home?' });
    const a = await postAnswer(c.author.client, q.id, 'Buy the one from my shop, link in profile, best prices anywhere.');
    expect((await c.alice.client.post(`/posts/${a}/flag`, { reason: 'rude' })).status).toBe(303);
    expect((await c.mod.client.post(`/review/${a}`, { action: 'warn', reason: 'Please do not advertise your shop in answers.', back: '/c/notify/review' })).status).toBe(303);

    const warned = inbox((await c.author.client.get('/notifications', EN)).text);
    expect(warned.map((n) => n.text)).toContain('New A moderator warned you about one of your posts: Please do not advertise your shop in answers.');
    const alice = inbox((await c.alice.client.get('/notifications', EN)).text);
    expect(alice.map((n) => n.text)).toEqual(['New Your flag on “Which grinder for pour-over coffee at home?” was handled: the author was warned']);
    const open = await c.alice.client.post(`/notifications/${alice[0]!.id}/open`);
    expect(open.headers.location).toBe(`/posts/${a}/goto`);
  });

  it('the moderation notices follow the member\'s preference: turned off, nothing arrives', async () => {
    const q = await askQuestion(c.author.client, 'notify', { title: 'Descaling a kettle with citric acid?' });
    const quiet = await member(app, c.community);
    const prefs = decodeHtml((await quiet.client.get('/settings/notifications', EN)).text);
    expect(prefs).toContain("what became of my flags, and moderators' warnings");
    const form: Record<string, string> = {};
    for (const m of prefs.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<\/select>/g)) form[m[1]!] = /<option value="([^"]+)" selected/.exec(m[0])?.[1] ?? 'inbox';
    form.moderation = 'off';
    expect((await quiet.client.post('/settings/notifications', form)).status).toBe(303);
    const told = await member(app, c.community);
    expect((await quiet.client.post(`/posts/${q.id}/flag`, { reason: 'off-topic' })).status).toBe(303);
    expect((await told.client.post(`/posts/${q.id}/flag`, { reason: 'off-topic' })).status).toBe(303);
    expect((await c.mod.client.post(`/review/${q.id}`, { action: 'dismiss', reason: 'On topic', back: '/c/notify/review' })).status).toBe(303);
    expect(inbox((await quiet.client.get('/notifications', EN)).text)).toEqual([]);
    // With the default (in-site only) the other flagger is told.
    expect(inbox((await told.client.get('/notifications', EN)).text).map((n) => n.text)).toEqual(['New Your flag on “Descaling a kettle with citric acid?” was handled: a moderator found nothing to remove']);
  });
});

describe('audit of moderators\' edits', () => {
  it('a moderator editing a member\'s post is in the community log with before and after; the owner\'s own edit is not', async () => {
    const q = await askQuestion(c.author.client, 'notify', { title: 'How long should beans rest after roasting?', body: 'My beans taste sour the day after roasting.', tags: 'roasting' });
    const own = await c.author.client.post(`/posts/${q.id}/edit`, { title: 'How long should beans rest after roasting?', body: 'My beans taste sour and flat the day after roasting.', tags: 'roasting', reason: 'more detail' });
    expect(own.status).toBe(303);
    let rows = auditDetails((await c.mod.client.get('/mod/c/notify/log', EN)).text);
    expect(rows.filter((r) => r.action === 'post.edit' && r.target === q.id)).toEqual([]);

    const byMod = await c.mod.client.post(`/posts/${q.id}/edit`, { title: 'How long should coffee beans rest after roasting?', body: 'My beans taste sour and flat the day after roasting. How long should they rest?', tags: 'roasting resting', reason: 'clearer title' });
    expect(byMod.status).toBe(303);
    const html = decodeHtml((await c.mod.client.get('/mod/c/notify/log', EN)).text);
    rows = auditDetails(html);
    const edits = rows.filter((r) => r.action === 'post.edit' && r.target === q.id);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.details).toBe(
      'How long should beans rest after roasting? · [roasting] · My beans taste sour and flat the day after roasting. → How long should coffee beans rest after roasting? · [roasting resting] · My beans taste sour and flat the day after roasting. How long should they rest?',
    );
    const row = auditRows(html).find((r) => r.action === 'post.edit')!;
    expect(row.reason).toBe('clearer title');

    // An admin editing an answer is audited too (body only), and the site-wide log shows it.
    const a = await postAnswer(c.alice.client, q.id, 'Rest them for three to five days before brewing.');
    expect((await c.admin.client.post(`/posts/${a}/edit`, { body: 'Rest them for three to seven days before brewing espresso.', reason: '' })).status).toBe(303);
    const site = auditDetails(decodeHtml((await c.admin.client.get('/admin/moderation/log?action=post.edit', EN)).text));
    expect(site.find((r) => r.target === a)?.details).toBe('Rest them for three to five days before brewing. → Rest them for three to seven days before brewing espresso.');
  });
});
