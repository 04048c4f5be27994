import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewUser, Storage } from '../../src/db/ports.js';
import type { Session } from '../../src/domain/types.js';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';

/*
 * The storage contract: every backend (SQLite today, MongoDB later) must pass this suite
 * unchanged. It talks only to the interfaces in src/db/ports.ts and never assumes the
 * shape of an id beyond "a string", so it holds for integer row ids and ObjectIds alike.
 *
 * Usage from a backend's test file:
 *   runStorageContract('sqlite', async () => createSqliteStorage(':memory:'));
 * makeStorage must return a fresh, empty store each time it is called.
 */

const MALFORMED_IDS = ['', 'not-an-id', '0', '-1', '1.5', '1; DROP TABLE users', '{"$gt":""}', 'x'.repeat(500), '  ', '１'];

const DAY = 24 * 60 * 60 * 1000;

let counter = 0;
function newUser(overrides: Partial<NewUser> = {}): NewUser {
  counter += 1;
  return {
    username: `user${counter}`,
    email: `user${counter}@example.test`,
    displayName: `User ${counter}`,
    passwordHash: `$argon2id$fake${counter}`,
    ...overrides,
  };
}

function sessionId(n: number): string {
  return n.toString(16).padStart(64, '0');
}

export function runStorageContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;

    beforeEach(async () => {
      storage = await makeStorage();
    });

    afterEach(async () => {
      await storage.close();
    });

    async function community(slug: string, extra: Partial<{ name: string; kind: 'interest' | 'business' }> = {}) {
      return storage.communities.create({
        slug,
        name: extra.name ?? `Community ${slug}`,
        kind: extra.kind ?? 'interest',
        descriptionMd: `About ${slug}`,
        descriptionHtml: `<p>About ${slug}</p>`,
        defaultLocale: 'en',
      });
    }

    it('names its backend', () => {
      expect(['sqlite', 'mongo']).toContain(storage.backend);
    });

    describe('users', () => {
      it('creates a user with defaults and finds it by id, username and email', async () => {
        const created = await storage.users.create(newUser({ username: 'alice', email: 'alice@example.test', displayName: 'Alice', createdAt: 1234 }));
        expect(typeof created.id).toBe('string');
        expect(created).toMatchObject({ username: 'alice', email: 'alice@example.test', displayName: 'Alice', isAdmin: false, reputation: 0, createdAt: 1234 });
        expect(created.passwordHash).toMatch(/^\$argon2id\$fake/);
        expect(await storage.users.findById(created.id)).toEqual(created);
        expect(await storage.users.findByUsername('alice')).toEqual(created);
        expect(await storage.users.findByEmail('alice@example.test')).toEqual(created);
      });

      it('stores the admin flag given at creation and sets a creation time when none is given', async () => {
        const before = Date.now();
        const admin = await storage.users.create(newUser({ isAdmin: true }));
        expect(admin.isAdmin).toBe(true);
        expect(admin.createdAt).toBeGreaterThanOrEqual(before);
        expect(admin.createdAt).toBeLessThanOrEqual(Date.now());
      });

      it('finds usernames and emails case-insensitively', async () => {
        const created = await storage.users.create(newUser({ username: 'MixedCase', email: 'Mixed@Example.test' }));
        expect((await storage.users.findByUsername('mixedcase'))?.id).toBe(created.id);
        expect((await storage.users.findByUsername('MIXEDCASE'))?.id).toBe(created.id);
        expect((await storage.users.findByEmail('mixed@example.TEST'))?.id).toBe(created.id);
      });

      it('keeps Chinese usernames intact', async () => {
        const created = await storage.users.create(newUser({ username: '张伟' }));
        expect((await storage.users.findByUsername('张伟'))?.id).toBe(created.id);
        expect((await storage.users.findById(created.id))?.username).toBe('张伟');
        expect(await storage.users.findByUsername('张')).toBeNull();
      });

      it('refuses a second user whose username differs only in letter case', async () => {
        await storage.users.create(newUser({ username: 'Carol' }));
        await expect(storage.users.create(newUser({ username: 'carol' }))).rejects.toThrow();
        expect(await storage.users.count()).toBe(1);
      });

      it('refuses a second user with the same email in another letter case', async () => {
        await storage.users.create(newUser({ email: 'dup@example.test' }));
        await expect(storage.users.create(newUser({ email: 'DUP@example.test' }))).rejects.toThrow();
        expect(await storage.users.count()).toBe(1);
      });

      it('returns null for unknown names and emails', async () => {
        expect(await storage.users.findByUsername('nobody')).toBeNull();
        expect(await storage.users.findByEmail('nobody@example.test')).toBeNull();
      });

      it.each(MALFORMED_IDS)('returns null rather than throwing for the malformed id %j', async (id) => {
        await storage.users.create(newUser());
        expect(await storage.users.findById(id)).toBeNull();
      });

      it('findManyByIds returns the known users once each and skips malformed or unknown ids', async () => {
        const a = await storage.users.create(newUser());
        const b = await storage.users.create(newUser());
        await storage.users.create(newUser());
        const found = await storage.users.findManyByIds([a.id, ...MALFORMED_IDS, b.id, a.id]);
        expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
        expect(await storage.users.findManyByIds([])).toEqual([]);
        expect(await storage.users.findManyByIds(MALFORMED_IDS)).toEqual([]);
      });

      it('authorsByIds gives what pages show of each author, and never their e-mail or password hash', async () => {
        const a = await storage.users.create(newUser());
        const b = await storage.users.create(newUser());
        const found = await storage.users.authorsByIds([b.id, ...MALFORMED_IDS, a.id, b.id, '999999999']);
        const full = new Map((await storage.users.findManyByIds([a.id, b.id])).map((u) => [u.id, u]));
        expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
        for (const author of found) {
          const user = full.get(author.id)!;
          expect(author).toEqual({ id: user.id, username: user.username, displayName: user.displayName, reputation: user.reputation });
        }
        expect(await storage.users.authorsByIds([])).toEqual([]);
        expect(await storage.users.authorsByIds(MALFORMED_IDS)).toEqual([]);
      });

      it('updatePasswordAndRevokeSessions replaces the hash and removes every session of that user only', async () => {
        const alice = await storage.users.create(newUser());
        const bob = await storage.users.create(newUser());
        const now = Date.now();
        await storage.sessions.create({ id: sessionId(1), userId: alice.id, expiresAt: now + DAY, createdAt: now });
        await storage.sessions.create({ id: sessionId(2), userId: alice.id, expiresAt: now + DAY, createdAt: now });
        await storage.sessions.create({ id: sessionId(3), userId: bob.id, expiresAt: now + DAY, createdAt: now });
        await storage.users.updatePasswordAndRevokeSessions(alice.id, '$argon2id$new');
        expect((await storage.users.findById(alice.id))?.passwordHash).toBe('$argon2id$new');
        expect(await storage.sessions.findWithUser(sessionId(1))).toBeNull();
        expect(await storage.sessions.findWithUser(sessionId(2))).toBeNull();
        expect((await storage.sessions.findWithUser(sessionId(3)))?.user.id).toBe(bob.id);
        expect((await storage.users.findById(bob.id))?.passwordHash).toBe(bob.passwordHash);
      });

      it('updatePasswordAndRevokeSessions and setAdmin ignore a malformed id', async () => {
        const alice = await storage.users.create(newUser());
        await expect(storage.users.updatePasswordAndRevokeSessions('not-an-id', 'h')).resolves.toBeUndefined();
        await expect(storage.users.setAdmin('not-an-id', true)).resolves.toBeUndefined();
        expect(await storage.users.findById(alice.id)).toEqual(alice);
      });

      it('setAdmin grants and revokes site admin', async () => {
        const user = await storage.users.create(newUser());
        await storage.users.setAdmin(user.id, true);
        expect((await storage.users.findById(user.id))?.isAdmin).toBe(true);
        await storage.users.setAdmin(user.id, false);
        expect((await storage.users.findById(user.id))?.isAdmin).toBe(false);
      });

      it('counts users', async () => {
        expect(await storage.users.count()).toBe(0);
        await storage.users.create(newUser());
        await storage.users.create(newUser());
        expect(await storage.users.count()).toBe(2);
      });
    });

    describe('sessions', () => {
      it('creates a session and finds it with its user', async () => {
        const user = await storage.users.create(newUser({ username: 'sessy' }));
        const session: Session = { id: sessionId(10), userId: user.id, expiresAt: 2_000_000, createdAt: 1_000_000 };
        await storage.sessions.create(session);
        const found = await storage.sessions.findWithUser(session.id);
        expect(found?.session).toEqual(session);
        expect(found?.user.id).toBe(user.id);
        expect(found?.user.username).toBe('sessy');
      });

      it('returns null for an unknown or odd session id', async () => {
        expect(await storage.sessions.findWithUser(sessionId(99))).toBeNull();
        expect(await storage.sessions.findWithUser('')).toBeNull();
        expect(await storage.sessions.findWithUser("' OR 1=1 --")).toBeNull();
      });

      it('updates the expiry', async () => {
        const user = await storage.users.create(newUser());
        await storage.sessions.create({ id: sessionId(11), userId: user.id, expiresAt: 5, createdAt: 1 });
        await storage.sessions.updateExpiry(sessionId(11), 500);
        expect((await storage.sessions.findWithUser(sessionId(11)))?.session.expiresAt).toBe(500);
      });

      it('deletes one session, or all sessions of a user', async () => {
        const a = await storage.users.create(newUser());
        const b = await storage.users.create(newUser());
        await storage.sessions.create({ id: sessionId(21), userId: a.id, expiresAt: 10 * DAY, createdAt: 0 });
        await storage.sessions.create({ id: sessionId(22), userId: a.id, expiresAt: 10 * DAY, createdAt: 0 });
        await storage.sessions.create({ id: sessionId(23), userId: b.id, expiresAt: 10 * DAY, createdAt: 0 });
        await storage.sessions.delete(sessionId(21));
        expect(await storage.sessions.findWithUser(sessionId(21))).toBeNull();
        expect(await storage.sessions.findWithUser(sessionId(22))).not.toBeNull();
        await storage.sessions.delete(sessionId(99)); // unknown: no error
        await storage.sessions.deleteAllForUser(a.id);
        expect(await storage.sessions.findWithUser(sessionId(22))).toBeNull();
        expect(await storage.sessions.findWithUser(sessionId(23))).not.toBeNull();
        await expect(storage.sessions.deleteAllForUser('not-an-id')).resolves.toBeUndefined();
        expect(await storage.sessions.findWithUser(sessionId(23))).not.toBeNull();
      });

      it('deleteExpired removes sessions expiring at or before now and returns how many', async () => {
        const user = await storage.users.create(newUser());
        await storage.sessions.create({ id: sessionId(31), userId: user.id, expiresAt: 100, createdAt: 0 });
        await storage.sessions.create({ id: sessionId(32), userId: user.id, expiresAt: 200, createdAt: 0 });
        await storage.sessions.create({ id: sessionId(33), userId: user.id, expiresAt: 300, createdAt: 0 });
        expect(await storage.sessions.deleteExpired(200)).toBe(2);
        expect(await storage.sessions.findWithUser(sessionId(31))).toBeNull();
        expect(await storage.sessions.findWithUser(sessionId(32))).toBeNull();
        expect(await storage.sessions.findWithUser(sessionId(33))).not.toBeNull();
        expect(await storage.sessions.deleteExpired(200)).toBe(0);
      });
    });

    describe('communities', () => {
      it('creates a community with zero counts and the default promotion threshold', async () => {
        const before = Date.now();
        const c = await community('coffee', { name: 'Coffee' });
        expect(typeof c.id).toBe('string');
        expect(c).toMatchObject({
          slug: 'coffee',
          name: 'Coffee',
          kind: 'interest',
          descriptionMd: 'About coffee',
          descriptionHtml: '<p>About coffee</p>',
          defaultLocale: 'en',
          memberCount: 0,
          questionCount: 0,
          promotionThreshold: 5,
        });
        expect(c.createdAt).toBeGreaterThanOrEqual(before);
        expect(c.updatedAt).toBe(c.createdAt);
        expect(await storage.communities.findById(c.id)).toEqual(c);
        expect(await storage.communities.findBySlug('coffee')).toEqual(c);
      });

      it('stores a given promotion threshold and locale', async () => {
        const c = await storage.communities.create({
          slug: 'camera',
          name: '相机',
          kind: 'business',
          descriptionMd: '',
          descriptionHtml: '',
          defaultLocale: 'zh-CN',
          promotionThreshold: 9,
        });
        expect(c).toMatchObject({ name: '相机', kind: 'business', defaultLocale: 'zh-CN', promotionThreshold: 9 });
      });

      it('refuses a duplicate slug with a ConflictError', async () => {
        await community('dup');
        await expect(community('dup')).rejects.toBeInstanceOf(ConflictError);
        expect(await storage.communities.list()).toHaveLength(1);
      });

      it('updates the given fields only, never the slug, and moves updatedAt', async () => {
        const c = await community('edit-me', { name: 'Before' });
        await new Promise((r) => setTimeout(r, 5));
        const updated = await storage.communities.update(c.id, { name: 'After', kind: 'business', promotionThreshold: 7 });
        expect(updated).toMatchObject({ id: c.id, slug: 'edit-me', name: 'After', kind: 'business', promotionThreshold: 7, descriptionMd: c.descriptionMd });
        expect(updated.updatedAt).toBeGreaterThan(c.updatedAt);
        expect(await storage.communities.findBySlug('edit-me')).toEqual(updated);
      });

      it('update of a malformed or unknown id is a NotFoundError', async () => {
        const c = await community('exists');
        await expect(storage.communities.update('not-an-id', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
        expect((await storage.communities.findById(c.id))?.name).toBe(c.name);
      });

      it('returns null for unknown slugs and malformed ids', async () => {
        await community('known');
        expect(await storage.communities.findBySlug('unknown')).toBeNull();
        expect(await storage.communities.findBySlug('KNOWN')).toBeNull();
        for (const id of MALFORMED_IDS) expect(await storage.communities.findById(id)).toBeNull();
      });

      it('lists communities by name, ignoring letter case', async () => {
        await community('b', { name: 'banana' });
        await community('a', { name: 'Apple' });
        await community('c', { name: 'cherry' });
        expect((await storage.communities.list()).map((c) => c.name)).toEqual(['Apple', 'banana', 'cherry']);
      });
    });

    describe('memberships', () => {
      it('joins, finds the membership and counts the member', async () => {
        const c = await community('join');
        const u = await storage.users.create(newUser());
        const m = await storage.memberships.upsert(c.id, u.id, 'member');
        expect(m).toMatchObject({ communityId: c.id, userId: u.id, role: 'member' });
        expect(typeof m.joinedAt).toBe('number');
        expect(await storage.memberships.find(c.id, u.id)).toEqual(m);
        expect((await storage.communities.findById(c.id))?.memberCount).toBe(1);
      });

      it('changing the role of an existing member does not count them twice and keeps the join date', async () => {
        const c = await community('roles');
        const u = await storage.users.create(newUser());
        const joined = await storage.memberships.upsert(c.id, u.id, 'member');
        const promoted = await storage.memberships.upsert(c.id, u.id, 'moderator');
        expect(promoted.role).toBe('moderator');
        expect(promoted.joinedAt).toBe(joined.joinedAt);
        await storage.memberships.upsert(c.id, u.id, 'staff');
        await storage.memberships.upsert(c.id, u.id, 'staff');
        expect((await storage.memberships.find(c.id, u.id))?.role).toBe('staff');
        expect((await storage.communities.findById(c.id))?.memberCount).toBe(1);
      });

      it('counts members per community', async () => {
        const c1 = await community('one');
        const c2 = await community('two');
        const users = await Promise.all([1, 2, 3].map(() => storage.users.create(newUser())));
        for (const u of users) await storage.memberships.upsert(c1.id, u.id, 'member');
        await storage.memberships.upsert(c2.id, users[0]!.id, 'moderator');
        expect((await storage.communities.findById(c1.id))?.memberCount).toBe(3);
        expect((await storage.communities.findById(c2.id))?.memberCount).toBe(1);
      });

      it('remove leaves, lowers the count, and returns false when the user was not a member', async () => {
        const c = await community('leave');
        const u = await storage.users.create(newUser());
        const other = await storage.users.create(newUser());
        await storage.memberships.upsert(c.id, u.id, 'member');
        await storage.memberships.upsert(c.id, other.id, 'member');
        expect(await storage.memberships.remove(c.id, u.id)).toBe(true);
        expect(await storage.memberships.find(c.id, u.id)).toBeNull();
        expect((await storage.communities.findById(c.id))?.memberCount).toBe(1);
        expect(await storage.memberships.remove(c.id, u.id)).toBe(false);
        expect((await storage.communities.findById(c.id))?.memberCount).toBe(1);
        expect(await storage.memberships.remove(c.id, 'not-an-id')).toBe(false);
        expect(await storage.memberships.remove('not-an-id', other.id)).toBe(false);
        expect((await storage.communities.findById(c.id))?.memberCount).toBe(1);
      });

      it('can join again after leaving', async () => {
        const c = await community('rejoin');
        const u = await storage.users.create(newUser());
        await storage.memberships.upsert(c.id, u.id, 'member');
        await storage.memberships.remove(c.id, u.id);
        await storage.memberships.upsert(c.id, u.id, 'member');
        expect((await storage.communities.findById(c.id))?.memberCount).toBe(1);
      });

      it('find returns null for non-members and malformed ids', async () => {
        const c = await community('find');
        const u = await storage.users.create(newUser());
        expect(await storage.memberships.find(c.id, u.id)).toBeNull();
        for (const id of MALFORMED_IDS) {
          expect(await storage.memberships.find(id, u.id)).toBeNull();
          expect(await storage.memberships.find(c.id, id)).toBeNull();
        }
      });

      it('listForUser returns the memberships with their communities, by community name', async () => {
        const zeta = await community('zeta', { name: 'Zeta' });
        const alpha = await community('alpha', { name: 'alpha' });
        await community('not-joined', { name: 'Beta' });
        const u = await storage.users.create(newUser());
        await storage.memberships.upsert(zeta.id, u.id, 'moderator');
        await storage.memberships.upsert(alpha.id, u.id, 'member');
        const list = await storage.memberships.listForUser(u.id);
        expect(list.map((m) => m.community.slug)).toEqual(['alpha', 'zeta']);
        expect(list[1]!.membership.role).toBe('moderator');
        expect(list[1]!.community).toEqual(await storage.communities.findById(zeta.id));
        expect(await storage.memberships.listForUser('not-an-id')).toEqual([]);
        // Only the roles above member, for the moderation menu.
        const staff = await storage.memberships.listForUser(u.id, { staffOnly: true });
        expect(staff.map((m) => [m.community.slug, m.membership.role])).toEqual([['zeta', 'moderator']]);
        const plain = await storage.users.create(newUser());
        await storage.memberships.upsert(alpha.id, plain.id, 'member');
        expect(await storage.memberships.listForUser(plain.id, { staffOnly: true })).toEqual([]);
      });

      it('membershipsOf returns every membership of the user and only theirs, with roles', async () => {
        const a = await community('mo-a');
        const b = await community('mo-b');
        const u = await storage.users.create(newUser());
        const other = await storage.users.create(newUser());
        expect(await storage.memberships.membershipsOf(u.id)).toEqual([]);
        await storage.memberships.upsert(a.id, u.id, 'member');
        await storage.memberships.upsert(b.id, u.id, 'staff');
        await storage.memberships.upsert(a.id, other.id, 'moderator');
        const mine = (await storage.memberships.membershipsOf(u.id)).sort((x, y) => (x.communityId < y.communityId ? -1 : 1));
        expect(mine).toEqual([await storage.memberships.find(a.id, u.id), await storage.memberships.find(b.id, u.id)].sort((x, y) => (x!.communityId < y!.communityId ? -1 : 1)));
        expect(mine.map((m) => m.role).sort()).toEqual(['member', 'staff']);
        await storage.memberships.remove(a.id, u.id);
        expect((await storage.memberships.membershipsOf(u.id)).map((m) => m.communityId)).toEqual([b.id]);
        expect(await storage.memberships.membershipsOf('not-an-id')).toEqual([]);
      });

      it('listStaff returns moderators and staff but not plain members, with their users', async () => {
        const c = await community('staffed', { kind: 'business' });
        const mod = await storage.users.create(newUser({ username: 'mod1' }));
        const staff = await storage.users.create(newUser({ username: 'staff1' }));
        const member = await storage.users.create(newUser({ username: 'member1' }));
        await storage.memberships.upsert(c.id, mod.id, 'moderator');
        await storage.memberships.upsert(c.id, staff.id, 'staff');
        await storage.memberships.upsert(c.id, member.id, 'member');
        const list = await storage.memberships.listStaff(c.id);
        expect(list.map((s) => [s.user.username, s.membership.role]).sort()).toEqual([
          ['mod1', 'moderator'],
          ['staff1', 'staff'],
        ]);
        expect(list.find((s) => s.user.username === 'mod1')?.user.id).toBe(mod.id);
        // demoting to member removes them from the staff list
        await storage.memberships.upsert(c.id, mod.id, 'member');
        expect((await storage.memberships.listStaff(c.id)).map((s) => s.user.username)).toEqual(['staff1']);
        expect(await storage.memberships.listStaff('not-an-id')).toEqual([]);
      });

      it('listStaff never exposes password hashes', async () => {
        const c = await community('hashes');
        const mod = await storage.users.create(newUser({ passwordHash: '$argon2id$secret' }));
        await storage.memberships.upsert(c.id, mod.id, 'moderator');
        const [entry] = await storage.memberships.listStaff(c.id);
        expect(entry!.user.passwordHash).not.toContain('secret');
      });
    });

    describe('rate limits', () => {
      it('counts hits within a fixed window', async () => {
        expect(await storage.rateLimits.hit('k', 1000, 10_000)).toEqual({ count: 1, resetAt: 11_000 });
        expect(await storage.rateLimits.hit('k', 1000, 10_400)).toEqual({ count: 2, resetAt: 11_000 });
        expect(await storage.rateLimits.hit('k', 1000, 10_999)).toEqual({ count: 3, resetAt: 11_000 });
        expect(await storage.rateLimits.peek('k', 10_999)).toEqual({ count: 3, resetAt: 11_000 });
      });

      it('starts a new window once the old one has ended', async () => {
        await storage.rateLimits.hit('k', 1000, 10_000);
        await storage.rateLimits.hit('k', 1000, 10_500);
        expect(await storage.rateLimits.peek('k', 11_000)).toBeNull();
        expect(await storage.rateLimits.hit('k', 1000, 11_000)).toEqual({ count: 1, resetAt: 12_000 });
        expect(await storage.rateLimits.hit('k', 1000, 11_200)).toEqual({ count: 2, resetAt: 12_000 });
      });

      it('keeps keys apart', async () => {
        await storage.rateLimits.hit('a', 1000, 0);
        await storage.rateLimits.hit('a', 1000, 0);
        await storage.rateLimits.hit('b', 1000, 0);
        expect((await storage.rateLimits.peek('a', 1))?.count).toBe(2);
        expect((await storage.rateLimits.peek('b', 1))?.count).toBe(1);
        expect(await storage.rateLimits.peek('c', 1)).toBeNull();
      });

      it('reset forgets a key', async () => {
        await storage.rateLimits.hit('login:account:alice', 60_000, 0);
        await storage.rateLimits.reset('login:account:alice');
        expect(await storage.rateLimits.peek('login:account:alice', 1)).toBeNull();
        expect(await storage.rateLimits.hit('login:account:alice', 60_000, 1)).toEqual({ count: 1, resetAt: 60_001 });
        await expect(storage.rateLimits.reset('never-seen')).resolves.toBeUndefined();
      });

      it('reserve takes attempts up to each limit, then refuses without counting', async () => {
        const keys = [{ key: 'ip', limit: 4 }, { key: 'acct', limit: 2 }];
        expect(await storage.rateLimits.reserve(keys, 1000, 10_000)).toEqual({ granted: true });
        expect(await storage.rateLimits.reserve(keys, 1000, 10_100)).toEqual({ granted: true });
        expect(await storage.rateLimits.reserve(keys, 1000, 10_200)).toEqual({ granted: false, resetAt: 11_000 });
        // the refused attempt took nothing from the other key
        expect((await storage.rateLimits.peek('ip', 10_200))?.count).toBe(2);
        expect((await storage.rateLimits.peek('acct', 10_200))?.count).toBe(2);
        // a new window starts over
        expect(await storage.rateLimits.reserve(keys, 1000, 11_000)).toEqual({ granted: true });
        expect(await storage.rateLimits.peek('acct', 11_000)).toEqual({ count: 1, resetAt: 12_000 });
      });

      it('release gives one attempt back, never below zero', async () => {
        await storage.rateLimits.reserve([{ key: 'r', limit: 1 }], 1000, 0);
        expect((await storage.rateLimits.reserve([{ key: 'r', limit: 1 }], 1000, 1)).granted).toBe(false);
        await storage.rateLimits.release('r', 2);
        expect((await storage.rateLimits.reserve([{ key: 'r', limit: 1 }], 1000, 3)).granted).toBe(true);
        await storage.rateLimits.release('r', 4);
        await storage.rateLimits.release('r', 4);
        expect((await storage.rateLimits.peek('r', 5))?.count).toBe(0);
        await expect(storage.rateLimits.release('never-seen', 5)).resolves.toBeUndefined();
      });

      it('concurrent reservations never pass the limit', async () => {
        const results = await Promise.all(Array.from({ length: 30 }, () => storage.rateLimits.reserve([{ key: 'race', limit: 5 }], 60_000, 1000)));
        expect(results.filter((r) => r.granted)).toHaveLength(5);
        expect((await storage.rateLimits.peek('race', 1000))?.count).toBe(5);
      });

      it('counts concurrent hits without losing any', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => storage.rateLimits.hit('burst', 60_000, 1000)));
        expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect((await storage.rateLimits.peek('burst', 1000))?.count).toBe(20);
      });
    });

    describe('meta', () => {
      it('gets null for a missing key, then the value set, then the replaced value', async () => {
        expect(await storage.meta.get('seeded')).toBeNull();
        await storage.meta.set('seeded', '1');
        expect(await storage.meta.get('seeded')).toBe('1');
        await storage.meta.set('seeded', '中文 value');
        expect(await storage.meta.get('seeded')).toBe('中文 value');
        expect(await storage.meta.get('other')).toBeNull();
      });
    });
  });
}
