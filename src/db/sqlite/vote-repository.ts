import type { VoteRepository, VoteResult } from '../ports.js';
import type { PostType, VoteValue } from '../../domain/qa-types.js';
import { REPUTATION } from '../../domain/reputation.js';
import { NotFoundError } from '../../domain/errors.js';
import { type Db, toRowId } from './connection.js';
import { addReputation, voteReputationDelta } from './reputation.js';

export class SqliteVoteRepository implements VoteRepository {
  private readonly postForVote;
  private readonly existingVote;

  constructor(private readonly db: Db) {
    this.postForVote = db.prepare<[number], { id: number; type: PostType; author_id: number; deleted_at: number | null }>(
      'SELECT id, type, author_id, deleted_at FROM posts WHERE id = ?',
    );
    this.existingVote = db.prepare<[number, number], { value: VoteValue }>('SELECT value FROM votes WHERE post_id = ? AND user_id = ?');
  }

  async castVote(postId: string, userId: string, value: VoteValue, now: number): Promise<VoteResult> {
    const pId = toRowId(postId);
    const uId = toRowId(userId);
    if (pId === null || uId === null) throw new NotFoundError();
    // better-sqlite3 runs the whole transaction synchronously, so concurrent requests in
    // this process are serialised and other processes wait on the write lock.
    return this.db.transaction((): VoteResult => {
      const post = this.postForVote.get(pId);
      if (!post || post.deleted_at !== null) throw new NotFoundError();
      const oldValue: VoteValue = this.existingVote.get(pId, uId)?.value ?? 0;
      if (oldValue !== value) {
        if (value === 0) this.db.prepare('DELETE FROM votes WHERE post_id = ? AND user_id = ?').run(pId, uId);
        else
          this.db
            .prepare('INSERT INTO votes (post_id, user_id, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(post_id, user_id) DO UPDATE SET value = excluded.value')
            .run(pId, uId, value, now);
        const up = (value === 1 ? 1 : 0) - (oldValue === 1 ? 1 : 0);
        const down = (value === -1 ? 1 : 0) - (oldValue === -1 ? 1 : 0);
        this.db.prepare('UPDATE posts SET score = score + ?, up_votes = up_votes + ?, down_votes = down_votes + ? WHERE id = ?').run(value - oldValue, up, down, pId);
        if (post.type === 'question') this.db.prepare('UPDATE question_tags SET score = score + ? WHERE question_id = ?').run(value - oldValue, pId);
        addReputation(this.db, post.author_id, voteReputationDelta(post.type, oldValue, value));
      }
      const row = this.db.prepare<[number], { score: number; up_votes: number; down_votes: number }>('SELECT score, up_votes, down_votes FROM posts WHERE id = ?').get(pId)!;
      return { score: row.score, upVotes: row.up_votes, downVotes: row.down_votes, value };
    })();
  }

  async votesBy(userId: string, postIds: string[]): Promise<Map<string, VoteValue>> {
    const uId = toRowId(userId);
    const ids = postIds.map(toRowId).filter((x): x is number => x !== null);
    const out = new Map<string, VoteValue>();
    if (uId === null || ids.length === 0) return out;
    /*
     * One indexed look-up per post (a page shows a handful), not `post_id IN (?,?,...)`: SQLite
     * builds a temporary b-tree for a bound IN list on every run, and in the server that cost
     * 150-400 us per member page (fresh page-cache memory each time), against 1-3 us per
     * look-up here. Measured on the full data set (issue 15, docs/decisions.md).
     */
    const one = this.db.prepare<[number, number], { value: VoteValue }>('SELECT value FROM votes WHERE user_id = ? AND post_id = ?');
    for (const id of ids) {
      const row = one.get(uId, id);
      if (row !== undefined) out.set(String(id), row.value);
    }
    return out;
  }

  async recomputeAll(): Promise<{ usersChanged: number; postsChanged: number }> {
    return this.db.transaction(() => {
      const postsChanged = this.db
        .prepare(
          `WITH t AS (SELECT post_id, SUM(value) AS s, SUM(value = 1) AS u, SUM(value = -1) AS d FROM votes GROUP BY post_id)
           UPDATE posts SET score = COALESCE(t.s, 0), up_votes = COALESCE(t.u, 0), down_votes = COALESCE(t.d, 0)
           FROM (SELECT p.id AS pid, t.s, t.u, t.d FROM posts p LEFT JOIN t ON t.post_id = p.id) AS t
           WHERE posts.id = t.pid AND (posts.score != COALESCE(t.s, 0) OR posts.up_votes != COALESCE(t.u, 0) OR posts.down_votes != COALESCE(t.d, 0))`,
        )
        .run().changes;
      this.db.prepare('UPDATE question_tags SET score = (SELECT score FROM posts WHERE posts.id = question_tags.question_id)').run();
      const usersChanged = this.db
        .prepare(
          `WITH earned AS (
             SELECT p.author_id AS user_id,
               SUM(CASE WHEN v.value = 1 AND p.type = 'answer' THEN ${REPUTATION.answerUpvoted}
                        WHEN v.value = 1 THEN ${REPUTATION.questionUpvoted}
                        ELSE ${REPUTATION.downvoted} END) AS rep
             FROM votes v JOIN posts p ON p.id = v.post_id WHERE p.deleted_at IS NULL GROUP BY p.author_id
             UNION ALL
             SELECT a.author_id, ${REPUTATION.answerAccepted} FROM posts a JOIN posts q ON q.id = a.question_id
               WHERE a.is_accepted = 1 AND a.author_id != q.author_id
             UNION ALL
             SELECT q.author_id, ${REPUTATION.acceptedByAsker} FROM posts a JOIN posts q ON q.id = a.question_id
               WHERE a.is_accepted = 1 AND a.author_id != q.author_id
           ), total AS (SELECT user_id, SUM(rep) AS rep FROM earned GROUP BY user_id)
           UPDATE users SET reputation = COALESCE((SELECT rep FROM total WHERE total.user_id = users.id), 0)
           WHERE reputation != COALESCE((SELECT rep FROM total WHERE total.user_id = users.id), 0)`,
        )
        .run().changes;
      return { usersChanged, postsChanged };
    })();
  }
}
