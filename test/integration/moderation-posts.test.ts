/*
 * Moderation of posts through the real routes (issue 13, steps 1-4): the audit log, close and
 * reopen (moderators at once, members by votes), close as duplicate and the FAQ evidence it
 * feeds, locks, and soft delete with undelete. Every action is tried by a member, a
 * moderator of another community, staff and an admin, with bad input and without CSRF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TestClient } from '../helpers/app.js';
import { askQuestion, createQaApp, member, postAnswer, steppingClock, vote } from '../helpers/qa.js';
import { auditRows, cast, reputationOf, setReputation, type Cast } from '../helpers/moderation.js';
import { decodeHtml } from './support.js';
import { candidateEvidence } from '../../src/domain/faq-rules.js';

let app: FastifyInstance;
let c: Cast;

beforeAll(async () => {
  app = await createQaApp({ now: steppingClock().now });
  c = await cast(app, 'mods');
});

afterAll(async () => {
  await app.close();
});

async function page(client: TestClient, url: string) {
  const res = await client.get(url);
  return { status: res.status, html: decodeHtml(res.text) };
}

describe('close as duplicate', () => {
  it('a moderator closes at once; the banner links the original, answers stop, the original counts it, the log shows it', async () => {
    const original = await askQuestion(c.author.client, 'mods', { title: 'How do I descale the espresso machine boiler?' });
    const answerId = await postAnswer(c.alice.client, original.id, 'Use citric acid, one spoon per litre, then rinse twice.');
    // Make the answer an FAQ candidate (score 5 is the default threshold).
    for (let i = 0; i < 5; i++) {
      const voter = await member(app, c.community);
      expect((await vote(voter.client, answerId, '1')).status).toBe(303);
    }
    const before = (await app.storage.faq.candidateRow(answerId))!;
    expect(before.duplicateCount).toBe(0);
    const dup = await askQuestion(c.alice.client, 'mods', { title: 'Descaling the espresso boiler, how?' });

    // The close form finds the original with the search engine.
    const form = await page(c.mod.client, `/q/${dup.id}/close?q=${encodeURIComponent('descale espresso boiler')}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`name="duplicatePick" value="${original.id}"`);
    expect(form.html).toContain('How do I descale the espresso machine boiler?');

    const res = await c.mod.client.post(`/q/${dup.id}/close`, { reason: 'duplicate', duplicatePick: original.id, note: 'Same boiler question' });
    expect(res.status).toBe(303);
    const shown = await page(c.alice.client, dup.url);
    expect(shown.html).toContain('This question already has an answer here:');
    expect(shown.html).toContain(`href="${original.url}" class="mod-original"`);
    expect(shown.html).toContain('id="answers-closed"');
    expect(shown.html).not.toContain(`action="/q/${dup.id}/answers"`);
    const refused = await c.author.client.post(`/q/${dup.id}/answers`, { body: 'An answer to a closed question should not land.' });
    expect(refused.status).toBe(403);

    const after = (await app.storage.faq.candidateRow(answerId))!;
    expect(after.duplicateCount).toBe(1);
    expect(candidateEvidence(after)).toBeGreaterThan(candidateEvidence(before));

    const log = await page(c.mod.client, '/mod/c/mods/log');
    expect(log.status).toBe(200);
    expect(auditRows(log.html)[0]).toEqual({ action: 'question.close', reason: 'Same boiler question' });
    const site = await page(c.admin.client, '/admin/moderation/log?action=question.close&community=mods');
    expect(auditRows(site.html).map((r) => r.action)).toContain('question.close');

    // Reopening stops counting it on the original, and is logged too.
    expect((await c.mod.client.post(`/q/${dup.id}/reopen`, { reason: 'Not the same model' })).status).toBe(303);
    expect((await app.storage.faq.candidateRow(answerId))!.duplicateCount).toBe(0);
    expect(auditRows((await page(c.mod.client, '/mod/c/mods/log')).html)[0]).toEqual({ action: 'question.reopen', reason: 'Not the same model' });
    expect((await page(c.alice.client, dup.url)).html).toContain(`action="/q/${dup.id}/answers"`);
  });

  it('refuses bad input with the form and its messages (400), never a 500', async () => {
    const q = await askQuestion(c.author.client, 'mods');
    const noReason = await c.mod.client.post(`/q/${q.id}/close`, { reason: '', duplicateOf: '' });
    expect(noReason.status).toBe(400);
    expect(decodeHtml(noReason.text)).toContain('Choose a reason.');
    const noOriginal = await c.mod.client.post(`/q/${q.id}/close`, { reason: 'duplicate', duplicateOf: 'not a question' });
    expect(noOriginal.status).toBe(400);
    expect(decodeHtml(noOriginal.text)).toContain('Name the original question');
    const self = await c.mod.client.post(`/q/${q.id}/close`, { reason: 'duplicate', duplicateOf: q.url });
    expect(self.status).toBe(400);
    expect(decodeHtml(self.text)).toContain('cannot be a duplicate of itself');
    const elsewhere = await askQuestion(c.otherMod.client, 'mods-other');
    const cross = await c.mod.client.post(`/q/${q.id}/close`, { reason: 'duplicate', duplicateOf: elsewhere.id });
    expect(cross.status).toBe(400);
    const nested = await c.mod.client.agent.post(`/q/${q.id}/close`).type('form').send(`_csrf=${encodeURIComponent(await c.mod.client.csrf())}&reason[a]=1`);
    expect(nested.status).toBe(400);
    expect((await c.mod.client.post('/q/abc/close', { reason: 'resolved' })).status).toBe(404);
    expect((await c.mod.client.post('/q/99999999/close', { reason: 'resolved' })).status).toBe(404);
    expect((await c.mod.client.post(`/q/${q.id}/close`, { reason: 'resolved' }, { csrf: false })).status).toBe(403);
    // Still open after all of that.
    expect((await page(c.author.client, q.url)).html).not.toContain('id="closed-banner"');
    // Closing twice is a conflict, not a second close.
    expect((await c.mod.client.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(303);
    expect((await c.mod.client.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(409);
  });

  it('only moderators of the community and admins close at once; members below the reputation, staff and other moderators are refused', async () => {
    const q = await askQuestion(c.author.client, 'mods');
    for (const who of [c.alice, c.staff, c.otherMod]) {
      expect((await c.mod.client.get('/')).status).toBe(200);
      expect((await who.client.get(`/q/${q.id}/close`)).status).toBe(403);
      expect((await who.client.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(403);
    }
    const visitor = new TestClient(app);
    expect((await visitor.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(401);
    expect((await page(c.author.client, q.url)).html).not.toContain('id="closed-banner"');
    expect((await c.admin.client.post(`/q/${q.id}/close`, { reason: 'needs-details', note: 'Which model?' })).status).toBe(303);
    const shown = (await page(c.author.client, q.url)).html;
    expect(shown).toContain('Closed: Needs details or clarity.');
    expect(shown).toContain('Which model?');
  });

  it('members with reputation 250 cast close votes; the third closes it with the most voted reason', async () => {
    const q = await askQuestion(c.author.client, 'mods');
    const voters = [await member(app, c.community), await member(app, c.community), await member(app, c.community)];
    for (const v of voters) setReputation(app, v.user, 250);
    expect((await voters[0]!.client.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(303);
    expect((await voters[0]!.client.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(409);
    expect((await page(voters[1]!.client, q.url)).html).toContain('Close votes: 1 of 3');
    expect((await voters[1]!.client.post(`/q/${q.id}/close`, { reason: 'resolved' })).status).toBe(303);
    expect((await page(c.author.client, q.url)).html).not.toContain('id="closed-banner"');
    expect((await voters[2]!.client.post(`/q/${q.id}/close`, { reason: 'off-topic' })).status).toBe(303);
    expect((await page(c.author.client, q.url)).html).toContain('Closed: Off-topic for this community.');
    const low = await member(app, c.community);
    setReputation(app, low.user, 249);
    expect((await low.client.post(`/q/${q.id}/reopen`, { reason: '' })).status).toBe(403);
  });
});

describe('lock', () => {
  it('a locked question takes no answers, comments or votes, and says why', async () => {
    const q = await askQuestion(c.author.client, 'mods');
    const a = await postAnswer(c.alice.client, q.id);
    for (const who of [c.alice, c.staff, c.otherMod]) expect((await who.client.post(`/posts/${q.id}/lock`, { reason: 'Heated' })).status).toBe(403);
    expect((await c.mod.client.post(`/posts/${q.id}/lock`, { reason: '' })).status).toBe(400);
    expect((await c.mod.client.post(`/posts/${q.id}/lock`, { reason: 'Too heated, cooling off' }, { csrf: false })).status).toBe(403);
    expect((await c.mod.client.post(`/posts/${q.id}/lock`, { reason: 'Too heated, cooling off' })).status).toBe(303);
    const shown = (await page(c.alice.client, q.url)).html;
    expect(shown).toContain('Locked: Too heated, cooling off');
    expect((await c.alice.client.post(`/q/${q.id}/answers`, { body: 'One more answer while it is locked.' })).status).toBe(403);
    expect((await c.alice.client.post(`/posts/${q.id}/comments`, { comment: 'A comment on a locked post' })).status).toBe(403);
    expect((await vote(c.alice.client, q.id, '1')).status).toBe(403);
    expect((await vote(c.author.client, a, '1')).status).toBe(403);
    expect((await c.admin.client.post(`/posts/${q.id}/unlock`, { reason: 'Calm again' })).status).toBe(303);
    expect((await vote(c.alice.client, q.id, '1')).status).toBe(303);
    const log = auditRows((await page(c.mod.client, '/mod/c/mods/log')).html);
    expect(log.slice(0, 2)).toEqual([
      { action: 'post.unlock', reason: 'Calm again' },
      { action: 'post.lock', reason: 'Too heated, cooling off' },
    ]);
  });
});

describe('delete and undelete', () => {
  it('a deleted question leaves lists and search at once, its votes stop counting, the author sees why; undelete restores all', async () => {
    const q = await askQuestion(c.author.client, 'mods', { title: 'Quokka grinder burr alignment trouble' });
    setReputation(app, c.author.user, 0);
    const voter = await member(app, c.community);
    expect((await vote(voter.client, q.id, '1')).status).toBe(303);
    expect(reputationOf(app, c.author.user)).toBe(5);
    const visitor = new TestClient(app);
    const hitOf = `d=question-${q.id}&amp;`;
    expect((await visitor.get('/search?q=quokka')).text).toContain(hitOf);

    for (const who of [c.alice, c.staff, c.otherMod, c.author]) expect((await who.client.post(`/posts/${q.id}/delete`, { reason: 'Spam' })).status).toBe(403);
    expect((await c.mod.client.post(`/posts/${q.id}/delete`, { reason: '' })).status).toBe(400);
    expect((await c.mod.client.post(`/posts/${q.id}/delete`, { reason: 'Advertising' })).status).toBe(303);

    expect((await visitor.get(q.url)).status).toBe(404);
    expect((await c.alice.client.get(q.url)).status).toBe(404);
    expect((await visitor.get('/search?q=quokka')).text).not.toContain(hitOf);
    expect((await visitor.get('/c/mods')).text).not.toContain('Quokka grinder');
    expect(reputationOf(app, c.author.user)).toBe(0);
    const own = await page(c.author.client, q.url);
    expect(own.status).toBe(200);
    expect(own.html).toContain('Deleted by a moderator.');
    expect(own.html).toContain('Reason: Advertising');
    expect(own.html).not.toContain(`action="/posts/${q.id}/undelete"`);
    const modView = await page(c.mod.client, q.url);
    expect(modView.html).toContain(`action="/posts/${q.id}/undelete"`);

    expect((await c.alice.client.post(`/posts/${q.id}/undelete`, { reason: '' })).status).toBe(403);
    expect((await c.mod.client.post(`/posts/${q.id}/undelete`, { reason: 'Was not spam' })).status).toBe(303);
    expect((await visitor.get(q.url)).status).toBe(200);
    expect((await visitor.get('/search?q=quokka')).text).toContain(hitOf);
    expect(reputationOf(app, c.author.user)).toBe(5);
    const log = auditRows((await page(c.admin.client, '/admin/moderation/log?community=mods')).html);
    expect(log.slice(0, 2)).toEqual([
      { action: 'post.undelete', reason: 'Was not spam' },
      { action: 'post.delete', reason: 'Advertising' },
    ]);
  });

  it('a deleted answer leaves the thread and its count; its author and moderators still see it with the reason', async () => {
    const q = await askQuestion(c.author.client, 'mods');
    const a = await postAnswer(c.alice.client, q.id, 'Buy my miracle descaler at spam dot example.');
    expect((await c.mod.client.post(`/posts/${a}/delete`, { reason: 'Advertising' })).status).toBe(303);
    const visitor = new TestClient(app);
    const seen = decodeHtml((await visitor.get(q.url)).text);
    expect(seen).not.toContain('miracle descaler');
    expect(seen).toContain('0 answers');
    const own = (await page(c.alice.client, q.url)).html;
    expect(own).toContain('miracle descaler');
    expect(own).toContain('Deleted by a moderator.');
    expect((await page(c.author.client, q.url)).html).not.toContain('miracle descaler');
    expect((await c.mod.client.post(`/posts/${a}/undelete`, { reason: 'ok' })).status).toBe(303);
    expect(decodeHtml((await visitor.get(q.url)).text)).toContain('miracle descaler');
  });
});

describe('audit log pages', () => {
  it('the community log is for its moderators, staff (read) and admins; the site log for admins only', async () => {
    expect((await c.alice.client.get('/mod/c/mods/log')).status).toBe(403);
    expect((await c.otherMod.client.get('/mod/c/mods/log')).status).toBe(403);
    expect((await c.staff.client.get('/mod/c/mods/log')).status).toBe(200);
    expect((await c.admin.client.get('/mod/c/mods/log')).status).toBe(200);
    expect((await c.mod.client.get('/admin/moderation/log')).status).toBe(403);
    const visitor = new TestClient(app);
    expect((await visitor.get('/mod/c/mods/log')).status).toBe(303);
    expect((await c.admin.client.get('/mod/c/nope/log')).status).toBe(404);
    // Filters that match nothing show an empty log, not an error.
    const none = await page(c.admin.client, '/admin/moderation/log?actor=nobody-at-all&action=bogus&before=abc');
    expect(none.status).toBe(200);
    expect(auditRows(none.html)).toEqual([]);
    const other = await page(c.admin.client, '/admin/moderation/log?community=mods-other');
    expect(auditRows(other.html)).toEqual([]);
  });
});
