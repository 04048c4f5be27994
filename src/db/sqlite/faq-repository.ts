import type { FaqActor, FaqAutoPublish, FaqEntryEdit, FaqRepository, NewFaqEntry } from '../ports.js';
import type { FaqCandidateRow, FaqCategory, FaqDismissal, FaqEntry, FaqEntryAction, FaqEntryEvent, FaqEntryRevision, FaqReviewReason } from '../../domain/faq-types.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { type Db, toRowId } from './connection.js';
import { recordEvent as recordOutboxEvent } from './event-outbox-repository.js';

interface CategoryRow {
  id: number;
  community_id: number;
  parent_id: number | null;
  name: string;
  slug: string;
  position: number;
  depth: number;
  created_at: number;
  updated_at: number;
}

interface EntryRow {
  id: number;
  community_id: number;
  category_id: number;
  title: string;
  slug: string;
  body_md: string;
  body_html: string;
  body_text: string;
  source_question_id: number | null;
  source_answer_id: number | null;
  status: 'published' | 'archived';
  pinned: number;
  pin_position: number;
  view_count: number;
  helpful_yes: number;
  helpful_no: number;
  search_clicks: number;
  needs_review: number;
  review_reason: FaqReviewReason | null;
  revision_count: number;
  created_by: number;
  created_at: number;
  updated_at: number;
  duplicate_count: number | null;
}

interface CandidateSqlRow {
  answer_id: number;
  question_id: number;
  community_id: number;
  question_title: string;
  body_text: string;
  body_md: string;
  author_id: number;
  score: number;
  up_votes: number;
  down_votes: number;
  is_accepted: number;
  question_views: number;
  duplicate_count: number;
  created_at: number;
  dismissed_score: number | null;
  dismissed_reason: string | null;
}

const str = (n: number | null) => (n === null ? null : String(n));

