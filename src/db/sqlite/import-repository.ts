import type {
  ImportBatchResult,
  ImportComment,
  ImportedLinkRow,
  ImportKind,
  ImportLink,
  ImportPost,
  ImportRepository,
  PostAttribution,
} from '../ports.js';
import { REPUTATION, reputationForVote } from '../../domain/reputation.js';
import { type Db, toRowId } from './connection.js';
import { addReputation } from './reputation.js';

/*
 * Data-dump imports. Every row is written with its final values where possible (so the
 * search triggers index each post once) and its source id in the same transaction; a batch
 * is one transaction, so an interrupted import leaves whole posts only.
 */
export class SqliteImportRepository implements ImportRepository {
  private readonly sourceOf;
  private readonly recordSource;

  constructor(private readonly db: Db) {
    this.sourceOf = db.prepare<[number, ImportKind, string], { local_id: number }>(
      'SELECT local_id FROM import_sources WHERE community_id = ? AND kind = ? AND source_id = ?',
    );
    this.recordSource = db.prepare('INSERT INTO import_sources (community_id, kind, source_id, local_id) VALUES (?, ?, ?, ?)');
  }

  async findImported(communityId: string, kind: ImportKind, sourceIds: string[]): Promise<Map<string, string>> {
    const cId = toRowId(communityId);
    const out = new Map<string, string>();
    if (cId === null) return out;
    for (const s of new Set(sourceIds)) {
      const row = this.sourceOf.get(cId, kind, s);
      if (row) out.set(s, String(row.local_id));
    }
    return out;
  }

  async recordUser(communityId: string, sourceId: string, userId: string): Promise<void> {
    const cId = toRowId(communityId);
    const uId = toRowId(userId);
    if (cId === null || uId === null) throw new RangeError('malformed id');
    this.db.prepare('INSERT OR IGNORE INTO import_sources (community_id, kind, source_id, local_id) VALUES (?, ?, ?, ?)').run(cId, 'user', sourceId, uId);
  }

