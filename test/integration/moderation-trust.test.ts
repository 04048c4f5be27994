/*
 * Trust limits and their settings (issue 13, step 8), with the limits on as in production:
 * new accounts' links and questions per day, the reputation to vote down, the vote rate, and
 * the admin settings page (admins only, validated, audited).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { askInput, askQuestion, createQaApp, member, steppingClock, vote } from '../helpers/qa.js';
import { auditRows, cast, setReputation, type Cast } from '../helpers/moderation.js';
import { decodeHtml } from './support.js';

let app: FastifyInstance;
let c: Cast;

beforeAll(async () => {
  app = await createQaApp({ now: steppingClock().now, config: { trustLimits: true } });
  c = await cast(app, 'trust');
});

afterAll(async () => {
  await app.close();
});

describe('trust limits', () => {
  it('a new account may put at most 2 links in a post and ask 3 questions a day', async () => {
    const fresh = await member(app, c.community);
    const links = await fresh.client.post('/c/trust/ask', { ...askInput({ body: 'See https://a.example and https://b.example and https://c.example for details.' }), action: 'post' });
    expect(links.status).toBe(400);
    expect(decodeHtml(links.text)).toContain('New accounts can put at most 2 links in a post.');
    for (let i = 0; i < 3; i++) await askQuestion(fresh.client, 'trust');
    const fourth = await fresh.client.post('/c/trust/ask', { ...askInput(), action: 'post' });
    expect(fourth.status).toBe(429);
    // Reputation lifts the account out of "new".
    setReputation(app, fresh.user, 50);
    expect((await fresh.client.post('/c/trust/ask', { ...askInput({ body: 'See https://a.example and https://b.example and https://c.example for details.' }), action: 'post' })).status).toBe(303);
  });

  it('voting down needs reputation 125', async () => {
    const q = await askQuestion(c.author.client, 'trust');
    const voter = await member(app, c.community);
    const refused = await vote(voter.client, q.id, '-1');
    expect(refused.status).toBe(403);
    expect(decodeHtml(refused.text)).toContain('Voting down needs 125 reputation.');
    expect((await vote(voter.client, q.id, '1')).status).toBe(303);
    setReputation(app, voter.user, 125);
    expect((await vote(voter.client, q.id, '-1')).status).toBe(303);
  });
});

describe('settings page', () => {
  it('admins change the limits (validated, audited); nobody else can', async () => {
    expect((await c.mod.client.get('/admin/moderation/settings')).status).toBe(403);
    expect((await c.mod.client.post('/admin/moderation/settings', { downvoteReputation: '0' })).status).toBe(403);
    const form = decodeHtml((await c.admin.client.get('/admin/moderation/settings')).text);
    const values = Object.fromEntries([...form.matchAll(/name="(\w+)" type="number"[^>]*value="(\d+)"/g)].map((m) => [m[1]!, m[2]!]));
    expect(values.closeVoteReputation).toBe('250');
    expect(values.flagsToHide).toBe('3');
    const bad = await c.admin.client.post('/admin/moderation/settings', { ...values, closeVotesNeeded: '0', votesPerHour: 'lots' });
    expect(bad.status).toBe(400);
    expect(decodeHtml(bad.text)).toContain('A whole number from 1 to 20.');
    expect((await c.admin.client.post('/admin/moderation/settings', { ...values, downvoteReputation: '0' }, { csrf: false })).status).toBe(403);
    expect((await c.admin.client.post('/admin/moderation/settings', { ...values, downvoteReputation: '0' })).status).toBe(303);
    const q = await askQuestion(c.author.client, 'trust');
    const voter = await member(app, c.community);
    expect((await vote(voter.client, q.id, '-1')).status).toBe(303);
    const log = auditRows(decodeHtml((await c.admin.client.get('/admin/moderation/log?action=settings.update')).text));
    expect(log.map((r) => r.action)).toEqual(['settings.update']);
  });
});
