/*
 * Many people voting at the same moment on one answer, through the real POST route with
 * sessions and CSRF tokens: the score and the author's reputation must come out exactly
 * as the votes say, with no lost or doubled update, and a full recompute from the vote
 * rows must find nothing to fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import { REPUTATION } from '../../src/domain/reputation.js';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, member, postAnswer, shownScore, storageUser } from '../helpers/qa.js';

const VOTERS = 100;

describe('concurrent votes on one answer', () => {
  let app: FastifyInstance;
  let community: Community;
  let author: { user: User; client: TestClient };
  let question: { id: string; url: string };
  let answerId: string;
  let voters: TestClient[];

  beforeAll(async () => {
    // The per-address post rate limit (120 a minute by default) would refuse most of these
    // requests, which all come from 127.0.0.1; it is not what this test is about.
    app = await createQaApp();
    community = await createCommunity(app.storage, 'busy');
    const asker = await member(app, community, 'busy_asker');
    author = await member(app, community, 'busy_author');
    question = await askQuestion(asker.client, 'busy', { title: 'Which memory card is fast enough for 4K?', tags: 'storage' });
    answerId = await postAnswer(author.client, question.id, 'A V30 card or faster; V60 for the high bit-rate mode.');

    voters = await Promise.all(
      Array.from({ length: VOTERS }, async (_, i) => {
        const user = await storageUser(app.storage, `voter${String(i).padStart(3, '0')}`, [{ community }]);
        const client = await clientFor(app, user);
        await client.csrf(); // GET / gives this agent its CSRF cookie and token
        return client;
      }),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  async function voteAll(clients: TestClient[], value: string) {
    const responses = await Promise.all(clients.map((c) => c.post(`/posts/${answerId}/vote`, { value })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 303), `unexpected statuses ${JSON.stringify(statuses)}`).toEqual([]);
  }

  async function state() {
    const post = (await app.storage.posts.findPost(answerId))!;
    const rep = (await app.storage.users.findById(author.user.id))!.reputation;
    const page = await voters[0]!.get(question.url);
    return { score: post.score, up: post.upVotes, down: post.downVotes, rep, shown: shownScore(page.text, answerId) };
  }

  it('counts 100 parallel up-votes exactly once each', async () => {
    await voteAll(voters, '1');
    expect(await state()).toEqual({ score: 100, up: 100, down: 0, rep: 100 * REPUTATION.answerUpvoted, shown: 100 });
    expect(100 * REPUTATION.answerUpvoted).toBe(1000);
  });

  it('applies 50 parallel switches to down-votes and 25 withdrawals exactly', async () => {
    await Promise.all([voteAll(voters.slice(0, 50), '-1'), voteAll(voters.slice(50, 75), '0')]);
    const up = 25;
    const down = 50;
    expect(await state()).toEqual({
      score: up - down,
      up,
      down,
      rep: up * REPUTATION.answerUpvoted + down * REPUTATION.downvoted,
      shown: -25,
    });
    expect(up * REPUTATION.answerUpvoted + down * REPUTATION.downvoted).toBe(150);
  });

  it('finds nothing to fix when everything is recomputed from the vote rows', async () => {
    const before = await state();
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
    expect(await state()).toEqual(before);
  });

  it('counts the same vote sent many times at once by one person only once', async () => {
    const client = voters[99]!; // currently up
    const responses = await Promise.all(Array.from({ length: 10 }, () => client.post(`/posts/${answerId}/vote`, { value: '-1' }, { headers: { accept: 'application/json' } })));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.map((r) => (r.body as { value: number }).value)).toEqual(Array(10).fill(-1));
    const after = await state();
    expect(after).toMatchObject({ score: -27, up: 24, down: 51, rep: 24 * 10 + 51 * -2, shown: -27 });
  });

  it('keeps score and reputation equal to the votes under a storm of mixed changes', async () => {
    const values = ['1', '-1', '0'];
    const requests: Array<Promise<unknown>> = [];
    for (let round = 0; round < 4; round++) {
      voters.forEach((client, i) => {
        requests.push(client.post(`/posts/${answerId}/vote`, { value: values[(i + round) % 3]! }));
      });
    }
    await Promise.all(requests);
    const votes = await Promise.all(
      voters.map(async (_, i) => {
        const user = (await app.storage.users.findByUsername(`voter${String(i).padStart(3, '0')}`))!;
        return (await app.storage.votes.votesBy(user.id, [answerId])).get(answerId) ?? 0;
      }),
    );
    const up = votes.filter((v) => v === 1).length;
    const down = votes.filter((v) => v === -1).length;
    expect(await state()).toEqual({ score: up - down, up, down, rep: up * 10 - down * 2, shown: up - down });
    expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
  });
});

describe('concurrent acceptance', () => {
  it('leaves exactly one accepted answer and consistent reputation when the asker and a moderator click at once', async () => {
    const app = await createQaApp();
    try {
      const c = await createCommunity(app.storage, 'race');
      const asker = await member(app, c, 'race_asker');
      const mod = await member(app, c, 'race_mod', 'moderator');
      const q = await askQuestion(asker.client, 'race', { title: 'Two people accept at the same time', tags: 'race' });
      const answerers = await Promise.all([0, 1, 2, 3].map((i) => member(app, c, `race_answerer${i}`)));
      const answers: string[] = [];
      for (const a of answerers) answers.push(await postAnswer(a.client, q.id, `Answer from ${a.user.username} here.`));
      const clicks: Array<Promise<unknown>> = [];
      for (let i = 0; i < 12; i++) {
        const who = i % 2 === 0 ? asker.client : mod.client;
        clicks.push(who.post(`/q/${q.id}/accept`, { answerId: answers[i % answers.length]! }));
      }
      await Promise.all(clicks);
      const accepted = (await app.storage.posts.listAnswers(q.id)).filter((a) => a.isAccepted).map((a) => a.id);
      const question = (await app.storage.posts.findQuestion(q.id))!;
      expect(accepted.length).toBeLessThanOrEqual(1);
      expect(question.acceptedAnswerId).toBe(accepted[0] ?? null);
      expect(await app.storage.votes.recomputeAll()).toEqual({ usersChanged: 0, postsChanged: 0 });
    } finally {
      await app.close();
    }
  });
});
