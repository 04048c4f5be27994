import { usernameSkeleton } from '../../domain/username-skeleton.js';
import { createHash } from 'node:crypto';
import type { CommunityKind, CommunityRole, Locale } from '../../domain/types.js';
import { REPUTATION } from '../../domain/reputation.js';
import type Database from 'better-sqlite3';
import type { Db } from './connection.js';

type Statement = Database.Statement;

/*
 * Bulk loading for the benchmark data generator (scripts/generate.ts). The repository
 * methods insert one row per transaction, which is right for the application and far too
 * slow for millions of rows, so this class writes rows with prepared statements inside
 * large transactions. The caller supplies rows whose counters are already final (scores,
 * answer counts, reputation...), so no row is updated after it is written: any triggers
 * the search engine installs on INSERT see the finished row once.
 *
 * It also offers the few read queries the benchmark needs (which URLs to request) and a
 * consistency check of every denormalised counter against the rows it summarises.
 */

export interface BulkUser {
  id: number;
  username: string;
  email: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  reputation: number;
  createdAt: number;
}

export interface BulkCommunity {
  id: number;
  slug: string;
  name: string;
  kind: CommunityKind;
  descriptionMd: string;
  descriptionHtml: string;
  defaultLocale: Locale;
  memberCount: number;
  questionCount: number;
  promotionThreshold: number;
  createdAt: number;
}

export interface BulkTag {
  id: number;
  communityId: number;
  name: string;
  questionCount: number;
}

interface BulkPostBase {
  id: number;
  communityId: number;
  authorId: number;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  score: number;
  upVotes: number;
  downVotes: number;
  createdAt: number;
}

export interface BulkQuestion extends BulkPostBase {
  title: string;
  slug: string;
  /** Tag names in the order shown; tagIds are the matching rows in tags. */
  tags: string[];
  tagIds: number[];
  answerCount: number;
  acceptedAnswerId: number | null;
  viewCount: number;
  lastActivityAt: number;
  lastActivityUserId: number;
}

export interface BulkAnswer extends BulkPostBase {
  questionId: number;
  isAccepted: boolean;
}

export interface BulkFaqCategory {
  id: number;
  communityId: number;
  parentId: number | null;
  name: string;
  slug: string;
  position: number;
  depth: number;
  createdAt: number;
}

export interface BulkFaqEntry {
  id: number;
  communityId: number;
  categoryId: number;
  title: string;
  slug: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  sourceQuestionId: number;
  sourceAnswerId: number;
  pinned: boolean;
  pinPosition: number;
  viewCount: number;
  createdBy: number;
  createdAt: number;
}

/** An answer that meets the FAQ promotion rule, with what an FAQ entry copies from it. */
export interface FaqSource {
  answerId: number;
  questionId: number;
  title: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  score: number;
  createdAt: number;
}

export interface CheckResult {
  check: string;
  /** Rows that break the rule; 0 means consistent. */
  bad: number;
}

export interface BenchQuestionRef {
  id: number;
  slug: string;
  communitySlug: string;
  answerCount: number;
}

export interface BenchTargets {
  communities: Array<{ id: number; slug: string; questionCount: number; memberCount: number }>;
  hotQuestions: BenchQuestionRef[];
  sampleQuestions: BenchQuestionRef[];
  voteCommunitySlug: string;
  voteUsers: string[];
  votePostIds: number[];
  /** The busiest community's most used tag, for the tag page. */
  topTag: string | null;
  /** Published FAQ entries (empty when the FAQ tables do not exist). */
  faqEntries: Array<{ id: number; slug: string; communitySlug: string }>;
}

const DEFAULT_BATCH = 10_000;

export class BulkLoader {
  private pending = 0;
  private inTransaction = false;
  private readonly insertUserStmt;
  private readonly skeletons = new Set<string>();
  private readonly insertCommunityStmt;
  private readonly insertMembershipStmt;
  private readonly insertTagStmt;
  private readonly insertQuestionStmt;
  private readonly insertAnswerStmt;
  private readonly insertRevisionStmt;
  private readonly insertQuestionTagStmt;
  private readonly insertVoteStmt;

