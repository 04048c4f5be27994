import type { CommentRepository, EventRequest } from '../ports.js';
import { recordEvent } from './event-outbox-repository.js';
import type { Comment } from '../../domain/qa-types.js';
import { NotFoundError } from '../../domain/errors.js';
import { type Db, toRowId } from './connection.js';

interface CommentRow {
  id: number;
  post_id: number;
  author_id: number;
  body: string;
  body_html: string;
  created_at: number;
}

const mapComment = (r: CommentRow): Comment => ({
  id: String(r.id),
  postId: String(r.post_id),
  authorId: String(r.author_id),
  body: r.body,
  bodyHtml: r.body_html,
  createdAt: r.created_at,
});

export class SqliteCommentRepository implements CommentRepository {
  constructor(private readonly db: Db) {}

  async add(postId: string, authorId: string, body: string, bodyHtml: string, now: number, event?: EventRequest): Promise<Comment> {
    const pId = toRowId(postId);
    const aId = toRowId(authorId);
    if (pId === null || aId === null) throw new NotFoundError();
    return this.db.transaction(() => {
      const post = this.db.prepare<[number], { question_id: number | null; type: string }>('SELECT question_id, type FROM posts WHERE id = ? AND deleted_at IS NULL').get(pId);
      if (!post) throw new NotFoundError();
      const info = this.db.prepare('INSERT INTO comments (post_id, author_id, body, body_html, created_at) VALUES (?, ?, ?, ?, ?)').run(pId, aId, body, bodyHtml, now);
      this.db.prepare('UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?').run(pId);
      const questionId = post.type === 'question' ? pId : post.question_id!;
      if (event) {
        const ids = { questionId: String(questionId), postId: String(pId), commentId: String(info.lastInsertRowid) };
        recordEvent(this.db, 'commented', event, post.type === 'answer' ? { ...ids, answerId: String(pId) } : ids, now);
      }
      this.db.prepare("UPDATE posts SET last_activity_at = ?, last_activity_user_id = ?, last_activity_kind = 'comment' WHERE id = ?").run(now, aId, questionId);
      this.db.prepare('UPDATE question_tags SET last_activity_at = ? WHERE question_id = ?').run(now, questionId);
      return mapComment(this.db.prepare<[number], CommentRow>('SELECT * FROM comments WHERE id = ?').get(Number(info.lastInsertRowid))!);
    })();
  }

  async listFor(postIds: string[]): Promise<Comment[]> {
    const ids = postIds.map(toRowId).filter((x): x is number => x !== null);
    if (ids.length === 0) return [];
    return this.db
      .prepare<number[], CommentRow>(`SELECT * FROM comments WHERE post_id IN (${ids.map(() => '?').join(',')}) AND deleted_at IS NULL ORDER BY created_at ASC, id ASC`)
      .all(...ids)
      .map(mapComment);
  }
}
