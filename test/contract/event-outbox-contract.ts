import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import type { QueuedEvent } from '../../src/db/event-port.js';
import { NotFoundError } from '../../src/domain/errors.js';
import { MailComposer } from '../../src/services/mail/compose.js';
import { NotificationService } from '../../src/services/notifications/notification-service.js';
import { qaEventHandler } from '../../src/services/notifications/qa-event-handler.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * The event outbox contract (src/db/event-port.ts): a Q&A write asked to record its event
 * does so in the same atomic step (a write that fails records none), events are leased to
 * one worker at a time and handed out oldest first, done/retry/failed marks only the lease
 * holder can make, and an event handled twice (a worker that died before marking it done)
 * gives one notification and one mail.
 */

const LEASE = 60_000;

export function runEventOutboxContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`event outbox contract: ${name}`, () => {
    let storage: Storage;
    let f: ContentFixture;
    beforeEach(async () => {
      storage = await makeStorage();
      f = await contentFixture(storage);
    });
    afterEach(async () => {
      await storage.close();
    });

    const newAnswer = (questionId: string, authorId: string, now: number, text = 'Descale the kettle every month.') => ({ questionId, authorId, bodyMd: text, bodyHtml: `<p>${text}</p>`, bodyText: text, now });
    const question = (now: number) => ({ communityId: f.community.id, authorId: f.alice.id, title: 'Why does my kettle stop early?', slug: 'kettle', bodyMd: 'It clicks off.', bodyHtml: '<p>It clicks off.</p>', bodyText: 'It clicks off.', tags: ['kettle'], now });
    const claimAll = (owner = 'w', now = T0 + 10 * LEASE) => storage.events.claim(owner, 100, now, LEASE);

    it('each Q&A write records its event with it, oldest first; a write not asked to records none', async () => {
      const q = await storage.posts.createQuestion(question(T0 + 1), { actorId: f.alice.id });
      const a = await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 2), { actorId: f.bob.id });
      const c = await storage.comments.add(a.id, f.carol.id, 'Which descaler?', 'Which descaler?', T0 + 3, { actorId: f.carol.id });
      const qc = await storage.comments.add(q.id, f.bob.id, 'What model is it?', 'What model is it?', T0 + 4, { actorId: f.bob.id });
      await storage.posts.setAcceptedAnswer(q.id, a.id, T0 + 5, { actorId: f.alice.id });
      // Not asked: no event (imports, scripts and tests write content without notifying).
      await f.answer(q.id, 'Another answer without an event');
      const events = await claimAll();
      expect(events.map((e) => ({ kind: e.kind, key: e.key, payload: e.payload, status: e.status, attempts: e.attempts, createdAt: e.createdAt }))).toEqual([
        { kind: 'asked', key: `asked:${q.id}`, payload: { actorId: f.alice.id, questionId: q.id }, status: 'pending', attempts: 0, createdAt: T0 + 1 },
        { kind: 'answered', key: `answered:${a.id}`, payload: { actorId: f.bob.id, questionId: q.id, answerId: a.id }, status: 'pending', attempts: 0, createdAt: T0 + 2 },
        { kind: 'commented', key: `commented:${c.id}`, payload: { actorId: f.carol.id, questionId: q.id, postId: a.id, answerId: a.id, commentId: c.id }, status: 'pending', attempts: 0, createdAt: T0 + 3 },
        { kind: 'commented', key: `commented:${qc.id}`, payload: { actorId: f.bob.id, questionId: q.id, postId: q.id, commentId: qc.id }, status: 'pending', attempts: 0, createdAt: T0 + 4 },
        { kind: 'accepted', key: `accepted:${a.id}`, payload: { actorId: f.alice.id, questionId: q.id, answerId: a.id }, status: 'pending', attempts: 0, createdAt: T0 + 5 },
      ]);
      expect(await storage.events.counts()).toEqual({ pending: 5, done: 0, failed: 0 });
    });

    it('accepting records one event per answer: not for a withdrawal, an unchanged acceptance or the same answer again', async () => {
      const q = await storage.posts.createQuestion(question(T0), undefined);
      const a1 = await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 1), undefined);
      const a2 = await storage.posts.createAnswer(newAnswer(q.id, f.carol.id, T0 + 2, 'Check the lid switch.'), undefined);
      const by = { actorId: f.alice.id };
      await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 3, by);
      await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 4, by);
      await storage.posts.setAcceptedAnswer(q.id, null, T0 + 5, by);
      await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 6, by);
      await storage.posts.setAcceptedAnswer(q.id, a2.id, T0 + 7, by);
      expect((await claimAll()).map((e) => [e.key, e.createdAt])).toEqual([
        [`accepted:${a1.id}`, T0 + 3],
        [`accepted:${a2.id}`, T0 + 7],
      ]);
    });

    it('an entry published from an answer records faq_published with it (actor or none); other entries record nothing', async () => {
      const q = await storage.posts.createQuestion(question(T0), undefined);
      const a = await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 1), undefined);
      const b = await storage.posts.createAnswer(newAnswer(q.id, f.carol.id, T0 + 2, 'Replace the thermostat.'), undefined);
      const top = await storage.faq.createCategory({ communityId: f.community.id, parentId: null, name: 'Kettles', slug: 'kettles', depth: 1, now: T0 });
      const entry = (answerId: string | null, now: number) => ({
        communityId: f.community.id, categoryId: top.id, title: `Kettle stops early ${now}`, slug: 'kettle-stops-early', bodyMd: 'Descale it.', bodyHtml: '<p>Descale it.</p>', bodyText: 'Descale it.',
        sourceQuestionId: answerId === null ? null : q.id, sourceAnswerId: answerId, relatedIds: [], createdBy: f.alice.id, now,
      });
      const promoted = await storage.faq.createEntry({ ...entry(a.id, T0 + 3), event: { actorId: f.dave.id } });
      const auto = await storage.faq.createEntry({ ...entry(b.id, T0 + 4), event: { actorId: null } });
      await storage.faq.createEntry({ ...entry(null, T0 + 5), event: { actorId: f.dave.id } });
      expect((await claimAll()).map((e) => [e.kind, e.key, e.payload])).toEqual([
        ['faq_published', `faq:${a.id}`, { actorId: f.dave.id, questionId: q.id, answerId: a.id, entryId: promoted.id }],
        ['faq_published', `faq:${b.id}`, { actorId: null, questionId: q.id, answerId: b.id, entryId: auto.id }],
      ]);
    });

    it('a write that fails records no event', async () => {
      const q = await storage.posts.createQuestion(question(T0), undefined);
      const a = await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 1), undefined);
      const other = await storage.posts.createQuestion({ ...question(T0 + 2), slug: 'other' }, undefined);
      const otherAnswer = await storage.posts.createAnswer(newAnswer(other.id, f.bob.id, T0 + 3), undefined);
      await storage.posts.setAcceptedAnswer(q.id, a.id, T0 + 4, undefined);
      const by = { actorId: f.dave.id };
      await expect(storage.posts.createAnswer(newAnswer('999999', f.dave.id, T0 + 5), by)).rejects.toBeInstanceOf(NotFoundError);
      await expect(storage.comments.add('999999', f.dave.id, 'Hello there', 'Hello there', T0 + 6, by)).rejects.toBeInstanceOf(NotFoundError);
      // Unsets the accepted answer before it finds the new one belongs elsewhere: all of it rolls back.
      await expect(storage.posts.setAcceptedAnswer(q.id, otherAnswer.id, T0 + 7, by)).rejects.toBeInstanceOf(NotFoundError);
      await expect(storage.posts.createQuestion({ ...question(T0 + 8), communityId: '999999' }, by)).rejects.toThrow();
      expect(await claimAll()).toEqual([]);
      expect(await storage.events.counts()).toEqual({ pending: 0, done: 0, failed: 0 });
      expect((await storage.posts.findQuestion(q.id))!.acceptedAnswerId).toBe(a.id);
    });

    it('leases an event to one worker; an expired lease frees it; only the holder marks it', async () => {
      const q = await storage.posts.createQuestion(question(T0), { actorId: f.alice.id });
      await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 1), { actorId: f.bob.id });
      const now = T0 + 1000;
      const first = await storage.events.claim('w1', 1, now, LEASE);
      expect(first.map((e) => e.kind)).toEqual(['asked']);
      const second = await storage.events.claim('w2', 10, now, LEASE);
      expect(second.map((e) => e.kind)).toEqual(['answered']);
      expect(await storage.events.claim('w3', 10, now + LEASE - 1, LEASE)).toEqual([]);
      // w1 died: after its lease w3 takes the event, and w1's late answer changes nothing.
      const taken = await storage.events.claim('w3', 10, now + LEASE + 1, LEASE);
      expect(taken.map((e) => e.id).sort()).toEqual([...first, ...second].map((e) => e.id).sort());
      await storage.events.complete('w1', first[0]!.id, now + LEASE + 2);
      await storage.events.retry('w1', first[0]!.id, 'late', now + LEASE + 3, true);
      expect(await storage.events.counts()).toEqual({ pending: 2, done: 0, failed: 0 });
      await storage.events.complete('w3', first[0]!.id, now + LEASE + 4);
      expect(await storage.events.counts()).toEqual({ pending: 1, done: 1, failed: 0 });
      // Done is final: never handed out again.
      expect((await storage.events.claim('w4', 10, now + 10 * LEASE, LEASE)).map((e) => e.kind)).toEqual(['answered']);
    });

    it('a failed attempt is pending again from its retry time; giving up marks it failed and lists it', async () => {
      const q = await storage.posts.createQuestion(question(T0), { actorId: f.alice.id });
      const now = T0 + 1000;
      const [e] = await storage.events.claim('w', 10, now, LEASE);
      await storage.events.retry('w', e!.id, 'database is locked', now + 30_000, false);
      expect(await storage.events.claim('w', 10, now + 29_999, LEASE)).toEqual([]);
      const [again] = await storage.events.claim('w', 10, now + 30_000, LEASE);
      expect(again).toMatchObject({ id: e!.id, attempts: 1, lastError: 'database is locked', status: 'pending' });
      await storage.events.retry('w', e!.id, 'x'.repeat(5000), now + 90_000, true);
      expect(await storage.events.claim('w', 10, now + 10 * LEASE, LEASE)).toEqual([]);
      expect(await storage.events.counts()).toEqual({ pending: 0, done: 0, failed: 1 });
      const [failed] = await storage.events.listFailed(10);
      expect(failed).toMatchObject({ id: e!.id, key: `asked:${q.id}`, status: 'failed', attempts: 2 });
      expect(failed!.lastError!.length).toBe(1000);
    });

    it('prunes done events finished before a time; pending and failed ones stay', async () => {
      const q = await storage.posts.createQuestion(question(T0), { actorId: f.alice.id });
      const a = await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 1), { actorId: f.bob.id });
      await storage.comments.add(a.id, f.carol.id, 'Thanks, that works', 'Thanks, that works', T0 + 2, { actorId: f.carol.id });
      const [asked, answered] = await storage.events.claim('w', 2, T0 + 10, LEASE);
      await storage.events.complete('w', asked!.id, T0 + 100);
      await storage.events.retry('w', answered!.id, 'broken', T0 + 100, true);
      expect(await storage.events.prune(T0 + 100)).toBe(0);
      expect(await storage.events.prune(T0 + 101)).toBe(1);
      expect(await storage.events.counts()).toEqual({ pending: 1, done: 0, failed: 1 });
    });

    it('the same event handled twice gives one notification and one mail', async () => {
      const q = await storage.posts.createQuestion(question(T0), { actorId: f.alice.id });
      await storage.posts.createAnswer(newAnswer(q.id, f.bob.id, T0 + 1), { actorId: f.bob.id });
      const notifier = new NotificationService(storage.mail, storage.users, async () => true, new MailComposer('https://forum.test', 'x'.repeat(32)), () => {}, () => T0 + 2);
      notifier.answerAuthor = async (id) => (await storage.posts.findPost(id))?.authorId ?? null;
      const handle = qaEventHandler(storage, notifier);
      const events: QueuedEvent[] = await claimAll('w1', T0 + 2);
      const answered = events.find((e) => e.kind === 'answered')!;
      for (const e of events) await handle(e);
      // w1 died before marking anything done: the events come back to the next worker.
      const again = await claimAll('w2', T0 + 2 + LEASE + 1);
      expect(again.map((e) => e.id)).toEqual(events.map((e) => e.id));
      for (const e of again) {
        await handle(e);
        await storage.events.complete('w2', e.id, T0 + 3 + LEASE);
      }
      const inbox = await storage.mail.notifications.list(f.alice.id, 0, 10);
      expect(inbox.map((n) => [n.kind, n.actorId, n.threadId, n.createdAt])).toEqual([['answer', f.bob.id, q.id, answered.createdAt]]);
      const mails = await storage.mail.queue.list(0, 10);
      expect(mails.map((m) => [m.to, m.kind])).toEqual([[f.alice.email, 'answer']]);
      expect(await storage.events.counts()).toEqual({ pending: 0, done: 2, failed: 0 });
    });
  });
}