  constructor(
    private readonly db: Db,
    private readonly batchSize = DEFAULT_BATCH,
  ) {
    this.insertUserStmt = db.prepare(
      'INSERT INTO users (id, username, username_skeleton, email, display_name, password_hash, is_admin, reputation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertCommunityStmt = db.prepare(
      `INSERT INTO communities (id, slug, name, kind, description_md, description_html, default_locale, member_count, question_count,
         promotion_threshold, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMembershipStmt = db.prepare('INSERT INTO memberships (community_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)');
    this.insertTagStmt = db.prepare('INSERT INTO tags (id, community_id, name, question_count) VALUES (?, ?, ?, ?)');
    this.insertQuestionStmt = db.prepare(
      `INSERT INTO posts (id, type, community_id, question_id, author_id, title, slug, body_md, body_html, body_text, tags, score, up_votes,
         down_votes, answer_count, accepted_answer_id, is_accepted, view_count, comment_count, revision_count, created_at, edited_at,
         last_activity_at, last_activity_user_id, last_activity_kind)
       VALUES (?, 'question', ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 1, ?, NULL, ?, ?, ?)`,
    );
    this.insertAnswerStmt = db.prepare(
      `INSERT INTO posts (id, type, community_id, question_id, author_id, title, slug, body_md, body_html, body_text, tags, score, up_votes,
         down_votes, answer_count, accepted_answer_id, is_accepted, view_count, comment_count, revision_count, created_at, edited_at,
         last_activity_at, last_activity_user_id)
       VALUES (?, 'answer', ?, ?, ?, NULL, NULL, ?, ?, ?, '', ?, ?, ?, 0, NULL, ?, 0, 0, 1, ?, NULL, ?, NULL)`,
    );
    this.insertRevisionStmt = db.prepare(
      "INSERT INTO revisions (post_id, revision, author_id, title, body_md, tags, reason, created_at) VALUES (?, 1, ?, ?, ?, ?, '', ?)",
    );
    this.insertQuestionTagStmt = db.prepare(
      'INSERT INTO question_tags (tag_id, question_id, last_activity_at, created_at, score, answer_count) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertVoteStmt = db.prepare('INSERT INTO votes (post_id, user_id, value, created_at) VALUES (?, ?, ?, ?)');
  }

  /**
   * Durability is pointless while a throw-away data set is written; restored by finish().
   * Never touch temp_store here: changing it drops every TEMP object of the connection,
   * and the embedded search engine's indexing triggers are TEMP triggers.
   */
  tuneForBulkLoad(): void {
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -262144');
  }

  /** Commits the open batch, restores normal durability and folds the WAL into the file. */
  finish(): void {
    this.commit();
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private row(): void {
    if (!this.inTransaction) {
      this.db.exec('BEGIN');
      this.inTransaction = true;
    }
    this.pending++;
  }

  private maybeCommit(): void {
    if (this.pending >= this.batchSize) this.commit();
  }

  commit(): void {
    if (!this.inTransaction) return;
    this.db.exec('COMMIT');
    this.inTransaction = false;
    this.pending = 0;
  }

  /** Drops the open batch after an error, so the connection can be closed cleanly. */
  abort(): void {
    if (this.inTransaction && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.inTransaction = false;
    this.pending = 0;
  }

  isEmpty(): boolean {
    const row = this.db.prepare<[], { n: number }>('SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM communities) AS n').get()!;
    return row.n === 0;
  }

  hasTable(name: string): boolean {
    return this.db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)!.n > 0;
  }

  /** Changes whenever a migration adds or alters a table, index or trigger. */
  schemaFingerprint(): string {
    const rows = this.db
      .prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all();
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const hash = createHash('sha256');
    hash.update(String(version));
    for (const r of rows) hash.update(`\n${r.type}\t${r.name}\t${r.sql ?? ''}`);
    return hash.digest('hex').slice(0, 16);
  }

  insertUser(u: BulkUser): void {
    this.row();
    // A generated name that looks like an earlier one keeps a suffixed skeleton, as migration 011 does.
    const skeleton = usernameSkeleton(u.username);
    this.insertUserStmt.run(u.id, u.username, this.skeletons.has(skeleton) ? `${skeleton}#${u.id}` : skeleton, u.email, u.displayName, u.passwordHash, u.isAdmin ? 1 : 0, u.reputation, u.createdAt);
    this.skeletons.add(skeleton);
    this.maybeCommit();
  }

  insertCommunity(c: BulkCommunity): void {
    this.row();
    this.insertCommunityStmt.run(
      c.id, c.slug, c.name, c.kind, c.descriptionMd, c.descriptionHtml, c.defaultLocale, c.memberCount, c.questionCount, c.promotionThreshold, c.createdAt, c.createdAt,
    );
    this.maybeCommit();
  }

  insertMembership(communityId: number, userId: number, role: CommunityRole, joinedAt: number): void {
    this.row();
    this.insertMembershipStmt.run(communityId, userId, role, joinedAt);
    this.maybeCommit();
  }

  insertTag(t: BulkTag): void {
    this.row();
    this.insertTagStmt.run(t.id, t.communityId, t.name, t.questionCount);
    this.maybeCommit();
  }

  /** The question, its revision 1 and its question_tags rows (sort keys copied from the question). */
  insertQuestion(q: BulkQuestion): void {
    this.row();
    const tags = q.tags.join(' ');
    this.insertQuestionStmt.run(
      q.id, q.communityId, q.authorId, q.title, q.slug, q.bodyMd, q.bodyHtml, q.bodyText, tags, q.score, q.upVotes, q.downVotes,
      q.answerCount, q.acceptedAnswerId, q.viewCount, q.createdAt, q.lastActivityAt, q.lastActivityUserId,
      // Generated data has no comments or edits: activity after the question is an answer.
      q.answerCount > 0 && q.lastActivityAt !== q.createdAt ? 'answer' : 'ask',
    );
    this.insertRevisionStmt.run(q.id, q.authorId, q.title, q.bodyMd, tags, q.createdAt);
    for (const tagId of q.tagIds) this.insertQuestionTagStmt.run(tagId, q.id, q.lastActivityAt, q.createdAt, q.score, q.answerCount);
    this.maybeCommit();
  }

  /** The answer and its revision 1. */
  insertAnswer(a: BulkAnswer): void {
    this.row();
    this.insertAnswerStmt.run(
      a.id, a.communityId, a.questionId, a.authorId, a.bodyMd, a.bodyHtml, a.bodyText, a.score, a.upVotes, a.downVotes, a.isAccepted ? 1 : 0, a.createdAt, a.createdAt,
    );
    this.insertRevisionStmt.run(a.id, a.authorId, null, a.bodyMd, '', a.createdAt);
    this.maybeCommit();
  }

  insertVote(postId: number, userId: number, value: 1 | -1, createdAt: number): void {
    this.row();
    this.insertVoteStmt.run(postId, userId, value, createdAt);
    this.maybeCommit();
  }

  /*
   * FAQ rows (migration 004). Prepared on first use, because the generator only calls
   * them after checking with hasTable() that the FAQ tables exist in this schema.
   */
  private faqStmts?: { category: Statement; entry: Statement; revision: Statement; related: Statement };

  private faq() {
    this.faqStmts ??= {
      category: this.db.prepare(
        'INSERT INTO faq_categories (id, community_id, parent_id, name, slug, position, depth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      entry: this.db.prepare(
        `INSERT INTO faq_entries (id, community_id, category_id, title, slug, body_md, body_html, body_text, source_question_id, source_answer_id,
           status, pinned, pin_position, view_count, revision_count, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, 1, ?, ?, ?)`,
      ),
      revision: this.db.prepare(
        "INSERT INTO faq_entry_revisions (entry_id, revision, author_id, title, body_md, category_id, reason, created_at) VALUES (?, 1, ?, ?, ?, ?, '', ?)",
      ),
      related: this.db.prepare('INSERT OR IGNORE INTO faq_related (entry_id, related_id) VALUES (?, ?)'),
    };
    return this.faqStmts;
  }

  insertFaqCategory(c: BulkFaqCategory): void {
    this.row();
    this.faq().category.run(c.id, c.communityId, c.parentId, c.name, c.slug, c.position, c.depth, c.createdAt, c.createdAt);
    this.maybeCommit();
  }

  /** The entry and its revision 1. */
  insertFaqEntry(e: BulkFaqEntry): void {
    this.row();
    const f = this.faq();
    f.entry.run(
      e.id, e.communityId, e.categoryId, e.title, e.slug, e.bodyMd, e.bodyHtml, e.bodyText, e.sourceQuestionId, e.sourceAnswerId,
      e.pinned ? 1 : 0, e.pinPosition, e.viewCount, e.createdBy, e.createdAt, e.createdAt,
    );
    f.revision.run(e.id, e.createdBy, e.title, e.bodyMd, e.categoryId, e.createdAt);
    this.maybeCommit();
  }

  /** Related links are stored both ways, so either entry shows the other. */
  insertFaqRelated(a: number, b: number): void {
    this.row();
    this.faq().related.run(a, b);
    this.faq().related.run(b, a);
    this.maybeCommit();
  }

  /**
   * Answers that meet the promotion rule of DESIGN.md section 7 (score >= threshold, or
   * accepted with score >= 2), best first, at most one per question.
   */
  faqSources(communityId: number, threshold: number, limit: number): FaqSource[] {
    const rows = this.db
      .prepare<[number, number, number], { answer_id: number; question_id: number; title: string; body_md: string; body_html: string; body_text: string; score: number; created_at: number }>(
        `SELECT a.id AS answer_id, q.id AS question_id, q.title, a.body_md, a.body_html, a.body_text, a.score, a.created_at
         FROM posts a JOIN posts q ON q.id = a.question_id
         WHERE a.type = 'answer' AND a.community_id = ? AND a.deleted_at IS NULL AND q.deleted_at IS NULL
           AND (a.score >= ? OR (a.is_accepted = 1 AND a.score >= 2))
         ORDER BY a.score DESC, a.id LIMIT ?`,
      )
      .all(communityId, threshold, limit * 4);
    const seen = new Set<number>();
    const out: FaqSource[] = [];
    for (const r of rows) {
      if (seen.has(r.question_id)) continue;
      seen.add(r.question_id);
      out.push({ answerId: r.answer_id, questionId: r.question_id, title: r.title, bodyMd: r.body_md, bodyHtml: r.body_html, bodyText: r.body_text, score: r.score, createdAt: r.created_at });
      if (out.length >= limit) break;
    }
    return out;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const table of ['users', 'communities', 'memberships', 'tags', 'question_tags', 'votes', 'revisions']) {
      out[table] = this.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()!.n;
    }
    for (const table of ['faq_categories', 'faq_entries']) {
      if (this.hasTable(table)) out[table] = this.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()!.n;
    }
    for (const type of ['question', 'answer']) {
      out[`${type}s`] = this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM posts WHERE type = ?').get(type)!.n;
    }
    return out;
  }

