/*
 * The logged-in question page shares what is the same for every reader (the thread's reads
 * and its rendered HTML, src/services/qa/thread-reader.ts, src/routes/questions/thread-view.ts).
 * These tests read one thread as different members one after the other, so that each read
 * can be served from what the previous reader left, and check that everybody sees only their
 * own state (votes, buttons, links, tokens), and that a write by one shows at once to the
 * others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import type { TestClient } from '../helpers/app.js';
import { csrfFrom } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member, postAnswer, shownScore, steppingClock, vote } from '../helpers/qa.js';
import { setReputation } from '../helpers/moderation.js';

type Who = { user: User; client: TestClient };

let app: FastifyInstance;
let community: Community;
let asker: Who;
let alice: Who;
let bob: Who;
let carol: Who;
let mod: Who;

beforeAll(async () => {
  app = await createQaApp({ now: steppingClock().now });
  community = await createCommunity(app.storage, 'cached-thread');
  asker = await member(app, community, 'asker_c');
  alice = await member(app, community, 'alice_c');
  bob = await member(app, community, 'bob_c');
  carol = await member(app, community, 'carol_c');
  mod = await member(app, community, 'mod_c', 'moderator');
});

afterAll(async () => {
  await app.close();
});

/** The vote box of a post: which of its buttons is pressed (null: none), or 'disabled'. */
function myVoteShown(html: string, postId: string): 'up' | 'down' | null | 'disabled' {
  const start = html.indexOf(`data-post="${postId}"`);
  if (start < 0) throw new Error(`no vote box for post ${postId}`);
  const box = html.slice(start, html.indexOf('</div>', start));
  if (!box.includes('<form')) return 'disabled';
  if (/vote-up voted/.test(box)) return 'up';
  if (/vote-down voted/.test(box)) return 'down';
  return null;
}

const hasEditLink = (html: string, postId: string) => html.includes(`href="/posts/${postId}/edit"`);
const hasAcceptForm = (html: string, questionId: string) => html.includes(`action="/q/${questionId}/accept"`);
const hasLockForm = (html: string, postId: string) => html.includes(`action="/posts/${postId}/lock"`);
const hasFlagForm = (html: string, postId: string) => html.includes(`action="/posts/${postId}/flag"`);
const tokensIn = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]!);

async function page(who: Who | null, url: string): Promise<string> {
  const res = who ? await who.client.get(url) : await app.inject({ method: 'GET', url });
  expect(res.statusCode ?? (res as { status: number }).status).toBe(200);
  return 'text' in res ? res.text : res.body;
}

