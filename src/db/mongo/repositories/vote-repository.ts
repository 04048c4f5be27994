import type { VoteRepository, VoteResult } from '../../ports.js';
import type { VoteValue } from '../../../domain/qa-types.js';
import { NotFoundError } from '../../../domain/errors.js';
import { parseId, parseIds, searchDocIdOf } from '../ids.js';
import type { PostDoc, UserDoc, VoteDoc } from '../models/index.js';
import { addReputationQuery } from '../queries/accounts.js';
import {
  acceptedAnswersPipeline,
  correctionOps,
  postScoreQuery,
  reputationTotals,
  upsertVoteQuery,
  voteEffects,
  voteQuery,
  voteReputationPipeline,
  votesByQuery,
  voteTotalsPipeline,
} from '../queries/qa.js';
import { aggregate, bulk, deleteOne, findMany, findOne, findOneAndUpdate, updateOne, type MongoContext } from './context.js';

const BATCH = 1000;

export class MongoVoteRepository implements VoteRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * Transaction: the vote document, the post's score/up/down counters (which are also the
   * sort keys of the tag-filtered lists, since tags are embedded in the question), the
   * author's reputation and the post's search outbox entry (its document holds the score)
   * change together; repeating a vote changes nothing and enqueues nothing. Two concurrent votes on one post both write the
   * post document, so one hits a write conflict and withTransaction re-runs it on top of the
   * other: the score stays the sum of the votes.
   */
  async castVote(postId: string, userId: string, value: VoteValue, now: number): Promise<VoteResult> {
    const p = parseId(postId);
    const u = parseId(userId);
    if (p === null || u === null) throw new NotFoundError();
    return this.ctx.tx(async (session): Promise<VoteResult> => {
      const post = await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: p }, projection: { type: 1, authorId: 1, deletedAt: 1, score: 1, upVotes: 1, downVotes: 1 } }, session);
      if (!post || (post.deletedAt ?? null) !== null) throw new NotFoundError();
      const existing = await findOne<VoteDoc>(this.ctx.models.votes, voteQuery(p, u), session);
      const oldValue: VoteValue = existing?.value ?? 0;
      if (oldValue === value) return { score: post.score ?? 0, upVotes: post.upVotes ?? 0, downVotes: post.downVotes ?? 0, value };
      if (value === 0) await deleteOne(this.ctx.models.votes, voteQuery(p, u), session);
      else await updateOne(this.ctx.models.votes, upsertVoteQuery(p, u, value, now), session);
      const effects = voteEffects(post.type, oldValue, value);
      const after = await findOneAndUpdate<PostDoc>(this.ctx.models.posts, postScoreQuery(p, effects), session);
      if (effects.reputation !== 0) await updateOne(this.ctx.models.users, addReputationQuery(post.authorId, effects.reputation), session);
      await this.ctx.enqueueSearch([searchDocIdOf(post.type, p)], session);
      return { score: after!.score, upVotes: after!.upVotes, downVotes: after!.downVotes, value };
    });
  }

  async votesBy(userId: string, postIds: string[]): Promise<Map<string, VoteValue>> {
    const u = parseId(userId);
    const ids = parseIds(postIds);
    const out = new Map<string, VoteValue>();
    if (u === null || ids.length === 0) return out;
    for (const v of await findMany<VoteDoc>(this.ctx.models.votes, votesByQuery(u, ids))) out.set(String(v.postId), v.value);
    return out;
  }

  /**
   * An idempotent ordered sequence, not a transaction: rebuilding every score and every
   * reputation can touch the whole database, far beyond what one transaction may hold (60 s,
   * 16 MB of changes). Step 1 sets each post's counters from its votes, step 2 each user's
   * reputation from votes and accepted answers; each step only writes values that differ,
   * so running it again (after a crash, or twice) converges on the same result. Run it when
   * the forum is quiet (scripts/recompute-reputation): a vote cast mid-run may be recounted.
   *
   * The search outbox entries of the corrected posts are written right after each batch's
   * corrections, not atomically with them: a crash in between loses at most one batch's
   * entries, which a rerun does not restore (the counters are right by then) but a reindex
   * does. Enqueuing is an idempotent upsert, so a rerun never duplicates anything.
   */
  async recomputeAll(): Promise<{ usersChanged: number; postsChanged: number }> {
    const m = this.ctx.models;
    const totals = new Map<number, { score: number; upVotes: number; downVotes: number }>();
    for (const row of await aggregate<{ _id: number; score: number; upVotes: number; downVotes: number }>(m.votes, voteTotalsPipeline())) {
      totals.set(row._id, { score: row.score, upVotes: row.upVotes, downVotes: row.downVotes });
    }
    let postsChanged = 0;
    let batch: Array<Pick<PostDoc, '_id' | 'type' | 'score' | 'upVotes' | 'downVotes'>> = [];
    const flushPosts = async () => {
      const ops = correctionOps<'score' | 'upVotes' | 'downVotes'>(batch, (id) => totals.get(id) ?? { score: 0, upVotes: 0, downVotes: 0 });
      postsChanged += ops.length;
      await bulk(m.posts, ops);
      const types = new Map(batch.map((d) => [d._id, d.type]));
      const changed = ops.map((op) => op.updateOne.filter._id as number);
      await this.ctx.enqueueSearch(changed.map((id) => searchDocIdOf(types.get(id)!, id)));
      batch = [];
    };
    for await (const doc of m.posts.find({}, { type: 1, score: 1, upVotes: 1, downVotes: 1 }).lean<PostDoc>().cursor()) {
      batch.push(doc as PostDoc);
      if (batch.length >= BATCH) await flushPosts();
    }
    await flushPosts();

    const reputation = reputationTotals(
      await aggregate<{ _id: number; reputation: number }>(m.votes, voteReputationPipeline()),
      await aggregate<{ answererId: number; askerId: number }>(m.posts, acceptedAnswersPipeline()),
    );
    let usersChanged = 0;
    let users: Array<Pick<UserDoc, '_id' | 'reputation'>> = [];
    const flushUsers = async () => {
      const ops = correctionOps(users, (id) => ({ reputation: reputation.get(id) ?? 0 }));
      usersChanged += ops.length;
      await bulk(m.users, ops);
      users = [];
    };
    for await (const doc of m.users.find({}, { reputation: 1 }).lean<UserDoc>().cursor()) {
      users.push(doc as UserDoc);
      if (users.length >= BATCH) await flushUsers();
    }
    await flushUsers();
    return { usersChanged, postsChanged };
  }
}
