import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/errors.js';
import type { NewAccountToken, NewMail, Storage } from '../../src/db/ports.js';

/*
 * The outbound mail queue and notification preferences contract (src/db/ports.ts, "Outbound
 * mail"): idempotent enqueue, leased claims shared by several workers, sent/failed marks that
 * only the lease holder can make, the admin listing. makeStorage returns a fresh, empty store.
 */

const T = 1_700_000_000_000;
const LEASE = 60_000;

export function runMailContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`mail queue contract: ${name}`, () => {
    let storage: Storage;
    let userId: string;
    beforeEach(async () => {
      storage = await makeStorage();
      userId = (await storage.users.create({ username: 'mailee', email: 'mailee@example.test', displayName: 'Mailee', passwordHash: 'x' })).id;
    });
    afterEach(async () => {
      await storage.close();
    });

    const mail = (key: string, extra: Partial<NewMail> = {}): NewMail => ({
      idempotencyKey: key,
      to: 'mailee@example.test',
      userId,
      kind: 'answer',
      locale: 'zh-CN',
      subject: `主题 ${key}`,
      html: `<p>${key}</p>`,
      text: key,
      headers: { 'List-Unsubscribe': '<https://forum.test/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      now: T,
      ...extra,
    });

    it('one idempotency key queues one mail, however often it is enqueued', async () => {
      const first = await storage.mail.queue.enqueue(mail('answer:1'));
      const again = await storage.mail.queue.enqueue(mail('answer:1', { subject: 'changed', now: T + 5 }));
      expect(first.created).toBe(true);
      expect(again).toEqual({ id: first.id, created: false });
      const listed = await storage.mail.queue.list(0, 10);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        id: first.id, to: 'mailee@example.test', userId, kind: 'answer', locale: 'zh-CN', subject: '主题 answer:1', html: '<p>answer:1</p>', text: 'answer:1',
        headers: { 'List-Unsubscribe': '<https://forum.test/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        status: 'queued', attempts: 0, lastError: null, createdAt: T, sentAt: null,
      });
      expect(await storage.mail.queue.counts()).toEqual({ queued: 1, sent: 0, failed: 0 });
    });

    it('claims due mails oldest first, and two workers never get the same mail', async () => {
      await storage.mail.queue.enqueue(mail('b', { now: T + 2 }));
      await storage.mail.queue.enqueue(mail('a', { now: T + 1 }));
      await storage.mail.queue.enqueue(mail('later', { now: T + 10_000 }));
      const w1 = await storage.mail.queue.claim('w1', 1, T + 100, LEASE);
      const w2 = await storage.mail.queue.claim('w2', 10, T + 100, LEASE);
      expect(w1.map((m) => m.idempotencyKey)).toEqual(['a']);
      expect(w2.map((m) => m.idempotencyKey)).toEqual(['b']);
      expect(await storage.mail.queue.claim('w3', 10, T + 100, LEASE)).toEqual([]);
      // the lease runs out: a worker that died leaves the mail to the next one
      expect((await storage.mail.queue.claim('w3', 10, T + 100 + LEASE + 1, LEASE)).map((m) => m.idempotencyKey)).toEqual(['a', 'b', 'later']);
    });

    it('marks a mail sent only for the worker holding it', async () => {
      const { id } = await storage.mail.queue.enqueue(mail('x'));
      await storage.mail.queue.claim('w1', 10, T, LEASE);
      // w1's lease expires and w2 takes over: w1's late answer must change nothing
      await storage.mail.queue.claim('w2', 10, T + LEASE + 1, LEASE);
      await storage.mail.queue.markSent('w1', id, '<late@x>', T + LEASE + 2);
      expect(await storage.mail.queue.findById(id)).toMatchObject({ status: 'queued', sentAt: null });
      await storage.mail.queue.markSent('w2', id, '<m1@forum.test>', T + LEASE + 3);
      expect(await storage.mail.queue.findById(id)).toMatchObject({ status: 'sent', sentAt: T + LEASE + 3, messageId: '<m1@forum.test>', attempts: 1 });
      expect(await storage.mail.queue.claim('w3', 10, T + 10 * LEASE, LEASE)).toEqual([]);
      expect(await storage.mail.queue.counts()).toEqual({ queued: 0, sent: 1, failed: 0 });
    });

    it('a failed attempt waits until its retry time; giving up marks it failed with the error', async () => {
      const { id } = await storage.mail.queue.enqueue(mail('y'));
      await storage.mail.queue.claim('w', 10, T, LEASE);
      await storage.mail.queue.markFailed('w', id, 'connect ECONNREFUSED', T + 30_000, false);
      expect(await storage.mail.queue.findById(id)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'connect ECONNREFUSED', nextAttemptAt: T + 30_000 });
      expect(await storage.mail.queue.claim('w', 10, T + 29_999, LEASE)).toEqual([]);
      const again = await storage.mail.queue.claim('w', 10, T + 30_000, LEASE);
      expect(again.map((m) => m.id)).toEqual([id]);
      await storage.mail.queue.markFailed('w', id, '550 mailbox unavailable '.repeat(100), T + 90_000, true);
      const failed = await storage.mail.queue.findById(id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
      expect(failed!.lastError!.startsWith('550 mailbox unavailable')).toBe(true);
      expect(failed!.lastError!.length).toBeLessThanOrEqual(1000);
      expect(await storage.mail.queue.claim('w', 10, T + 10 ** 9, LEASE)).toEqual([]);
      expect(await storage.mail.queue.counts()).toEqual({ queued: 0, sent: 0, failed: 1 });
    });

    it('lists newest first in pages; unknown and malformed ids are not found', async () => {
      for (let i = 0; i < 5; i++) await storage.mail.queue.enqueue(mail(`k${i}`, { now: T + i }));
      expect((await storage.mail.queue.list(0, 2)).map((m) => m.idempotencyKey)).toEqual(['k4', 'k3']);
      expect((await storage.mail.queue.list(4, 2)).map((m) => m.idempotencyKey)).toEqual(['k0']);
      expect(await storage.mail.queue.findById('999999')).toBeNull();
      expect(await storage.mail.queue.findById('abc')).toBeNull();
    });

    it('keeps one preference per member and kind; the latest choice wins', async () => {
      expect(await storage.mail.prefs.get(userId)).toEqual({});
      await storage.mail.prefs.set(userId, 'answer', 'inbox', T);
      await storage.mail.prefs.set(userId, 'comment', 'off', T);
      await storage.mail.prefs.set(userId, 'answer', 'email', T + 1);
      expect(await storage.mail.prefs.get(userId)).toEqual({ answer: 'email', comment: 'off' });
      expect(await storage.mail.prefs.get('malformed')).toEqual({});
    });
  });
}

