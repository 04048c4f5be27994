/*
 * A member's request remembers what it can between requests of this instance (issue 15): the
 * validated session (services/auth/session-service.ts), the CSRF token per session and cookie
 * (http/csrf.ts), the home page's content per language and joined communities (routes/home).
 * These tests warm each of them and then check that nothing one member sees leaks to another,
 * and that logging out, a suspension, a password change and a membership change take effect
 * with the very next request. The app runs on the real clock, so remembered values are
 * served (the question page's own cache tests use a clock that steps a second per reading).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import { csrfFrom, makeAdmin, TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, member, postAnswer, shownScore, storageUser, vote } from '../helpers/qa.js';

type Who = { user: User; client: TestClient };

let app: FastifyInstance;
let community: Community;
let other: Community;
let asker: Who;
let mod: Who;
let alice: Who;
let bob: Who;

beforeAll(async () => {
  app = await createQaApp();
  community = await createCommunity(app.storage, 'kept-sessions', { name: 'Kept sessions' });
  other = await createCommunity(app.storage, 'kept-other', { name: 'Kept other' });
  asker = await member(app, community, 'asker_k');
  mod = await member(app, community, 'mod_k', 'moderator');
  alice = await member(app, community, 'alice_k');
  bob = await member(app, community, 'bob_k');
  await app.storage.memberships.upsert(other.id, bob.user.id, 'member');
});

afterAll(async () => {
  await app.close();
});

/** A new session of the user: its cookie token and a client holding it. */
async function session(user: User): Promise<{ token: string; client: TestClient }> {
  const { token } = await app.services.auth.startSession(user);
  const client = new TestClient(app);
  (client.agent as unknown as { jar: { setCookie(c: string, d: string, p: string): void } }).jar.setCookie(`session=${token}; Path=/; HttpOnly`, '127.0.0.1', '/');
  return { token, client };
}

/** Whom the header names for a request carrying only this session cookie (null: a visitor). */
async function whoIs(token: string, url = '/'): Promise<string | null> {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: `session=${token}` } });
  expect(res.statusCode).toBe(200);
  return /class="nav-user">([^ <]+)/.exec(res.body)?.[1] ?? null;
}

async function html(who: Who, url: string): Promise<string> {
  const res = await who.client.get(url);
  expect(res.status).toBe(200);
  return res.text;
}

const joinedBadges = (page: string) => page.match(/class="badge badge-joined"/g)?.length ?? 0;

/** The vote box of a post: which button is pressed (null: none), or 'disabled'. */
function myVote(page: string, postId: string): 'up' | 'down' | null | 'disabled' {
  const start = page.indexOf(`data-post="${postId}"`);
  if (start < 0) throw new Error(`no vote box for post ${postId}`);
  const box = page.slice(start, page.indexOf('</div>', start));
  if (!box.includes('<form')) return 'disabled';
  if (/vote-up voted/.test(box)) return 'up';
  if (/vote-down voted/.test(box)) return 'down';
  return null;
}

describe('remembered sessions', () => {
  it('ends a session at once on logout, though this instance had just remembered it; other sessions stay', async () => {
    const first = await session(alice.user);
    const second = await session(alice.user);
    expect(await whoIs(first.token)).toBe('alice_k');
    expect(await whoIs(first.token)).toBe('alice_k');
    expect(await whoIs(second.token)).toBe('alice_k');

    expect((await first.client.post('/logout')).status).toBe(303);
    expect(await whoIs(first.token)).toBeNull();
    expect(await whoIs(second.token)).toBe('alice_k');
  });

  it('ends every session of a suspended member with the suspension', async () => {
    const target = await member(app, community, 'suspended_k');
    const s = await session(target.user);
    expect(await whoIs(s.token)).toBe('suspended_k');
    expect(await whoIs(s.token, `/c/${community.slug}`)).toBe('suspended_k');

    const res = await mod.client.post('/mod/suspend', { username: 'suspended_k', community: community.slug, days: '7', reason: 'Posting spam links', postId: '' });
    expect(res.status).toBe(303);
    expect(await whoIs(s.token)).toBeNull();
    expect(await whoIs(s.token, `/c/${community.slug}`)).toBeNull();
  });

  it('ends the other sessions at once when the password changes, and keeps the one that changed it', async () => {
    const client = new TestClient(app);
    expect((await client.register('password_k')).status).toBe(303);
    const user = (await app.storage.users.findByUsername('password_k'))!;
    const elsewhere = await session(user);
    expect(await whoIs(elsewhere.token)).toBe('password_k');
    expect(await whoIs(elsewhere.token)).toBe('password_k');

    const changed = await client.post('/account/password', { currentPassword: 'correct-horse-battery', newPassword: 'a-new-long-passphrase-2' });
    expect(changed.status).toBe(303);
    expect(await whoIs(elsewhere.token)).toBeNull();
    expect((await client.get('/')).text).toContain('class="nav-user">password_k');
  });

  it('shows a new role at once: appointed a moderator, the member gets the moderation menu with the next page', async () => {
    const admin = await member(app, community, 'admin_k');
    await makeAdmin(app, 'admin_k');
    const s = await session(alice.user);
    const before = await s.client.get('/');
    expect(before.text).toContain('class="nav-user">alice_k');
    expect(before.text).not.toContain('class="mod-menu"');

    const res = await admin.client.post(`/admin/communities/${other.slug}/roles`, { username: 'alice_k', role: 'moderator' });
    expect(res.status).toBe(303);
    expect((await s.client.get('/')).text).toContain('class="mod-menu"');
    // Nobody else got it.
    expect((await html(bob, '/')).includes('class="mod-menu"')).toBe(false);
  });
});

