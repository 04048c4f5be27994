import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SUMMARY_TEXT_CHARS, type NewAnswer, type NewQuestion, type Storage } from '../../src/db/ports.js';
import type { Answer, Question, QuestionSort, VoteValue } from '../../src/domain/qa-types.js';
import type { Community, User } from '../../src/domain/types.js';
import { NotFoundError } from '../../src/domain/errors.js';
import { REPUTATION } from '../../src/domain/reputation.js';

/*
 * The Q&A storage contract: PostRepository, VoteRepository, CommentRepository and
 * TagRepository as src/db/ports.ts describes them. Every backend must pass it unchanged.
 * It never assumes the shape of an id beyond "a string": ids that match nothing are
 * taken from a list of malformed strings (which no backend can have issued) plus a large
 * number (an integer backend has not reached it; an ObjectId backend finds it malformed).
 *
 * Usage from a backend's test file:
 *   runQaContract('sqlite', async () => createSqliteStorage(':memory:'));
 * makeStorage must return a fresh, empty store each time it is called.
 */

const NO_SUCH_IDS = ['', 'not-an-id', '0', '-1', '1.5', '1; DROP TABLE posts', '{"$gt":""}', 'x'.repeat(500), '  ', '１', '999999999'];

const T0 = 1_700_000_000_000;
const MIN = 60_000;

