/*
 * Suspensions and the header's "Moderation" entry (issue 13, steps 6-7), through the real
 * routes: a suspension ends every session and leaves the member read-only with the reason
 * shown; moderators suspend in their own community only, site admins everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { askQuestion, clientFor, createQaApp, member, steppingClock } from '../helpers/qa.js';
import { auditRows, cast, type Cast } from '../helpers/moderation.js';
import { decodeHtml, loggedInAs } from './support.js';

let app: FastifyInstance;
let c: Cast;

beforeAll(async () => {
  app = await createQaApp({ now: steppingClock().now });
  c = await cast(app, 'accts');
});

afterAll(async () => {
  await app.close();
});

describe('suspensions', () => {
  it('a moderator suspends in their community: sessions end, the member reads but cannot write, sees why; lifting restores', async () => {
    const target = await member(app, c.community);
    const q = await askQuestion(target.client, 'accts');
    expect(loggedInAs((await target.client.get('/')).text)).toBe(target.user.username);

    const form = decodeHtml((await c.mod.client.get(`/mod/suspend?user=${target.user.username}`)).text);
    expect(form).toContain(`Suspend ${target.user.username}`);
    expect(form).not.toContain('Everywhere (site-wide)</option>');
    expect((await c.mod.client.post('/mod/suspend', { username: target.user.username, community: 'accts', days: '7', reason: '', postId: '' })).status).toBe(400);
    expect((await c.mod.client.post('/mod/suspend', { username: target.user.username, community: '', days: '7', reason: 'x', postId: '' })).status).toBe(403);
    expect((await c.mod.client.post('/mod/suspend', { username: target.user.username, community: 'accts', days: '9999999', reason: 'x', postId: '' })).status).toBe(400);
    expect((await c.mod.client.post('/mod/suspend', { username: target.user.username, community: 'accts', days: '7', reason: 'Repeated spam' }, { csrf: false })).status).toBe(403);
    const res = await c.mod.client.post('/mod/suspend', { username: target.user.username, community: 'accts', days: '7', reason: 'Repeated spam', postId: '' });
    expect(res.status).toBe(303);

    // Every session ended: the old cookie no longer logs in.
    expect(loggedInAs((await target.client.get('/')).text)).toBeNull();
    const again = await clientFor(app, target.user);
    const home = decodeHtml((await again.get('/')).text);
    expect(home).toContain('Your account is suspended in a community.');
    expect(home).toContain('Reason: Repeated spam');
    expect((await again.get(q.url)).status).toBe(200);
    const refused = await again.post(`/q/${q.id}/answers`, { body: 'Trying to answer while suspended.' });
    expect(refused.status).toBe(403);
    expect(decodeHtml(refused.text)).toContain('Repeated spam');
    expect((await again.post('/c/accts/ask', { title: 'Can I still ask a question here?', body: 'Trying to ask while suspended, it should fail.', tags: 'x', action: 'post' })).status).toBe(403);
    expect((await again.post(`/posts/${q.id}/comments`, { comment: 'a comment while suspended' })).status).toBe(403);
    const other = await askQuestion(c.alice.client, 'accts');
    expect((await again.post(`/posts/${other.id}/vote`, { value: '1' })).status).toBe(403);
    expect((await again.post(`/posts/${other.id}/flag`, { reason: 'spam' })).status).toBe(403);

    const shown = decodeHtml((await c.mod.client.get(`/mod/suspend?user=${target.user.username}`)).text);
    const id = /id="suspension-(\d+)"/.exec(shown)![1]!;
    // Other moderators and members cannot lift it.
    for (const who of [c.alice, c.otherMod, c.staff]) expect((await who.client.post(`/mod/suspensions/${id}/lift`, { reason: '' })).status).toBe(403);
    expect((await c.mod.client.post(`/mod/suspensions/${id}/lift`, { reason: 'Appeal accepted' })).status).toBe(303);
    expect((await c.mod.client.post(`/mod/suspensions/${id}/lift`, { reason: 'again' })).status).toBe(409);
    expect((await c.mod.client.post('/mod/suspensions/abc/lift', { reason: '' })).status).toBe(404);
    expect((await again.post(`/posts/${other.id}/vote`, { value: '1' })).status).toBe(303);
    expect(auditRows(decodeHtml((await c.mod.client.get('/mod/c/accts/log')).text)).slice(0, 2)).toEqual([
      { action: 'user.unsuspend', reason: 'Appeal accepted' },
      { action: 'user.suspend', reason: 'Repeated spam' },
    ]);
  });

  it('only site admins suspend across communities; members, staff and other moderators cannot suspend here', async () => {
    const target = await member(app, c.community);
    for (const who of [c.alice, c.staff]) expect((await who.client.get(`/mod/suspend?user=${target.user.username}`)).status).toBe(403);
    expect((await c.otherMod.client.post('/mod/suspend', { username: target.user.username, community: 'accts', days: '1', reason: 'x' })).status).toBe(403);
    expect((await c.alice.client.post('/mod/suspend', { username: target.user.username, community: 'accts', days: '1', reason: 'x' })).status).toBe(403);
    expect((await c.mod.client.get('/mod/suspend?user=nobody-here')).status).toBe(404);
    expect((await c.admin.client.post('/mod/suspend', { username: target.user.username, community: '', days: 'permanent', reason: 'Fraud' })).status).toBe(303);
    const again = await clientFor(app, target.user);
    const home = decodeHtml((await again.get('/')).text);
    expect(home).toContain('Your account is suspended on the whole site.');
    expect(home).toContain('Permanently.');
    const q = await askQuestion(c.alice.client, 'accts');
    expect((await again.post(`/q/${q.id}/answers`, { body: 'Trying to answer while suspended everywhere.' })).status).toBe(403);
  });
});

describe('the Moderation entry in the header', () => {
  it('shows moderators, staff and admins the queues with counts; members do not see it', async () => {
    const q = await askQuestion(c.author.client, 'accts');
    await c.alice.client.post(`/posts/${q.id}/flag`, { reason: 'off-topic' });
    const modPage = decodeHtml((await c.mod.client.get('/')).text);
    expect(modPage).toContain('<details class="mod-menu">');
    expect(modPage).toMatch(/href="\/c\/accts\/review">Flags waiting<\/a> <span class="mod-count-small">[1-9]/);
    expect(modPage).toContain('href="/mod/c/accts/faq/candidates"');
    const staffPage = decodeHtml((await c.staff.client.get('/')).text);
    expect(staffPage).toContain('href="/c/accts/review"');
    expect(staffPage).not.toContain('href="/mod/c/accts/faq/candidates"');
    const adminPage = decodeHtml((await c.admin.client.get('/')).text);
    expect(adminPage).toContain('href="/admin/review"');
    expect(adminPage).toContain('href="/c/accts/review"');
    expect((await c.alice.client.get('/')).text).not.toContain('class="mod-menu"');
    expect((await c.otherMod.client.get('/')).text).not.toContain('href="/c/accts/review"');
  });
});
