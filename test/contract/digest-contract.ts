import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMail, Storage } from '../../src/db/ports.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * Digest and newsletter storage (src/db/digest-port.ts): the member's choice and window, what a
 * digest reads (notifications, watched communities and tags, new FAQ entries), completing a
 * period once with its mail, and newsletters from draft to sent with one mail per recipient.
 */

const DAY = 86_400_000;

export function runDigestContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`digest and newsletter storage contract: ${name}`, () => {
    let storage: Storage;
    let f: ContentFixture;
    beforeEach(async () => {
      storage = await makeStorage();
      f = await contentFixture(storage);
    });
    afterEach(async () => {
      await storage.close();
    });

    const mail = (key: string, userId: string, now = T0): NewMail => ({ idempotencyKey: key, to: 'x@example.test', userId, kind: 'digest', locale: 'en', subject: 's', html: 'h', text: 't', headers: {}, now });

    it('keeps the choice; the window starts at the first choice and survives changes', async () => {
      expect(await storage.digests.get(f.bob.id)).toBeNull();
      await storage.digests.setFrequency(f.bob.id, 'daily', T0);
      await storage.digests.setFrequency(f.bob.id, 'weekly', T0 + 5000);
      expect(await storage.digests.get(f.bob.id)).toEqual({ userId: f.bob.id, frequency: 'weekly', lastDigestAt: T0 });
      await storage.digests.setFrequency(f.carol.id, 'daily', T0);
      await storage.digests.setFrequency(f.dave.id, 'off', T0);
      expect((await storage.digests.due('daily', T0 + 1, 10)).map((s) => s.userId)).toEqual([f.carol.id]);
      expect((await storage.digests.due('weekly', T0 + 1, 10)).map((s) => s.userId)).toEqual([f.bob.id]);
      expect(await storage.digests.due('daily', T0, 10)).toEqual([]); // last digest not older than the period start
    });

    it('completes a period once, with its mail; a skipped period queues nothing', async () => {
      await storage.digests.setFrequency(f.bob.id, 'daily', T0);
      const period = T0 + DAY;
      expect(await storage.digests.complete(f.bob.id, period, period + 10, mail('digest:b:1', f.bob.id))).toBe(true);
      expect(await storage.digests.complete(f.bob.id, period, period + 20, mail('digest:b:1-again', f.bob.id))).toBe(false);
      expect((await storage.mail.queue.list(0, 10)).map((m) => m.idempotencyKey)).toEqual(['digest:b:1']);
      expect((await storage.digests.get(f.bob.id))!.lastDigestAt).toBe(period + 10);
      expect(await storage.digests.due('daily', period, 10)).toEqual([]);
      expect(await storage.digests.complete(f.bob.id, period + DAY, period + DAY + 5, null)).toBe(true);
      expect(await storage.mail.queue.list(0, 10)).toHaveLength(1);
      expect((await storage.digests.get(f.bob.id))!.lastDigestAt).toBe(period + DAY + 5);
    });

    it('reads notifications of the given kinds since a time, oldest first', async () => {
      const note = (eventKey: string, kind: string, now: number) => ({ notification: { userId: f.bob.id, eventKey, kind, actorId: f.alice.id, threadId: null, title: eventKey, link: '/x', now }, mail: null });
      await storage.mail.notifications.record([note('e1', 'new_question', T0), note('e2', 'comment', T0 + 10), note('e3', 'new_question', T0 + 20), note('e4', 'answer', T0 + 30)]);
      const got = await storage.digests.notificationsSince(f.bob.id, ['new_question', 'answer'], T0 + 1, 10);
      expect(got.map((n) => n.title)).toEqual(['e3', 'e4']);
      expect(await storage.digests.notificationsSince(f.bob.id, [], 0, 10)).toEqual([]);
    });

    it('finds new live questions in watched communities and tags, best first, and new FAQ entries', async () => {
      await storage.mail.watches.watch(f.bob.id, 'community', f.community.id, T0);
      await storage.mail.watches.watch(f.bob.id, 'tag', `${f.other.id}:espresso`, T0);
      await storage.mail.watches.watch(f.bob.id, 'question', '99', T0);
      const targets = await storage.digests.watchedTargets(f.bob.id);
      expect(targets).toEqual({ communityIds: [f.community.id], tags: [{ communityId: f.other.id, tag: 'espresso' }] });

      const q1 = await f.ask({ title: 'Alpha one' });
      const q2 = await f.ask({ title: 'Beta espresso', community: f.other, tags: ['espresso'] });
      await f.ask({ title: 'Beta other tag', community: f.other, tags: ['milk'] });
      const q4 = await f.ask({ title: 'Alpha answered' });
      await f.answer(q4);
      const gone = await f.ask({ title: 'Alpha deleted' });
      await storage.moderation.softDelete(gone, f.alice.id, 'spam', T0 + DAY);
      const found = await storage.digests.newQuestions(targets, T0, T0 + DAY, 10);
      expect(found.map((q) => q.title)).toEqual(['Alpha answered', 'Beta espresso', 'Alpha one']);
      expect(found.find((q) => q.id === q1)).toMatchObject({ communityId: f.community.id, authorId: f.alice.id, answerCount: 0, score: 0, slug: expect.any(String) });
      expect(found.find((q) => q.id === q2)!.communityId).toBe(f.other.id);
      // the window is [since, until)
      const firstAt = found.find((q) => q.id === q1)!.createdAt;
      expect((await storage.digests.newQuestions(targets, firstAt + 1, T0 + DAY, 10)).map((q) => q.id)).not.toContain(q1);
      expect((await storage.digests.newQuestions(targets, T0, firstAt, 10)).map((q) => q.id)).not.toContain(q1);
      expect(await storage.digests.newQuestions({ communityIds: [], tags: [] }, T0, T0 + DAY, 10)).toEqual([]);

      const entry = await f.faqEntry({ title: 'Descaling' });
      await f.faqEntry({ title: 'Elsewhere', community: f.other });
      const entries = await storage.digests.newFaqEntries([f.community.id], T0, T0 + DAY, 10);
      expect(entries).toEqual([expect.objectContaining({ id: entry.id, communityId: f.community.id, title: 'Descaling' })]);
    });

    it('a newsletter goes from draft to scheduled to sent once, with one mail per recipient', async () => {
      const draft = await storage.newsletters.create({ communityId: f.community.id, authorId: f.alice.id, subject: 'March', bodyMd: '# Hi', bodyHtml: '<h1>Hi</h1>', bodyText: 'Hi', now: T0 });
      expect(draft).toMatchObject({ communityId: f.community.id, authorId: f.alice.id, subject: 'March', status: 'draft', scheduledAt: null, sentAt: null, recipientCount: 0 });
      const edited = await storage.newsletters.update(draft.id, { subject: 'April', bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', now: T0 + 1 });
      expect(edited).toMatchObject({ subject: 'April', bodyHtml: '<p>b</p>', updatedAt: T0 + 1 });
      expect(await storage.newsletters.due(T0 + 100, 10)).toEqual([]);
      expect(await storage.newsletters.schedule(draft.id, T0 + 50, T0 + 2)).toBe(true);
      expect(await storage.newsletters.due(T0 + 49, 10)).toEqual([]);
      expect((await storage.newsletters.due(T0 + 50, 10)).map((n) => n.id)).toEqual([draft.id]);
      expect((await storage.newsletters.listUnsent(f.community.id, 10)).map((n) => n.status)).toEqual(['scheduled']);
      expect(await storage.newsletters.listSent(f.community.id, 0, 10)).toEqual([]);

      const mails = [mail(`news:${draft.id}:${f.bob.id}`, f.bob.id), mail(`news:${draft.id}:${f.carol.id}`, f.carol.id)];
      expect(await storage.newsletters.markSent(draft.id, mails, T0 + 60)).toBe(true);
      expect(await storage.newsletters.markSent(draft.id, mails, T0 + 70)).toBe(false);
      expect((await storage.mail.queue.list(0, 10)).map((m) => m.idempotencyKey).sort()).toEqual(mails.map((m) => m.idempotencyKey).sort());
      const sent = await storage.newsletters.listSent(f.community.id, 0, 10);
      expect(sent).toEqual([expect.objectContaining({ id: draft.id, status: 'sent', sentAt: T0 + 60, recipientCount: 2 })]);
      expect(await storage.newsletters.listSent(f.other.id, 0, 10)).toEqual([]);
      // a sent newsletter is final
      expect(await storage.newsletters.update(draft.id, { subject: 'x', bodyMd: 'x', bodyHtml: 'x', bodyText: 'x', now: T0 + 80 })).toBeNull();
      expect(await storage.newsletters.schedule(draft.id, T0 + 90, T0 + 80)).toBe(false);
      expect((await storage.newsletters.findById(draft.id))!.subject).toBe('April');
      expect(await storage.newsletters.findById('999999')).toBeNull();
    });

    it('news opt-ins: off by default, on and off, and only current members receive', async () => {
      expect(await storage.newsletters.isOptedIn(f.bob.id, f.community.id)).toBe(false);
      await storage.memberships.upsert(f.community.id, f.bob.id, 'member');
      await storage.memberships.upsert(f.community.id, f.carol.id, 'member');
      await storage.newsletters.setOptIn(f.bob.id, f.community.id, true, T0);
      await storage.newsletters.setOptIn(f.bob.id, f.community.id, true, T0 + 1);
      await storage.newsletters.setOptIn(f.carol.id, f.community.id, true, T0);
      await storage.newsletters.setOptIn(f.dave.id, f.community.id, true, T0); // not a member
      await storage.newsletters.setOptIn(f.bob.id, f.other.id, true, T0);
      expect(await storage.newsletters.isOptedIn(f.bob.id, f.community.id)).toBe(true);
      expect(await storage.newsletters.optedInCommunities(f.bob.id)).toEqual([f.community.id, f.other.id].sort((a, b) => Number(a) - Number(b)));
      expect(await storage.newsletters.subscribers(f.community.id)).toEqual([f.bob.id, f.carol.id]);
      await storage.newsletters.setOptIn(f.carol.id, f.community.id, false, T0);
      await storage.memberships.remove(f.community.id, f.bob.id);
      expect(await storage.newsletters.subscribers(f.community.id)).toEqual([]);
    });
  });
}