export function runQaContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`Q&A storage contract: ${name}`, () => {
    let storage: Storage;
    let community: Community;
    let otherCommunity: Community;
    let alice: User;
    let bob: User;
    let carol: User;
    let dave: User;
    let counter = 0;

    beforeEach(async () => {
      storage = await makeStorage();
      const newCommunity = (slug: string) =>
        storage.communities.create({ slug, name: `Community ${slug}`, kind: 'interest', descriptionMd: slug, descriptionHtml: `<p>${slug}</p>`, defaultLocale: 'en' });
      community = await newCommunity('alpha');
      otherCommunity = await newCommunity('beta');
      const newUser = (username: string) => storage.users.create({ username, email: `${username}@example.test`, displayName: username, passwordHash: 'x' });
      [alice, bob, carol, dave] = [await newUser('alice'), await newUser('bob'), await newUser('carol'), await newUser('dave')];
    });

    afterEach(async () => {
      await storage.close();
    });

    function questionInput(overrides: Partial<NewQuestion> = {}): NewQuestion {
      counter += 1;
      return {
        communityId: community.id,
        authorId: alice.id,
        title: `Question number ${counter}`,
        slug: `question-number-${counter}`,
        bodyMd: `Body **${counter}**`,
        bodyHtml: `<p>Body <strong>${counter}</strong></p>`,
        bodyText: `Body ${counter}`,
        tags: ['general'],
        now: T0 + counter * MIN,
        ...overrides,
      };
    }

    function answerInput(questionId: string, overrides: Partial<NewAnswer> = {}): NewAnswer {
      counter += 1;
      return { questionId, authorId: bob.id, bodyMd: `Answer ${counter}`, bodyHtml: `<p>Answer ${counter}</p>`, bodyText: `Answer ${counter}`, now: T0 + counter * MIN, ...overrides };
    }

    /*
     * The ports cannot delete a post yet (moderation will add it), but listAnswers and
     * answerRank must already agree on leaving deleted answers out: mark one the way each
     * backend stores a deletion.
     */
    async function softDelete(postId: string): Promise<void> {
      const at = T0 + 1000 * MIN;
      const backend = storage as unknown as {
        backend: string;
        db?: { prepare(sql: string): { run(...args: unknown[]): unknown } };
        models?: { posts: { updateOne(filter: object, update: object): { exec(): Promise<unknown> } } };
      };
      if (backend.backend === 'sqlite') backend.db!.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(at, Number(postId));
      else if (backend.backend === 'mongo') await backend.models!.posts.updateOne({ _id: Number(postId) }, { $set: { deletedAt: at } }).exec();
      else throw new Error(`softDelete: unknown backend ${backend.backend}`);
    }

    const question = async (id: string) => (await storage.posts.findQuestion(id))!;
    const post = async (id: string) => (await storage.posts.findPost(id))!;
    const rep = async (u: User) => (await storage.users.findById(u.id))!.reputation;
    const ids = (posts: Array<{ id: string }>) => posts.map((p) => p.id);
    const list = (sort: QuestionSort, extra: { tag?: string; offset?: number; limit?: number; communityId?: string } = {}) =>
      storage.posts.listQuestions({ communityId: extra.communityId ?? community.id, sort, tag: extra.tag, offset: extra.offset ?? 0, limit: extra.limit ?? 50 });

    /* ---------------------------------------------------------------- posts */

    describe('createQuestion', () => {
      it('stores the question with zeroed counters and its author as the last active user', async () => {
        const input = questionInput({ title: '如何重置相机？', slug: '如何重置相机', tags: ['电池', 'reset'], now: T0 });
        const q = await storage.posts.createQuestion(input);
        expect(typeof q.id).toBe('string');
        expect(q).toMatchObject({
          type: 'question',
          communityId: community.id,
          authorId: alice.id,
          title: '如何重置相机？',
          slug: '如何重置相机',
          bodyMd: input.bodyMd,
          bodyHtml: input.bodyHtml,
          bodyText: input.bodyText,
          tags: ['电池', 'reset'],
          score: 0,
          upVotes: 0,
          downVotes: 0,
          answerCount: 0,
          commentCount: 0,
          viewCount: 0,
          revisionCount: 1,
          acceptedAnswerId: null,
          createdAt: T0,
          editedAt: null,
          deletedAt: null,
          lastActivityAt: T0,
          lastActivityUserId: alice.id,
          lastActivityKind: 'ask',
        });
        expect(await storage.posts.findPost(q.id)).toEqual(q);
        expect(await storage.posts.findQuestion(q.id)).toEqual(q);
      });

      it('creates unknown tags in the community, counts known ones up, and bumps the community question count', async () => {
        await storage.posts.createQuestion(questionInput({ tags: ['battery', '电池'] }));
        expect(await storage.tags.find(community.id, 'battery')).toMatchObject({ name: 'battery', communityId: community.id, questionCount: 1 });
        expect(await storage.tags.find(community.id, '电池')).toMatchObject({ questionCount: 1 });
        await storage.posts.createQuestion(questionInput({ tags: ['battery', 'wifi'] }));
        expect(await storage.tags.find(community.id, 'battery')).toMatchObject({ questionCount: 2 });
        expect(await storage.tags.find(community.id, 'wifi')).toMatchObject({ questionCount: 1 });
        // tags belong to their community
        expect(await storage.tags.find(otherCommunity.id, 'battery')).toBeNull();
        expect((await storage.communities.findById(community.id))!.questionCount).toBe(2);
        expect((await storage.communities.findById(otherCommunity.id))!.questionCount).toBe(0);
        expect(await storage.posts.countQuestions()).toBe(2);
      });

      it('records revision 1 with the title, tags and body', async () => {
        const q = await storage.posts.createQuestion(questionInput({ tags: ['a', 'b'], now: T0 }));
        const revisions = await storage.posts.listRevisions(q.id);
        expect(revisions).toHaveLength(1);
        expect(revisions[0]).toMatchObject({ postId: q.id, revision: 1, authorId: alice.id, title: q.title, bodyMd: q.bodyMd, tags: ['a', 'b'], reason: '', createdAt: T0 });
      });

      it('refuses an unknown community or author with NotFoundError', async () => {
        for (const bad of NO_SUCH_IDS.filter((id) => id !== '999999999')) {
          await expect(storage.posts.createQuestion(questionInput({ communityId: bad }))).rejects.toBeInstanceOf(NotFoundError);
          await expect(storage.posts.createQuestion(questionInput({ authorId: bad }))).rejects.toBeInstanceOf(NotFoundError);
        }
        expect(await storage.posts.countQuestions()).toBe(0);
      });
    });

    describe('createAnswer', () => {
      it('stores the answer, its revision 1, and bumps the answer count and last activity of the question', async () => {
        const q = await storage.posts.createQuestion(questionInput({ now: T0 }));
        const a = await storage.posts.createAnswer(answerInput(q.id, { authorId: carol.id, now: T0 + 5 * MIN }));
        expect(a).toMatchObject({ type: 'answer', questionId: q.id, communityId: community.id, authorId: carol.id, score: 0, upVotes: 0, downVotes: 0, isAccepted: false, commentCount: 0, revisionCount: 1, createdAt: T0 + 5 * MIN, editedAt: null });
        expect(await storage.posts.findPost(a.id)).toEqual(a);
        expect(await storage.posts.findQuestion(a.id)).toBeNull();
        const after = await question(q.id);
        expect(after).toMatchObject({ answerCount: 1, lastActivityAt: T0 + 5 * MIN, lastActivityUserId: carol.id, lastActivityKind: 'answer', createdAt: T0 });
        expect(await storage.posts.listRevisions(a.id)).toMatchObject([{ revision: 1, authorId: carol.id, title: null, bodyMd: a.bodyMd, tags: [], reason: '' }]);
        await storage.posts.createAnswer(answerInput(q.id, { now: T0 + 6 * MIN }));
        expect((await question(q.id)).answerCount).toBe(2);
      });

      it('refuses an unknown question, or an answer id in its place, with NotFoundError', async () => {
        const q = await storage.posts.createQuestion(questionInput());
        const a = await storage.posts.createAnswer(answerInput(q.id));
        for (const bad of [...NO_SUCH_IDS, a.id]) {
          await expect(storage.posts.createAnswer(answerInput(bad))).rejects.toBeInstanceOf(NotFoundError);
        }
        expect((await question(q.id)).answerCount).toBe(1);
      });
    });

    describe('findPost and findQuestion', () => {
      it.each(NO_SUCH_IDS)('return null for %j', async (id) => {
        await storage.posts.createQuestion(questionInput());
        expect(await storage.posts.findPost(id)).toBeNull();
        expect(await storage.posts.findQuestion(id)).toBeNull();
      });
    });

    describe('findQuestions', () => {
      it('returns the live questions among the ids, each once, and leaves out answers, deleted and unknown ids', async () => {
        const q1 = await storage.posts.createQuestion(questionInput({ title: 'First question' }));
        const q2 = await storage.posts.createQuestion(questionInput({ title: 'Second question', communityId: otherCommunity.id }));
        const q3 = await storage.posts.createQuestion(questionInput());
        const a = await storage.posts.createAnswer(answerInput(q1.id));
        await softDelete(q3.id);
        const found = await storage.posts.findQuestions([q2.id, a.id, q1.id, q3.id, q1.id, ...NO_SUCH_IDS]);
        expect(found.map((q) => q.id).sort()).toEqual([q1.id, q2.id].sort());
        const byId = new Map(found.map((q) => [q.id, q]));
        expect(byId.get(q1.id)).toEqual(await question(q1.id));
        expect(byId.get(q2.id)!.title).toBe('Second question');
        expect(byId.get(q2.id)!.communityId).toBe(otherCommunity.id);
      });

      it('returns nothing for no ids', async () => {
        await storage.posts.createQuestion(questionInput());
        expect(await storage.posts.findQuestions([])).toEqual([]);
      });
    });

    describe('listAnswers', () => {
      it('orders the accepted answer first, then by score, then the oldest', async () => {
        const q = await storage.posts.createQuestion(questionInput({ now: T0 }));
        const a1 = await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id, now: T0 + 1 * MIN }));
        const a2 = await storage.posts.createAnswer(answerInput(q.id, { authorId: carol.id, now: T0 + 2 * MIN }));
        const a3 = await storage.posts.createAnswer(answerInput(q.id, { authorId: dave.id, now: T0 + 3 * MIN }));
        const a4 = await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id, now: T0 + 4 * MIN }));
        expect(ids(await storage.posts.listAnswers(q.id))).toEqual([a1.id, a2.id, a3.id, a4.id]);
        await storage.votes.castVote(a3.id, alice.id, 1, T0 + 5 * MIN);
        await storage.votes.castVote(a4.id, alice.id, 1, T0 + 5 * MIN);
        await storage.votes.castVote(a1.id, alice.id, -1, T0 + 5 * MIN);
        expect(ids(await storage.posts.listAnswers(q.id))).toEqual([a3.id, a4.id, a2.id, a1.id]);
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 6 * MIN);
        const listed = await storage.posts.listAnswers(q.id);
        expect(ids(listed)).toEqual([a1.id, a3.id, a4.id, a2.id]);
        expect(listed.map((a) => a.isAccepted)).toEqual([true, false, false, false]);
        expect(listed.map((a) => a.score)).toEqual([-1, 1, 1, 0]);
      });

      it('lists only the answers of that question', async () => {
        const q1 = await storage.posts.createQuestion(questionInput());
        const q2 = await storage.posts.createQuestion(questionInput());
        const a = await storage.posts.createAnswer(answerInput(q1.id));
        await storage.posts.createAnswer(answerInput(q2.id));
        expect(ids(await storage.posts.listAnswers(q1.id))).toEqual([a.id]);
        expect(await storage.posts.listAnswers(a.id)).toEqual([]);
      });

      it.each(NO_SUCH_IDS)('returns [] for %j', async (id) => {
        expect(await storage.posts.listAnswers(id)).toEqual([]);
        expect(await storage.posts.listAnswers(id, { offset: 0, limit: 10 })).toEqual([]);
      });
    });

    /* A thread whose answers tie on every sort key but the id, to pin the tie-break. */
    async function tiedThread() {
      const q = await storage.posts.createQuestion(questionInput({ now: T0 }));
      const at = T0 + 10 * MIN;
      const answers: Answer[] = [];
      // Three pairs created at the same instant, plus two later ones.
      for (const now of [at, at, at + MIN, at + MIN, at + 2 * MIN, at + 2 * MIN, at + 3 * MIN, at + 4 * MIN]) {
        answers.push(await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id, now })));
      }
      const [a0, a1, a2, a3, a4, a5, a6, a7] = answers as [Answer, Answer, Answer, Answer, Answer, Answer, Answer, Answer];
      // a2 and a3 tie on score (1) and time, a4 and a5 on score (0) and time; a1 is voted down.
      await storage.votes.castVote(a2.id, alice.id, 1, at + 5 * MIN);
      await storage.votes.castVote(a3.id, alice.id, 1, at + 5 * MIN);
      await storage.votes.castVote(a1.id, alice.id, -1, at + 5 * MIN);
      return { q, answers: { a0, a1, a2, a3, a4, a5, a6, a7 } };
    }

    describe('listAnswers with a range', () => {
      it('gives consecutive pages of the full order that neither overlap nor skip, ties broken by creation', async () => {
        const { q, answers: a } = await tiedThread();
        const all = ids(await storage.posts.listAnswers(q.id));
        expect(all).toEqual([a.a2.id, a.a3.id, a.a0.id, a.a4.id, a.a5.id, a.a6.id, a.a7.id, a.a1.id]);
        for (const size of [1, 3, 5, 8]) {
          const pages: string[] = [];
          for (let offset = 0; offset < all.length + size; offset += size) pages.push(...ids(await storage.posts.listAnswers(q.id, { offset, limit: size })));
          expect(pages).toEqual(all);
        }
        expect(ids(await storage.posts.listAnswers(q.id, { offset: 6, limit: 30 }))).toEqual(all.slice(6));
        expect(await storage.posts.listAnswers(q.id, { offset: 8, limit: 30 })).toEqual([]);
        expect(await storage.posts.listAnswers(q.id, { offset: 1000, limit: 30 })).toEqual([]);
      });

      it('returns the same answers as the full list, field for field', async () => {
        const { q } = await tiedThread();
        const all = await storage.posts.listAnswers(q.id);
        expect(await storage.posts.listAnswers(q.id, { offset: 2, limit: 3 })).toEqual(all.slice(2, 5));
      });

      it('puts the accepted answer first on the first page only', async () => {
        const { q, answers: a } = await tiedThread();
        await storage.posts.setAcceptedAnswer(q.id, a.a1.id, T0 + 60 * MIN);
        const first = await storage.posts.listAnswers(q.id, { offset: 0, limit: 3 });
        expect(ids(first)).toEqual([a.a1.id, a.a2.id, a.a3.id]);
        expect(first[0]!.isAccepted).toBe(true);
        expect(ids(await storage.posts.listAnswers(q.id, { offset: 3, limit: 3 }))).toEqual([a.a0.id, a.a4.id, a.a5.id]);
      });

      it('treats a limit of 0 or less as an empty page and a negative offset as the start', async () => {
        const { q } = await tiedThread();
        const all = ids(await storage.posts.listAnswers(q.id));
        expect(await storage.posts.listAnswers(q.id, { offset: 0, limit: 0 })).toEqual([]);
        expect(await storage.posts.listAnswers(q.id, { offset: 0, limit: -3 })).toEqual([]);
        expect(ids(await storage.posts.listAnswers(q.id, { offset: -5, limit: 2 }))).toEqual(all.slice(0, 2));
      });

      it('leaves out deleted answers, as the full list does', async () => {
        const { q, answers: a } = await tiedThread();
        await softDelete(a.a3.id);
        const all = ids(await storage.posts.listAnswers(q.id));
        expect(all).toEqual([a.a2.id, a.a0.id, a.a4.id, a.a5.id, a.a6.id, a.a7.id, a.a1.id]);
        expect(ids(await storage.posts.listAnswers(q.id, { offset: 0, limit: 2 }))).toEqual([a.a2.id, a.a0.id]);
        expect(ids(await storage.posts.listAnswers(q.id, { offset: 6, limit: 2 }))).toEqual(all.slice(6));
      });
    });

    describe('answerRank', () => {
      const ranksOf = async (questionId: string, answerIds: string[]) => Promise.all(answerIds.map((id) => storage.posts.answerRank(questionId, id)));

      it('counts the answers before each one in the listAnswers order, ties included', async () => {
        const { q } = await tiedThread();
        const all = ids(await storage.posts.listAnswers(q.id));
        expect(await ranksOf(q.id, all)).toEqual(all.map((_, i) => i));
      });

      it('puts the accepted answer at 0 and everything else one further down', async () => {
        const { q, answers: a } = await tiedThread();
        await storage.posts.setAcceptedAnswer(q.id, a.a1.id, T0 + 60 * MIN);
        expect(await storage.posts.answerRank(q.id, a.a1.id)).toBe(0);
        expect(await storage.posts.answerRank(q.id, a.a2.id)).toBe(1);
        const all = ids(await storage.posts.listAnswers(q.id));
        expect(await ranksOf(q.id, all)).toEqual(all.map((_, i) => i));
        // Moving the acceptance moves the ranks with it.
        await storage.posts.setAcceptedAnswer(q.id, a.a7.id, T0 + 61 * MIN);
        const after = ids(await storage.posts.listAnswers(q.id));
        expect(after[0]).toBe(a.a7.id);
        expect(await ranksOf(q.id, after)).toEqual(after.map((_, i) => i));
      });

      it('follows votes: an answer voted up moves ahead of the ones it now outscores', async () => {
        const { q, answers: a } = await tiedThread();
        expect(await storage.posts.answerRank(q.id, a.a7.id)).toBe(6);
        await storage.votes.castVote(a.a7.id, carol.id, 1, T0 + 70 * MIN);
        await storage.votes.castVote(a.a7.id, dave.id, 1, T0 + 70 * MIN);
        expect(await storage.posts.answerRank(q.id, a.a7.id)).toBe(0);
        expect(await storage.posts.answerRank(q.id, a.a2.id)).toBe(1);
      });

      it('leaves deleted answers out of the count and has no rank for a deleted answer', async () => {
        const { q, answers: a } = await tiedThread();
        await softDelete(a.a2.id);
        expect(await storage.posts.answerRank(q.id, a.a2.id)).toBeNull();
        const all = ids(await storage.posts.listAnswers(q.id));
        expect(await ranksOf(q.id, all)).toEqual(all.map((_, i) => i));
        expect(await storage.posts.answerRank(q.id, a.a3.id)).toBe(0);
      });

      it('has no rank for an answer of another question, the question itself or an unknown id', async () => {
        const { q, answers: a } = await tiedThread();
        const other = await storage.posts.createQuestion(questionInput());
        const foreign = await storage.posts.createAnswer(answerInput(other.id));
        expect(await storage.posts.answerRank(q.id, foreign.id)).toBeNull();
        expect(await storage.posts.answerRank(other.id, a.a0.id)).toBeNull();
        expect(await storage.posts.answerRank(q.id, q.id)).toBeNull();
        expect(await storage.posts.answerRank(other.id, foreign.id)).toBe(0);
        for (const bad of NO_SUCH_IDS) {
          expect(await storage.posts.answerRank(q.id, bad)).toBeNull();
          expect(await storage.posts.answerRank(bad, a.a0.id)).toBeNull();
        }
      });
    });

    describe('summary rows', () => {
      it('leave the bodies out and cut the text, in lists and in the recent questions, but not when bodies are asked for', async () => {
        const long = '长'.repeat(SUMMARY_TEXT_CHARS + 50);
        const q = await storage.posts.createQuestion(questionInput({ bodyText: long, tags: ['lens'] }));
        for (const row of [
          (await storage.posts.listQuestions({ communityId: community.id, sort: 'newest', offset: 0, limit: 5, summary: true }))[0]!,
          (await storage.posts.listQuestions({ communityId: community.id, sort: 'active', tag: 'lens', offset: 0, limit: 5, summary: true }))[0]!,
          (await storage.posts.recentQuestions(5))[0]!,
        ]) {
          expect(row).toMatchObject({ id: q.id, title: q.title, slug: q.slug, tags: ['lens'], bodyMd: '', bodyHtml: '' });
          expect(row.bodyText).toBe('长'.repeat(SUMMARY_TEXT_CHARS));
        }
        const full = (await storage.posts.listQuestions({ communityId: community.id, sort: 'newest', offset: 0, limit: 5 }))[0]!;
        expect(full).toMatchObject({ bodyMd: q.bodyMd, bodyHtml: q.bodyHtml, bodyText: long });
      });
    });

    describe('listQuestions', () => {
      /*
       * Four questions, created a minute apart (q1 oldest):
       *   q1 [lens]          answered later (most active), score 0
       *   q2 [lens, battery] score +2
       *   q3 [strap]         score -1
       *   q4 [lens]          score 0, newest
       */
      let q1: Question;
      let q2: Question;
      let q3: Question;
      let q4: Question;
      beforeEach(async () => {
        q1 = await storage.posts.createQuestion(questionInput({ tags: ['lens'], now: T0 + 1 * MIN }));
        q2 = await storage.posts.createQuestion(questionInput({ tags: ['lens', 'battery'], authorId: bob.id, now: T0 + 2 * MIN }));
        q3 = await storage.posts.createQuestion(questionInput({ tags: ['strap'], now: T0 + 3 * MIN }));
        q4 = await storage.posts.createQuestion(questionInput({ tags: ['lens'], authorId: carol.id, now: T0 + 4 * MIN }));
        await storage.posts.createQuestion(questionInput({ communityId: otherCommunity.id, tags: ['lens'], now: T0 + 5 * MIN }));
        await storage.votes.castVote(q2.id, carol.id, 1, T0 + 6 * MIN);
        await storage.votes.castVote(q2.id, dave.id, 1, T0 + 6 * MIN);
        await storage.votes.castVote(q3.id, dave.id, -1, T0 + 6 * MIN);
        await storage.posts.createAnswer(answerInput(q1.id, { now: T0 + 10 * MIN }));
      });

      it.each([
        ['active', undefined, ['q1', 'q4', 'q3', 'q2']],
        ['newest', undefined, ['q4', 'q3', 'q2', 'q1']],
        ['top', undefined, ['q2', 'q4', 'q1', 'q3']],
        ['unanswered', undefined, ['q4', 'q3', 'q2']],
        ['active', 'lens', ['q1', 'q4', 'q2']],
        ['newest', 'lens', ['q4', 'q2', 'q1']],
        ['top', 'lens', ['q2', 'q4', 'q1']],
        ['unanswered', 'lens', ['q4', 'q2']],
        ['top', 'battery', ['q2']],
        ['newest', 'nope', []],
      ] as const)('sorts %s (tag %s) as %j', async (sort, tag, expected) => {
        const names: Record<string, string> = { [q1.id]: 'q1', [q2.id]: 'q2', [q3.id]: 'q3', [q4.id]: 'q4' };
        const rows = await list(sort, { tag });
        expect(rows.map((r) => names[r.id] ?? `other:${r.id}`)).toEqual(expected);
        for (const r of rows) expect(r.type).toBe('question');
      });

      it('fetches limit + 1 rows so the caller knows there is a next page, and honours the offset', async () => {
        expect(ids(await list('newest', { limit: 2 }))).toEqual([q4.id, q3.id, q2.id]);
        expect(ids(await list('newest', { limit: 2, offset: 2 }))).toEqual([q2.id, q1.id]);
        expect(ids(await list('newest', { limit: 2, offset: 4 }))).toEqual([]);
        expect(ids(await list('newest', { limit: 3, offset: 1 }))).toEqual([q3.id, q2.id, q1.id]);
        expect(ids(await list('newest', { tag: 'lens', limit: 1 }))).toEqual([q4.id, q2.id]);
        expect(ids(await list('newest', { tag: 'lens', limit: 1, offset: 1 }))).toEqual([q2.id, q1.id]);
        expect(ids(await list('newest', { tag: 'lens', limit: 1, offset: 2 }))).toEqual([q1.id]);
      });

      it('follows later votes, answers, comments, edits and acceptance, with and without a tag', async () => {
        await storage.votes.castVote(q4.id, dave.id, 1, T0 + 20 * MIN);
        await storage.votes.castVote(q4.id, bob.id, 1, T0 + 20 * MIN);
        await storage.votes.castVote(q4.id, alice.id, 1, T0 + 20 * MIN);
        expect(ids(await list('top'))).toEqual([q4.id, q2.id, q1.id, q3.id]);
        expect(ids(await list('top', { tag: 'lens' }))).toEqual([q4.id, q2.id, q1.id]);
        // an answer to q2: it leaves the unanswered lists and becomes the most active
        const a = await storage.posts.createAnswer(answerInput(q2.id, { now: T0 + 21 * MIN }));
        expect(ids(await list('unanswered'))).toEqual([q4.id, q3.id]);
        expect(ids(await list('unanswered', { tag: 'lens' }))).toEqual([q4.id]);
        expect(ids(await list('active'))[0]).toBe(q2.id);
        expect(ids(await list('active', { tag: 'lens' }))[0]).toBe(q2.id);
        // a comment on q3
        await storage.comments.add(q3.id, dave.id, 'a comment', 'a comment', T0 + 22 * MIN);
        expect(ids(await list('active'))[0]).toBe(q3.id);
        expect(ids(await list('active', { tag: 'strap' }))).toEqual([q3.id]);
        // a comment on an answer counts as activity on its question
        await storage.comments.add(a.id, dave.id, 'comment on the answer', 'comment on the answer', T0 + 23 * MIN);
        expect(ids(await list('active'))[0]).toBe(q2.id);
        expect(ids(await list('active', { tag: 'battery' }))).toEqual([q2.id]);
        // an edit of q1
        await storage.posts.editPost({ postId: q1.id, editorId: alice.id, title: q1.title, slug: q1.slug, tags: ['lens'], bodyMd: 'new', bodyHtml: '<p>new</p>', bodyText: 'new', reason: '', now: T0 + 24 * MIN });
        expect(ids(await list('active'))[0]).toBe(q1.id);
        expect(ids(await list('active', { tag: 'lens' }))[0]).toBe(q1.id);
        // accepting on q4's (new) answer
        const a4 = await storage.posts.createAnswer(answerInput(q4.id, { now: T0 + 25 * MIN }));
        await storage.posts.createAnswer(answerInput(q3.id, { now: T0 + 26 * MIN }));
        await storage.posts.setAcceptedAnswer(q4.id, a4.id, T0 + 27 * MIN);
        expect(ids(await list('active'))[0]).toBe(q4.id);
        expect(ids(await list('active', { tag: 'lens' }))[0]).toBe(q4.id);
        expect(await list('unanswered')).toEqual([]);
        expect(await list('unanswered', { tag: 'lens' })).toEqual([]);
      });

      it('returns whole questions with the same fields as findQuestion', async () => {
        const rows = await list('newest');
        for (const r of rows) expect(r).toEqual(await storage.posts.findQuestion(r.id));
        const tagged = await list('newest', { tag: 'lens' });
        for (const r of tagged) expect(r).toEqual(await storage.posts.findQuestion(r.id));
      });

      it.each(NO_SUCH_IDS)('returns [] for the community id %j', async (id) => {
        expect(await list('active', { communityId: id })).toEqual([]);
        expect(await list('top', { communityId: id, tag: 'lens' })).toEqual([]);
      });
    });

    describe('recentQuestions, listByAuthor, countQuestions', () => {
      it('lists the most recently active questions of every community', async () => {
        const a = await storage.posts.createQuestion(questionInput({ now: T0 + 1 * MIN }));
        const b = await storage.posts.createQuestion(questionInput({ communityId: otherCommunity.id, now: T0 + 2 * MIN }));
        const c = await storage.posts.createQuestion(questionInput({ now: T0 + 3 * MIN }));
        expect(ids(await storage.posts.recentQuestions(10))).toEqual([c.id, b.id, a.id]);
        await storage.posts.createAnswer(answerInput(a.id, { now: T0 + 4 * MIN }));
        expect(ids(await storage.posts.recentQuestions(2))).toEqual([a.id, c.id]);
        expect(await storage.posts.countQuestions()).toBe(3);
      });

      it('lists an author\'s questions and answers, newest first, up to the limit', async () => {
        const q = await storage.posts.createQuestion(questionInput({ authorId: bob.id, now: T0 + 1 * MIN }));
        const other = await storage.posts.createQuestion(questionInput({ authorId: alice.id, now: T0 + 2 * MIN }));
        const a = await storage.posts.createAnswer(answerInput(other.id, { authorId: bob.id, now: T0 + 3 * MIN }));
        const a2 = await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id, now: T0 + 4 * MIN }));
        expect(ids(await storage.posts.listByAuthor(bob.id, 10))).toEqual([a2.id, a.id, q.id]);
        expect(ids(await storage.posts.listByAuthor(bob.id, 2))).toEqual([a2.id, a.id]);
        expect(ids(await storage.posts.listByAuthor(carol.id, 10))).toEqual([]);
        for (const id of NO_SUCH_IDS) expect(await storage.posts.listByAuthor(id, 10)).toEqual([]);
      });
    });

    describe('editPost and listRevisions', () => {
      it('changes a question\'s title, slug, tags and body, keeps tag counts right and adds a revision', async () => {
        const q = await storage.posts.createQuestion(questionInput({ tags: ['lens', 'battery'], now: T0 }));
        await storage.posts.createQuestion(questionInput({ tags: ['lens'], now: T0 + MIN }));
        const edited = await storage.posts.editPost({
          postId: q.id,
          editorId: bob.id,
          title: 'A better title',
          slug: 'a-better-title',
          tags: ['lens', 'strap', '电池'],
          bodyMd: 'new **body**',
          bodyHtml: '<p>new <strong>body</strong></p>',
          bodyText: 'new body',
          reason: 'clarify',
          now: T0 + 10 * MIN,
        });
        expect(edited).toMatchObject({ id: q.id, type: 'question', title: 'A better title', slug: 'a-better-title', tags: ['lens', 'strap', '电池'], bodyMd: 'new **body**', bodyHtml: '<p>new <strong>body</strong></p>', bodyText: 'new body', revisionCount: 2, editedAt: T0 + 10 * MIN, authorId: alice.id, createdAt: T0 });
        expect(await storage.posts.findPost(q.id)).toEqual(edited);
        expect(await storage.tags.find(community.id, 'lens')).toMatchObject({ questionCount: 2 });
        expect(await storage.tags.find(community.id, 'battery')).toMatchObject({ questionCount: 0 });
        expect(await storage.tags.find(community.id, 'strap')).toMatchObject({ questionCount: 1 });
        expect(await storage.tags.find(community.id, '电池')).toMatchObject({ questionCount: 1 });
        expect(ids(await list('newest', { tag: 'battery' }))).toEqual([]);
        expect(ids(await list('newest', { tag: 'strap' }))).toEqual([q.id]);
        expect(ids(await list('newest', { tag: '电池' }))).toEqual([q.id]);
        const revisions = await storage.posts.listRevisions(q.id);
        expect(revisions.map((r) => [r.revision, r.authorId, r.title, r.tags, r.bodyMd, r.reason, r.createdAt])).toEqual([
          [1, alice.id, q.title, ['lens', 'battery'], q.bodyMd, '', T0],
          [2, bob.id, 'A better title', ['lens', 'strap', '电池'], 'new **body**', 'clarify', T0 + 10 * MIN],
        ]);
        for (const r of revisions) expect(r.postId).toBe(q.id);
      });

      it('keeps the title and tags when an edit leaves them out, and counts each edit as a revision', async () => {
        const q = await storage.posts.createQuestion(questionInput({ tags: ['lens'] }));
        for (let i = 1; i <= 3; i++) {
          await storage.posts.editPost({ postId: q.id, editorId: alice.id, bodyMd: `v${i}`, bodyHtml: `<p>v${i}</p>`, bodyText: `v${i}`, reason: `r${i}`, now: T0 + i * MIN });
        }
        const after = await question(q.id);
        expect(after).toMatchObject({ title: q.title, slug: q.slug, tags: ['lens'], bodyMd: 'v3', revisionCount: 4 });
        expect((await storage.posts.listRevisions(q.id)).map((r) => [r.revision, r.bodyMd, r.title])).toEqual([
          [1, q.bodyMd, q.title],
          [2, 'v1', q.title],
          [3, 'v2', q.title],
          [4, 'v3', q.title],
        ]);
        expect(await storage.tags.find(community.id, 'lens')).toMatchObject({ questionCount: 1 });
      });

      it('edits an answer and counts it as activity on the question', async () => {
        const q = await storage.posts.createQuestion(questionInput({ now: T0 }));
        const a = await storage.posts.createAnswer(answerInput(q.id, { now: T0 + MIN }));
        const edited = await storage.posts.editPost({ postId: a.id, editorId: dave.id, bodyMd: 'better', bodyHtml: '<p>better</p>', bodyText: 'better', reason: 'typo', now: T0 + 9 * MIN });
        expect(edited).toMatchObject({ id: a.id, type: 'answer', bodyMd: 'better', revisionCount: 2, editedAt: T0 + 9 * MIN, authorId: bob.id });
        expect(await question(q.id)).toMatchObject({ lastActivityAt: T0 + 9 * MIN, lastActivityUserId: dave.id, lastActivityKind: 'edit', title: q.title });
        expect((await storage.posts.listRevisions(a.id)).map((r) => [r.revision, r.authorId, r.title, r.reason])).toEqual([
          [1, bob.id, null, ''],
          [2, dave.id, null, 'typo'],
        ]);
      });

      it('refuses an unknown post with NotFoundError; listRevisions gives []', async () => {
        for (const id of NO_SUCH_IDS) {
          await expect(storage.posts.editPost({ postId: id, editorId: alice.id, bodyMd: 'x', bodyHtml: 'x', bodyText: 'x', reason: '', now: T0 })).rejects.toBeInstanceOf(NotFoundError);
          expect(await storage.posts.listRevisions(id)).toEqual([]);
        }
      });
    });

    describe('setAcceptedAnswer', () => {
      let q: Question;
      let a1: Answer;
      let a2: Answer;
      beforeEach(async () => {
        q = await storage.posts.createQuestion(questionInput({ authorId: alice.id, now: T0 }));
        a1 = await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id, now: T0 + MIN }));
        a2 = await storage.posts.createAnswer(answerInput(q.id, { authorId: carol.id, now: T0 + 2 * MIN }));
      });

      it('accepts, switches and clears, moving +15 to the answerer and +2 to the asker', async () => {
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 5 * MIN);
        expect(await question(q.id)).toMatchObject({ acceptedAnswerId: a1.id, lastActivityAt: T0 + 5 * MIN });
        expect((await post(a1.id)) as Answer).toMatchObject({ isAccepted: true });
        expect([await rep(alice), await rep(bob), await rep(carol)]).toEqual([REPUTATION.acceptedByAsker, REPUTATION.answerAccepted, 0]);

        await storage.posts.setAcceptedAnswer(q.id, a2.id, T0 + 6 * MIN);
        expect((await question(q.id)).acceptedAnswerId).toBe(a2.id);
        expect(((await post(a1.id)) as Answer).isAccepted).toBe(false);
        expect(((await post(a2.id)) as Answer).isAccepted).toBe(true);
        expect([await rep(alice), await rep(bob), await rep(carol)]).toEqual([2, 0, 15]);

        await storage.posts.setAcceptedAnswer(q.id, null, T0 + 7 * MIN);
        expect((await question(q.id)).acceptedAnswerId).toBeNull();
        expect((await storage.posts.listAnswers(q.id)).every((a) => !a.isAccepted)).toBe(true);
        expect([await rep(alice), await rep(bob), await rep(carol)]).toEqual([0, 0, 0]);
        expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
      });

      it('changes nothing when the same answer is accepted twice or nothing is cleared twice', async () => {
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 5 * MIN);
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 6 * MIN);
        expect([await rep(alice), await rep(bob)]).toEqual([2, 15]);
        await storage.posts.setAcceptedAnswer(q.id, null, T0 + 7 * MIN);
        await storage.posts.setAcceptedAnswer(q.id, null, T0 + 8 * MIN);
        expect([await rep(alice), await rep(bob)]).toEqual([0, 0]);
      });

      it('gives nothing for the asker\'s own answer', async () => {
        const own = await storage.posts.createAnswer(answerInput(q.id, { authorId: alice.id }));
        await storage.posts.setAcceptedAnswer(q.id, own.id, T0 + 5 * MIN);
        expect((await question(q.id)).acceptedAnswerId).toBe(own.id);
        expect(await rep(alice)).toBe(0);
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 6 * MIN);
        expect([await rep(alice), await rep(bob)]).toEqual([2, 15]);
        await storage.posts.setAcceptedAnswer(q.id, own.id, T0 + 7 * MIN);
        expect([await rep(alice), await rep(bob)]).toEqual([0, 0]);
        expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
      });

      it('refuses an answer of another question, a question as the answer, and unknown ids with NotFoundError', async () => {
        const other = await storage.posts.createQuestion(questionInput());
        const foreign = await storage.posts.createAnswer(answerInput(other.id));
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0 + 5 * MIN);
        for (const answerId of [foreign.id, other.id, q.id, ...NO_SUCH_IDS]) {
          await expect(storage.posts.setAcceptedAnswer(q.id, answerId, T0 + 6 * MIN)).rejects.toBeInstanceOf(NotFoundError);
        }
        for (const questionId of [a1.id, ...NO_SUCH_IDS]) {
          await expect(storage.posts.setAcceptedAnswer(questionId, a1.id, T0 + 6 * MIN)).rejects.toBeInstanceOf(NotFoundError);
        }
        // a refused call changed nothing, reputation included
        expect((await question(q.id)).acceptedAnswerId).toBe(a1.id);
        expect(((await post(a1.id)) as Answer).isAccepted).toBe(true);
        expect(((await post(foreign.id)) as Answer).isAccepted).toBe(false);
        expect([await rep(alice), await rep(bob)]).toEqual([2, 15]);
      });
    });

    describe('addViews', () => {
      it('adds batches of views and ignores ids that match nothing', async () => {
        const a = await storage.posts.createQuestion(questionInput());
        const b = await storage.posts.createQuestion(questionInput());
        await storage.posts.addViews(new Map([[a.id, 3], [b.id, 1], ...NO_SUCH_IDS.map((id) => [id, 5] as [string, number])]));
        await storage.posts.addViews(new Map([[a.id, 2]]));
        await storage.posts.addViews(new Map());
        expect((await question(a.id)).viewCount).toBe(5);
        expect((await question(b.id)).viewCount).toBe(1);
      });
    });

    /* ---------------------------------------------------------------- votes */

    describe('castVote', () => {
      const transitions: Array<[VoteValue, VoteValue]> = [];
      for (const from of [0, 1, -1] as VoteValue[]) for (const to of [0, 1, -1] as VoteValue[]) transitions.push([from, to]);

      it.each(transitions)('moves an answer vote from %i to %i with score, counts and reputation', async (from, to) => {
        const q = await storage.posts.createQuestion(questionInput({ authorId: alice.id }));
        const a = await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id }));
        await storage.votes.castVote(a.id, dave.id, 1, T0); // someone else's vote stays put
        if (from !== 0) await storage.votes.castVote(a.id, carol.id, from, T0 + MIN);
        const result = await storage.votes.castVote(a.id, carol.id, to, T0 + 2 * MIN);
        const up = 1 + (to === 1 ? 1 : 0);
        const down = to === -1 ? 1 : 0;
        expect(result).toEqual({ score: up - down, upVotes: up, downVotes: down, value: to });
        expect(await post(a.id)).toMatchObject({ score: up - down, upVotes: up, downVotes: down });
        const earned = (v: VoteValue) => (v === 1 ? REPUTATION.answerUpvoted : v === -1 ? REPUTATION.downvoted : 0);
        expect(await rep(bob)).toBe(REPUTATION.answerUpvoted + earned(to));
        expect(await rep(carol)).toBe(0);
        expect(await rep(alice)).toBe(0);
        expect((await storage.votes.votesBy(carol.id, [a.id])).get(a.id)).toBe(to === 0 ? undefined : to);
      });

      it.each(transitions)('moves a question vote from %i to %i with score, counts and reputation', async (from, to) => {
        const q = await storage.posts.createQuestion(questionInput({ authorId: alice.id }));
        if (from !== 0) await storage.votes.castVote(q.id, carol.id, from, T0 + MIN);
        const result = await storage.votes.castVote(q.id, carol.id, to, T0 + 2 * MIN);
        expect(result).toEqual({ score: to, upVotes: to === 1 ? 1 : 0, downVotes: to === -1 ? 1 : 0, value: to });
        expect((await question(q.id)).score).toBe(to);
        expect(await rep(alice)).toBe(to === 1 ? REPUTATION.questionUpvoted : to === -1 ? REPUTATION.downvoted : 0);
      });

      it('keeps the score the sum of many voters\' votes', async () => {
        const q = await storage.posts.createQuestion(questionInput({ authorId: alice.id }));
        const voters = [bob, carol, dave];
        await storage.votes.castVote(q.id, bob.id, 1, T0);
        await storage.votes.castVote(q.id, carol.id, 1, T0);
        await storage.votes.castVote(q.id, dave.id, -1, T0);
        expect(await question(q.id)).toMatchObject({ score: 1, upVotes: 2, downVotes: 1 });
        await storage.votes.castVote(q.id, carol.id, -1, T0);
        expect(await question(q.id)).toMatchObject({ score: -1, upVotes: 1, downVotes: 2 });
        for (const v of voters) await storage.votes.castVote(q.id, v.id, 0, T0);
        expect(await question(q.id)).toMatchObject({ score: 0, upVotes: 0, downVotes: 0 });
        expect(await rep(alice)).toBe(0);
      });

      it('refuses ids that match nothing with NotFoundError and changes nothing', async () => {
        const q = await storage.posts.createQuestion(questionInput());
        for (const id of NO_SUCH_IDS) {
          await expect(storage.votes.castVote(id, bob.id, 1, T0)).rejects.toBeInstanceOf(NotFoundError);
        }
        for (const id of NO_SUCH_IDS.filter((i) => i !== '999999999')) {
          await expect(storage.votes.castVote(q.id, id, 1, T0)).rejects.toBeInstanceOf(NotFoundError);
        }
        expect((await question(q.id)).score).toBe(0);
        expect(await rep(alice)).toBe(0);
      });
    });

    describe('votesBy', () => {
      it('returns the voter\'s current votes on the given posts only', async () => {
        const q = await storage.posts.createQuestion(questionInput());
        const a1 = await storage.posts.createAnswer(answerInput(q.id));
        const a2 = await storage.posts.createAnswer(answerInput(q.id));
        const a3 = await storage.posts.createAnswer(answerInput(q.id));
        await storage.votes.castVote(q.id, carol.id, 1, T0);
        await storage.votes.castVote(a1.id, carol.id, -1, T0);
        await storage.votes.castVote(a2.id, carol.id, 1, T0);
        await storage.votes.castVote(a2.id, carol.id, 0, T0);
        await storage.votes.castVote(a3.id, dave.id, 1, T0);
        const mine = await storage.votes.votesBy(carol.id, [q.id, a1.id, a2.id, a3.id, ...NO_SUCH_IDS]);
        expect([...mine.entries()].sort()).toEqual([[a1.id, -1], [q.id, 1]].sort());
        expect([...(await storage.votes.votesBy(carol.id, [a1.id])).entries()]).toEqual([[a1.id, -1]]);
        expect((await storage.votes.votesBy(carol.id, [])).size).toBe(0);
        for (const id of NO_SUCH_IDS) expect((await storage.votes.votesBy(id, [q.id])).size).toBe(0);
      });
    });

    describe('recomputeAll', () => {
      it('changes nothing after any sequence of writes, and is idempotent', async () => {
        expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
        const q = await storage.posts.createQuestion(questionInput({ authorId: alice.id }));
        const a1 = await storage.posts.createAnswer(answerInput(q.id, { authorId: bob.id }));
        const a2 = await storage.posts.createAnswer(answerInput(q.id, { authorId: alice.id }));
        await storage.votes.castVote(q.id, bob.id, 1, T0);
        await storage.votes.castVote(q.id, carol.id, -1, T0);
        await storage.votes.castVote(a1.id, carol.id, 1, T0);
        await storage.votes.castVote(a1.id, dave.id, 1, T0);
        await storage.votes.castVote(a1.id, dave.id, -1, T0);
        await storage.votes.castVote(a2.id, dave.id, 1, T0);
        await storage.votes.castVote(a2.id, dave.id, 0, T0);
        await storage.posts.setAcceptedAnswer(q.id, a2.id, T0);
        await storage.posts.setAcceptedAnswer(q.id, a1.id, T0);
        const before = await Promise.all([alice, bob, carol, dave].map(rep));
        expect(before).toEqual([5 - 2 + 2, 10 - 2 + 15, 0, 0]);
        expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
        expect(await storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
        expect(await Promise.all([alice, bob, carol, dave].map(rep))).toEqual(before);
        expect(await post(a1.id)).toMatchObject({ score: 0, upVotes: 1, downVotes: 1 });
        // lists keep working after a recompute
        expect(ids(await list('top'))).toEqual([q.id]);
        expect(ids(await list('top', { tag: 'general' }))).toEqual([q.id]);
      });
    });

    /* ---------------------------------------------------------------- comments */

    describe('comments', () => {
      it('adds comments to questions and answers, counts them and lists them oldest first', async () => {
        const q = await storage.posts.createQuestion(questionInput({ now: T0 }));
        const a = await storage.posts.createAnswer(answerInput(q.id, { now: T0 + MIN }));
        const c1 = await storage.comments.add(q.id, carol.id, 'first <b>', 'first &lt;b&gt;', T0 + 2 * MIN);
        expect(c1).toMatchObject({ postId: q.id, authorId: carol.id, body: 'first <b>', bodyHtml: 'first &lt;b&gt;', createdAt: T0 + 2 * MIN });
        expect(typeof c1.id).toBe('string');
        const c2 = await storage.comments.add(a.id, dave.id, 'second', 'second', T0 + 3 * MIN);
        const c3 = await storage.comments.add(q.id, dave.id, '第三条评论', '第三条评论', T0 + 4 * MIN);
        expect((await question(q.id)).commentCount).toBe(2);
        expect((await post(a.id)).commentCount).toBe(1);
        expect(await question(q.id)).toMatchObject({ lastActivityAt: T0 + 4 * MIN, lastActivityUserId: dave.id, lastActivityKind: 'comment' });
        expect(ids(await storage.comments.listFor([q.id, a.id]))).toEqual([c1.id, c2.id, c3.id]);
        expect(ids(await storage.comments.listFor([a.id]))).toEqual([c2.id]);
        expect(await storage.comments.listFor([])).toEqual([]);
        expect(ids(await storage.comments.listFor([...NO_SUCH_IDS, q.id]))).toEqual([c1.id, c3.id]);
      });

      it('refuses a post that matches nothing with NotFoundError', async () => {
        for (const id of NO_SUCH_IDS) await expect(storage.comments.add(id, carol.id, 'x', 'x', T0)).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    /* ---------------------------------------------------------------- tags */

    describe('tags', () => {
      it('lists popular tags by question count, then name, without unused ones, up to the limit', async () => {
        await storage.posts.createQuestion(questionInput({ tags: ['b-tag', 'a-tag', 'unused'] }));
        await storage.posts.createQuestion(questionInput({ tags: ['b-tag', 'a-tag'] }));
        await storage.posts.createQuestion(questionInput({ tags: ['c-tag', 'b-tag'] }));
        await storage.posts.createQuestion(questionInput({ communityId: otherCommunity.id, tags: ['c-tag', 'z-other'] }));
        const q = (await list('newest')).find((x) => x.tags.includes('unused'))!;
        await storage.posts.editPost({ postId: q.id, editorId: alice.id, tags: ['b-tag', 'a-tag'], bodyMd: 'x', bodyHtml: 'x', bodyText: 'x', reason: '', now: T0 + 60 * MIN });
        const popular = await storage.tags.popular(community.id, 10);
        expect(popular.map((t) => [t.name, t.questionCount])).toEqual([
          ['b-tag', 3],
          ['a-tag', 2],
          ['c-tag', 1],
        ]);
        for (const t of popular) expect(t.communityId).toBe(community.id);
        expect((await storage.tags.popular(community.id, 2)).map((t) => t.name)).toEqual(['b-tag', 'a-tag']);
        expect((await storage.tags.popular(otherCommunity.id, 10)).map((t) => t.name)).toEqual(['c-tag', 'z-other']);
        for (const id of NO_SUCH_IDS) expect(await storage.tags.popular(id, 10)).toEqual([]);
      });

      it('finds a tag by exact name within a community', async () => {
        await storage.posts.createQuestion(questionInput({ tags: ['电池', 'c++'] }));
        const t = await storage.tags.find(community.id, '电池');
        expect(t).toMatchObject({ name: '电池', communityId: community.id, questionCount: 1 });
        expect(typeof t!.id).toBe('string');
        expect(await storage.tags.find(community.id, 'c++')).toMatchObject({ name: 'c++' });
        expect(await storage.tags.find(community.id, '电')).toBeNull();
        expect(await storage.tags.find(community.id, '%')).toBeNull();
        expect(await storage.tags.find(otherCommunity.id, '电池')).toBeNull();
        for (const id of NO_SUCH_IDS) expect(await storage.tags.find(id, '电池')).toBeNull();
      });
    });
  });
}