describe('one thread read by several members in turn', () => {
  let q: { id: string; url: string };
  let a1: string;
  let a2: string;

  beforeAll(async () => {
    q = await askQuestion(asker.client, community.slug);
    a1 = await postAnswer(alice.client, q.id, 'Alice says: hold the reset pin for five seconds.');
    a2 = await postAnswer(bob.client, q.id, 'Bob says: unplug it for a minute, then try again.');
    expect((await vote(alice.client, q.id, '1')).status).toBe(303);
    expect((await vote(bob.client, q.id, '-1')).status).toBe(303);
  });

  it('shows each member their own votes, edit links and flag forms, never the previous reader\'s', async () => {
    // Read twice in alternation, so that every second read can come from the shared thread.
    for (let round = 0; round < 2; round++) {
      const forAlice = await page(alice, q.url);
      const forBob = await page(bob, q.url);
      const forCarol = await page(carol, q.url);

      expect(myVoteShown(forAlice, q.id)).toBe('up');
      expect(myVoteShown(forBob, q.id)).toBe('down');
      expect(myVoteShown(forCarol, q.id)).toBe(null);
      // Nobody votes on their own answer; everybody else may.
      expect(myVoteShown(forAlice, a1)).toBe('disabled');
      expect(myVoteShown(forAlice, a2)).toBe(null);
      expect(myVoteShown(forBob, a1)).toBe(null);
      expect(myVoteShown(forBob, a2)).toBe('disabled');

      expect([hasEditLink(forAlice, a1), hasEditLink(forAlice, a2)]).toEqual([true, false]);
      expect([hasEditLink(forBob, a1), hasEditLink(forBob, a2)]).toEqual([false, true]);
      expect([hasEditLink(forCarol, a1), hasEditLink(forCarol, a2), hasEditLink(forCarol, q.id)]).toEqual([false, false, false]);
      expect([hasFlagForm(forAlice, a1), hasFlagForm(forAlice, a2)]).toEqual([false, true]);
      expect([hasFlagForm(forBob, a1), hasFlagForm(forBob, a2)]).toEqual([true, false]);

      // The header names the reader, and every form carries the reader's own token.
      expect(forAlice).toContain('class="nav-user">alice_c');
      expect(forBob).toContain('class="nav-user">bob_c');
      expect(forCarol).toContain('class="nav-user">carol_c');
      for (const html of [forAlice, forBob, forCarol]) {
        const tokens = new Set(tokensIn(html));
        expect(tokens).toEqual(new Set([csrfFrom(html)]));
      }
      expect(csrfFrom(forAlice)).not.toBe(csrfFrom(forBob));
    }
  });

  it('gives the accept buttons to the asker and moderators only, and moderator tools to moderators only', async () => {
    for (let round = 0; round < 2; round++) {
      const forCarol = await page(carol, q.url);
      const forAsker = await page(asker, q.url);
      const forMod = await page(mod, q.url);
      const forAlice = await page(alice, q.url);

      expect(hasAcceptForm(forAsker, q.id)).toBe(true);
      expect(hasAcceptForm(forMod, q.id)).toBe(true);
      expect(hasAcceptForm(forCarol, q.id)).toBe(false);
      expect(hasAcceptForm(forAlice, q.id)).toBe(false);

      expect(hasLockForm(forMod, q.id) && hasLockForm(forMod, a1)).toBe(true);
      for (const html of [forCarol, forAsker, forAlice]) expect(hasLockForm(html, q.id) || hasLockForm(html, a1)).toBe(false);
      // The asker edits their question; a moderator may edit anything.
      expect(hasEditLink(forAsker, q.id)).toBe(true);
      expect([hasEditLink(forMod, q.id), hasEditLink(forMod, a1), hasEditLink(forMod, a2)]).toEqual([true, true, true]);
    }
  });

  it('shows a vote, an answer, an edit and a delete by one member at once to the others', async () => {
    const before = await page(carol, q.url);
    expect(shownScore(before, a1)).toBe(0);

    expect((await vote(bob.client, a1, '1')).status).toBe(303);
    const afterVote = await page(carol, q.url);
    expect(shownScore(afterVote, a1)).toBe(1);
    // Bob's vote is his own: Carol's buttons on that answer stay unpressed, Bob's are pressed.
    expect(myVoteShown(afterVote, a1)).toBe(null);
    expect(myVoteShown(await page(bob, q.url), a1)).toBe('up');

    const a3 = await postAnswer(carol.client, q.id, 'Carol says: a newer firmware fixed this for me.');
    expect(await page(alice, q.url)).toContain(`id="a${a3}"`);

    const edited = await alice.client.post(`/posts/${a1}/edit`, { body: 'Alice says: hold the reset pin for ten seconds, not five.', reason: 'Longer' });
    expect(edited.status).toBe(303);
    expect(await page(bob, q.url)).toContain('ten seconds, not five');

    expect((await mod.client.post(`/posts/${a3}/delete`, { reason: 'Duplicate of the answer above' })).status).toBe(303);
    const forAlice = await page(alice, q.url);
    expect(forAlice).not.toContain(`id="a${a3}"`);
    // The author still sees their deleted answer (and only they and moderators do).
    const forCarol = await page(carol, q.url);
    expect(forCarol).toContain('answer-deleted" id="a' + a3 + '"');
    expect(forAlice).not.toContain('newer firmware');
    expect(await page(mod, q.url)).toContain('answer-deleted" id="a' + a3 + '"');
  });

  it('shows an accept by the asker at once, and a close vote only to the member who cast it', async () => {
    expect((await asker.client.post(`/q/${q.id}/accept`, { answerId: a2 })).status).toBe(303);
    const forAlice = await page(alice, q.url);
    expect(forAlice).toContain(`<article class="answer accepted" id="a${a2}"`);

    setReputation(app, carol.user, 5000);
    setReputation(app, bob.user, 5000);
    // The member's reputation is read with the session: a fresh page shows the close-vote link.
    expect(await page(carol, q.url)).toContain(`href="/q/${q.id}/close"`);
    expect((await carol.client.post(`/q/${q.id}/close`, { reason: 'off-topic', note: '' })).status).toBeLessThan(400);
    const forCarol = await page(carol, q.url);
    const forBob = await page(bob, q.url);
    expect(forCarol).not.toContain(`href="/q/${q.id}/close"`);
    expect(forBob).toContain(`href="/q/${q.id}/close"`);
  });

  it('shows a logged-out visitor no member state after members read the thread', async () => {
    await page(alice, q.url);
    const html = await page(null, q.url);
    expect(html).not.toContain('class="nav-user"');
    expect(html).not.toContain('/edit"');
    expect(html).not.toContain(`action="/q/${q.id}/accept"`);
    expect(myVoteShown(html, q.id)).toBe('disabled');
    expect(html).toContain(`href="/login?next=`);
  });
});

describe('the home page of a member', () => {
  it('lists a question another member just asked, and the reader\'s own communities', async () => {
    const before = await page(alice, '/');
    const asked = await askQuestion(bob.client, community.slug, { title: 'Which charger fits the older model?' });
    const after = await page(alice, '/');
    expect(before).not.toContain('Which charger fits the older model?');
    expect(after).toContain('Which charger fits the older model?');
    expect(after).toContain(`href="${asked.url}"`);
    expect(after).toContain('class="nav-user">alice_c');
  });
});
