import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEditSnapshot } from '../../src/domain/edit-audit.js';
import type { Storage } from '../../src/db/ports.js';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * The moderation storage contract (src/db/moderation-port.ts): every change writes its audit
 * row in the same step, a failed change writes none, close as duplicate counts on the
 * original (FAQ evidence), close votes close at the threshold, and a soft delete takes the
 * post out of counts and reputation and gives it back on undelete.
 */
export function runModerationContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`moderation storage contract: ${name}`, () => {
    let storage: Storage;
    let f: ContentFixture;

    beforeEach(async () => {
      storage = await makeStorage();
      f = await contentFixture(storage);
    });
    afterEach(async () => {
      await storage.close();
    });


    it('closes as a duplicate with its audit row, counts it on the original, and reopens', async () => {
      const original = await f.ask({ title: 'Original' });
      const answer = await f.answer(original);
      await storage.votes.castVote(answer, f.carol.id, 1, T0);
      const dup = await f.ask({ title: 'Dup' });
      await storage.moderation.close({ questionId: dup, actorId: f.bob.id, reason: 'duplicate', duplicateOf: original, note: 'same', now: T0 + 1 });
      const state = (await storage.moderation.states([dup])).get(dup)!;
      expect(state).toMatchObject({ closeReason: 'duplicate', duplicateOf: original, closedBy: f.bob.id, closeNote: 'same', closedAt: T0 + 1 });
      expect((await storage.faq.candidateRows(f.community.id, 1, 10))[0]!.duplicateCount).toBe(1);
      await expect(storage.moderation.close({ questionId: dup, actorId: f.bob.id, reason: 'resolved', duplicateOf: null, note: '', now: T0 + 2 })).rejects.toBeInstanceOf(ConflictError);
      await storage.moderation.reopen(dup, f.bob.id, 'not the same', T0 + 3);
      expect((await storage.moderation.states([dup])).get(dup)!.closedAt).toBeNull();
      expect((await storage.faq.candidateRows(f.community.id, 1, 10))[0]!.duplicateCount).toBe(0);
      const log = await storage.moderation.listAudit({ communityId: f.community.id, limit: 10 });
      expect(log.map((e) => [e.action, e.actorId, e.targetId, e.reason])).toEqual([
        ['question.reopen', f.bob.id, dup, 'not the same'],
        ['question.close', f.bob.id, dup, 'same'],
      ]);
    });

    it('closes a duplicate as the system for an import: no actor, audited via import, counted on the original', async () => {
      const original = await f.ask({ title: 'Original' });
      const answer = await f.answer(original);
      await storage.votes.castVote(answer, f.carol.id, 1, T0);
      const dup = await f.ask({ title: 'Dup' });
      await storage.moderation.close({ questionId: dup, actorId: null, via: 'import', reason: 'duplicate', duplicateOf: original, note: '', now: T0 + 1 });
      expect((await storage.moderation.states([dup])).get(dup)).toMatchObject({ closeReason: 'duplicate', duplicateOf: original, closedBy: null, closedAt: T0 + 1 });
      expect((await storage.faq.candidateRows(f.community.id, 1, 10))[0]!.duplicateCount).toBe(1);
      const log = await storage.moderation.listAudit({ communityId: f.community.id, limit: 10 });
      expect(log.map((e) => [e.action, e.actorId, e.targetId])).toEqual([['question.close', null, dup]]);
      expect(JSON.parse(log[0]!.after!)).toEqual({ reason: 'duplicate', duplicateOf: original, via: 'import' });
      // A second system close is refused like any other, and counts nothing twice.
      await expect(storage.moderation.close({ questionId: dup, actorId: null, via: 'import', reason: 'duplicate', duplicateOf: original, note: '', now: T0 + 2 })).rejects.toBeInstanceOf(ConflictError);
      expect((await storage.faq.candidateRows(f.community.id, 1, 10))[0]!.duplicateCount).toBe(1);
      expect(await storage.moderation.listAudit({ communityId: f.community.id, limit: 10 })).toHaveLength(1);
    });

    it('audits an edit given an audit reason (before as stored, after as saved), in one step; a plain edit writes none', async () => {
      const q = await f.ask({ title: 'Old title', body: 'Old body', tags: ['kettle'] });
      const a = await f.answer(q, 'Old answer');
      const edit = (postId: string, bodyMd: string, extra: object) => storage.posts.editPost({ postId, editorId: f.bob.id, bodyMd, bodyHtml: `<p>${bodyMd}</p>`, bodyText: bodyMd, reason: 'r', now: T0 + 5, ...extra });
      await edit(a, 'Owner rewrote it', {});
      expect(await storage.moderation.listAudit({ limit: 10 })).toEqual([]);
      await edit(q, 'New body', { title: 'New title', slug: 'new-title', tags: ['kettle', 'descale'], audit: { reason: 'clearer' } });
      await edit(a, 'Moderated answer', { audit: { reason: '' } });
      const log = await storage.moderation.listAudit({ communityId: f.community.id, action: 'post.edit', limit: 10 });
      expect(log.map((e) => [e.action, e.actorId, e.targetType, e.targetId, e.reason, e.communityId, e.createdAt])).toEqual([
        ['post.edit', f.bob.id, 'post', a, '', f.community.id, T0 + 5],
        ['post.edit', f.bob.id, 'post', q, 'clearer', f.community.id, T0 + 5],
      ]);
      expect(parseEditSnapshot(log[1]!.before)).toEqual({ title: 'Old title', tags: ['kettle'], body: 'Old body' });
      expect(parseEditSnapshot(log[1]!.after)).toEqual({ title: 'New title', tags: ['kettle', 'descale'], body: 'New body' });
      expect([parseEditSnapshot(log[0]!.before), parseEditSnapshot(log[0]!.after)]).toEqual([{ body: 'Owner rewrote it' }, { body: 'Moderated answer' }]);
      // A refused edit (unknown post) writes no audit row either.
      await expect(edit('99999999', 'x', { audit: { reason: 'x' } })).rejects.toBeInstanceOf(NotFoundError);
      expect(await storage.moderation.listAudit({ action: 'post.edit', limit: 10 })).toHaveLength(2);
    });

    it('writes no audit row when the change is refused', async () => {
      const q = await f.ask();
      await expect(storage.moderation.close({ questionId: q, actorId: f.bob.id, reason: 'duplicate', duplicateOf: q, note: '', now: T0 })).rejects.toBeInstanceOf(ConflictError);
      await expect(storage.moderation.close({ questionId: q, actorId: f.bob.id, reason: 'duplicate', duplicateOf: '99999999', note: '', now: T0 })).rejects.toBeInstanceOf(NotFoundError);
      await expect(storage.moderation.unlock(q, f.bob.id, '', T0)).rejects.toBeInstanceOf(ConflictError);
      await expect(storage.moderation.lock('not-an-id', f.bob.id, 'x', T0)).rejects.toBeInstanceOf(NotFoundError);
      expect(await storage.moderation.listAudit({ limit: 10 })).toEqual([]);
      expect((await storage.moderation.states([q])).get(q)?.closedAt ?? null).toBeNull();
    });

    it('closes on the third close vote, with the reason most voted, and refuses a second vote', async () => {
      const q = await f.ask();
      const vote = (userId: string, reason: 'off-topic' | 'resolved') =>
        storage.moderation.castCloseVote({ kind: 'close', questionId: q, actorId: userId, reason, duplicateOf: null, note: '', now: T0 }, 3);
      expect(await vote(f.bob.id, 'off-topic')).toEqual({ tally: { close: 1, reopen: 0 }, changed: false });
      await expect(vote(f.bob.id, 'off-topic')).rejects.toBeInstanceOf(ConflictError);
      expect((await vote(f.carol.id, 'resolved')).changed).toBe(false);
      const third = await vote(f.dave.id, 'off-topic');
      expect(third.changed).toBe(true);
      expect((await storage.moderation.states([q])).get(q)!.closeReason).toBe('off-topic');
      expect((await storage.moderation.closeVotes(q, f.bob.id)).close).toBe(0);
      const log = await storage.moderation.listAudit({ limit: 5 });
      expect(log).toHaveLength(1);
      expect(log[0]!.actorId).toBe(f.dave.id);
    });

    it('a soft delete takes the votes out of reputation and the answer out of the count; undelete gives them back', async () => {
      const q = await f.ask();
      const a = await f.answer(q, 'an answer', f.bob);
      await storage.votes.castVote(a, f.carol.id, 1, T0);
      const repOf = async (id: string) => (await storage.users.findById(id))!.reputation;
      const bobBefore = await repOf(f.bob.id);
      await storage.moderation.softDelete(a, f.dave.id, 'spam', T0 + 1);
      expect(await repOf(f.bob.id)).toBe(bobBefore - 10);
      expect((await storage.posts.findQuestion(q))!.answerCount).toBe(0);
      expect(await storage.posts.findPost(a)).toBeNull();
      expect((await storage.moderation.findPostAny(a))!.deletedAt).toBe(T0 + 1);
      expect((await storage.moderation.deletedAnswers(q)).map((x) => x.id)).toEqual([a]);
      // Only the given author's (what a member may see of a thread's deleted answers).
      expect((await storage.moderation.deletedAnswers(q, f.bob.id)).map((x) => x.id)).toEqual([a]);
      expect(await storage.moderation.deletedAnswers(q, f.carol.id)).toEqual([]);
      expect(await storage.moderation.deletedAnswers(q, 'bogus')).toEqual([]);
      expect((await storage.moderation.states([a])).get(a)).toMatchObject({ deletedBy: f.dave.id, deleteReason: 'spam', hiddenAt: null });
      await expect(storage.moderation.softDelete(a, f.dave.id, 'spam', T0 + 2)).rejects.toBeInstanceOf(ConflictError);
      // The recompute script agrees with the write path: deleted posts' votes do not count.
      await storage.votes.recomputeAll();
      expect(await repOf(f.bob.id)).toBe(bobBefore - 10);
      await storage.moderation.undelete(a, f.dave.id, 'ok', T0 + 3);
      expect(await repOf(f.bob.id)).toBe(bobBefore);
      expect((await storage.posts.findQuestion(q))!.answerCount).toBe(1);
      expect((await storage.moderation.listAudit({ limit: 5, action: 'post.delete' })).map((e) => e.reason)).toEqual(['spam']);
    });

    it('lists the audit log newest first, by community, action and actor, in pages', async () => {
      const q = await f.ask();
      const other = await f.ask({ community: f.other });
      await storage.moderation.lock(q, f.bob.id, 'one', T0);
      await storage.moderation.unlock(q, f.carol.id, 'two', T0 + 1);
      await storage.moderation.lock(other, f.bob.id, 'three', T0 + 2);
      await storage.moderation.record({ actorId: f.bob.id, action: 'user.warn', communityId: f.community.id, targetType: 'user', targetId: f.dave.id, reason: 'be nice', now: T0 + 3 });
      expect((await storage.moderation.listAudit({ limit: 10 })).map((e) => e.reason)).toEqual(['be nice', 'three', 'two', 'one']);
      expect((await storage.moderation.listAudit({ communityId: f.community.id, limit: 10 })).map((e) => e.reason)).toEqual(['be nice', 'two', 'one']);
      expect((await storage.moderation.listAudit({ actorId: f.carol.id, limit: 10 })).map((e) => e.reason)).toEqual(['two']);
      expect((await storage.moderation.listAudit({ action: 'post.lock', limit: 10 })).map((e) => e.reason)).toEqual(['three', 'one']);
      const first = await storage.moderation.listAudit({ limit: 2 });
      expect((await storage.moderation.listAudit({ limit: 2, beforeId: first[1]!.id })).map((e) => e.reason)).toEqual(['two', 'one']);
      expect(await storage.moderation.listAudit({ communityId: 'nope', limit: 10 })).toEqual([]);
    });

    it('flags: one per member and post; hiding at the threshold with a system audit row; queue order; resolving with outcomes', async () => {
      const q = await f.ask();
      const a = await f.answer(q, 'spammy answer', f.bob);
      const flag = (postId: string, userId: string, reason: 'spam' | 'rude' | 'off-topic', now: number) =>
        storage.moderation.addFlag({ postId, userId, reason, text: '', now }, 2);
      expect(await flag(a, f.alice.id, 'spam', T0)).toEqual({ openFlags: 1, hidden: false });
      await expect(flag(a, f.alice.id, 'rude', T0 + 1)).rejects.toBeInstanceOf(ConflictError);
      expect(await flag(q, f.carol.id, 'off-topic', T0 + 2)).toEqual({ openFlags: 1, hidden: false });
      expect((await storage.moderation.flagQueue(f.community.id, 'newest', 10)).map((p) => p.postId)).toEqual([q, a]);
      expect(await flag(a, f.dave.id, 'rude', T0 + 3)).toEqual({ openFlags: 2, hidden: true });
      expect(await storage.posts.findPost(a)).toBeNull();
      expect((await storage.posts.findQuestion(q))!.answerCount).toBe(0);
      await expect(flag(a, f.carol.id, 'spam', T0 + 4)).rejects.toBeInstanceOf(NotFoundError);
      const hideRow = (await storage.moderation.listAudit({ limit: 1 }))[0]!;
      expect([hideRow.action, hideRow.actorId, hideRow.targetId]).toEqual(['post.hide', null, a]);
      expect((await storage.moderation.flagQueue(f.community.id, 'most', 10)).map((p) => [p.postId, p.flags.length])).toEqual([[a, 2], [q, 1]]);
      expect((await storage.moderation.flagQueue(f.other.id, 'most', 10))).toEqual([]);
      expect(await storage.moderation.openFlagCounts()).toEqual(new Map([[f.community.id, 2]]));
      expect((await storage.moderation.resolveFlags(a, f.carol.id, 'dismissed', 'fine', T0 + 5)).sort()).toEqual([f.alice.id, f.dave.id].sort());
      expect(await storage.posts.findPost(a)).not.toBeNull();
      expect((await storage.posts.findQuestion(q))!.answerCount).toBe(1);
      await expect(storage.moderation.resolveFlags(a, f.carol.id, 'dismissed', '', T0 + 6)).rejects.toBeInstanceOf(ConflictError);
      expect((await storage.moderation.flagsByUser(f.dave.id, 10)).map((x) => [x.postId, x.outcome, x.resolvedBy])).toEqual([[a, 'dismissed', f.carol.id]]);
      expect(await storage.moderation.flaggedBy(f.alice.id, [q, a])).toEqual(new Set([a]));
    });
  });
}