  /**
   * Every denormalised value against the rows it summarises. Used after generation; each
   * check counts offending rows, so an empty list of non-zero results means consistent.
   */
  verify(): CheckResult[] {
    const checks: Array<[string, string]> = [
      [
        'posts.score / up_votes / down_votes = their votes',
        `SELECT COUNT(*) AS n FROM posts p LEFT JOIN (
           SELECT post_id, SUM(value) AS s, SUM(value = 1) AS u, SUM(value = -1) AS d FROM votes GROUP BY post_id) v ON v.post_id = p.id
         WHERE p.score != COALESCE(v.s, 0) OR p.up_votes != COALESCE(v.u, 0) OR p.down_votes != COALESCE(v.d, 0)`,
      ],
      [
        'questions.answer_count = their answers',
        `SELECT COUNT(*) AS n FROM posts q LEFT JOIN (
           SELECT question_id, COUNT(*) AS c FROM posts WHERE type = 'answer' AND deleted_at IS NULL GROUP BY question_id) a ON a.question_id = q.id
         WHERE q.type = 'question' AND q.answer_count != COALESCE(a.c, 0)`,
      ],
      [
        'accepted_answer_id points at an accepted answer of the same question',
        `SELECT COUNT(*) AS n FROM posts q LEFT JOIN posts a ON a.id = q.accepted_answer_id
         WHERE q.type = 'question' AND q.accepted_answer_id IS NOT NULL
           AND (a.id IS NULL OR a.type != 'answer' OR a.question_id != q.id OR a.is_accepted != 1)`,
      ],
      [
        'every accepted answer is its question\'s accepted_answer_id',
        `SELECT COUNT(*) AS n FROM posts a JOIN posts q ON q.id = a.question_id
         WHERE a.type = 'answer' AND a.is_accepted = 1 AND (q.accepted_answer_id IS NULL OR q.accepted_answer_id != a.id)`,
      ],
      [
        'question last_activity_at >= its newest answer',
        `SELECT COUNT(*) AS n FROM posts q JOIN (SELECT question_id, MAX(created_at) AS m FROM posts WHERE type = 'answer' GROUP BY question_id) a
           ON a.question_id = q.id WHERE q.last_activity_at < a.m`,
      ],
      [
        'question_tags sort keys = their question',
        `SELECT COUNT(*) AS n FROM question_tags qt JOIN posts p ON p.id = qt.question_id
         WHERE qt.last_activity_at != p.last_activity_at OR qt.created_at != p.created_at OR qt.score != p.score OR qt.answer_count != p.answer_count`,
      ],
      [
        'posts.tags lists exactly the question_tags rows',
        `SELECT COUNT(*) AS n FROM posts p LEFT JOIN (
           SELECT qt.question_id, COUNT(*) AS c FROM question_tags qt GROUP BY qt.question_id) t ON t.question_id = p.id
         WHERE p.type = 'question' AND COALESCE(t.c, 0) != (CASE WHEN p.tags = '' THEN 0 ELSE LENGTH(p.tags) - LENGTH(REPLACE(p.tags, ' ', '')) + 1 END)`,
      ],
      [
        'question_tags names appear in posts.tags',
        `SELECT COUNT(*) AS n FROM question_tags qt JOIN tags t ON t.id = qt.tag_id JOIN posts p ON p.id = qt.question_id
         WHERE instr(' ' || p.tags || ' ', ' ' || t.name || ' ') = 0 OR t.community_id != p.community_id`,
      ],
      [
        'tags.question_count = their question_tags',
        `SELECT COUNT(*) AS n FROM tags t LEFT JOIN (SELECT tag_id, COUNT(*) AS c FROM question_tags GROUP BY tag_id) x ON x.tag_id = t.id
         WHERE t.question_count != COALESCE(x.c, 0)`,
      ],
      [
        'communities.question_count = their questions',
        `SELECT COUNT(*) AS n FROM communities c LEFT JOIN (
           SELECT community_id, COUNT(*) AS q FROM posts WHERE type = 'question' AND deleted_at IS NULL GROUP BY community_id) p ON p.community_id = c.id
         WHERE c.question_count != COALESCE(p.q, 0)`,
      ],
      [
        'communities.member_count = their memberships',
        `SELECT COUNT(*) AS n FROM communities c LEFT JOIN (SELECT community_id, COUNT(*) AS m FROM memberships GROUP BY community_id) x
           ON x.community_id = c.id WHERE c.member_count != COALESCE(x.m, 0)`,
      ],
      [
        'answers are in their question\'s community',
        `SELECT COUNT(*) AS n FROM posts a JOIN posts q ON q.id = a.question_id WHERE a.type = 'answer' AND a.community_id != q.community_id`,
      ],
      [
        'every post has revision 1 and revision_count = its revisions',
        `SELECT COUNT(*) AS n FROM posts p LEFT JOIN (SELECT post_id, COUNT(*) AS c, MIN(revision) AS r FROM revisions GROUP BY post_id) v ON v.post_id = p.id
         WHERE v.c IS NULL OR v.r != 1 OR v.c != p.revision_count`,
      ],
      [
        'voters are members of the post\'s community',
        `SELECT COUNT(*) AS n FROM votes v JOIN posts p ON p.id = v.post_id
         LEFT JOIN memberships m ON m.community_id = p.community_id AND m.user_id = v.user_id WHERE m.user_id IS NULL`,
      ],
      ['nobody votes on their own post', 'SELECT COUNT(*) AS n FROM votes v JOIN posts p ON p.id = v.post_id WHERE v.user_id = p.author_id'],
      [
        'users.reputation follows src/domain/reputation.ts',
        `WITH earned AS (
           SELECT p.author_id AS user_id,
             SUM(CASE WHEN v.value = 1 AND p.type = 'answer' THEN ${REPUTATION.answerUpvoted}
                      WHEN v.value = 1 THEN ${REPUTATION.questionUpvoted}
                      ELSE ${REPUTATION.downvoted} END) AS rep
           FROM votes v JOIN posts p ON p.id = v.post_id GROUP BY p.author_id
           UNION ALL
           SELECT a.author_id, ${REPUTATION.answerAccepted} FROM posts a JOIN posts q ON q.id = a.question_id
             WHERE a.is_accepted = 1 AND a.author_id != q.author_id
           UNION ALL
           SELECT q.author_id, ${REPUTATION.acceptedByAsker} FROM posts a JOIN posts q ON q.id = a.question_id
             WHERE a.is_accepted = 1 AND a.author_id != q.author_id
         ), total AS (SELECT user_id, SUM(rep) AS rep FROM earned GROUP BY user_id)
         SELECT COUNT(*) AS n FROM users u LEFT JOIN total t ON t.user_id = u.id WHERE u.reputation != COALESCE(t.rep, 0)`,
      ],
      ['foreign keys', 'SELECT COUNT(*) AS n FROM pragma_foreign_key_check'],
    ];
    return checks.map(([check, sql]) => ({ check, bad: this.db.prepare<[], { n: number }>(sql).get()!.n }));
  }