  async importPosts(communityId: string, posts: ImportPost[]): Promise<ImportBatchResult> {
    const cId = toRowId(communityId);
    if (cId === null) throw new RangeError('malformed community id');
    const insertQuestion = this.db.prepare(
      `INSERT INTO posts (type, community_id, author_id, title, slug, body_md, body_html, body_text, tags, score, up_votes, down_votes,
         view_count, created_at, last_activity_at, last_activity_user_id, last_activity_kind)
       VALUES ('question', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ask')`,
    );
    const insertAnswer = this.db.prepare(
      `INSERT INTO posts (type, community_id, question_id, author_id, body_md, body_html, body_text, score, up_votes, down_votes, is_accepted,
         created_at, last_activity_at)
       VALUES ('answer', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertRevision = this.db.prepare(
      "INSERT INTO revisions (post_id, revision, author_id, title, body_md, tags, reason, created_at) VALUES (?, 1, ?, ?, ?, ?, '', ?)",
    );
    const upsertTag = this.db.prepare<[number, string], { id: number }>(
      `INSERT INTO tags (community_id, name, question_count) VALUES (?, ?, 1)
       ON CONFLICT(community_id, name) DO UPDATE SET question_count = question_count + 1 RETURNING id`,
    );
    const linkTag = this.db.prepare(
      'INSERT OR IGNORE INTO question_tags (tag_id, question_id, last_activity_at, created_at, score, answer_count) VALUES (?, ?, ?, ?, 0, 0)',
    );
    const insertVote = this.db.prepare('INSERT INTO votes (post_id, user_id, value, created_at) VALUES (?, ?, ?, ?)');
    const question = this.db.prepare<[number], { id: number; author_id: number; community_id: number; type: string; last_activity_at: number }>(
      'SELECT id, author_id, community_id, type, last_activity_at FROM posts WHERE id = ?',
    );
    const insertAttribution = this.db.prepare('INSERT INTO post_attributions (post_id, source_url, author_name, author_url, licence) VALUES (?, ?, ?, ?, ?)');

    return this.db.transaction((): ImportBatchResult => {
      const result: ImportBatchResult = { imported: 0, skipped: 0, refused: [] };
      for (const p of posts) {
        if (this.sourceOf.get(cId, 'post', p.sourceId)) {
          result.skipped++;
          continue;
        }
        const authorId = toRowId(p.authorId);
        const up = p.upVoterIds.map(toRowId);
        const down = p.downVoterIds.map(toRowId);
        if (authorId === null || up.includes(null) || down.includes(null)) {
          result.refused.push({ sourceId: p.sourceId, reason: 'unknown author or voter' });
          continue;
        }
        const score = up.length - down.length;
        let id: number;
        if (p.type === 'question') {
          const tags = p.tags ?? [];
          id = Number(
            insertQuestion.run(
              cId, authorId, p.title ?? '', p.slug ?? '', p.bodyMd, p.bodyHtml, p.bodyText, tags.join(' '), score, up.length, down.length,
              p.viewCount, p.createdAt, p.createdAt, authorId,
            ).lastInsertRowid,
          );
          for (const name of tags) linkTag.run(upsertTag.get(cId, name)!.id, id, p.createdAt, p.createdAt);
          insertRevision.run(id, authorId, p.title ?? '', p.bodyMd, tags.join(' '), p.createdAt);
          this.db.prepare('UPDATE communities SET question_count = question_count + 1 WHERE id = ?').run(cId);
        } else {
          const qId = p.questionSourceId === undefined ? undefined : this.sourceOf.get(cId, 'post', p.questionSourceId)?.local_id;
          const q = qId === undefined ? undefined : question.get(qId);
          if (!q || q.type !== 'question') {
            result.refused.push({ sourceId: p.sourceId, reason: 'its question is not imported' });
            continue;
          }
          id = Number(
            insertAnswer.run(cId, q.id, authorId, p.bodyMd, p.bodyHtml, p.bodyText, score, up.length, down.length, p.accepted ? 1 : 0, p.createdAt, p.createdAt)
              .lastInsertRowid,
          );
          insertRevision.run(id, authorId, null, p.bodyMd, '', p.createdAt);
          // As createAnswer: the question's answer count and, if later, its last activity.
          const later = p.createdAt > q.last_activity_at;
          this.db
            .prepare(
              `UPDATE posts SET answer_count = answer_count + 1, last_activity_at = MAX(last_activity_at, ?),
                 last_activity_user_id = CASE WHEN ? THEN ? ELSE last_activity_user_id END,
                 last_activity_kind = CASE WHEN ? THEN 'answer' ELSE last_activity_kind END WHERE id = ?`,
            )
            .run(p.createdAt, later ? 1 : 0, authorId, later ? 1 : 0, q.id);
          this.db.prepare('UPDATE question_tags SET answer_count = answer_count + 1, last_activity_at = MAX(last_activity_at, ?) WHERE question_id = ?').run(p.createdAt, q.id);
          if (p.accepted) {
            // As setAcceptedAnswer: reputation moves only when someone else's answer is accepted.
            this.db.prepare('UPDATE posts SET accepted_answer_id = ? WHERE id = ?').run(id, q.id);
            if (authorId !== q.author_id) {
              addReputation(this.db, authorId, REPUTATION.answerAccepted);
              addReputation(this.db, q.author_id, REPUTATION.acceptedByAsker);
            }
          }
        }
        for (const v of up) insertVote.run(id, v, 1, p.votedAt);
        for (const v of down) insertVote.run(id, v, -1, p.votedAt);
        if (p.type === 'question' && score !== 0) this.db.prepare('UPDATE question_tags SET score = ? WHERE question_id = ?').run(score, id);
        addReputation(this.db, authorId, up.length * reputationForVote(p.type, 1) + down.length * reputationForVote(p.type, -1));
        insertAttribution.run(id, p.attribution.sourceUrl, p.attribution.authorName, p.attribution.authorUrl, p.attribution.licence);
        this.recordSource.run(cId, 'post', p.sourceId, id);
        result.imported++;
      }
      return result;
    })();
  }

  async importComments(communityId: string, comments: ImportComment[]): Promise<ImportBatchResult> {
    const cId = toRowId(communityId);
    if (cId === null) throw new RangeError('malformed community id');
    const post = this.db.prepare<[number], { id: number; type: string; question_id: number | null }>('SELECT id, type, question_id FROM posts WHERE id = ?');
    const insert = this.db.prepare('INSERT INTO comments (post_id, author_id, body, body_html, created_at) VALUES (?, ?, ?, ?, ?)');
    return this.db.transaction((): ImportBatchResult => {
      const result: ImportBatchResult = { imported: 0, skipped: 0, refused: [] };
      for (const c of comments) {
        if (this.sourceOf.get(cId, 'comment', c.sourceId)) {
          result.skipped++;
          continue;
        }
        const pId = this.sourceOf.get(cId, 'post', c.postSourceId)?.local_id;
        const p = pId === undefined ? undefined : post.get(pId);
        const authorId = toRowId(c.authorId);
        if (!p || authorId === null) {
          result.refused.push({ sourceId: c.sourceId, reason: p ? 'unknown author' : 'its post is not imported' });
          continue;
        }
        const id = Number(insert.run(p.id, authorId, c.body, c.bodyHtml, c.createdAt).lastInsertRowid);
        this.db.prepare('UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?').run(p.id);
        const questionId = p.type === 'question' ? p.id : p.question_id!;
        this.db
          .prepare("UPDATE posts SET last_activity_at = ?, last_activity_user_id = ?, last_activity_kind = 'comment' WHERE id = ? AND last_activity_at < ?")
          .run(c.createdAt, authorId, questionId, c.createdAt);
        this.db.prepare('UPDATE question_tags SET last_activity_at = MAX(last_activity_at, ?) WHERE question_id = ?').run(c.createdAt, questionId);
        this.recordSource.run(cId, 'comment', c.sourceId, id);
        result.imported++;
      }
      return result;
    })();
  }

  async importLinks(communityId: string, links: ImportLink[]): Promise<ImportBatchResult> {
    const cId = toRowId(communityId);
    if (cId === null) throw new RangeError('malformed community id');
    const insert = this.db.prepare('INSERT OR IGNORE INTO imported_post_links (post_id, target_id, kind, created_at) VALUES (?, ?, ?, ?)');
    return this.db.transaction((): ImportBatchResult => {
      const result: ImportBatchResult = { imported: 0, skipped: 0, refused: [] };
      for (const l of links) {
        if (this.sourceOf.get(cId, 'link', l.sourceId)) {
          result.skipped++;
          continue;
        }
        const from = this.sourceOf.get(cId, 'post', l.postSourceId)?.local_id;
        const to = this.sourceOf.get(cId, 'post', l.targetSourceId)?.local_id;
        if (from === undefined || to === undefined) {
          result.refused.push({ sourceId: l.sourceId, reason: 'a linked post is not imported' });
          continue;
        }
        insert.run(from, to, l.kind, l.createdAt);
        // The link table has no id of its own: the source row maps to the linking post.
        this.recordSource.run(cId, 'link', l.sourceId, from);
        result.imported++;
      }
      return result;
    })();
  }

  async attributions(postIds: string[]): Promise<Map<string, PostAttribution>> {
    const ids = postIds.map(toRowId).filter((x): x is number => x !== null);
    const out = new Map<string, PostAttribution>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare<number[], { post_id: number; source_url: string; author_name: string; author_url: string | null; licence: string }>(
        `SELECT * FROM post_attributions WHERE post_id IN (${ids.map(() => '?').join(',')})`,
      )
      .all(...ids);
    for (const r of rows) out.set(String(r.post_id), { sourceUrl: r.source_url, authorName: r.author_name, authorUrl: r.author_url, licence: r.licence });
    return out;
  }

  async linksOf(postId: string): Promise<ImportedLinkRow[]> {
    const id = toRowId(postId);
    if (id === null) return [];
    return this.db
      .prepare<[number, number], { post_id: number; target_id: number; kind: 'duplicate' | 'related' }>(
        'SELECT post_id, target_id, kind FROM imported_post_links WHERE post_id = ? OR target_id = ? ORDER BY post_id, target_id, kind',
      )
      .all(id, id)
      .map((r) => ({ postId: String(r.post_id), targetId: String(r.target_id), kind: r.kind }));
  }
}
