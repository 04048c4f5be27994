import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMail, Storage } from '../../src/db/ports.js';

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