  /** A spread of posts for comparing the generated HTML with the Markdown pipeline. */
  samplePosts(limit: number): Array<{ id: number; bodyMd: string; bodyHtml: string; bodyText: string }> {
    const total = this.db.prepare<[], { n: number }>('SELECT MAX(id) AS n FROM posts').get()!.n ?? 0;
    const step = Math.max(1, Math.floor(total / Math.max(1, limit)));
    return this.db
      .prepare<[number, number], { id: number; body_md: string; body_html: string; body_text: string }>(
        'SELECT id, body_md, body_html, body_text FROM posts WHERE id % ? = 1 ORDER BY id LIMIT ?',
      )
      .all(step, limit)
      .map((r) => ({ id: r.id, bodyMd: r.body_md, bodyHtml: r.body_html, bodyText: r.body_text }));
  }

  /** Posts whose text contains a word, for documenting where the rare words ended up. */
  postIdsContaining(word: string, limit = 50): number[] {
    return this.db
      .prepare<[string, string, number], { id: number }>("SELECT id FROM posts WHERE instr(body_text, ?) > 0 OR instr(COALESCE(title, ''), ?) > 0 ORDER BY id LIMIT ?")
      .all(word, word, limit)
      .map((r) => r.id);
  }

  /**
   * What the benchmark requests: hot threads, a deterministic spread of other threads, and
   * for the vote benchmark some members of the busiest community with posts they did not
   * write (people cannot usefully vote on their own posts).
   */
  benchTargets(opts: { sampleQuestions: number; voteUsers: number; votePosts: number }): BenchTargets {
    const communities = this.db
      .prepare<[], { id: number; slug: string; question_count: number; member_count: number }>(
        'SELECT id, slug, question_count, member_count FROM communities ORDER BY question_count DESC, id',
      )
      .all()
      .map((c) => ({ id: c.id, slug: c.slug, questionCount: c.question_count, memberCount: c.member_count }));
    const ref = `SELECT p.id, p.slug, c.slug AS community_slug, p.answer_count FROM posts p JOIN communities c ON c.id = p.community_id
                 WHERE p.type = 'question' AND p.deleted_at IS NULL`;
    type RefRow = { id: number; slug: string; community_slug: string; answer_count: number };
    const toRef = (r: RefRow): BenchQuestionRef => ({ id: r.id, slug: r.slug, communitySlug: r.community_slug, answerCount: r.answer_count });
    const hotQuestions = this.db.prepare<[], RefRow>(`${ref} ORDER BY p.answer_count DESC, p.score DESC, p.id LIMIT 5`).all().map(toRef);
    // Multiplicative hashing of the id gives a fixed pseudo-random order without random().
    const sampleQuestions = this.db
      .prepare<[number], RefRow>(`${ref} ORDER BY (p.id * 2654435761) % 4294967296 LIMIT ?`)
      .all(opts.sampleQuestions)
      .map(toRef);
    const voteCommunity = communities[0];
    let voteUsers: string[] = [];
    let votePostIds: number[] = [];
    if (voteCommunity) {
      const users = this.db
        .prepare<[number, number], { id: number; username: string }>(
          `SELECT u.id, u.username FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.community_id = ? AND m.role = 'member' ORDER BY u.id LIMIT ?`,
        )
        .all(voteCommunity.id, opts.voteUsers);
      voteUsers = users.map((u) => u.username);
      const authors = users.map((u) => u.id);
      if (authors.length > 0) {
        votePostIds = this.db
          .prepare<number[], { id: number }>(
            `SELECT id FROM posts WHERE community_id = ? AND deleted_at IS NULL AND author_id NOT IN (${authors.map(() => '?').join(',')})
             ORDER BY (id * 2654435761) % 4294967296 LIMIT ?`,
          )
          .all(voteCommunity.id, ...authors, Math.max(1, Math.floor(opts.votePosts)))
          .map((r) => r.id);
      }
    }
    const topTag = voteCommunity
      ? (this.db.prepare<[number], { name: string }>('SELECT name FROM tags WHERE community_id = ? ORDER BY question_count DESC, name LIMIT 1').get(voteCommunity.id)?.name ?? null)
      : null;
    const faqEntries = this.hasTable('faq_entries')
      ? this.db
          .prepare<[number], { id: number; slug: string; community_slug: string }>(
            `SELECT e.id, e.slug, c.slug AS community_slug FROM faq_entries e JOIN communities c ON c.id = e.community_id
             WHERE e.status = 'published' ORDER BY (e.id * 2654435761) % 4294967296 LIMIT ?`,
          )
          .all(opts.sampleQuestions)
          .map((r) => ({ id: r.id, slug: r.slug, communitySlug: r.community_slug }))
      : [];
    return { communities, hotQuestions, sampleQuestions, voteCommunitySlug: voteCommunity?.slug ?? '', voteUsers, votePostIds, topTag, faqEntries };
  }
}