export function runAccountMailContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`account mail contract: ${name}`, () => {
    let storage: Storage;
    let userId: string;
    beforeEach(async () => {
      storage = await makeStorage();
      userId = (await storage.users.create({ username: 'tokenee', email: 'Tokenee@example.test', displayName: 'T', passwordHash: 'old-hash' })).id;
    });
    afterEach(async () => {
      await storage.close();
    });

    let n = 0;
    const hash = () => (++n).toString(16).padStart(64, '0');
    const token = (purpose: NewAccountToken['purpose'], extra: Partial<NewAccountToken> = {}): NewAccountToken => ({
      hash: hash(), userId, purpose, email: 'tokenee@example.test', now: T, expiresAt: T + 3_600_000, ...extra,
    });
    const mailFor = (t: NewAccountToken): NewMail => ({
      idempotencyKey: `${t.purpose}:${t.hash}`, to: t.email, userId, kind: t.purpose, locale: 'en', subject: 's', html: 'h', text: 't', headers: {}, now: T,
    });
    async function issue(t: NewAccountToken): Promise<string> {
      await storage.mail.accounts.issueToken(t, mailFor(t));
      return t.hash;
    }

    it('issuing a token stores it and queues its mail together', async () => {
      const t = token('verify');
      await issue(t);
      expect(await storage.mail.accounts.findToken(t.hash)).toEqual({ userId, purpose: 'verify', email: 'tokenee@example.test', createdAt: T, expiresAt: T + 3_600_000, usedAt: null });
      expect((await storage.mail.queue.list(0, 10)).map((m) => m.idempotencyKey)).toEqual([`verify:${t.hash}`]);
      expect(await storage.mail.accounts.findToken(hash())).toBeNull();
    });

    it('a verify link works once, before it expires, for the address the account still has', async () => {
      expect(await storage.mail.accounts.profile(userId)).toBeNull();
      const h = await issue(token('verify'));
      expect(await storage.mail.accounts.consumeReset(h, 'x', T + 1)).toBeNull(); // wrong purpose
      expect(await storage.mail.accounts.consumeVerify(h, T + 1)).toEqual({ userId, email: 'Tokenee@example.test' });
      expect(await storage.mail.accounts.consumeVerify(h, T + 2)).toBeNull();
      expect(await storage.mail.accounts.profile(userId)).toMatchObject({ verifiedEmail: 'Tokenee@example.test', verifiedAt: T + 1 });
      const late = await issue(token('verify'));
      expect(await storage.mail.accounts.consumeVerify(late, T + 3_600_000)).toBeNull();
    });

    it('a verify link for an address the account no longer has verifies nothing', async () => {
      const h = await issue(token('verify', { email: 'old@example.test' }));
      expect(await storage.mail.accounts.consumeVerify(h, T + 1)).toBeNull();
      expect(await storage.mail.accounts.profile(userId)).toBeNull();
    });

    it('a reset sets the password, ends every session and kills the other reset links', async () => {
      await storage.sessions.create({ id: 's1', userId, expiresAt: T * 2, createdAt: T });
      const h1 = await issue(token('reset'));
      const h2 = await issue(token('reset'));
      expect(await storage.mail.accounts.consumeReset(h1, 'new-hash', T + 5)).toEqual({ userId });
      expect((await storage.users.findById(userId))!.passwordHash).toBe('new-hash');
      expect(await storage.sessions.findWithUser('s1')).toBeNull();
      expect(await storage.mail.accounts.consumeReset(h1, 'again', T + 6)).toBeNull();
      expect(await storage.mail.accounts.consumeReset(h2, 'again', T + 6)).toBeNull();
      expect((await storage.users.findById(userId))!.passwordHash).toBe('new-hash');
    });

    it('a change-of-address link moves the account to the new, verified address; a taken address changes nothing', async () => {
      await storage.users.create({ username: 'other', email: 'taken@example.test', displayName: 'O', passwordHash: 'x' });
      const taken = await issue(token('change-email', { email: 'TAKEN@example.test' }));
      await expect(storage.mail.accounts.consumeChangeEmail(taken, T + 1)).rejects.toBeInstanceOf(ConflictError);
      expect((await storage.users.findById(userId))!.email).toBe('Tokenee@example.test');
      expect((await storage.mail.accounts.findToken(taken))!.usedAt).toBeNull();

      const h = await issue(token('change-email', { email: 'new@example.test' }));
      expect(await storage.mail.accounts.consumeChangeEmail(h, T + 2)).toEqual({ userId, email: 'new@example.test' });
      expect((await storage.users.findById(userId))!.email).toBe('new@example.test');
      expect((await storage.users.findByEmail('NEW@example.test'))!.id).toBe(userId);
      expect(await storage.mail.accounts.profile(userId)).toMatchObject({ verifiedEmail: 'new@example.test', verifiedAt: T + 2 });
      expect(await storage.mail.accounts.consumeChangeEmail(h, T + 3)).toBeNull();
    });

    it('remembers the language mail is written in', async () => {
      await storage.mail.accounts.setLocale(userId, 'zh-CN');
      expect(await storage.mail.accounts.profile(userId)).toEqual({ userId, locale: 'zh-CN', verifiedEmail: null, verifiedAt: null });
      await storage.mail.accounts.setLocale(userId, 'en');
      const map = await storage.mail.accounts.profiles([userId, 'bad', '99999']);
      expect([...map.keys()]).toEqual([userId]);
      expect(map.get(userId)!.locale).toBe('en');
    });
  });
}

