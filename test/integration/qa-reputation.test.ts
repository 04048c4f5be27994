/*
 * Reputation (issue 3): answer up-voted +10, question up-voted +5, any down-vote -2,
 * answer accepted +15 and the asker +2, nothing for accepting your own answer; votes can
 * be changed and withdrawn. The values kept up to date on every write must always equal
 * what a recompute from the votes gives: checked rule by rule, and then against a model
 * over a seeded random sequence of 300 actions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import { DomainError, ForbiddenError } from '../../src/domain/errors.js';
import type { Post, VoteValue } from '../../src/domain/qa-types.js';
import { REPUTATION, reputationForVote } from '../../src/domain/reputation.js';
import type { Community, User } from '../../src/domain/types.js';
import { createCommunity, createQaApp, steppingClock, storageUser } from '../helpers/qa.js';
import { mulberry32 } from '../helpers/prng.js';

describe('reputation rules', () => {
  let app: FastifyInstance;
  let community: Community;
  let asker: User;
  let answerer: User;
  let other: User;
  let voter: User;
  let voter2: User;

  beforeEach(async () => {
    app = await createQaApp({ now: steppingClock().now });
    community = await createCommunity(app.storage, 'rep');
    const m = [{ community }];
    asker = await storageUser(app.storage, 'asker', m);
    answerer = await storageUser(app.storage, 'answerer', m);
    other = await storageUser(app.storage, 'other', m);
    voter = await storageUser(app.storage, 'voter', m);
    voter2 = await storageUser(app.storage, 'voter2', m);
  });

  afterEach(async () => {
    await app.close();
  });

  const q = () => app.services.questions;
  const rep = async (u: User) => (await app.storage.users.findById(u.id))!.reputation;
  const reps = async () => Promise.all([asker, answerer, other, voter, voter2].map(rep));

  async function thread() {
    const { question } = await q().ask(asker, 'rep', { title: 'A question about reputation', body: 'Body of the question.', tags: 'rep' });
    const { answer } = await q().answer(answerer, question.id, 'An answer that is long enough.');
    const { answer: second } = await q().answer(other, question.id, 'Another answer, also long enough.');
    return { question, answer, second };
  }

  it('gives +10 for an up-voted answer and +5 for an up-voted question; voters gain or lose nothing', async () => {
    const { question, answer } = await thread();
    await q().vote(voter, answer.id, 1);
    expect(await reps()).toEqual([0, 10, 0, 0, 0]);
    await q().vote(voter, question.id, 1);
    expect(await reps()).toEqual([5, 10, 0, 0, 0]);
    await q().vote(voter2, question.id, 1);
    await q().vote(voter2, answer.id, 1);
    expect(await reps()).toEqual([10, 20, 0, 0, 0]);
  });

  it('takes 2 for a down-vote on an answer or a question', async () => {
    const { question, answer } = await thread();
    await q().vote(voter, answer.id, -1);
    await q().vote(voter, question.id, -1);
    expect(await reps()).toEqual([-2, -2, 0, 0, 0]);
  });

  it('moves the reputation when a vote is changed or withdrawn', async () => {
    const { question, answer } = await thread();
    await q().vote(voter, answer.id, 1);
    await q().vote(voter, answer.id, -1);
    expect(await rep(answerer)).toBe(-2);
    await q().vote(voter, answer.id, 1);
    expect(await rep(answerer)).toBe(10);
    await q().vote(voter, answer.id, 0);
    expect(await rep(answerer)).toBe(0);
    await q().vote(voter, answer.id, -1);
    await q().vote(voter, answer.id, 0);
    expect(await rep(answerer)).toBe(0);
    await q().vote(voter, question.id, 1);
    await q().vote(voter, question.id, -1);
    expect(await rep(asker)).toBe(-2);
    await q().vote(voter, question.id, 0);
    expect(await rep(asker)).toBe(0);
    // withdrawing a vote that was never cast changes nothing
    await q().vote(voter2, answer.id, 0);
    expect(await reps()).toEqual([0, 0, 0, 0, 0]);
    const post = (await app.storage.posts.findPost(answer.id))!;
    expect([post.score, post.upVotes, post.downVotes]).toEqual([0, 0, 0]);
  });

  it('gives +15 to the accepted answer\'s author and +2 to the asker, and moves both on a change', async () => {
    const { question, answer, second } = await thread();
    await q().accept(asker, question.id, answer.id);
    expect(await reps()).toEqual([2, 15, 0, 0, 0]);
    await q().accept(asker, question.id, second.id);
    expect(await reps()).toEqual([2, 0, 15, 0, 0]);
    await q().accept(asker, question.id, second.id); // withdraws
    expect(await reps()).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives the same when a moderator accepts for the asker', async () => {
    const mod = await storageUser(app.storage, 'mod', [{ community, role: 'moderator' }]);
    const { question, answer } = await thread();
    await q().accept(mod, question.id, answer.id);
    expect(await reps()).toEqual([2, 15, 0, 0, 0]);
    expect(await rep(mod)).toBe(0);
  });

  it('gives nothing for accepting your own answer, and takes nothing when that changes', async () => {
    const { question, answer } = await thread();
    const { answer: own } = await q().answer(asker, question.id, 'I answer my own question here.');
    await q().accept(asker, question.id, own.id);
    expect(await reps()).toEqual([0, 0, 0, 0, 0]);
    await q().accept(asker, question.id, answer.id);
    expect(await reps()).toEqual([2, 15, 0, 0, 0]);
    await q().accept(asker, question.id, own.id);
    expect(await reps()).toEqual([0, 0, 0, 0, 0]);
    await q().accept(asker, question.id, own.id);
    expect(await reps()).toEqual([0, 0, 0, 0, 0]);
  });

  it('refuses votes on your own posts, so they never earn anything', async () => {
    const { question, answer } = await thread();
    await expect(q().vote(asker, question.id, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(q().vote(answerer, answer.id, 1)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await reps()).toEqual([0, 0, 0, 0, 0]);
  });

  it('adds votes and acceptance together', async () => {
    const { question, answer } = await thread();
    await q().vote(voter, answer.id, 1);
    await q().vote(voter2, answer.id, -1);
    await q().vote(voter, question.id, 1);
    await q().accept(asker, question.id, answer.id);
    expect(await rep(answerer)).toBe(10 - 2 + 15);
    expect(await rep(asker)).toBe(5 + 2);
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
  });

  it('is repaired by recomputeAll when the stored values drift from the votes', async () => {
    const { answer } = await thread();
    await q().vote(voter, answer.id, 1);
    const db = (app.storage as SqliteStorage).db;
    db.prepare('UPDATE users SET reputation = 999 WHERE id = ?').run(Number(answerer.id));
    db.prepare('UPDATE users SET reputation = 7 WHERE id = ?').run(Number(voter.id));
    db.prepare('UPDATE posts SET score = 42, up_votes = 0 WHERE id = ?').run(Number(answer.id));
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 2, postsChanged: 1 });
    expect(await rep(answerer)).toBe(10);
    expect(await rep(voter)).toBe(0);
    expect((await app.storage.posts.findPost(answer.id))!).toMatchObject({ score: 1, upVotes: 1, downVotes: 0 });
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
  });
});

describe('reputation after a random sequence of 300 actions', () => {
  for (const seed of [1, 20240607, 987654321]) {
    it(`agrees with the votes and with recomputeAll (seed ${seed})`, async () => {
      const random = mulberry32(seed);
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
      const app = await createQaApp({ now: steppingClock().now });
      try {
        const community = await createCommunity(app.storage, 'random');
        const users: User[] = [];
        for (let i = 0; i < 8; i++) users.push(await storageUser(app.storage, `r${i}`, [{ community }]));
        const mod = await storageUser(app.storage, 'rmod', [{ community, role: 'moderator' }]);
        const everyone = [...users, mod];
        const svc = app.services.questions;

        // The model: who wrote what, the votes, the acceptances.
        const posts: Array<{ id: string; type: Post['type']; authorId: string; questionId: string }> = [];
        const votes = new Map<string, VoteValue>(); // `${postId}:${userId}`
        const accepted = new Map<string, string | null>(); // questionId -> answerId
        let refused = 0;

        const expectedReputation = (userId: string): number => {
          let total = 0;
          for (const [key, value] of votes) {
            const post = posts.find((p) => p.id === key.split(':')[0])!;
            if (post.authorId === userId) total += reputationForVote(post.type, value);
          }
          for (const [questionId, answerId] of accepted) {
            if (!answerId) continue;
            const question = posts.find((p) => p.id === questionId)!;
            const answer = posts.find((p) => p.id === answerId)!;
            if (answer.authorId === question.authorId) continue;
            if (answer.authorId === userId) total += REPUTATION.answerAccepted;
            if (question.authorId === userId) total += REPUTATION.acceptedByAsker;
          }
          return total;
        };

        for (let step = 0; step < 300; step++) {
          const roll = random();
          const questions = posts.filter((p) => p.type === 'question');
          if (questions.length === 0 || roll < 0.1) {
            const author = pick(users);
            const { question } = await svc.ask(author, 'random', { title: `Random question number ${step}`, body: `Body of question ${step}.`, tags: pick(['a', 'b', 'c']) });
            posts.push({ id: question.id, type: 'question', authorId: author.id, questionId: question.id });
            accepted.set(question.id, null);
          } else if (roll < 0.25) {
            const author = pick(users);
            const question = pick(questions);
            const { answer } = await svc.answer(author, question.id, `Answer ${step} with enough text.`);
            posts.push({ id: answer.id, type: 'answer', authorId: author.id, questionId: question.id });
          } else if (roll < 0.85) {
            const voter = pick(everyone);
            const post = pick(posts);
            const value = pick<VoteValue>([1, 1, -1, 0]);
            if (post.authorId === voter.id) {
              await expect(svc.vote(voter, post.id, value)).rejects.toBeInstanceOf(DomainError);
              refused += 1;
            } else {
              const result = await svc.vote(voter, post.id, value);
              if (value === 0) votes.delete(`${post.id}:${voter.id}`);
              else votes.set(`${post.id}:${voter.id}`, value);
              const all = [...votes].filter(([k]) => k.startsWith(`${post.id}:`)).map(([, v]) => v);
              expect(result.score).toBe(all.reduce<number>((s, v) => s + v, 0));
            }
          } else {
            const question = pick(questions);
            const answers = posts.filter((p) => p.type === 'answer' && p.questionId === question.id);
            if (answers.length === 0) continue;
            const answer = pick(answers);
            const actor = random() < 0.7 ? users.find((u) => u.id === question.authorId)! : random() < 0.5 ? mod : pick(users);
            const allowed = actor.id === question.authorId || actor.id === mod.id;
            if (!allowed) {
              await expect(svc.accept(actor, question.id, answer.id)).rejects.toBeInstanceOf(ForbiddenError);
              refused += 1;
            } else {
              const result = await svc.accept(actor, question.id, answer.id);
              const withdraw = accepted.get(question.id) === answer.id;
              expect(result.accepted).toBe(!withdraw);
              accepted.set(question.id, withdraw ? null : answer.id);
            }
          }

          // After every action: each user's reputation, each post's score.
          for (const u of everyone) {
            expect((await app.storage.users.findById(u.id))!.reputation, `step ${step}, user ${u.username}`).toBe(expectedReputation(u.id));
          }
        }

        for (const p of posts) {
          const stored = (await app.storage.posts.findPost(p.id))!;
          const values = [...votes].filter(([k]) => k.startsWith(`${p.id}:`)).map(([, v]) => v);
          expect([stored.score, stored.upVotes, stored.downVotes], `post ${p.id}`).toEqual([
            values.reduce<number>((s, v) => s + v, 0),
            values.filter((v) => v === 1).length,
            values.filter((v) => v === -1).length,
          ]);
          if (p.type === 'question') {
            const q = stored as Extract<Post, { type: 'question' }>;
            expect(q.acceptedAnswerId).toBe(accepted.get(p.id) ?? null);
            expect(q.answerCount).toBe(posts.filter((a) => a.type === 'answer' && a.questionId === p.id).length);
          } else {
            expect((stored as Extract<Post, { type: 'answer' }>).isAccepted).toBe(accepted.get(p.questionId) === p.id);
          }
        }
        // The sequence exercised every kind of action, including refused ones.
        expect(posts.filter((p) => p.type === 'answer').length).toBeGreaterThan(10);
        expect(votes.size).toBeGreaterThan(20);
        expect([...accepted.values()].filter(Boolean).length).toBeGreaterThan(0);
        expect(refused).toBeGreaterThan(0);

        expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
      } finally {
        await app.close();
      }
    });
  }
});