const mapCategory = (r: CategoryRow): FaqCategory => ({
  id: String(r.id),
  communityId: String(r.community_id),
  parentId: str(r.parent_id),
  name: r.name,
  slug: r.slug,
  position: r.position,
  depth: r.depth,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const mapEntry = (r: EntryRow): FaqEntry => ({
  id: String(r.id),
  communityId: String(r.community_id),
  categoryId: String(r.category_id),
  title: r.title,
  slug: r.slug,
  bodyMd: r.body_md,
  bodyHtml: r.body_html,
  bodyText: r.body_text,
  sourceQuestionId: str(r.source_question_id),
  sourceAnswerId: str(r.source_answer_id),
  status: r.status,
  pinned: r.pinned === 1,
  pinPosition: r.pin_position,
  viewCount: r.view_count,
  helpfulYes: r.helpful_yes,
  helpfulNo: r.helpful_no,
  searchClicks: r.search_clicks,
  duplicateCount: r.duplicate_count ?? 0,
  needsReview: r.needs_review === 1,
  reviewReason: r.review_reason,
  revisionCount: r.revision_count,
  createdBy: String(r.created_by),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const mapCandidate = (r: CandidateSqlRow): FaqCandidateRow => ({
  answerId: String(r.answer_id),
  questionId: String(r.question_id),
  communityId: String(r.community_id),
  questionTitle: r.question_title,
  answerBodyText: r.body_text,
  answerBodyMd: r.body_md,
  answerAuthorId: String(r.author_id),
  score: r.score,
  upVotes: r.up_votes,
  downVotes: r.down_votes,
  accepted: r.is_accepted === 1,
  questionViews: r.question_views,
  duplicateCount: r.duplicate_count,
  createdAt: r.created_at,
  dismissal: r.dismissed_score === null ? null : { scoreAtDismissal: r.dismissed_score, reason: r.dismissed_reason ?? '' },
});

/** Entries carry their source question's duplicate count for ranking (kept on the entry by migration 018's triggers). */
const ENTRY_SELECT = `SELECT e.*, e.source_duplicates AS duplicate_count FROM faq_entries e`;

/** A community's published entries in display order (community id, limit). Exported for the query-plan test. */
export const TOP_ENTRIES_SQL = `${ENTRY_SELECT} INDEXED BY faq_entries_rank
  WHERE e.community_id = ? AND e.status = 'published'
  ORDER BY e.pinned DESC, e.pin_order, e.ask_frequency DESC, e.created_at DESC, e.id DESC
  LIMIT ?`;

const CANDIDATE_SELECT = `
  SELECT a.id AS answer_id, q.id AS question_id, a.community_id, q.title AS question_title, a.body_text, a.body_md,
         a.author_id, a.score, a.up_votes, a.down_votes, a.is_accepted, q.view_count AS question_views,
         q.duplicate_count, a.created_at, d.score_at_dismissal AS dismissed_score, d.reason AS dismissed_reason
  FROM posts a
  JOIN posts q ON q.id = a.question_id AND q.deleted_at IS NULL
  LEFT JOIN faq_dismissals d ON d.answer_id = a.id
  WHERE a.type = 'answer' AND a.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM faq_entries e WHERE e.source_answer_id = a.id)`;

export class SqliteFaqRepository implements FaqRepository {
  private readonly categoryById;
  private readonly entryById;

  constructor(private readonly db: Db) {
    this.categoryById = db.prepare<[number], CategoryRow>('SELECT * FROM faq_categories WHERE id = ?');
    this.entryById = db.prepare<[number], EntryRow>(`${ENTRY_SELECT} WHERE e.id = ?`);
  }

  private id(raw: string): number {
    const n = toRowId(raw);
    if (n === null) throw new NotFoundError('faq.notFound');
    return n;
  }

  async listCategories(communityId: string): Promise<FaqCategory[]> {
    const c = toRowId(communityId);
    if (c === null) return [];
    return this.db
      .prepare<[number], CategoryRow>('SELECT * FROM faq_categories WHERE community_id = ? ORDER BY depth, position, id')
      .all(c)
      .map(mapCategory);
  }

  async findCategory(id: string): Promise<FaqCategory | null> {
    const n = toRowId(id);
    if (n === null) return null;
    const row = this.categoryById.get(n);
    return row ? mapCategory(row) : null;
  }

  async createCategory(input: { communityId: string; parentId: string | null; name: string; slug: string; depth: number; now: number }): Promise<FaqCategory> {
    const c = this.id(input.communityId);
    const parent = input.parentId === null ? null : this.id(input.parentId);
    try {
      const id = this.db.transaction(() => {
        const next = this.db
          .prepare<[number, number], { p: number }>('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM faq_categories WHERE community_id = ? AND IFNULL(parent_id, 0) = ?')
          .get(c, parent ?? 0)!.p;
        const info = this.db
          .prepare('INSERT INTO faq_categories (community_id, parent_id, name, slug, position, depth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(c, parent, input.name, input.slug, next, input.depth, input.now, input.now);
        return Number(info.lastInsertRowid);
      })();
      return mapCategory(this.categoryById.get(id)!);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('faq.category.slugTaken');
      throw err;
    }
  }

  async renameCategory(id: string, name: string, slug: string, now: number): Promise<FaqCategory> {
    const n = this.id(id);
    try {
      this.db.prepare('UPDATE faq_categories SET name = ?, slug = ?, updated_at = ? WHERE id = ?').run(name, slug, now, n);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('faq.category.slugTaken');
      throw err;
    }
    const row = this.categoryById.get(n);
    if (!row) throw new NotFoundError('faq.notFound');
    return mapCategory(row);
  }

  async moveCategory(id: string, newParentId: string | null, newDepth: number, now: number): Promise<void> {
    const n = this.id(id);
    const parent = newParentId === null ? null : this.id(newParentId);
    try {
      this.db.transaction(() => {
        const row = this.categoryById.get(n);
        if (!row) throw new NotFoundError('faq.notFound');
        const shift = newDepth - row.depth;
        const position = this.db
          .prepare<[number, number], { p: number }>('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM faq_categories WHERE community_id = ? AND IFNULL(parent_id, 0) = ?')
          .get(row.community_id, parent ?? 0)!.p;
        this.db.prepare('UPDATE faq_categories SET parent_id = ?, position = ?, updated_at = ? WHERE id = ?').run(parent, position, now, n);
        if (shift !== 0) {
          this.db
            .prepare(
              `WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT c.id FROM faq_categories c JOIN sub ON c.parent_id = sub.id)
               UPDATE faq_categories SET depth = depth + ? WHERE id IN (SELECT id FROM sub)`,
            )
            .run(n, shift);
        }
      })();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('faq.category.slugTaken');
      throw err;
    }
  }

  async reorderCategory(id: string, direction: 'up' | 'down'): Promise<void> {
    const n = this.id(id);
    this.db.transaction(() => {
      const row = this.categoryById.get(n);
      if (!row) throw new NotFoundError('faq.notFound');
      const neighbour = this.db
        .prepare<[number, number, number], CategoryRow>(
          `SELECT * FROM faq_categories WHERE community_id = ? AND IFNULL(parent_id, 0) = ? AND position ${direction === 'up' ? '<' : '>'} ?
           ORDER BY position ${direction === 'up' ? 'DESC' : 'ASC'} LIMIT 1`,
        )
        .get(row.community_id, row.parent_id ?? 0, row.position);
      if (!neighbour) return;
      const set = this.db.prepare('UPDATE faq_categories SET position = ? WHERE id = ?');
      set.run(neighbour.position, row.id);
      set.run(row.position, neighbour.id);
    })();
  }

  async deleteCategory(id: string, targetId: string | null, now: number): Promise<void> {
    const n = this.id(id);
    const target = targetId === null ? null : this.id(targetId);
    this.db.transaction(() => {
      if (target !== null) {
        this.db.prepare('UPDATE faq_entries SET category_id = ?, updated_at = ? WHERE category_id = ?').run(target, now, n);
        this.db.prepare('UPDATE faq_categories SET parent_id = ?, updated_at = ? WHERE parent_id = ?').run(target, now, n);
      }
      const left = this.db
        .prepare<[number, number], { n: number }>('SELECT (SELECT COUNT(*) FROM faq_entries WHERE category_id = ?) + (SELECT COUNT(*) FROM faq_categories WHERE parent_id = ?) AS n')
        .get(n, n)!.n;
      if (left > 0) throw new ConflictError('faq.category.notEmpty');
      this.db.prepare('DELETE FROM faq_categories WHERE id = ?').run(n);
    })();
  }

  async entryCountsByCategory(communityId: string): Promise<Map<string, number>> {
    const c = toRowId(communityId);
    const out = new Map<string, number>();
    if (c === null) return out;
    const rows = this.db
      .prepare<[number], { category_id: number; n: number }>("SELECT category_id, COUNT(*) AS n FROM faq_entries WHERE community_id = ? AND status = 'published' GROUP BY category_id")
      .all(c);
    for (const r of rows) out.set(String(r.category_id), r.n);
    return out;
  }

  private setRelated(entryId: number, relatedIds: string[]): void {
    this.db.prepare('DELETE FROM faq_related WHERE entry_id = ? OR related_id = ?').run(entryId, entryId);
    const link = this.db.prepare('INSERT OR IGNORE INTO faq_related (entry_id, related_id) VALUES (?, ?)');
    for (const raw of relatedIds) {
      const other = toRowId(raw);
      if (other === null || other === entryId || !this.entryById.get(other)) continue;
      // Related links are symmetric: each entry lists the other.
      link.run(entryId, other);
      link.run(other, entryId);
    }
  }

  async createEntry(input: NewFaqEntry): Promise<FaqEntry> {
    const c = this.id(input.communityId);
    const category = this.id(input.categoryId);
    const author = this.id(input.createdBy);
    const question = input.sourceQuestionId === null ? null : this.id(input.sourceQuestionId);
    const answer = input.sourceAnswerId === null ? null : this.id(input.sourceAnswerId);
    try {
      const id = this.db.transaction(() => {
        const info = this.db
          .prepare(
            `INSERT INTO faq_entries (community_id, category_id, title, slug, body_md, body_html, body_text, source_question_id, source_answer_id, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(c, category, input.title, input.slug, input.bodyMd, input.bodyHtml, input.bodyText, question, answer, author, input.now, input.now);
        const entryId = Number(info.lastInsertRowid);
        if (input.event && question !== null && answer !== null) {
          recordOutboxEvent(this.db, 'faq_published', input.event, { questionId: String(question), answerId: String(answer), entryId: String(entryId) }, input.now);
        }
        this.db
          .prepare('INSERT INTO faq_entry_revisions (entry_id, revision, author_id, title, body_md, category_id, reason, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)')
          .run(entryId, author, input.title, input.bodyMd, category, '', input.now);
        this.setRelated(entryId, input.relatedIds);
        return entryId;
      })();
      return mapEntry(this.entryById.get(id)!);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('faq.alreadyPromoted');
      throw err;
    }
  }

  async editEntry(edit: FaqEntryEdit): Promise<FaqEntry> {
    const n = this.id(edit.entryId);
    const author = this.id(edit.editorId);
    const category = this.id(edit.categoryId);
    this.db.transaction(() => {
      const row = this.entryById.get(n);
      if (!row) throw new NotFoundError('faq.notFound');
      const revision = row.revision_count + 1;
      this.db
        .prepare(
          `UPDATE faq_entries SET category_id = ?, title = ?, slug = ?, body_md = ?, body_html = ?, body_text = ?, revision_count = ?,
           needs_review = 0, review_reason = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(category, edit.title, edit.slug, edit.bodyMd, edit.bodyHtml, edit.bodyText, revision, edit.now, n);
      this.db
        .prepare('INSERT INTO faq_entry_revisions (entry_id, revision, author_id, title, body_md, category_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(n, revision, author, edit.title, edit.bodyMd, category, edit.reason, edit.now);
      this.setRelated(n, edit.relatedIds);
    })();
    return mapEntry(this.entryById.get(n)!);
  }

  async findEntry(id: string): Promise<FaqEntry | null> {
    const n = toRowId(id);
    if (n === null) return null;
    const row = this.entryById.get(n);
    return row ? mapEntry(row) : null;
  }

  async entryIdsInCommunity(communityId: string, ids: string[]): Promise<string[]> {
    const c = toRowId(communityId);
    const rowIds = ids.map(toRowId).filter((n): n is number => n !== null);
    if (c === null || rowIds.length === 0) return [];
    return this.db
      .prepare<[string, number], { id: number }>(`SELECT id FROM faq_entries WHERE id IN (SELECT value FROM json_each(?)) AND community_id = ?`)
      .all(JSON.stringify([...new Set(rowIds)]), c)
      .map((r) => String(r.id));
  }

  async listEntries(communityId: string, options: { categoryId?: string; status?: 'published' | 'archived' | 'all'; needsReview?: boolean }): Promise<FaqEntry[]> {
    const c = toRowId(communityId);
    if (c === null) return [];
    const where = ['e.community_id = ?'];
    const args: unknown[] = [c];
    if (options.categoryId !== undefined) {
      const cat = toRowId(options.categoryId);
      if (cat === null) return [];
      where.push('e.category_id = ?');
      args.push(cat);
    }
    const status = options.status ?? 'published';
    if (status !== 'all') {
      where.push('e.status = ?');
      args.push(status);
    }
    if (options.needsReview) where.push('e.needs_review = 1');
    return this.db.prepare<unknown[], EntryRow>(`${ENTRY_SELECT} WHERE ${where.join(' AND ')}`).all(...args).map(mapEntry);
  }

  async topEntries(communityId: string, limit: number): Promise<{ entries: FaqEntry[]; total: number }> {
    const c = toRowId(communityId);
    if (c === null) return { entries: [], total: 0 };
    // The same order as compareEntries in faq-rules (kept in step by the contract suite). The
    // faq_entries_rank index yields entries in exactly this order (migration 018), so SQLite
    // reads the first `limit` rows and sorts nothing.
    const entries = this.db
      .prepare<[number, number], EntryRow>(TOP_ENTRIES_SQL)
      .all(c, Math.max(0, Math.floor(limit)))
      .map(mapEntry);
    const total = this.db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM faq_entries WHERE community_id = ? AND status = 'published'`).get(c)!.n;
    return { entries, total };
  }

  async relatedEntries(entryId: string): Promise<FaqEntry[]> {
    const n = toRowId(entryId);
    if (n === null) return [];
    return this.db
      .prepare<[number], EntryRow>(`${ENTRY_SELECT} JOIN faq_related r ON r.related_id = e.id WHERE r.entry_id = ? AND e.status = 'published' ORDER BY e.title`)
      .all(n)
      .map(mapEntry);
  }

  async listRevisions(entryId: string): Promise<FaqEntryRevision[]> {
    const n = toRowId(entryId);
    if (n === null) return [];
    return this.db
      .prepare<[number], { id: number; entry_id: number; revision: number; author_id: number; title: string; body_md: string; category_id: number; reason: string; created_at: number }>(
        'SELECT * FROM faq_entry_revisions WHERE entry_id = ? ORDER BY revision',
      )
      .all(n)
      .map((r) => ({
        id: String(r.id),
        entryId: String(r.entry_id),
        revision: r.revision,
        authorId: String(r.author_id),
        title: r.title,
        bodyMd: r.body_md,
        categoryId: String(r.category_id),
        reason: r.reason,
        createdAt: r.created_at,
      }));
  }

  /** Part of the caller's transaction: the history line of a moderator action. */
  private recordEvent(entryId: number, action: FaqEntryAction, by: FaqActor | undefined): void {
    if (!by) return;
    const actor = this.id(by.userId);
    this.db.prepare('INSERT INTO faq_entry_events (entry_id, actor_id, action, created_at) VALUES (?, ?, ?, ?)').run(entryId, actor, action, by.now);
  }

  async listEntryEvents(entryId: string): Promise<FaqEntryEvent[]> {
    const n = toRowId(entryId);
    if (n === null) return [];
    return this.db
      .prepare<[number], { id: number; entry_id: number; actor_id: number; action: FaqEntryAction; created_at: number }>(
        'SELECT * FROM faq_entry_events WHERE entry_id = ? ORDER BY created_at, id',
      )
      .all(n)
      .map((r) => ({ id: String(r.id), entryId: String(r.entry_id), actorId: String(r.actor_id), action: r.action, createdAt: r.created_at }));
  }

  async setPinned(entryId: string, pinned: boolean, by?: FaqActor): Promise<void> {
    const n = this.id(entryId);
    this.db.transaction(() => {
      const row = this.entryById.get(n);
      if (!row) throw new NotFoundError('faq.notFound');
      const position = pinned
        ? this.db.prepare<[number], { p: number }>('SELECT COALESCE(MAX(pin_position), 0) + 1 AS p FROM faq_entries WHERE community_id = ? AND pinned = 1').get(row.community_id)!.p
        : 0;
      this.db.prepare('UPDATE faq_entries SET pinned = ?, pin_position = ? WHERE id = ?').run(pinned ? 1 : 0, position, n);
      this.recordEvent(n, pinned ? 'pin' : 'unpin', by);
    })();
  }

  async setStatus(entryId: string, status: 'published' | 'archived', by?: FaqActor): Promise<void> {
    const n = this.id(entryId);
    this.db.transaction(() => {
      if (this.db.prepare('UPDATE faq_entries SET status = ? WHERE id = ?').run(status, n).changes === 0) throw new NotFoundError('faq.notFound');
      this.recordEvent(n, status === 'archived' ? 'archive' : 'publish', by);
    })();
  }

  async addViews(counts: Map<string, number>): Promise<void> {
    const update = this.db.prepare('UPDATE faq_entries SET view_count = view_count + ? WHERE id = ?');
    this.db.transaction(() => {
      for (const [id, count] of counts) {
        const n = toRowId(id);
        if (n !== null) update.run(count, n);
      }
    })();
  }

  async addSearchClick(entryId: string): Promise<void> {
    const n = toRowId(entryId);
    if (n !== null) this.db.prepare('UPDATE faq_entries SET search_clicks = search_clicks + 1 WHERE id = ?').run(n);
  }

  async recordHelpful(entryId: string, voterKey: string, helpful: boolean, now: number): Promise<{ yes: number; no: number; changed: boolean }> {
    const n = this.id(entryId);
    return this.db.transaction(() => {
      if (!this.entryById.get(n)) throw new NotFoundError('faq.notFound');
      const previous = this.db.prepare<[number, string], { helpful: number }>('SELECT helpful FROM faq_helpful_votes WHERE entry_id = ? AND voter_key = ?').get(n, voterKey);
      const value = helpful ? 1 : 0;
      let changed = false;
      if (!previous) {
        this.db.prepare('INSERT INTO faq_helpful_votes (entry_id, voter_key, helpful, created_at) VALUES (?, ?, ?, ?)').run(n, voterKey, value, now);
        this.db.prepare(`UPDATE faq_entries SET ${helpful ? 'helpful_yes = helpful_yes + 1' : 'helpful_no = helpful_no + 1'} WHERE id = ?`).run(n);
        changed = true;
      } else if (previous.helpful !== value) {
        this.db.prepare('UPDATE faq_helpful_votes SET helpful = ?, created_at = ? WHERE entry_id = ? AND voter_key = ?').run(value, now, n, voterKey);
        this.db
          .prepare(`UPDATE faq_entries SET helpful_yes = helpful_yes + ?, helpful_no = helpful_no + ? WHERE id = ?`)
          .run(helpful ? 1 : -1, helpful ? -1 : 1, n);
        changed = true;
      }
      const counts = this.db.prepare<[number], { helpful_yes: number; helpful_no: number }>('SELECT helpful_yes, helpful_no FROM faq_entries WHERE id = ?').get(n)!;
      return { yes: counts.helpful_yes, no: counts.helpful_no, changed };
    })();
  }

  async candidateRows(communityId: string, minScore: number, limit: number): Promise<FaqCandidateRow[]> {
    const c = toRowId(communityId);
    if (c === null) return [];
    return this.db
      .prepare<[number, number, number], CandidateSqlRow>(
        `${CANDIDATE_SELECT} AND a.community_id = ? AND (a.score >= ? OR (a.is_accepted = 1 AND a.score >= 2))
         ORDER BY a.score DESC LIMIT ?`,
      )
      .all(c, minScore, limit)
      .map(mapCandidate);
  }

  async candidateRow(answerId: string): Promise<FaqCandidateRow | null> {
    const n = toRowId(answerId);
    if (n === null) return null;
    const row = this.db.prepare<[number], CandidateSqlRow>(`${CANDIDATE_SELECT} AND a.id = ?`).get(n);
    return row ? mapCandidate(row) : null;
  }

  async entryForAnswer(answerId: string): Promise<FaqEntry | null> {
    const n = toRowId(answerId);
    if (n === null) return null;
    const row = this.db.prepare<[number], EntryRow>(`${ENTRY_SELECT} WHERE e.source_answer_id = ?`).get(n);
    return row ? mapEntry(row) : null;
  }

  async dismiss(d: FaqDismissal): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO faq_dismissals (answer_id, community_id, dismissed_by, reason, score_at_dismissal, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(answer_id) DO UPDATE SET dismissed_by = excluded.dismissed_by, reason = excluded.reason,
           score_at_dismissal = excluded.score_at_dismissal, created_at = excluded.created_at`,
      )
      .run(this.id(d.answerId), this.id(d.communityId), this.id(d.dismissedBy), d.reason, d.scoreAtDismissal, d.createdAt);
  }

  async flagForReview(filter: { sourceAnswerId?: string; sourceQuestionId?: string }, reason: FaqReviewReason): Promise<number> {
    if (filter.sourceAnswerId !== undefined) {
      const n = toRowId(filter.sourceAnswerId);
      if (n === null) return 0;
      return this.db.prepare('UPDATE faq_entries SET needs_review = 1, review_reason = ? WHERE source_answer_id = ? AND needs_review = 0').run(reason, n).changes;
    }
    if (filter.sourceQuestionId !== undefined) {
      const n = toRowId(filter.sourceQuestionId);
      if (n === null) return 0;
      // Overtaken: another live answer to the source question now scores higher than the source answer.
      return this.db
        .prepare(
          `UPDATE faq_entries SET needs_review = 1, review_reason = ?
           WHERE source_question_id = ? AND needs_review = 0 AND source_answer_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM posts other, posts src
                         WHERE src.id = faq_entries.source_answer_id AND other.question_id = faq_entries.source_question_id
                           AND other.type = 'answer' AND other.deleted_at IS NULL AND other.id != src.id AND other.score > src.score)`,
        )
        .run(reason, n).changes;
    }
    return 0;
  }

  async clearReview(entryId: string, by?: FaqActor): Promise<void> {
    const n = this.id(entryId);
    this.db.transaction(() => {
      if (this.db.prepare('UPDATE faq_entries SET needs_review = 0, review_reason = NULL WHERE id = ?').run(n).changes === 0) return;
      this.recordEvent(n, 'reviewed', by);
    })();
  }

  async getAutoPublish(communityId: string): Promise<FaqAutoPublish> {
    const row = this.db
      .prepare<[number], { faq_auto_publish_score: number | null; faq_auto_publish_category_id: number | null }>(
        'SELECT faq_auto_publish_score, faq_auto_publish_category_id FROM communities WHERE id = ?',
      )
      .get(this.id(communityId));
    return { score: row?.faq_auto_publish_score ?? null, categoryId: str(row?.faq_auto_publish_category_id ?? null) };
  }

  async setAutoPublish(communityId: string, settings: FaqAutoPublish): Promise<void> {
    this.db
      .prepare('UPDATE communities SET faq_auto_publish_score = ?, faq_auto_publish_category_id = ? WHERE id = ?')
      .run(settings.score, settings.categoryId === null ? null : this.id(settings.categoryId), this.id(communityId));
  }
}