export function runNotificationContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`notifications and watches contract: ${name}`, () => {
    let storage: Storage;
    let a: string;
    let b: string;
    beforeEach(async () => {
      storage = await makeStorage();
      a = (await storage.users.create({ username: 'asker', email: 'asker@example.test', displayName: 'A', passwordHash: 'x' })).id;
      b = (await storage.users.create({ username: 'helper', email: 'helper@example.test', displayName: 'B', passwordHash: 'x' })).id;
    });
    afterEach(async () => {
      await storage.close();
    });

    const note = (eventKey: string, now = T, userId = a) => ({ userId, eventKey, kind: 'answer', actorId: b, threadId: '7', title: 'How to roast?', link: '/c/coffee/q/7/roast', now });
    const mail = (key: string, now = T): NewMail => ({ idempotencyKey: key, to: 'asker@example.test', userId: a, kind: 'answer', locale: 'en', subject: 's', html: 'h', text: 't', headers: {}, now });

    it('records one notification per member and event, with its mail, and batches mail per thread', async () => {
      expect(await storage.mail.notifications.record([{ notification: note('answer:1'), mail: mail(`notify:${a}:t7:answer:1`), batch: { prefix: `notify:${a}:t7:`, since: T - 600_000 } }])).toBe(1);
      expect(await storage.mail.notifications.record([{ notification: note('answer:1'), mail: mail(`notify:${a}:t7:answer:1`) }])).toBe(0);
      // a second event on the thread within the window: in the inbox, but no second mail
      expect(await storage.mail.notifications.record([{ notification: note('answer:2', T + 60_000), mail: mail(`notify:${a}:t7:answer:2`, T + 60_000), batch: { prefix: `notify:${a}:t7:`, since: T + 60_000 - 600_000 } }])).toBe(1);
      // after the window: mailed again
      const later = T + 700_000;
      await storage.mail.notifications.record([{ notification: note('answer:3', later), mail: mail(`notify:${a}:t7:answer:3`, later), batch: { prefix: `notify:${a}:t7:`, since: later - 600_000 } }]);
      expect((await storage.mail.queue.list(0, 10)).map((m) => m.idempotencyKey)).toEqual([`notify:${a}:t7:answer:3`, `notify:${a}:t7:answer:1`]);
      const inbox = await storage.mail.notifications.list(a, 0, 10);
      expect(inbox.map((n) => n.createdAt)).toEqual([later, T + 60_000, T]);
      expect(inbox[0]).toMatchObject({ userId: a, kind: 'answer', actorId: b, threadId: '7', title: 'How to roast?', link: '/c/coffee/q/7/roast', readAt: null });
      expect(await storage.mail.notifications.unreadCount(a)).toBe(3);
      expect(await storage.mail.notifications.unreadOnThread(a, '7')).toBe(3);
      expect(await storage.mail.notifications.unreadCount(b)).toBe(0);
    });

    it('marks one or all read, and only the member\'s own', async () => {
      await storage.mail.notifications.record([{ notification: note('x:1'), mail: null }, { notification: note('x:2', T + 1), mail: null }, { notification: note('x:3', T, b), mail: null }]);
      const [newest] = await storage.mail.notifications.list(a, 0, 1);
      expect(await storage.mail.notifications.markRead(b, newest!.id, T + 5)).toBe(false);
      expect(await storage.mail.notifications.markRead(a, newest!.id, T + 5)).toBe(true);
      expect(await storage.mail.notifications.markRead(a, newest!.id, T + 6)).toBe(false);
      expect(await storage.mail.notifications.unreadCount(a)).toBe(1);
      expect(await storage.mail.notifications.markAllRead(a, T + 7)).toBe(1);
      expect(await storage.mail.notifications.unreadCount(a)).toBe(0);
      expect(await storage.mail.notifications.unreadCount(b)).toBe(1);
      expect((await storage.mail.notifications.list(a, 1, 5)).map((n) => n.readAt)).toEqual([T + 7]);
    });

    it('keeps watches per member and target', async () => {
      await storage.mail.watches.watch(a, 'question', '7', T);
      await storage.mail.watches.watch(a, 'question', '7', T);
      await storage.mail.watches.watch(b, 'question', '7', T);
      await storage.mail.watches.watch(b, 'tag', '1:roasting', T);
      expect(await storage.mail.watches.watchers('question', '7')).toEqual([a, b].sort((x, y) => Number(x) - Number(y)));
      expect(await storage.mail.watches.isWatching(b, 'tag', '1:roasting')).toBe(true);
      await storage.mail.watches.unwatch(a, 'question', '7');
      expect(await storage.mail.watches.watchers('question', '7')).toEqual([b]);
      expect(await storage.mail.watches.isWatching(a, 'question', '7')).toBe(false);
    });
  });
}
