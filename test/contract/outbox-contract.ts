import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry, Storage } from '../../src/db/ports.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * The search outbox and job lease contract (src/db/ports.ts): which content changes leave
 * an outbox entry, and how entries are claimed, completed, retried, requeued and pruned by
 * several workers at once. makeStorage must return a fresh, empty store whose content
 * changes write the outbox (for SQLite: searchIndex 'outbox').
 *
 * Outbox times are wall-clock, so the tests work relative to Date.now().
 */

const LEASE = 30_000;

export function runOutboxContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`search outbox and leases contract: ${name}`, () => {
    let f: ContentFixture;
    let storage: Storage;

    beforeEach(async () => {
      storage = await makeStorage();
      f = await contentFixture(storage);
    });
    afterEach(async () => {
      await storage.close();
    });

    /** Claims and completes everything due, returning the doc ids that were pending. */
    async function drain(worker = 'drainer'): Promise<string[]> {
      const now = Date.now() + 1;
      const entries = await storage.outbox.claim(worker, 10_000, now, LEASE);
      await storage.outbox.complete(worker, entries, now);
      return entries.map((e) => e.docId).sort();
    }
    const claimIds = (entries: OutboxEntry[]) => entries.map((e) => e.docId).sort();

    describe('what a change enqueues', () => {
      it('a new question, then an answer (which changes the question\'s answer count)', async () => {
        const q = await f.ask();
        expect(await drain()).toEqual([`question-${q}`]);
        const a = await f.answer(q);
        expect(await drain()).toEqual([`answer-${a}`, `question-${q}`].sort());
      });

      it('a vote enqueues the voted post only; a comment enqueues nothing', async () => {
        const q = await f.ask();
        const a = await f.answer(q);
        await drain();
        await storage.votes.castVote(a, f.carol.id, 1, T0);
        expect(await drain()).toEqual([`answer-${a}`]);
        await storage.comments.add(q, f.carol.id, 'a comment', 'a comment', T0);
        expect(await drain()).toEqual([]);
      });

      it('editing a question enqueues its answers and the FAQ entries made from it; editing an answer only the answer', async () => {
        const q = await f.ask();
        const a1 = await f.answer(q);
        const a2 = await f.answer(q, 'another answer', f.carol);
        const entry = await f.faqEntry({ sourceQuestionId: q, sourceAnswerId: a1 });
        await drain();
        await storage.posts.editPost({ postId: q, editorId: f.alice.id, title: 'A better title for it', slug: 'better', tags: ['general', 'new'], bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', reason: '', now: T0 });
        expect(await drain()).toEqual([`answer-${a1}`, `answer-${a2}`, `faq-${entry.id}`, `question-${q}`].sort());
        await storage.posts.editPost({ postId: a2, editorId: f.carol.id, bodyMd: 'c', bodyHtml: '<p>c</p>', bodyText: 'c', reason: '', now: T0 });
        expect(await drain()).toContain(`answer-${a2}`);
        expect(await drain()).toEqual([]);
      });

      it('accepting an answer enqueues the question and both the old and the new accepted answer', async () => {
        const q = await f.ask();
        const a1 = await f.answer(q);
        const a2 = await f.answer(q, 'second answer', f.carol);
        await storage.posts.setAcceptedAnswer(q, a1, T0);
        await drain();
        await storage.posts.setAcceptedAnswer(q, a2, T0);
        expect(await drain()).toEqual([`answer-${a1}`, `answer-${a2}`, `question-${q}`].sort());
      });

      it('FAQ entries: creating, archiving, a helpful vote, and renaming or moving a category above them', async () => {
        const e = await f.faqEntry();
        expect(await drain()).toEqual([`faq-${e.id}`]);
        await storage.faq.recordHelpful(e.id, 'voter-1', true, T0);
        expect(await drain()).toEqual([`faq-${e.id}`]);
        await storage.faq.renameCategory(e.topId, 'Espresso machines', 'espresso-machines', T0);
        expect(await drain()).toEqual([`faq-${e.id}`]);
        const elsewhere = await storage.faq.createCategory({ communityId: f.community.id, parentId: null, name: 'Other', slug: 'other', depth: 1, now: T0 });
        await storage.faq.moveCategory(e.leafId, elsewhere.id, 2, T0);
        expect(await drain()).toEqual([`faq-${e.id}`]);
        await storage.faq.setStatus(e.id, 'archived');
        expect(await drain()).toEqual([`faq-${e.id}`]);
      });

      it('renaming a community enqueues its posts and published entries (they repeat its name); other changes to it nothing', async () => {
        const q = await f.ask();
        const a = await f.answer(q);
        const e = await f.faqEntry();
        const archived = await f.faqEntry();
        await storage.faq.setStatus(archived.id, 'archived');
        const elsewhere = await f.ask({ community: f.other });
        await drain();
        await storage.communities.update(f.community.id, { descriptionMd: 'new', descriptionHtml: '<p>new</p>' });
        expect(await drain()).toEqual([]);
        await storage.communities.update(f.community.id, { name: 'Home roasting' });
        const queued = await drain();
        expect(queued).toEqual([`answer-${a}`, `faq-${e.id}`, `question-${q}`].sort());
        expect(queued).not.toContain(`question-${elsewhere}`);
        await storage.communities.update(f.community.id, { name: 'Home roasting' });
        expect(await drain()).toEqual([]);
      });

      it('many changes to one document coalesce into one entry whose version counts them', async () => {
        const q = await f.ask();
        const a = await f.answer(q);
        await drain();
        for (const voter of [f.alice, f.carol, f.dave]) await storage.votes.castVote(a, voter.id, 1, T0);
        const entries = await storage.outbox.claim('w', 100, Date.now() + 1, LEASE);
        expect(entries.map((e) => e.docId)).toEqual([`answer-${a}`]);
        expect(entries[0]!.attempts).toBe(0);
        expect(entries[0]!.version).toBeGreaterThanOrEqual(3);
      });
    });

    describe('claiming, completing, retrying', () => {
      it('a claimed entry is leased: another worker gets nothing until the lease expires', async () => {
        const q = await f.ask();
        const now = Date.now() + 1;
        expect(claimIds(await storage.outbox.claim('w1', 10, now, LEASE))).toEqual([`question-${q}`]);
        expect(await storage.outbox.claim('w2', 10, now + 1, LEASE)).toEqual([]);
        // w1 died: after its lease, w2 takes the entry; w1's late completion then changes nothing.
        const taken = await storage.outbox.claim('w2', 10, now + LEASE + 1, LEASE);
        expect(claimIds(taken)).toEqual([`question-${q}`]);
        await storage.outbox.complete('w1', taken, now + LEASE + 2);
        expect((await storage.outbox.backlog()).pending).toBe(1);
        await storage.outbox.complete('w2', taken, now + LEASE + 3);
        expect(await storage.outbox.backlog()).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
      });

      it('claims at most `limit` entries, oldest change first', async () => {
        const ids = [];
        for (let i = 0; i < 5; i++) ids.push(`question-${await f.ask()}`);
        const first = await storage.outbox.claim('w', 2, Date.now() + 1, LEASE);
        expect(first).toHaveLength(2);
        const rest = await storage.outbox.claim('w', 10, Date.now() + 1, LEASE);
        expect([...claimIds(first), ...claimIds(rest)].sort()).toEqual(ids.sort());
      });

      it('a change made while the entry was being processed keeps it pending and immediately claimable', async () => {
        const q = await f.ask();
        const a = await f.answer(q);
        await drain();
        await storage.votes.castVote(a, f.carol.id, 1, T0);
        const now = Date.now() + 1;
        const claimed = await storage.outbox.claim('w1', 10, now, LEASE);
        await storage.votes.castVote(a, f.dave.id, 1, T0);
        await storage.outbox.complete('w1', claimed, Date.now() + 2);
        const again = await storage.outbox.claim('w2', 10, Date.now() + 3, LEASE);
        expect(claimIds(again)).toEqual([`answer-${a}`]);
        expect(again[0]!.version).toBeGreaterThan(claimed[0]!.version);
      });

      it('a failed attempt waits for its retry time, counts attempts, and a given-up entry is reported as failed', async () => {
        const q = await f.ask();
        const now = Date.now() + 1;
        let [entry] = await storage.outbox.claim('w', 10, now, LEASE);
        await storage.outbox.retry('w', entry!, 'engine unavailable', now + 5_000, false);
        expect(await storage.outbox.claim('w', 10, now + 4_999, LEASE)).toEqual([]);
        [entry] = await storage.outbox.claim('w', 10, now + 5_000, LEASE);
        expect(entry).toMatchObject({ docId: `question-${q}`, attempts: 1 });
        await storage.outbox.retry('w', entry!, 'still unavailable', now + 10_000, true);
        expect(await storage.outbox.claim('w', 10, now + 60_000, LEASE)).toEqual([]);
        expect(await storage.outbox.backlog()).toMatchObject({ pending: 0, failed: 1 });
        expect(await storage.outbox.listFailed(10)).toEqual([expect.objectContaining({ docId: `question-${q}`, attempts: 2, lastError: 'still unavailable' })]);
        // A new change to the document gives it a fresh start.
        await f.answer(q);
        const fresh = await storage.outbox.claim('w', 10, Date.now() + 1, LEASE);
        expect(fresh.find((e) => e.docId === `question-${q}`)).toMatchObject({ attempts: 0 });
        expect((await storage.outbox.backlog()).failed).toBe(0);
      });

      it('reports the backlog with the time of the oldest pending change', async () => {
        const before = Date.now();
        await f.ask();
        await f.ask();
        const backlog = await storage.outbox.backlog();
        expect(backlog).toMatchObject({ pending: 2, failed: 0 });
        expect(backlog.oldestPendingAt).toBeGreaterThanOrEqual(before - 1);
        expect(backlog.oldestPendingAt).toBeLessThanOrEqual(Date.now());
      });

      it('a worker that claimed an entry before a requeue cannot mark the requeued entry done', async () => {
        const q = await f.ask();
        const claimed = await storage.outbox.claim('before-swap', 10, Date.now() + 1, LEASE);
        await storage.outbox.requeueChangedSince(Date.now() - 60_000, Date.now());
        await storage.outbox.complete('before-swap', claimed, Date.now() + 2);
        expect(claimIds(await storage.outbox.claim('after-swap', 10, Date.now() + LEASE + 10, LEASE))).toEqual([`question-${q}`]);
      });

      it('requeues what changed since a time (after a reindex) and prunes old done entries', async () => {
        const old = await f.ask();
        await drain();
        await new Promise((r) => setTimeout(r, 5));
        const since = Date.now();
        const recent = await f.ask();
        await drain();
        expect(await storage.outbox.requeueChangedSince(since, Date.now())).toBe(1);
        expect(await drain()).toEqual([`question-${recent}`]);
        expect(await storage.outbox.prune(Date.now() + 1000)).toBe(2);
        // Pruned entries are gone; a new change to the pruned document enqueues it again.
        await f.answer(old);
        expect(await drain()).toContain(`question-${old}`);
      });
    });

    describe('job leases', () => {
      it('one owner at a time, renewable by its owner, free again after it expires or is released', async () => {
        const now = Date.now();
        expect(await storage.leases.acquire('sweep', 'a', now, 1000)).toBe(true);
        expect(await storage.leases.acquire('sweep', 'b', now + 10, 1000)).toBe(false);
        expect(await storage.leases.acquire('sweep', 'a', now + 500, 1000)).toBe(true);
        expect(await storage.leases.acquire('sweep', 'b', now + 1400, 1000)).toBe(false);
        expect(await storage.leases.acquire('sweep', 'b', now + 1501, 1000)).toBe(true);
        await storage.leases.release('sweep', 'a');
        expect(await storage.leases.acquire('sweep', 'a', now + 1600, 1000)).toBe(false);
        await storage.leases.release('sweep', 'b');
        expect(await storage.leases.acquire('sweep', 'a', now + 1700, 1000)).toBe(true);
        expect(await storage.leases.acquire('other-job', 'b', now + 1700, 1000)).toBe(true);
      });
    });
  });
}
