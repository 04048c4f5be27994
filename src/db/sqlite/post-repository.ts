import { SUMMARY_TEXT_CHARS, type AnswerRange, type EventRequest, type NewAnswer, type NewQuestion, type PostEdit, type PostRepository, type QuestionListQuery } from '../ports.js';
import { recordEvent } from './event-outbox-repository.js';
import type { Answer, Post, Question, Revision } from '../../domain/qa-types.js';
import { REPUTATION } from '../../domain/reputation.js';
import { NotFoundError } from '../../domain/errors.js';
import { editSnapshot } from '../../domain/edit-audit.js';
import { type Db, toRowId } from './connection.js';
import { mapPost, splitTags, type PostRow } from './post-mapper.js';
import { addReputation } from './reputation.js';

interface RevisionRow {
  id: number;
  post_id: number;
  revision: number;
  author_id: number;
  title: string | null;
  body_md: string;
  tags: string;
  reason: string;
  created_at: number;
}

const LIVE_QUESTION = "p.type = 'question' AND p.deleted_at IS NULL";

/* Every column but the bodies, which a list row does not show (QuestionListQuery.summary). */
const SUMMARY_COLUMNS = `p.id, p.type, p.community_id, p.question_id, p.author_id, p.title, p.slug, '' AS body_md, '' AS body_html,
  substr(p.body_text, 1, ${SUMMARY_TEXT_CHARS}) AS body_text, p.tags, p.score, p.up_votes, p.down_votes, p.answer_count,
  p.accepted_answer_id, p.is_accepted, p.view_count, p.comment_count, p.revision_count, p.created_at, p.edited_at,
  p.last_activity_at, p.last_activity_user_id, p.last_activity_kind, p.deleted_at`;

/*
 * A question's answers in display order, served by the posts_answers index (whose entries end
 * with the rowid, so the id tie-break needs no sort): without it, answers with the same
 * acceptance, score and time could swap between two pages of the same thread.
 */
const ANSWER_ORDER = 'is_accepted DESC, score DESC, created_at ASC, id ASC';