describe('a member\'s CSRF token', () => {
  it('is the same on every page of one session, works for it alone, and is new for a new session', async () => {
    const s = await session(bob.user);
    const onHome = csrfFrom((await s.client.get('/')).text);
    const onCommunity = csrfFrom((await s.client.get(`/c/${community.slug}`)).text);
    expect(onCommunity).toBe(onHome);
    const q = await askQuestion(asker.client, community.slug, { title: 'Does the token stay the same for a session?' });

    // Bob's token in Alice's session (with Alice's own cookies) is refused; in his own it works.
    const forAlice = await alice.client.post(`/posts/${q.id}/vote`, { value: '1', _csrf: onHome });
    expect(forAlice.status).toBe(403);
    expect((await s.client.post(`/posts/${q.id}/vote`, { value: '1', _csrf: onHome })).status).toBe(303);

    const again = await session(bob.user);
    const fresh = csrfFrom((await again.client.get('/')).text);
    expect(fresh).not.toBe(onHome);
    // The old session's token does not work in the new session.
    expect((await again.client.post(`/posts/${q.id}/vote`, { value: '-1', _csrf: onHome })).status).toBe(403);
    expect((await again.client.post(`/posts/${q.id}/vote`, { value: '-1', _csrf: fresh })).status).toBe(303);
  });
});

describe('the home page of members, its content kept per language and joined communities', () => {
  it('shows each member their own joined communities, read in turn, and a join at once', async () => {
    const carol = { user: await storageUser(app.storage, 'carol_k'), client: undefined as unknown as TestClient };
    carol.client = await clientFor(app, carol.user);
    for (let round = 0; round < 2; round++) {
      const forAlice = await html(alice, '/');
      const forBob = await html(bob, '/');
      const forCarol = await html(carol, '/');
      // Alice: this community (and she moderates the other now, from the test above); Bob both; Carol none.
      expect(joinedBadges(forBob)).toBe(2);
      expect(joinedBadges(forCarol)).toBe(0);
      expect(forAlice).toContain('class="nav-user">alice_k');
      expect(forBob).toContain('class="nav-user">bob_k');
      expect(forCarol).toContain('class="nav-user">carol_k');
      expect(csrfFrom(forBob)).not.toBe(csrfFrom(forCarol));
    }
    expect((await carol.client.post(`/c/${other.slug}/join`)).status).toBe(303);
    expect(joinedBadges(await html(carol, '/'))).toBe(1);
    expect(joinedBadges(await html(bob, '/'))).toBe(2);
    // In Chinese the same member sees the same state, in Chinese.
    const zh = await carol.client.get('/', { 'accept-language': 'zh-CN' });
    expect(zh.text).toContain('lang="zh-CN"');
    expect(joinedBadges(zh.text)).toBe(1);
  });
});

describe('the asker and a moderator reading one thread in turn', () => {
  it('see only their own votes and tools, and each other\'s writes at once', async () => {
    const q = await askQuestion(asker.client, community.slug, { title: 'Why does the charger blink twice at start?' });
    const a1 = await postAnswer(alice.client, q.id, 'It blinks twice while it checks the battery, which is normal.');
    expect((await vote(asker.client, a1, '1')).status).toBe(303);
    expect((await vote(mod.client, a1, '-1')).status).toBe(303);

    for (let round = 0; round < 3; round++) {
      const forAsker = await html(asker, q.url);
      const forMod = await html(mod, q.url);
      expect(myVote(forAsker, a1)).toBe('up');
      expect(myVote(forMod, a1)).toBe('down');
      expect(myVote(forAsker, q.id)).toBe('disabled');
      expect(myVote(forMod, q.id)).toBe(null);
      expect(forAsker).toContain(`action="/q/${q.id}/accept"`);
      expect(forMod).toContain(`action="/q/${q.id}/accept"`);
      expect(forMod).toContain(`action="/posts/${a1}/lock"`);
      expect(forAsker).not.toContain(`action="/posts/${a1}/lock"`);
      expect(forAsker).toContain('class="nav-user">asker_k');
      expect(forMod).toContain('class="nav-user">mod_k');
      expect(csrfFrom(forAsker)).not.toBe(csrfFrom(forMod));
      expect(shownScore(forAsker, a1)).toBe(0);
    }

    // The asker takes the vote back: the moderator sees the score move, their own vote unchanged.
    expect((await vote(asker.client, a1, '0')).status).toBeLessThan(400);
    const forMod = await html(mod, q.url);
    expect(shownScore(forMod, a1)).toBe(-1);
    expect(myVote(forMod, a1)).toBe('down');
    expect(myVote(await html(asker, q.url), a1)).toBe(null);
  });
});