/** A non-negative whole number for LIMIT/OFFSET. */
function wholeNumber(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** ORDER BY and index per tab; every list is served by one of the partial indexes. */
const ORDER: Record<QuestionListQuery['sort'], { posts: string; tags: string; where: string }> = {
  active: { posts: 'p.last_activity_at DESC', tags: 'qt.last_activity_at DESC', where: '' },
  newest: { posts: 'p.created_at DESC', tags: 'qt.created_at DESC', where: '' },
  top: { posts: 'p.score DESC, p.created_at DESC', tags: 'qt.score DESC, qt.created_at DESC', where: '' },
  unanswered: { posts: 'p.created_at DESC', tags: 'qt.created_at DESC', where: ' AND p.answer_count = 0' },
};

export class SqlitePostRepository implements PostRepository {
  private readonly byId;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], PostRow>('SELECT * FROM posts WHERE id = ?');
  }

  private insertRevision(postId: number, revision: number, authorId: number, title: string | null, bodyMd: string, tags: string, reason: string, now: number): void {
    this.db
      .prepare('INSERT INTO revisions (post_id, revision, author_id, title, body_md, tags, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(postId, revision, authorId, title, bodyMd, tags, reason, now);
  }

  /** Links a question to its tags, creating unknown ones and keeping their counts right. */
  private attachTags(questionId: number, communityId: number, tags: string[], sortKeys: { last: number; created: number; score: number; answers: number }): void {
    const upsertTag = this.db.prepare<[number, string], { id: number }>(
      `INSERT INTO tags (community_id, name, question_count) VALUES (?, ?, 1)
       ON CONFLICT(community_id, name) DO UPDATE SET question_count = question_count + 1 RETURNING id`,
    );
    const link = this.db.prepare(
      'INSERT OR IGNORE INTO question_tags (tag_id, question_id, last_activity_at, created_at, score, answer_count) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const name of tags) {
      const { id } = upsertTag.get(communityId, name)!;
      link.run(id, questionId, sortKeys.last, sortKeys.created, sortKeys.score, sortKeys.answers);
    }
  }

  private detachTags(questionId: number): void {
    this.db.prepare('UPDATE tags SET question_count = question_count - 1 WHERE id IN (SELECT tag_id FROM question_tags WHERE question_id = ?)').run(questionId);
    this.db.prepare('DELETE FROM question_tags WHERE question_id = ?').run(questionId);
  }

  async createQuestion(input: NewQuestion, event?: EventRequest): Promise<Question> {
    const communityId = toRowId(input.communityId);
    const authorId = toRowId(input.authorId);
    if (communityId === null || authorId === null) throw new NotFoundError();
    const tags = input.tags.join(' ');
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO posts (type, community_id, author_id, title, slug, body_md, body_html, body_text, tags, created_at, last_activity_at, last_activity_user_id, last_activity_kind)
           VALUES ('question', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ask')`,
        )
        .run(communityId, authorId, input.title, input.slug, input.bodyMd, input.bodyHtml, input.bodyText, tags, input.now, input.now, authorId);
      const id = Number(info.lastInsertRowid);
      if (event) recordEvent(this.db, 'asked', event, { questionId: String(id) }, input.now);
      this.attachTags(id, communityId, input.tags, { last: input.now, created: input.now, score: 0, answers: 0 });
      this.insertRevision(id, 1, authorId, input.title, input.bodyMd, tags, '', input.now);
      this.db.prepare('UPDATE communities SET question_count = question_count + 1 WHERE id = ?').run(communityId);
      return mapPost(this.byId.get(id)!) as Question;
    })();
  }

  async createAnswer(input: NewAnswer, event?: EventRequest): Promise<Answer> {
    const questionId = toRowId(input.questionId);
    const authorId = toRowId(input.authorId);
    if (questionId === null || authorId === null) throw new NotFoundError();
    return this.db.transaction(() => {
      const question = this.byId.get(questionId);
      if (!question || question.type !== 'question' || question.deleted_at !== null) throw new NotFoundError();
      const info = this.db
        .prepare(
          `INSERT INTO posts (type, community_id, question_id, author_id, body_md, body_html, body_text, created_at, last_activity_at)
           VALUES ('answer', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(question.community_id, questionId, authorId, input.bodyMd, input.bodyHtml, input.bodyText, input.now, input.now);
      const id = Number(info.lastInsertRowid);
      if (event) recordEvent(this.db, 'answered', event, { questionId: String(questionId), answerId: String(id) }, input.now);
      this.insertRevision(id, 1, authorId, null, input.bodyMd, '', '', input.now);
      this.db
        .prepare("UPDATE posts SET answer_count = answer_count + 1, last_activity_at = ?, last_activity_user_id = ?, last_activity_kind = 'answer' WHERE id = ?")
        .run(input.now, authorId, questionId);
      this.db.prepare('UPDATE question_tags SET answer_count = answer_count + 1, last_activity_at = ? WHERE question_id = ?').run(input.now, questionId);
      return mapPost(this.byId.get(id)!) as Answer;
    })();
  }

  async findPost(id: string): Promise<Post | null> {
    const rowId = toRowId(id);
    if (rowId === null) return null;
    const row = this.byId.get(rowId);
    return row && row.deleted_at === null ? mapPost(row) : null;
  }

  async findQuestion(id: string): Promise<Question | null> {
    const post = await this.findPost(id);
    return post && post.type === 'question' ? post : null;
  }

  async findQuestions(ids: string[]): Promise<Question[]> {
    const rowIds = ids.map(toRowId).filter((n): n is number => n !== null);
    if (rowIds.length === 0) return [];
    return this.db
      .prepare<[string], PostRow>(`SELECT * FROM posts WHERE id IN (SELECT value FROM json_each(?)) AND type = 'question' AND deleted_at IS NULL`)
      .all(JSON.stringify([...new Set(rowIds)]))
      .map((r) => mapPost(r) as Question);
  }

  async listAnswers(questionId: string, range?: AnswerRange): Promise<Answer[]> {
    const rowId = toRowId(questionId);
    if (rowId === null) return [];
    const sql = `SELECT * FROM posts WHERE question_id = ? AND type = 'answer' AND deleted_at IS NULL ORDER BY ${ANSWER_ORDER}`;
    if (!range) return this.db.prepare<[number], PostRow>(sql).all(rowId).map((r) => mapPost(r) as Answer);
    const limit = wholeNumber(range.limit);
    if (limit === 0) return [];
    return this.db
      .prepare<[number, number, number], PostRow>(`${sql} LIMIT ? OFFSET ?`)
      .all(rowId, limit, wholeNumber(range.offset))
      .map((r) => mapPost(r) as Answer);
  }

  /** One COUNT over the question's answers that sort before the target (the keys of ANSWER_ORDER). */
  async answerRank(questionId: string, answerId: string): Promise<number | null> {
    const qId = toRowId(questionId);
    const aId = toRowId(answerId);
    if (qId === null || aId === null) return null;
    const row = this.db
      .prepare<[number, number], { n: number }>(
        `SELECT (SELECT COUNT(*) FROM posts p
                 WHERE p.question_id = a.question_id AND p.type = 'answer' AND p.deleted_at IS NULL
                   AND (p.is_accepted > a.is_accepted
                     OR (p.is_accepted = a.is_accepted AND p.score > a.score)
                     OR (p.is_accepted = a.is_accepted AND p.score = a.score AND p.created_at < a.created_at)
                     OR (p.is_accepted = a.is_accepted AND p.score = a.score AND p.created_at = a.created_at AND p.id < a.id))) AS n
         FROM posts a WHERE a.id = ? AND a.question_id = ? AND a.type = 'answer' AND a.deleted_at IS NULL`,
      )
      .get(aId, qId);
    return row ? row.n : null;
  }

  async listQuestions(query: QuestionListQuery): Promise<Question[]> {
    const communityId = toRowId(query.communityId);
    if (communityId === null) return [];
    const order = ORDER[query.sort];
    const columns = query.summary ? SUMMARY_COLUMNS : 'p.*';
    let rows: PostRow[];
    if (query.tag !== undefined) {
      const unanswered = query.sort === 'unanswered' ? ' AND qt.answer_count = 0' : '';
      rows = this.db
        .prepare<[number, string, number, number], PostRow>(
          `SELECT ${columns} FROM tags t
           JOIN question_tags qt ON qt.tag_id = t.id
           JOIN posts p ON p.id = qt.question_id
           WHERE t.community_id = ? AND t.name = ?${unanswered} AND ${LIVE_QUESTION}
           ORDER BY ${order.tags} LIMIT ? OFFSET ?`,
        )
        .all(communityId, query.tag, query.limit + 1, query.offset);
    } else {
      rows = this.db
        .prepare<[number, number, number], PostRow>(
          `SELECT ${columns} FROM posts p WHERE p.community_id = ? AND ${LIVE_QUESTION}${order.where}
           ORDER BY ${order.posts} LIMIT ? OFFSET ?`,
        )
        .all(communityId, query.limit + 1, query.offset);
    }
    return rows.map((r) => mapPost(r) as Question);
  }

  async recentQuestions(limit: number): Promise<Question[]> {
    return this.db
      .prepare<[number], PostRow>(`SELECT ${SUMMARY_COLUMNS} FROM posts p WHERE ${LIVE_QUESTION} ORDER BY p.last_activity_at DESC LIMIT ?`)
      .all(limit)
      .map((r) => mapPost(r) as Question);
  }

  async listByAuthor(authorId: string, limit: number): Promise<Post[]> {
    const rowId = toRowId(authorId);
    if (rowId === null) return [];
    return this.db
      .prepare<[number, number], PostRow>('SELECT * FROM posts WHERE author_id = ? AND deleted_at IS NULL ORDER BY created_at DESC LIMIT ?')
      .all(rowId, limit)
      .map(mapPost);
  }

  async editPost(edit: PostEdit): Promise<Post> {
    const postId = toRowId(edit.postId);
    const editorId = toRowId(edit.editorId);
    if (postId === null || editorId === null) throw new NotFoundError();
    return this.db.transaction(() => {
      const row = this.byId.get(postId);
      if (!row || row.deleted_at !== null) throw new NotFoundError();
      const revision = row.revision_count + 1;
      if (row.type === 'question') {
        const title = edit.title ?? row.title ?? '';
        const slug = edit.slug ?? row.slug ?? '';
        const tags = edit.tags ? edit.tags.join(' ') : row.tags;
        this.db
          .prepare(
            `UPDATE posts SET title = ?, slug = ?, tags = ?, body_md = ?, body_html = ?, body_text = ?, revision_count = ?,
             edited_at = ?, last_activity_at = ?, last_activity_user_id = ?, last_activity_kind = 'edit' WHERE id = ?`,
          )
          .run(title, slug, tags, edit.bodyMd, edit.bodyHtml, edit.bodyText, revision, edit.now, edit.now, editorId, postId);
        if (tags !== row.tags) {
          this.detachTags(postId);
          this.attachTags(postId, row.community_id, splitTags(tags), { last: edit.now, created: row.created_at, score: row.score, answers: row.answer_count });
        } else {
          this.db.prepare('UPDATE question_tags SET last_activity_at = ? WHERE question_id = ?').run(edit.now, postId);
        }
        this.insertRevision(postId, revision, editorId, title, edit.bodyMd, tags, edit.reason, edit.now);
        if (edit.audit) this.auditEdit(row, editorId, edit.audit.reason, editSnapshot({ title, tags: splitTags(tags), body: edit.bodyMd }, true), edit.now);
      } else {
        this.db
          .prepare('UPDATE posts SET body_md = ?, body_html = ?, body_text = ?, revision_count = ?, edited_at = ?, last_activity_at = ? WHERE id = ?')
          .run(edit.bodyMd, edit.bodyHtml, edit.bodyText, revision, edit.now, edit.now, postId);
        this.db.prepare("UPDATE posts SET last_activity_at = ?, last_activity_user_id = ?, last_activity_kind = 'edit' WHERE id = ?").run(edit.now, editorId, row.question_id);
        this.db.prepare('UPDATE question_tags SET last_activity_at = ? WHERE question_id = ?').run(edit.now, row.question_id);
        this.insertRevision(postId, revision, editorId, null, edit.bodyMd, '', edit.reason, edit.now);
        if (edit.audit) this.auditEdit(row, editorId, edit.audit.reason, editSnapshot({ title: null, tags: null, body: edit.bodyMd }, false), edit.now);
      }
      return mapPost(this.byId.get(postId)!);
    })();
  }

  /** Inside editPost's transaction: the moderator's edit and its audit row commit together. */
  private auditEdit(before: PostRow, editorId: number, reason: string, after: string, now: number): void {
    const isQuestion = before.type === 'question';
    const beforeText = editSnapshot({ title: before.title, tags: splitTags(before.tags), body: before.body_md }, isQuestion);
    this.db
      .prepare(
        `INSERT INTO audit_log (actor_id, action, community_id, target_type, target_id, reason, before, after, created_at)
         VALUES (?, 'post.edit', ?, 'post', ?, ?, ?, ?, ?)`,
      )
      .run(editorId, before.community_id, String(before.id), reason, beforeText, after, now);
  }

  async listRevisions(postId: string): Promise<Revision[]> {
    const rowId = toRowId(postId);
    if (rowId === null) return [];
    return this.db
      .prepare<[number], RevisionRow>('SELECT * FROM revisions WHERE post_id = ? ORDER BY revision ASC')
      .all(rowId)
      .map((r) => ({
        id: String(r.id),
        postId: String(r.post_id),
        revision: r.revision,
        authorId: String(r.author_id),
        title: r.title,
        bodyMd: r.body_md,
        tags: splitTags(r.tags),
        reason: r.reason,
        createdAt: r.created_at,
      }));
  }

  async setAcceptedAnswer(questionId: string, answerId: string | null, now: number, event?: EventRequest): Promise<void> {
    const qId = toRowId(questionId);
    const aId = answerId === null ? null : toRowId(answerId);
    if (qId === null || (answerId !== null && aId === null)) throw new NotFoundError();
    this.db.transaction(() => {
      const question = this.byId.get(qId);
      if (!question || question.type !== 'question' || question.deleted_at !== null) throw new NotFoundError();
      if (question.accepted_answer_id === aId) return;
      const asker = question.author_id;
      // Accepting your own answer earns nothing, as on Stack Overflow.
      const moveReputation = (answerAuthor: number, sign: 1 | -1) => {
        if (answerAuthor === asker) return;
        addReputation(this.db, answerAuthor, sign * REPUTATION.answerAccepted);
        addReputation(this.db, asker, sign * REPUTATION.acceptedByAsker);
      };
      if (question.accepted_answer_id !== null) {
        const previous = this.byId.get(question.accepted_answer_id);
        if (previous) {
          this.db.prepare('UPDATE posts SET is_accepted = 0 WHERE id = ?').run(previous.id);
          moveReputation(previous.author_id, -1);
        }
      }
      if (aId !== null) {
        const answer = this.byId.get(aId);
        if (!answer || answer.type !== 'answer' || answer.question_id !== qId || answer.deleted_at !== null) throw new NotFoundError();
        this.db.prepare('UPDATE posts SET is_accepted = 1 WHERE id = ?').run(aId);
        moveReputation(answer.author_id, 1);
        if (event) recordEvent(this.db, 'accepted', event, { questionId: String(qId), answerId: String(aId) }, now);
      }
      this.db.prepare('UPDATE posts SET accepted_answer_id = ?, last_activity_at = ? WHERE id = ?').run(aId, now, qId);
      this.db.prepare('UPDATE question_tags SET last_activity_at = ? WHERE question_id = ?').run(now, qId);
    })();
  }

  async addViews(counts: Map<string, number>): Promise<void> {
    const update = this.db.prepare('UPDATE posts SET view_count = view_count + ? WHERE id = ?');
    this.db.transaction(() => {
      for (const [id, n] of counts) {
        const rowId = toRowId(id);
        if (rowId !== null) update.run(n, rowId);
      }
    })();
  }

  async countQuestions(): Promise<number> {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM posts WHERE type = 'question' AND deleted_at IS NULL").get() as { n: number }).n;
  }
}
